"""Fed path (``/fed-path``): the policy band, what futures price, the curve, labour slack
and the Taylor rule."""

import streamlit as st

from analytics.labor import SAHM_TRIGGER, claims_4wk_avg, openings_per_unemployed, payroll_change_3m_avg, sahm_rule
from analytics.calendar import FOMC_MEETINGS
from analytics.rates import R_STAR_DEFAULT, U_STAR_DEFAULT, taylor_gap, taylor_rule
from analytics.transforms import yoy_pct
from components.charts import series_names
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
from components.loaders import load, load_market
from components.controls import number_control, tabs_control
from components.panels import available, chart_block, metric_row
from components.views import fed_path as fv
from components.views import market as mv
from components.views.common import last_reading, metric

R_STAR_RANGE = (-2.0, 5.0)  # percent
U_STAR_RANGE = (2.0, 10.0)  # percent
INPUT_STEP = 0.1
GAP_NEUTRAL = 0.0  # policy rate = rule

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
band = ctx.window.clip(result.frame(fv.BAND_CHART_KEYS))
if band.dropna(how="all").empty:
    st.info("The policy band and yields have no data in this window; widen the date range.")
else:
    available(result, fv.BAND_CHART_KEYS, "Part of this chart")
    st.markdown(fv.band_takeaway(result))
    decisions = fv.fomc_decisions(result.series.get(mv.BAND_KEYS[1]), band.index.min(), band.index.max())
    fig = policy_band_figure(band, decisions, f"Where do EFFR and Treasury yields sit against the Fed's "
                             f"target range? ({ctx.window.label})", mv.BAND_KEYS)
    chart_block(fig, band, result, fv.BAND_CHART_KEYS, "policy-band-and-yields", key="fed.band")
    st.caption(f"FOMC decisions are marked from {FOMC_MEETINGS[0]:%B %Y}, where the meeting calendar starts; "
               "hold, cut or hike is read from the change in the upper bound the day after the statement.")

# --- Market-implied path ------------------------------------------------------------------
def probabilities_tab() -> None:
    """The most likely target range after each meeting (stacked probabilities) and the table."""
    stamp = f"{market.futures_date:%Y-%m-%d}"
    probabilities = market.path.probabilities
    fig = range_probabilities_figure(probabilities, f"Which target range do futures price after each meeting? "
                                     f"(as of {stamp})", mv.current_range_label(market.path))
    chart_block(fig, probabilities, market_result, market.inputs, "target-range-probabilities",
                key="fed.probabilities")
    st.dataframe(
        mv.meeting_table(market.path), hide_index=True, width="stretch", height="content",
        column_config={
            **{c: st.column_config.NumberColumn(c, format="percent") for c in
               ("P(cut)", "P(hold)", "P(hike)", "Its probability")},
            "Expected rate (%)": st.column_config.NumberColumn(format="%.3f"),
            "Change vs now (bp)": st.column_config.NumberColumn(format="%+.1f"),
        },
    )
    st.caption(
        f"Method: {market.path.method}, futures settlements as of {stamp}. P(cut/hold/hike) is the "
        "move at that meeting alone; the most likely range chains all meetings up to it, like the bars."
    )


def path_tab(paths) -> None:
    """The expected policy rate path now against 1 week and 1 month earlier."""
    for note in market.notes:
        st.info(note, icon=":material/history:")
    fig = expected_path_figure(paths, "How has the expected policy path moved?",
                               (market.path.target_lower, market.path.target_upper))
    chart_block(fig, paths, market_result, market.inputs, "expected-policy-path", key="fed.path")


st.subheader("What futures price, meeting by meeting")
if market.path.empty:
    available(market_result, (*mv.contract_months(ctx.as_of), *mv.BAND_KEYS), "The meeting-by-meeting path")
    st.info(
        "No meeting-by-meeting path: the FedWatch method needs the fed funds futures strip and "
        f"today's target range. Cuts priced above use the fallback: {market.cuts.method}."
    )
else:
    available(market_result, market.inputs, "Part of the futures path")
    paths = mv.expected_paths(market)
    st.markdown(mv.path_takeaway(market))
    st.markdown(mv.moved_takeaway(paths))
    tabs_control("futures", {"Probabilities": probabilities_tab, "Path": lambda: path_tab(paths)})

