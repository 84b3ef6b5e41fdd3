"""Inflation tension (``/inflation``): is inflation back to 2%, what markets expect, how
restrictive policy is after inflation, and whether policy risks a mistake either way."""

import streamlit as st

from analytics.inflation import (
    INFLATION_TARGET,
    PolicyFlagThresholds,
    forward_5y5y,
    policy_flags,
    real_policy_rate,
)
from analytics.labor import sahm_rule
from analytics.rates import R_STAR_DEFAULT
from analytics.transforms import annualised_pct, yoy_pct
from components import rates_view as rv
from components.charts.rates import threshold_figure
from components.controls import note_if_invalid, parse_choice, raw_param
from components.frame import page_frame
from components.loaders import load
from components.controls import choices_valid, number_control
from components.panels import chart_block, metric_row

# Button text (also the URL value of ``measure``) -> catalogue key.
MEASURES = {"CPI": "cpi", "Core CPI": "core_cpi", "PCE": "pce", "Core PCE": "core_pce"}
DEFAULT_MEASURES = tuple(MEASURES)
DEFAULT_TRANSFORM = "YoY"
FLAG_MONTHS = rv.SHORT_MONTHS  # the flags read 3-month annualised core PCE
R_STAR_RANGE = (-2.0, 5.0)  # percent
MARGIN_RANGE = (0.0, 5.0)  # percentage points
INFLATION_RANGE = (0.0, 10.0)  # percent
INPUT_STEP = 0.1
BREAKEVEN_KEYS = ("breakeven_5y", "breakeven_10y")
REAL_RATE_KEYS = ("effr", "core_pce")
FLAG_KEYS = ("effr", "core_pce", "unrate", *BREAKEVEN_KEYS)
NAMES = {
    "cpi": "CPI", "core_cpi": "Core CPI", "pce": "PCE", "core_pce": "Core PCE",
    "breakeven_5y": "5-year breakeven", "breakeven_10y": "10-year breakeven", "forward_5y5y": "5y5y forward",
    "effr": "Effective fed funds rate", "core_pce_yoy": "Core PCE inflation, YoY",
    "real_policy_rate": "Real policy rate (EFFR − core PCE YoY)",
}
DEFAULTS = PolicyFlagThresholds()

ctx = page_frame("Inflation tension: can the Fed cut with inflation above 2%?")
st.markdown(
    "The rally rests on inflation not re-accelerating. This page checks the price indices against "
    "the Fed's 2% target, what bond markets expect, how tight policy is after inflation, and whether "
    "either policy-mistake flag is up."
)
headline = st.container()

result = load((*MEASURES.values(), *BREAKEVEN_KEYS, "effr", "unrate"))
market_result = load(rv.market_path_keys(ctx.as_of))
market = rv.market_path(market_result, ctx.as_of)

# --- Price indices ------------------------------------------------------------------------
st.subheader("Inflation against the 2% target")
notes: list[str] = []
note_if_invalid("measure", choices_valid("measure", tuple(MEASURES)), notes)
note_if_invalid("transform", parse_choice(raw_param("transform"), tuple(rv.TRANSFORMS)) is not None, notes)
left, right = st.columns(2)
with left:
    measures = st.pills("Measures", tuple(MEASURES), selection_mode="multi", default=DEFAULT_MEASURES,
                        key="measure", bind="query-params")
with right:
    transform = st.segmented_control("Transform: year over year or k-month annualised", tuple(rv.TRANSFORMS),
                                     default=DEFAULT_TRANSFORM, key="transform",
                                     bind="query-params") or DEFAULT_TRANSFORM
for note in notes:
    st.info(note, icon=":material/info:")
chosen = [MEASURES[m] for m in measures if MEASURES[m] in result.series]
if not chosen:
    st.info("Pick at least one measure with data to see the inflation chart; the panels below still work.")
else:
    label = rv.TRANSFORMS[transform][0]
    rates = ctx.window.clip(rv.inflation_rates(result.frame(chosen), transform))
    st.markdown(rv.inflation_takeaway(rates, NAMES, label))
    fig = threshold_figure(rates, f"Is inflation back to 2%? ({label}, {ctx.window.label})",
                           f"Percent, {label}", "%", NAMES, INFLATION_TARGET, f"{INFLATION_TARGET:.0f}% target")
    chart_block(fig, rates, result, chosen, f"inflation-{label}", key="inflation.rates")

# --- Market expectations and the real policy rate -----------------------------------------
core_pce = result.series.get("core_pce")
core_pce_yoy = yoy_pct(core_pce).rename("core_pce_yoy") if core_pce is not None else None
breakevens = result.frame(BREAKEVEN_KEYS)
fwd = (forward_5y5y(breakevens["breakeven_5y"], breakevens["breakeven_10y"])
       if set(BREAKEVEN_KEYS) <= set(breakevens.columns) else None)
real_rate = (real_policy_rate(result.series["effr"], core_pce_yoy)
             if core_pce_yoy is not None and "effr" in result.series else None)

