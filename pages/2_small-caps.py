"""Small-cap barometer (``/small-caps``): are small caps trading as the rate-cut trade?"""

import streamlit as st

from analytics.breadth import BETA_STEP_BP
from components import equity_view as ev
from components.charts import shown_prices
from components.charts.equity import drawdown_figure, scatter_fit_figure, stacked_figure, value_bars_figure
from components.frame import page_frame
from components.loaders import load
from components.controls import choice_control, scale_controls, slider_control
from components.panels import chart_block, metric_row, model_chart_block, shown_through

ctx = page_frame("Small-cap barometer: are small caps the rate-cut trade?")
st.markdown(
    "Small companies borrow more at floating rates, so if the rally is about cheaper money the "
    "Russell 2000 should lead the S&P 500 when yields fall. Money-losing small caps (no "
    "earnings screen in the Russell 2000, unlike the S&P 600) show whether it has turned "
    "speculative."
)
notes: list[str] = []
notes_box = st.container()  # notes about corrected URL values, filled once every control ran
scale = scale_controls("sc", notes, legacy_log="log")  # "log" = the parameter's name before sc_log
NAMES = {"rut": "Russell 2000", "spx": "S&P 500", "rs": "Russell 2000 / S&P 500",
         "iwm_ijr": "IWM / IJR (unprofitable vs profitable)", "arkk_spy": "ARKK / SPY (speculative growth)",
         "hy_spread_pct": "High-yield spread"}

# --- Relative strength and records ------------------------------------------------------------
st.header("Are small caps beating large caps?")
INDEX_KEYS = ("rut", "spx")
indices = load(INDEX_KEYS)
rs = ev.view_of(indices, INDEX_KEYS, ev.relative_strength_view, ctx.window)
st.markdown(rs.takeaway)
if not rs.empty:
    frame = shown_prices(rs.frame, indices.frame(INDEX_KEYS), scale)
    fig = stacked_figure(
        [frame[["rut", "spx"]], frame[["rs"]]],
        f"Are small caps beating large caps? Indices {scale.label} ({ctx.window.label})",
        (scale.axis_title("Index, start = 100", "Index points"), "RS, start = 100"), names=NAMES, log_top=scale.log,
    )
    chart_block(fig, frame, shown_through(indices, rs.end), INDEX_KEYS, "russell-2000-vs-sp500-rs", key="small-caps.rs")

records = ev.record_view(indices.series["rut"], ctx.window) if "rut" in indices.series else ev.EMPTY
st.markdown(records.takeaway)
if not records.empty:
    fig = drawdown_figure(records.frame, f"How far is the Russell 2000 below its all-time high? ({ctx.window.label})", NAMES["rut"])
    chart_block(fig, records.frame, shown_through(indices, records.end), ("rut",), "russell-2000-distance-from-high",
                key="small-caps.records")

# --- Rate sensitivity -----------------------------------------------------------------------------
st.header("Do small caps move with the 2-year yield?")
RATE_KEYS = ("rut", "spx", "t_2y")
rates = load(RATE_KEYS)
if ev.has_all(rates, RATE_KEYS):
    rut, spx, t_2y = ev.series_of(rates, RATE_KEYS)
    betas = ev.rate_beta_view(rut, spx, t_2y, ctx.window)
    st.markdown(betas.takeaway)
    if not betas.empty:
        fig = stacked_figure(
            [betas.frame[[ev.beta_column(w) for w in ev.BETA_WINDOWS.values()]],
             betas.frame[[ev.corr_column(w) for w in ev.BETA_WINDOWS.values()]]],
            f"How much do small caps move vs large caps per +{BETA_STEP_BP:.0f} bp in the 2-year yield? ({ctx.window.label})",
            (f"β, % per +{BETA_STEP_BP:.0f} bp", "Correlation"), units=("%", ""),
            names={**{ev.beta_column(w): f"β, {w}-day" for w in ev.BETA_WINDOWS.values()},
                   **{ev.corr_column(w): f"correlation, {w}-day" for w in ev.BETA_WINDOWS.values()}},
            zero_lines=(True, True),
        )
        chart_block(fig, betas.frame, shown_through(rates, betas.end), RATE_KEYS, "small-caps-rate-beta", key="small-caps.beta")
    beta_window = int(choice_control("Scatter window, trading days", "beta_window", ev.BETA_WINDOW_CHOICES,
                                     ev.BETA_WINDOW_DEFAULT, notes))
    scatter = ev.rate_scatter_view(rut, spx, t_2y, beta_window, ctx.window.end)
    st.markdown(scatter.takeaway)
    if not scatter.empty:
        fig = scatter_fit_figure(
            scatter.frame, f"Daily moves: 2-year yield vs small caps' relative return (last {beta_window} trading days)",
            "Change in 2-year yield, bp", "Δ ln(Russell 2000 / S&P 500), %", "OLS fit",
        )
        chart_block(fig, scatter.frame, shown_through(rates, scatter.end), RATE_KEYS, "small-caps-rate-scatter",
                    key="small-caps.scatter")