# --- Curve --------------------------------------------------------------------------------
def yields_tab() -> None:
    """3-month, 2-year and 10-year Treasury yields (percent) in the window."""
    if curve.dropna(how="all").empty:
        st.info("No Treasury yields in this window; the spreads tab may still have data.")
        return
    available(result, fv.CURVE_KEYS, "Part of this chart")
    fig = rates_line_figure(curve, f"Where are short and long Treasury yields? ({ctx.window.label})", "Percent",
                            hover_units="%")
    chart_block(fig, curve, result, fv.CURVE_KEYS, "treasury-yields", key="fed.curve")


def spreads_tab() -> None:
    """10y − 2y and 10y − 3m (percentage points), inversions shaded."""
    if spreads.dropna(how="all").empty:
        st.info("No curve spreads in this window; the yields tab may still have data.")
        return
    available(result, fv.SPREAD_KEYS, "Part of this chart")
    fig = spreads_figure(spreads, f"Is the curve inverted? (shaded below zero, {ctx.window.label})")
    chart_block(fig, spreads, result, fv.SPREAD_KEYS, "curve-spreads", key="fed.spreads")


st.subheader("Yield curve")
curve = ctx.window.clip(result.frame(fv.CURVE_KEYS))
spreads = ctx.window.clip(result.frame(fv.SPREAD_KEYS))
if not spreads.dropna(how="all").empty:
    st.markdown(fv.curve_takeaway(spreads, series_names(spreads.columns)))
if not curve.dropna(how="all").empty:
    curve_names = series_names(curve.columns)
    st.markdown(" · ".join(last_reading(curve[k], "%", curve_names[k]) for k in curve.columns) + ".")
tabs_control("curve", {"Spreads": spreads_tab, "Yields": yields_tab})

# --- Labour -------------------------------------------------------------------------------
def sahm_tab(unrate) -> None:
    """Our Sahm indicator from UNRATE beside FRED's real-time one, with the 0.5 pp trigger."""
    if not available(result, ("unrate",), "The Sahm rule"):
        return
    available(result, ("sahm_realtime",), "FRED's own Sahm reading")
    sahm = ctx.window.clip(sahm_rule(unrate).to_frame().join(result.frame(["sahm_realtime"]), how="outer"))
    st.markdown(fv.sahm_takeaway(sahm["sahm_rule"], sahm.get("sahm_realtime"), SAHM_TRIGGER))
    fig = threshold_figure(sahm, f"Does the Sahm rule signal a recession? ({ctx.window.label})",
                           "Percentage points", " pp", SAHM_TRIGGER, f"trigger {SAHM_TRIGGER:.2f} pp", fv.DERIVED_NAMES)
    chart_block(fig, sahm, result, ("unrate", "sahm_realtime"), "sahm-rule", key="fed.sahm")


def labour_tab(series, key: str, title: str, y_title: str, units: str, csv_name: str) -> None:
    """One labour series (already transformed from catalogue row ``key``) in the window, or a
    note that its data is missing."""
    if series is None:
        available(result, (key,))
        return
    frame = ctx.window.clip(series.to_frame())
    fig = labour_figure(frame, f"{title} ({ctx.window.label})", y_title, units, fv.DERIVED_NAMES)
    chart_block(fig, frame, result, (key,), csv_name, key=f"fed.{csv_name}")


def openings_tab() -> None:
    """JOLTS openings per unemployed person (JTSJOL / UNEMPLOY), if both load."""
    openings = load(fv.OPENINGS_KEYS)
    if not available(openings, fv.OPENINGS_KEYS, "Openings per unemployed"):
        return
    frame = ctx.window.clip(openings_per_unemployed(openings.series["job_openings"],
                                                    openings.series["unemployed"]).to_frame())
    st.markdown(last_reading(frame["openings_per_unemployed"], "", "Openings per unemployed") + ".")
    fig = labour_figure(frame, f"Are there more openings than unemployed people? ({ctx.window.label})",
                        "Openings per unemployed person", "", fv.DERIVED_NAMES)
    chart_block(fig, frame, openings, fv.OPENINGS_KEYS, "openings-per-unemployed", key="fed.openings")