left, right = st.columns(2)
with left:
    st.subheader("Market inflation expectations")
    if fwd is None:
        st.info("The 5y5y forward needs both the 5- and 10-year breakevens; at least one is missing.")
    else:
        frame = ctx.window.clip(breakevens.join(fwd, how="outer"))
        st.markdown(" · ".join(rv.last_reading(frame[k], "%", NAMES[k]) for k in frame.columns) + ".")
        fig = threshold_figure(frame, f"Do markets expect inflation above 2%? ({ctx.window.label})", "Percent",
                               "%", NAMES, INFLATION_TARGET, f"{INFLATION_TARGET:.0f}% target")
        chart_block(fig, frame, result, BREAKEVEN_KEYS, "breakevens-5y5y", key="inflation.breakevens")
with right:
    st.subheader("Real policy rate")
    if real_rate is None:
        st.info("The real policy rate needs EFFR and core PCE; at least one is missing.")
    else:
        frame = ctx.window.clip(result.frame(["effr"]).join([core_pce_yoy, real_rate], how="outer"))
        st.markdown(rv.real_rate_takeaway(real_rate, R_STAR_DEFAULT))
        fig = threshold_figure(frame, f"Is policy restrictive after inflation? ({ctx.window.label})", "Percent",
                               "%", NAMES, R_STAR_DEFAULT, f"r* default {R_STAR_DEFAULT:.1f}%")
        chart_block(fig, frame, result, REAL_RATE_KEYS, "real-policy-rate", key="inflation.real-rate")

# --- Policy-mistake flags -----------------------------------------------------------------
st.subheader("Policy-mistake flags")
st.caption(
    "Too tight: real policy rate > r* + margin AND the Sahm indicator rising AND 3-month annualised core PCE "
    "below a level. Too loose: (5y5y above a level OR 3-month annualised core PCE above a level) AND cuts "
    f"priced. Cuts priced come from the Fed path page's implied path ({market.cuts.method})."
)
notes = []
THRESHOLD_INPUTS = 5  # r* and the four thresholds below
columns = st.columns(THRESHOLD_INPUTS)
with columns[0]:
    r_star = number_control("r* (%)", "rstar", R_STAR_DEFAULT, *R_STAR_RANGE, INPUT_STEP, notes)
with columns[1]:
    tight_margin = number_control("Tight: margin over r* (pp)", "tight_margin",
                                  DEFAULTS.tight_real_rate_above_r_star, *MARGIN_RANGE, INPUT_STEP, notes)
with columns[2]:
    tight_pce = number_control("Tight: core PCE 3m below (%)", "tight_pce", DEFAULTS.tight_core_pce_3m_below,
                               *INFLATION_RANGE, INPUT_STEP, notes)
with columns[3]:
    loose_5y5y = number_control("Loose: 5y5y above (%)", "loose_5y5y", DEFAULTS.loose_5y5y_above,
                                *INFLATION_RANGE, INPUT_STEP, notes)
with columns[4]:
    loose_pce = number_control("Loose: core PCE 3m above (%)", "loose_pce", DEFAULTS.loose_core_pce_3m_above,
                               *INFLATION_RANGE, INPUT_STEP, notes)
for note in notes:
    st.info(note, icon=":material/info:")
thresholds = PolicyFlagThresholds(
    tight_real_rate_above_r_star=tight_margin, tight_core_pce_3m_below=tight_pce,
    loose_5y5y_above=loose_5y5y, loose_core_pce_3m_above=loose_pce,
)
unrate = result.series.get("unrate")
if core_pce is None or unrate is None:
    st.info("The flags need core PCE and the unemployment rate; at least one is missing. The charts above "
            "still work.")
else:
    sahm = sahm_rule(unrate)
    flags = policy_flags(
        rv.latest(real_rate), r_star, sahm, rv.latest(annualised_pct(core_pce, FLAG_MONTHS)),
        rv.latest(fwd), market.cuts.cuts, thresholds,
    )
    alert = st.warning if flags.too_tight or flags.too_loose else st.success
    alert(f"**Too tight: {'yes' if flags.too_tight else 'no'} · Too loose: {'yes' if flags.too_loose else 'no'}.** "
          f"{flags.reading}")
    st.dataframe(
        rv.flag_table(flags, sahm), hide_index=True, width="stretch",
        column_config={"Reading": st.column_config.NumberColumn(format="%.2f"),
                       "Threshold": st.column_config.NumberColumn(format="%.2f")},
    )

# --- Headline (filled last: it needs the readings computed above) ------------------------
with headline:
    metric_row([
        rv.metric("Core PCE, YoY", core_pce_yoy),
        rv.metric("CPI, YoY", yoy_pct(result.series["cpi"]) if "cpi" in result.series else None),
        rv.metric("5y5y forward", fwd),
        rv.metric("Real policy rate", real_rate),
        {"label": "Cuts priced, next 12 months", "value": f"{market.cuts.cuts:+.1f}",
         "help": f"Method: {market.cuts.method}. Negative means hikes are priced."},
    ])
    st.markdown(f"**{rv.cuts_sentence(market.cuts)}**")
