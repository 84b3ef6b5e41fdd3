"""Fed path (``/fed-path``): the policy band, what futures price, the curve, labour slack
and the Taylor rule."""

import streamlit as st

from analytics.labor import SAHM_TRIGGER, claims_4wk_avg, openings_per_unemployed, payroll_change_3m_avg, sahm_rule
from analytics.calendar import FOMC_MEETINGS
from analytics.rates import R_STAR_DEFAULT, U_STAR_DEFAULT, taylor_gap, taylor_rule
from analytics.transforms import yoy_pct
from components.charts import Drawn, finished, series_names
from components.charts.rates import (
    expected_path_figure,
    labour_figure,
    policy_band_figure,
    range_probabilities_figure,
    rates_line_figure,
    spreads_figure,
    threshold_figure,
)
from components.frame import page_frame
from components.loaders import load, load_market, section
from components.controls import DateWindow, number_control, show_notes, tabs_control
from components.panels import available, chart_block, lazy_expander, metric_row, static_table
from components.views import fed_path as fv
from components.views import market as mv
from components.views.common import last_reading, metric

R_STAR_RANGE = (-2.0, 5.0)  # percent
U_STAR_RANGE = (2.0, 10.0)  # percent
INPUT_STEP = 0.1
GAP_NEUTRAL = 0.0  # policy rate = rule

def band_section(loaded, window: DateWindow) -> Drawn:
    """The target band, EFFR and yields in the window with FOMC decisions marked (view: the
    takeaway; no figure when the window has no data)."""
    band = window.clip(loaded.frame(fv.BAND_CHART_KEYS))
    if band.dropna(how="all").empty:
        return Drawn(None)
    decisions = fv.fomc_decisions(loaded.series.get(mv.BAND_KEYS[1]), band.index.min(), band.index.max())
    fig = policy_band_figure(band, decisions, f"Where do EFFR and Treasury yields sit against the Fed's "
                             f"target range? ({window.label})", mv.BAND_KEYS)
    return Drawn(fv.band_takeaway(loaded), band, finished(fig, fv.BAND_CHART_KEYS))


def probabilities_section(loaded, as_of) -> Drawn:
    """The most likely target range after each meeting (view: the meeting table)."""
    market = section(mv.market_path, loaded, as_of)
    fig = range_probabilities_figure(market.path.probabilities, f"Which target range do futures price after each "
                                     f"meeting? (as of {market.futures_date:%Y-%m-%d})",
                                     mv.current_range_label(market.path))
    return Drawn(mv.meeting_table(market.path), market.path.probabilities, finished(fig, market.inputs))


def path_section(loaded, as_of) -> Drawn:
    """The expected policy path now against 1 week and 1 month earlier (view: the two takeaways)."""
    market = section(mv.market_path, loaded, as_of)
    paths = mv.expected_paths(market)
    fig = expected_path_figure(paths, "How has the expected policy path moved?",
                               (market.path.target_lower, market.path.target_upper))
    return Drawn((mv.path_takeaway(market), mv.moved_takeaway(paths)), paths, finished(fig, market.inputs))


def curve_section(loaded, window: DateWindow) -> tuple[bool, bool, list[str]]:
    """Whether the window has yields and spreads, and the curve's takeaways (spreads, then the
    latest yields)."""
    curve = window.clip(loaded.frame(fv.CURVE_KEYS))
    spreads = window.clip(loaded.frame(fv.SPREAD_KEYS))
    has_curve, has_spreads = not curve.dropna(how="all").empty, not spreads.dropna(how="all").empty
    words = []
    if has_spreads:
        words.append(fv.curve_takeaway(spreads, series_names(spreads.columns)))
    if has_curve:
        names = series_names(curve.columns)
        words.append(" · ".join(last_reading(curve[k], "%", names[k]) for k in curve.columns) + ".")
    return has_curve, has_spreads, words


def yields_section(loaded, window: DateWindow) -> Drawn:
    """3-month, 2-year and 10-year Treasury yields (percent) in the window."""
    curve = window.clip(loaded.frame(fv.CURVE_KEYS))
    fig = rates_line_figure(curve, f"Where are short and long Treasury yields? ({window.label})", "Percent",
                            hover_units="%")
    return Drawn(None, curve, finished(fig, fv.CURVE_KEYS))


def spreads_section(loaded, window: DateWindow) -> Drawn:
    """10y − 2y and 10y − 3m (percentage points), inversions shaded."""
    spreads = window.clip(loaded.frame(fv.SPREAD_KEYS))
    fig = spreads_figure(spreads, f"Is the curve inverted? (shaded below zero, {window.label})")
    return Drawn(None, spreads, finished(fig, fv.SPREAD_KEYS))


