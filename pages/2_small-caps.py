"""Small-cap barometer (``/small-caps``): are small caps trading as the rate-cut trade?"""

import streamlit as st

from analytics.breadth import BETA_STEP_BP, BETA_WINDOWS
from components.charts import Drawn, ScaleChoice, finished, series_name, shown_prices
from components.charts.equity import drawdown_figure, scatter_fit_figure, stacked_figure, value_bars_figure
from components.frame import page_frame
from components.loaders import load, section
from components.controls import DateWindow, choice_control, scale_controls, show_notes, slider_control
from components.panels import available, chart_block, metric_row, model_chart_block
from components.views import small_caps as sv
from components.views.common import series_of, shown_through


def relative_strength_section(loaded, window: DateWindow, scale: ScaleChoice) -> Drawn:
    """The Russell 2000 and the S&P 500 (rebased or levels) above their relative strength."""
    rs = sv.relative_strength_view(*series_of(loaded, sv.INDEX_KEYS), window)
    if rs.empty:
        return Drawn(rs)
    frame = shown_prices(rs.frame, loaded.frame(sv.INDEX_KEYS), scale)
    fig = stacked_figure(
        [frame[["rut", "spx"]], frame[["rs"]]],
        f"Are small caps beating large caps? Indices {scale.label} ({window.label})",
        (scale.axis_title("Index, start = 100", "Index points"), "RS, start = 100"), names=sv.DERIVED_NAMES,
        log_top=scale.log,
    )
    return Drawn(rs, frame, finished(fig, sv.INDEX_KEYS))


def records_section(loaded, window: DateWindow) -> Drawn:
    """The Russell 2000's distance from its running all-time high."""
    records = sv.record_view(loaded.series["rut"], window)
    if records.empty:
        return Drawn(records)
    fig = drawdown_figure(records.frame, f"How far is the Russell 2000 below its all-time high? "
                          f"({window.label})", series_name("rut"))
    return Drawn(records, records.frame, finished(fig, ("rut",)))


def beta_section(loaded, window: DateWindow) -> Drawn:
    """Rolling β and correlation of small caps' relative return on the 2-year yield."""
    betas = sv.rate_beta_view(*series_of(loaded, sv.RATE_KEYS), window)
    if betas.empty:
        return Drawn(betas)
    fig = stacked_figure(
        [betas.frame[[sv.beta_column(w) for w in BETA_WINDOWS.values()]],
         betas.frame[[sv.corr_column(w) for w in BETA_WINDOWS.values()]]],
        f"How much do small caps move vs large caps per +{BETA_STEP_BP:.0f} bp in the 2-year yield? ({window.label})",
        (f"β, % per +{BETA_STEP_BP:.0f} bp", "Correlation"), units=("%", ""),
        names={**{sv.beta_column(w): f"β, {w}-day" for w in BETA_WINDOWS.values()},
               **{sv.corr_column(w): f"correlation, {w}-day" for w in BETA_WINDOWS.values()}},
        zero_lines=(True, True),
    )
    return Drawn(betas, betas.frame, finished(fig, sv.RATE_KEYS))


def scatter_section(loaded, beta_window: int, end) -> Drawn:
    """Daily 2-year yield changes vs small caps' relative return over the last ``beta_window`` days."""
    scatter = sv.rate_scatter_view(*series_of(loaded, sv.RATE_KEYS), beta_window, end)
    if scatter.empty:
        return Drawn(scatter)
    fig = scatter_fit_figure(
        scatter.frame, f"Daily moves: 2-year yield vs small caps' relative return (last {beta_window} trading days)",
        "Change in 2-year yield, bp", "Δ ln(Russell 2000 / S&P 500), %", "OLS fit",
    )
    return Drawn(scatter, scatter.frame, finished(fig, sv.RATE_KEYS))


def speculation_section(loaded, window: DateWindow, log: bool) -> Drawn:
    """IWM/IJR, ARKK/SPY and the high-yield spread, stacked."""
    speculation = sv.speculation_view(*series_of(loaded, sv.SPECULATION_KEYS), window)
    if speculation.empty:
        return Drawn(speculation)
    fig = stacked_figure(
        [speculation.frame[["iwm_ijr"]], speculation.frame[["arkk_spy"]], speculation.frame[["hy_spread_pct"]]],
        f"Are money-losing small caps leading, and does credit agree? ({window.label})",
        ("IWM / IJR, start = 100", "ARKK / SPY, start = 100", "HY spread, %"), units=("", "", "%"),
        names=sv.DERIVED_NAMES,
        log_top=log,
    )
    return Drawn(speculation, speculation.frame, finished(fig, sv.SPECULATION_KEYS))