# --- Speculation gauge ------------------------------------------------------------------------
st.header("Is the small-cap bid speculative?")
SPECULATION_KEYS = ("iwm", "ijr", "arkk", "spy", "hy_spread")
speculation_data = load(SPECULATION_KEYS)
if ev.has_all(speculation_data, SPECULATION_KEYS):
    speculation = ev.speculation_view(*ev.series_of(speculation_data, SPECULATION_KEYS), ctx.window)
    st.markdown(speculation.takeaway)
    if not speculation.empty:
        fig = stacked_figure(
            [speculation.frame[["iwm_ijr"]], speculation.frame[["arkk_spy"]], speculation.frame[["hy_spread_pct"]]],
            f"Are money-losing small caps leading, and does credit agree? ({ctx.window.label})",
            ("IWM / IJR, start = 100", "ARKK / SPY, start = 100", "HY spread, %"), units=("", "", "%"), names=NAMES,
            log_top=scale.log,
        )
        chart_block(fig, speculation.frame, shown_through(speculation_data, speculation.end), SPECULATION_KEYS,
                    "small-caps-speculation-gauge", key="small-caps.speculation")

# --- Duration lab ---------------------------------------------------------------------------------
st.header("Duration lab: who gains most from a cut?")
st.markdown(
    "Two stylised companies: one earns steady profits now, the other loses money for five "
    "years and earns large profits later. Lower the discount rate and compare."
)
left, right = st.columns(2)
with left:
    rate = slider_control("Discount rate, %", "rate", ev.RATE_DEFAULT, ev.RATE_MIN, ev.RATE_MAX, ev.RATE_STEP, notes)
with right:
    cut = int(choice_control("Cut size, bp", "cut", ev.CUT_CHOICES_BP, ev.CUT_CHOICES_BP[0], notes))
lab = ev.duration_lab(rate, cut)
st.markdown(lab.takeaway)
metric_row([
    {"label": f"{ev.NEAR_TERM_LABEL}, value change", "value": f"{lab.frame['gain_pct'].iloc[0]:+.2f}%"},
    {"label": f"{ev.FAR_FUTURE_LABEL}, value change", "value": f"{lab.frame['gain_pct'].iloc[1]:+.2f}%"},
    {"label": f"Gordon duration, g = {ev.GORDON_GROWTH_PCT:.0f}%", "value": f"{lab.duration_years:.1f} years",
     "help": f"D = 1/(r − g); ΔP/P ≈ D·Δr = {lab.gordon_gain_pct:+.2f}% for this cut"},
])
fig = value_bars_figure(lab.frame["gain_pct"], f"Who gains more from a {cut} bp cut at {rate:.2f}%?",
                        "Change in present value, %", "%")
model_chart_block(fig, lab.frame, "duration-lab",
                  "Model, not market data: 30 years of stylised profits (analytics/rates.py), discounted yearly.",
                  ctx.as_of, key="small-caps.duration")

with notes_box:
    for note in notes:
        st.info(note, icon=":material/info:")
