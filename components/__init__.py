"""Streamlit building blocks shared by every page: frame, loaders, charts, controls, panels."""