def sahm_section(loaded, window: DateWindow) -> Drawn:
    """Our Sahm indicator from UNRATE beside FRED's real-time one (view: the takeaway)."""
    sahm = window.clip(sahm_rule(loaded.series["unrate"]).to_frame().join(loaded.frame(["sahm_realtime"]),
                                                                           how="outer"))
    fig = threshold_figure(sahm, f"Does the Sahm rule signal a recession? ({window.label})",
                           "Percentage points", " pp", SAHM_TRIGGER, f"trigger {SAHM_TRIGGER:.2f} pp", fv.DERIVED_NAMES)
    takeaway = fv.sahm_takeaway(sahm["sahm_rule"], sahm.get("sahm_realtime"), SAHM_TRIGGER)
    return Drawn(takeaway, sahm, finished(fig, ("unrate", "sahm_realtime")))


LABOUR_TRANSFORMS = {"unrate": lambda s: s, "payrolls": payroll_change_3m_avg, "claims": claims_4wk_avg}


def labour_section(loaded, key: str, window: DateWindow, title: str, y_title: str, units: str) -> Drawn:
    """One labour series (catalogue row ``key``, transformed by ``LABOUR_TRANSFORMS``) in the window."""
    frame = window.clip(LABOUR_TRANSFORMS[key](loaded.series[key]).to_frame())
    fig = labour_figure(frame, f"{title} ({window.label})", y_title, units, fv.DERIVED_NAMES)
    return Drawn(None, frame, finished(fig, (key,)))


def labour_summary_section(loaded, window: DateWindow) -> str:
    """The labour takeaway: unemployment, the 3-month average payroll change, 4-week claims."""
    series = loaded.series
    return fv.labour_summary(series.get("unrate"),
                             payroll_change_3m_avg(series["payrolls"]) if "payrolls" in series else None,
                             claims_4wk_avg(series["claims"]) if "claims" in series else None, window)


def openings_section(loaded, window: DateWindow) -> Drawn:
    """JOLTS openings per unemployed person (view: the last reading)."""
    frame = window.clip(openings_per_unemployed(loaded.series["job_openings"], loaded.series["unemployed"]).to_frame())
    fig = labour_figure(frame, f"Are there more openings than unemployed people? ({window.label})",
                        "Openings per unemployed person", "", fv.DERIVED_NAMES)
    reading = last_reading(frame["openings_per_unemployed"], "", "Openings per unemployed") + "."
    return Drawn(reading, frame, finished(fig, fv.OPENINGS_KEYS))


def taylor_section(loaded, policy_key: str, r_star: float, u_star: float):
    """Core PCE YoY, the Taylor rule and the policy rate's gap to it, with the takeaway."""
    core_pce_yoy = yoy_pct(loaded.series["core_pce"]).rename("core_pce_yoy")
    rule = taylor_rule(core_pce_yoy, loaded.series.get("unrate"), r_star, u_star)
    gap = taylor_gap(loaded.series[policy_key], rule)
    return core_pce_yoy, rule, gap, fv.taylor_takeaway(gap, rule, r_star, u_star)


def taylor_rule_section(loaded, policy_key: str, r_star: float, u_star: float, window: DateWindow) -> Drawn:
    """The policy rate, the rule and its inflation input (percent) in the window."""
    core_pce_yoy, rule, _, _ = section(taylor_section, loaded, policy_key, r_star, u_star)
    frame = window.clip(loaded.frame([policy_key]).join([rule, core_pce_yoy], how="outer"))
    fig = rates_line_figure(frame, f"Where is the policy rate relative to the Taylor rule? ({window.label})",
                            "Percent", hover_units="%", names=fv.DERIVED_NAMES)
    return Drawn(None, frame, finished(fig, (policy_key, *fv.TAYLOR_INPUTS)))


def taylor_gap_section(loaded, policy_key: str, r_star: float, u_star: float, window: DateWindow) -> Drawn:
    """Policy rate − rule (percentage points); above 0 = tighter than the rule."""
    gap = section(taylor_section, loaded, policy_key, r_star, u_star)[2]
    frame = window.clip(gap.to_frame())
    fig = threshold_figure(frame, f"Is policy tighter (above 0) or looser than the rule? ({window.label})",
                           "Percentage points", " pp", GAP_NEUTRAL, "policy = rule", fv.DERIVED_NAMES)
    return Drawn(None, frame, finished(fig, (policy_key, *fv.TAYLOR_INPUTS)))


