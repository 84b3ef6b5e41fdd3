"""Data layer: every series the dashboard uses, from Yahoo Finance, FRED or a snapshot.

Never imports streamlit or plotly. Entry point for callers: ``data_sources.cache.default_store()``.
"""
