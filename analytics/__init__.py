"""Pure analytics on pandas objects: one concept per function, formula and units in docstrings.

Imports only pandas/numpy; never streamlit, plotly or the data layer.
"""