ctx = page_frame("Fed path: what is priced, and is policy tight?")
st.markdown(
    "The rally story needs the Fed to keep cutting. This page shows where the policy rate is, "
    "what fed funds futures price for each coming meeting, what the yield curve and the labour "
    "market say, and how the policy rate compares with a simple Taylor rule."
)
headline = st.container()

result = load((*fv.BAND_CHART_KEYS, *fv.CURVE_KEYS, *fv.SPREAD_KEYS, *fv.LABOUR_KEYS, *fv.TAYLOR_KEYS))
market_result, market = load_market(ctx.as_of)

# --- Policy band --------------------------------------------------------------------------
st.subheader("Policy rate and Treasury yields")
band = section(band_section, result, ctx.window)
if band.fig is None:
    st.info("The policy band and yields have no data in this window; widen the date range.")
else:
    available(result, fv.BAND_CHART_KEYS, "Part of this chart")
    st.markdown(band.view)
    chart_block(band.fig, band.frame, result, fv.BAND_CHART_KEYS, "policy-band-and-yields", key="fed.band")
    st.caption(f"FOMC decisions are marked from {FOMC_MEETINGS[0]:%B %Y}, where the meeting calendar starts; "
               "hold, cut or hike is read from the change in the upper bound the day after the statement.")

# --- Market-implied path ------------------------------------------------------------------
def probabilities_tab() -> None:
    """The most likely target range after each meeting (stacked probabilities) and the table."""
    stamp = f"{market.futures_date:%Y-%m-%d}"
    drawn = section(probabilities_section, market_result, ctx.as_of)
    chart_block(drawn.fig, drawn.frame, market_result, market.inputs, "target-range-probabilities",
                key="fed.probabilities")
    lazy_expander("Meeting by meeting: probabilities and the expected rate", "meetings",
                  lambda: meeting_table(drawn.view, stamp), bind=True)


def meeting_table(table, stamp: str) -> None:
    """P(cut/hold/hike), expected rate and the most likely range after each meeting."""
    static_table(table, {**{c: "{:.1%}" for c in ("P(cut)", "P(hold)", "P(hike)", "Its probability")},
                         "Expected rate (%)": "{:.3f}", "Change vs now (bp)": "{:+.1f}"})
    st.caption(
        f"Method: {market.path.method}, futures settlements as of {stamp}. P(cut/hold/hike) is the "
        "move at that meeting alone; the most likely range chains all meetings up to it, like the bars."
    )


def path_tab(drawn: Drawn) -> None:
    """The expected policy rate path now against 1 week and 1 month earlier."""
    for note in market.notes:
        st.info(note, icon=":material/history:")
    chart_block(drawn.fig, drawn.frame, market_result, market.inputs, "expected-policy-path", key="fed.path")


st.subheader("What futures price, meeting by meeting")
if market.path.empty:
    available(market_result, (*mv.contract_months(ctx.as_of), *mv.BAND_KEYS), "The meeting-by-meeting path")
    st.info(
        "No meeting-by-meeting path: the FedWatch method needs the fed funds futures strip and "
        f"today's target range. Cuts priced above use the fallback: {market.cuts.method}."
    )
else:
    available(market_result, market.inputs, "Part of the futures path")
    path = section(path_section, market_result, ctx.as_of)
    for words in path.view:
        st.markdown(words)
    tabs_control("futures", {"Probabilities": probabilities_tab, "Path": lambda: path_tab(path)})

# --- Curve --------------------------------------------------------------------------------
def yields_tab() -> None:
    """3-month, 2-year and 10-year Treasury yields (percent) in the window."""
    if not has_curve:
        st.info("No Treasury yields in this window; the spreads tab may still have data.")
        return
    available(result, fv.CURVE_KEYS, "Part of this chart")
    drawn = section(yields_section, result, ctx.window)
    chart_block(drawn.fig, drawn.frame, result, fv.CURVE_KEYS, "treasury-yields", key="fed.curve")


def spreads_tab() -> None:
    """10y − 2y and 10y − 3m (percentage points), inversions shaded."""
    if not has_spreads:
        st.info("No curve spreads in this window; the yields tab may still have data.")
        return
    available(result, fv.SPREAD_KEYS, "Part of this chart")
    drawn = section(spreads_section, result, ctx.window)
    chart_block(drawn.fig, drawn.frame, result, fv.SPREAD_KEYS, "curve-spreads", key="fed.spreads")


st.subheader("Yield curve")
has_curve, has_spreads, curve_words = section(curve_section, result, ctx.window)
for words in curve_words:
    st.markdown(words)
tabs_control("curve", {"Spreads": spreads_tab, "Yields": yields_tab})