def lab_section(_, rate: float, cut: int) -> Drawn:
    """The duration lab (a model: no data) for a discount rate and a cut."""
    lab = sv.duration_lab(rate, cut)
    fig = value_bars_figure(lab.frame["gain_pct"], f"Who gains more from a {cut} bp cut at {rate:.2f}%?",
                            "Change in present value, %", "%")
    return Drawn(lab, lab.frame, finished(fig))


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

# --- Relative strength and records ------------------------------------------------------------
st.header("Are small caps beating large caps?")
indices = load(sv.INDEX_KEYS)
if available(indices, sv.INDEX_KEYS):
    rs = section(relative_strength_section, indices, ctx.window, scale)
    st.markdown(rs.view.takeaway)
    if rs.fig is not None:
        chart_block(rs.fig, rs.frame, shown_through(indices, rs.view.end), sv.INDEX_KEYS, "russell-2000-vs-sp500-rs",
                    key="small-caps.rs")

if available(indices, ("rut",), "The distance from the Russell 2000's high"):
    records = section(records_section, indices, ctx.window)
    st.markdown(records.view.takeaway)
    if records.fig is not None:
        chart_block(records.fig, records.frame, shown_through(indices, records.view.end), ("rut",),
                    "russell-2000-distance-from-high", key="small-caps.records")

# --- Rate sensitivity -----------------------------------------------------------------------------
st.header("Do small caps move with the 2-year yield?")
rates = load(sv.RATE_KEYS)
if available(rates, sv.RATE_KEYS, "The rate sensitivity of small caps"):
    betas = section(beta_section, rates, ctx.window)
    st.markdown(betas.view.takeaway)
    if betas.fig is not None:
        chart_block(betas.fig, betas.frame, shown_through(rates, betas.view.end), sv.RATE_KEYS, "small-caps-rate-beta",
                    key="small-caps.beta")
    beta_window = int(choice_control("Scatter window, trading days", "beta_window", sv.BETA_WINDOW_CHOICES,
                                     sv.BETA_WINDOW_DEFAULT, notes))
    scatter = section(scatter_section, rates, beta_window, ctx.window.end)
    st.markdown(scatter.view.takeaway)
    if scatter.fig is not None:
        chart_block(scatter.fig, scatter.frame, shown_through(rates, scatter.view.end), sv.RATE_KEYS,
                    "small-caps-rate-scatter",
                    key="small-caps.scatter")

# --- Speculation gauge ------------------------------------------------------------------------
st.header("Is the small-cap bid speculative?")
speculation_data = load(sv.SPECULATION_KEYS)
if available(speculation_data, sv.SPECULATION_KEYS, "The speculation gauge"):
    speculation = section(speculation_section, speculation_data, ctx.window, scale.log)
    st.markdown(speculation.view.takeaway)
    if speculation.fig is not None:
        chart_block(speculation.fig, speculation.frame, shown_through(speculation_data, speculation.view.end),
                    sv.SPECULATION_KEYS,
                    "small-caps-speculation-gauge", key="small-caps.speculation")

# --- Duration lab ---------------------------------------------------------------------------------
st.header("Duration lab: who gains most from a cut?")
st.markdown(
    "Two stylised companies: one earns steady profits now, the other loses money for five "
    "years and earns large profits later. Lower the discount rate and compare."
)
left, right = st.columns(2)
with left:
    rate = slider_control("Discount rate, %", "rate", sv.RATE_DEFAULT, sv.RATE_MIN, sv.RATE_MAX, sv.RATE_STEP, notes)
with right:
    cut = int(choice_control("Cut size, bp", "cut", sv.CUT_CHOICES_BP, sv.CUT_CHOICES_BP[0], notes))
drawn = section(lab_section, None, rate, cut)
lab = drawn.view
st.markdown(lab.takeaway)
metric_row([
    {"label": f"{sv.NEAR_TERM_LABEL}, value change", "value": f"{lab.frame['gain_pct'].iloc[0]:+.2f}%"},
    {"label": f"{sv.FAR_FUTURE_LABEL}, value change", "value": f"{lab.frame['gain_pct'].iloc[1]:+.2f}%"},
    {"label": f"Gordon duration, g = {sv.GORDON_GROWTH_PCT:.0f}%", "value": f"{lab.duration_years:.1f} years",
     "help": f"D = 1/(r − g); ΔP/P ≈ D·Δr = {lab.gordon_gain_pct:+.2f}% for this cut"},
])
model_chart_block(drawn.fig, lab.frame, "duration-lab",
                  "Model, not market data: 30 years of stylised profits (analytics/rates.py), discounted yearly.",
                  ctx.as_of, key="small-caps.duration")

with notes_box:
    show_notes(notes)
