"""Overview (``/``): the pipe end to end — every series' status and Russell 2000 vs S&P 500."""

import streamlit as st

from analytics.transforms import rebase
from components.charts import line_figure
from components.frame import page_frame
from components.loaders import load, specs
from components.panels import chart_block, status_table

ctx = page_frame("Is this rally about the cost of capital?")
st.markdown(
    "Markets argue that US stocks are rising because the Fed is expected to keep cutting "
    "rates to cushion a cooling job market, even with inflation above 2%. This dashboard "
    "checks each link of that story against the data."
)

EQUITY_KEYS = ("rut", "spx")
equities = load(EQUITY_KEYS)
prices = ctx.window.clip(equities.frame(EQUITY_KEYS))
if not prices.dropna().empty:
    rebased = rebase(prices)
    fig = line_figure(
        rebased,
        f"Russell 2000 vs S&P 500, rebased to 100 ({ctx.window.label})",
        "Index, start = 100",
        names={"rut": "Russell 2000", "spx": "S&P 500"},
    )
    chart_block(fig, rebased, equities, EQUITY_KEYS, "russell-2000-vs-sp500", key="overview.rs")

st.subheader("Data status")
everything = load(specs().keys(), quiet=True)
status_table(everything)