# --- Labour -------------------------------------------------------------------------------
def sahm_tab() -> None:
    """Our Sahm indicator from UNRATE beside FRED's real-time one, with the 0.5 pp trigger."""
    if not available(result, ("unrate",), "The Sahm rule"):
        return
    available(result, ("sahm_realtime",), "FRED's own Sahm reading")
    drawn = section(sahm_section, result, ctx.window)
    st.markdown(drawn.view)
    chart_block(drawn.fig, drawn.frame, result, ("unrate", "sahm_realtime"), "sahm-rule", key="fed.sahm")


def labour_tab(key: str, title: str, y_title: str, units: str, csv_name: str) -> None:
    """One labour series (catalogue row ``key``, see ``LABOUR_TRANSFORMS``) in the window, or a
    note that its data is missing."""
    if not available(result, (key,)):
        return
    drawn = section(labour_section, result, key, ctx.window, title, y_title, units)
    chart_block(drawn.fig, drawn.frame, result, (key,), csv_name, key=f"fed.{csv_name}")


def openings_tab() -> None:
    """JOLTS openings per unemployed person (JTSJOL / UNEMPLOY), if both load."""
    openings = load(fv.OPENINGS_KEYS)
    if not available(openings, fv.OPENINGS_KEYS, "Openings per unemployed"):
        return
    drawn = section(openings_section, openings, ctx.window)
    st.markdown(drawn.view)
    chart_block(drawn.fig, drawn.frame, openings, fv.OPENINGS_KEYS, "openings-per-unemployed", key="fed.openings")


st.subheader("Labour market")
st.markdown(section(labour_summary_section, result, ctx.window))
tabs_control("labour", {
    "Sahm rule": sahm_tab,
    "Unemployment": lambda: labour_tab("unrate", "Is unemployment rising?", "Percent", "%", "unemployment-rate"),
    "Payrolls": lambda: labour_tab("payrolls", "Is hiring slowing?", "Thousands of jobs per month", "k",
                                   "payrolls-3m-average"),
    "Claims": lambda: labour_tab("claims", "Are layoffs picking up?", "Persons per week", "", "initial-claims-4wk"),
    "Openings": openings_tab,
})

# --- Taylor rule --------------------------------------------------------------------------

def taylor_tab(build, csv_name: str) -> None:
    """One Taylor-rule chart (``build``: a section of the rule's inputs and the window)."""
    drawn = section(build, result, policy_key, r_star, u_star, ctx.window)
    chart_block(drawn.fig, drawn.frame, result, (policy_key, *fv.TAYLOR_INPUTS), csv_name, key=f"fed.{csv_name}")


st.subheader("Taylor rule")
notes: list[str] = []
left, right = st.columns(2)
with left:
    r_star = number_control("r*, neutral real rate (%)", "rstar", R_STAR_DEFAULT, *R_STAR_RANGE, INPUT_STEP, notes,
                            help=f"Default {R_STAR_DEFAULT:.1f}%, about the FOMC's longer-run median less 2%.")
with right:
    u_star = number_control("u*, natural unemployment rate (%)", "ustar", U_STAR_DEFAULT, *U_STAR_RANGE,
                            INPUT_STEP, notes, help=f"Default {U_STAR_DEFAULT:.1f}%.")
show_notes(notes)
st.caption(f"Defaults: r* = {R_STAR_DEFAULT:.1f}%, u* = {U_STAR_DEFAULT:.1f}%. Rule: i = r* + π + 0.5(π − 2) "
           "+ 0.5·2(u* − u), π = core PCE YoY, u = unemployment rate.")
policy_key = mv.policy_rate_key(result)
if not available(result, (*fv.TAYLOR_INPUTS, policy_key), "The Taylor rule"):
    gap = rule = core_pce_yoy = None
else:
    core_pce_yoy, rule, gap, takeaway = section(taylor_section, result, policy_key, r_star, u_star)
    st.markdown(takeaway)
    tabs_control("taylor", {"Rule": lambda: taylor_tab(taylor_rule_section, "taylor"),
                            "Gap": lambda: taylor_tab(taylor_gap_section, "taylor-gap")})

# --- Headline (filled last: it needs the readings computed above) ------------------------
with headline:
    cuts = market.cuts
    metric_row([
        {"label": "Cuts priced, next 12 months", "value": f"{cuts.cuts:+.1f}", "help": f"Method: {cuts.method}. "
         "Number of 25 bp cuts; negative means hikes are priced."},
        fv.band_metric(result),
        metric("EFFR", result.series.get("effr")),
        metric("2-year yield", result.series.get("t_2y")),
        metric("Core PCE, YoY", core_pce_yoy),
        metric("Taylor gap", gap, " pp", "+.2f"),
    ])
    st.markdown(f"**{mv.cuts_sentence(cuts)}**")