st.subheader("Labour market")
unrate = result.series.get("unrate")
payroll_avg = payroll_change_3m_avg(result.series["payrolls"]) if "payrolls" in result.series else None
claims_avg = claims_4wk_avg(result.series["claims"]) if "claims" in result.series else None
st.markdown(fv.labour_summary(unrate, payroll_avg, claims_avg, ctx.window))
tabs_control("labour", {
    "Sahm rule": lambda: sahm_tab(unrate),
    "Unemployment": lambda: labour_tab(unrate, "unrate", "Is unemployment rising?", "Percent", "%",
                                       "unemployment-rate"),
    "Payrolls": lambda: labour_tab(payroll_avg, "payrolls", "Is hiring slowing?", "Thousands of jobs per month",
                                   "k", "payrolls-3m-average"),
    "Claims": lambda: labour_tab(claims_avg, "claims", "Are layoffs picking up?", "Persons per week", "",
                                 "initial-claims-4wk"),
    "Openings": openings_tab,
})

# --- Taylor rule --------------------------------------------------------------------------

def taylor_rule_tab(policy_key: str, rule, core_pce_yoy) -> None:
    """The policy rate, the rule and its inflation input (percent) in the window."""
    frame = ctx.window.clip(result.frame([policy_key]).join([rule, core_pce_yoy], how="outer"))
    fig = rates_line_figure(frame, f"Where is the policy rate relative to the Taylor rule? ({ctx.window.label})",
                            "Percent", hover_units="%", names=fv.DERIVED_NAMES)
    chart_block(fig, frame, result, (policy_key, *fv.TAYLOR_INPUTS), "taylor-rule", key="fed.taylor")


def taylor_gap_tab(policy_key: str, gap) -> None:
    """Policy rate − rule (percentage points); above 0 = tighter than the rule."""
    frame = ctx.window.clip(gap.to_frame())
    fig = threshold_figure(frame, f"Is policy tighter (above 0) or looser than the rule? ({ctx.window.label})",
                           "Percentage points", " pp", GAP_NEUTRAL, "policy = rule", fv.DERIVED_NAMES)
    chart_block(fig, frame, result, (policy_key, *fv.TAYLOR_INPUTS), "taylor-gap", key="fed.taylor-gap")


st.subheader("Taylor rule")
notes: list[str] = []
left, right = st.columns(2)
with left:
    r_star = number_control("r*, neutral real rate (%)", "rstar", R_STAR_DEFAULT, *R_STAR_RANGE, INPUT_STEP, notes,
                            help=f"Default {R_STAR_DEFAULT:.1f}%, about the FOMC's longer-run median less 2%.")
with right:
    u_star = number_control("u*, natural unemployment rate (%)", "ustar", U_STAR_DEFAULT, *U_STAR_RANGE,
                            INPUT_STEP, notes, help=f"Default {U_STAR_DEFAULT:.1f}%.")
for note in notes:
    st.info(note, icon=":material/info:")
st.caption(f"Defaults: r* = {R_STAR_DEFAULT:.1f}%, u* = {U_STAR_DEFAULT:.1f}%. Rule: i = r* + π + 0.5(π − 2) "
           "+ 0.5·2(u* − u), π = core PCE YoY, u = unemployment rate.")
policy_key = mv.policy_rate_key(result)
if not available(result, (*fv.TAYLOR_INPUTS, policy_key), "The Taylor rule"):
    gap = rule = core_pce_yoy = None
else:
    core_pce_yoy = yoy_pct(result.series["core_pce"]).rename("core_pce_yoy")
    rule = taylor_rule(core_pce_yoy, unrate, r_star, u_star)
    gap = taylor_gap(result.series[policy_key], rule)
    st.markdown(fv.taylor_takeaway(gap, rule, r_star, u_star))
    tabs_control("taylor", {"Rule": lambda: taylor_rule_tab(policy_key, rule, core_pce_yoy),
                            "Gap": lambda: taylor_gap_tab(policy_key, gap)})

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
