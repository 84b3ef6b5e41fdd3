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
from components.charts import series_names
from components.charts.rates import threshold_figure
from components.controls import choices_valid, note_if_invalid, number_control, parse_choice, raw_param
from components.frame import page_frame
from components.loaders import load, load_market
from components.panels import available, chart_block, metric_row
from components.views import inflation as iv
from components.views import market as mv
from components.views.common import last_reading, latest, metric

# Button text (also the URL value of ``measure``) -> catalogue key.
MEASURES = dict(zip(("CPI", "Core CPI", "PCE", "Core PCE"), iv.MEASURE_KEYS))
DEFAULT_MEASURES = tuple(MEASURES)
DEFAULT_TRANSFORM = "YoY"
R_STAR_RANGE = (-2.0, 5.0)  # percent
MARGIN_RANGE = (0.0, 5.0)  # percentage points
INFLATION_RANGE = (0.0, 10.0)  # percent
INPUT_STEP = 0.1
DEFAULTS = PolicyFlagThresholds()

ctx = page_frame("Inflation tension: can the Fed cut with inflation above 2%?")
st.markdown(
    "The rally rests on inflation not re-accelerating. This page checks the price indices against "
    "the Fed's 2% target, what bond markets expect, how tight policy is after inflation, and whether "
    "either policy-mistake flag is up."
)
headline = st.container()

result = load((*MEASURES.values(), *iv.BREAKEVEN_KEYS, "effr", "unrate"))
market_result, market = load_market(ctx.as_of)

# --- Price indices ------------------------------------------------------------------------
st.subheader("Inflation against the 2% target")
notes: list[str] = []
note_if_invalid("measure", choices_valid("measure", tuple(MEASURES)), notes)
note_if_invalid("transform", parse_choice(raw_param("transform"), tuple(iv.TRANSFORMS)) is not None, notes)
left, right = st.columns(2)
with left:
    measures = st.pills("Measures", tuple(MEASURES), selection_mode="multi", default=DEFAULT_MEASURES,
                        key="measure", bind="query-params")
with right:
    transform = st.segmented_control("Transform: year over year or k-month annualised", tuple(iv.TRANSFORMS),
                                     default=DEFAULT_TRANSFORM, key="transform",
                                     bind="query-params") or DEFAULT_TRANSFORM
for note in notes:
    st.info(note, icon=":material/info:")
available(result, [MEASURES[m] for m in measures], "Part of the inflation chart")
chosen = [MEASURES[m] for m in measures if MEASURES[m] in result.series]
if not chosen:
    st.info("Pick at least one measure with data to see the inflation chart; the panels below still work.")
else:
    label = iv.TRANSFORMS[transform][0]
    rates = ctx.window.clip(iv.inflation_rates(result.frame(chosen), transform))
    st.markdown(iv.inflation_takeaway(rates, series_names(rates.columns), label))
    fig = threshold_figure(rates, f"Is inflation back to 2%? ({label}, {ctx.window.label})",
                           f"Percent, {label}", "%", INFLATION_TARGET, f"{INFLATION_TARGET:.0f}% target")
    chart_block(fig, rates, result, chosen, f"inflation-{label}", key="inflation.rates")

# --- Market expectations and the real policy rate -----------------------------------------
core_pce = result.series.get("core_pce")
core_pce_yoy = yoy_pct(core_pce).rename("core_pce_yoy") if core_pce is not None else None
breakevens = result.frame(iv.BREAKEVEN_KEYS)
fwd = (forward_5y5y(breakevens["breakeven_5y"], breakevens["breakeven_10y"])
       if set(iv.BREAKEVEN_KEYS) <= set(breakevens.columns) else None)
real_rate = (real_policy_rate(result.series["effr"], core_pce_yoy)
             if core_pce_yoy is not None and "effr" in result.series else None)

notes = []  # corrected URL values of the controls below
left, right = st.columns(2)
with left:
    st.subheader("Market inflation expectations")
    if available(result, iv.BREAKEVEN_KEYS, "The breakevens and the 5y5y forward"):
        frame = ctx.window.clip(breakevens.join(fwd, how="outer"))
        names = series_names(frame.columns, iv.DERIVED_NAMES)
        st.markdown(" · ".join(last_reading(frame[k], "%", names[k]) for k in frame.columns) + ".")
        fig = threshold_figure(frame, f"Do markets expect inflation above 2%? ({ctx.window.label})", "Percent",
                               "%", INFLATION_TARGET, f"{INFLATION_TARGET:.0f}% target", iv.DERIVED_NAMES)
        chart_block(fig, frame, result, iv.BREAKEVEN_KEYS, "breakevens-5y5y", key="inflation.breakevens")
with right:
    st.subheader("Real policy rate")
    # r* is chosen here, before the chart and sentence that use it (the flags below use it too).
    r_star = number_control("r*, neutral real rate (%)", "rstar", R_STAR_DEFAULT, *R_STAR_RANGE, INPUT_STEP, notes,
                            help=f"Default {R_STAR_DEFAULT:.1f}%. Also the r* of the too-tight flag below.")
    if available(result, iv.REAL_RATE_KEYS, "The real policy rate"):
        frame = ctx.window.clip(result.frame(["effr"]).join([core_pce_yoy, real_rate], how="outer"))
        st.markdown(iv.real_rate_takeaway(real_rate, r_star))
        fig = threshold_figure(frame, f"Is policy restrictive after inflation? ({ctx.window.label})", "Percent",
                               "%", r_star, f"r* {r_star:.1f}%", iv.DERIVED_NAMES)
        chart_block(fig, frame, result, iv.REAL_RATE_KEYS, "real-policy-rate", key="inflation.real-rate")

# --- Policy-mistake flags -----------------------------------------------------------------
st.subheader("Policy-mistake flags")
st.caption(
    "Too tight: real policy rate > r* + margin AND the Sahm indicator rising AND 3-month annualised core PCE "
    "below a level. Too loose: (5y5y above a level OR 3-month annualised core PCE above a level) AND cuts "
    f"priced. Cuts priced come from the Fed path page's implied path ({market.cuts.method})."
)
THRESHOLD_INPUTS = 4  # the four thresholds below (r* is set above, by the real policy rate)
columns = st.columns(THRESHOLD_INPUTS)
with columns[0]:
    tight_margin = number_control("Tight: margin over r* (pp)", "tight_margin",
                                  DEFAULTS.tight_real_rate_above_r_star, *MARGIN_RANGE, INPUT_STEP, notes)
with columns[1]:
    tight_pce = number_control("Tight: core PCE 3m below (%)", "tight_pce", DEFAULTS.tight_core_pce_3m_below,
                               *INFLATION_RANGE, INPUT_STEP, notes)
with columns[2]:
    loose_5y5y = number_control("Loose: 5y5y above (%)", "loose_5y5y", DEFAULTS.loose_5y5y_above,
                                *INFLATION_RANGE, INPUT_STEP, notes)
with columns[3]:
    loose_pce = number_control("Loose: core PCE 3m above (%)", "loose_pce", DEFAULTS.loose_core_pce_3m_above,
                               *INFLATION_RANGE, INPUT_STEP, notes)
for note in notes:
    st.info(note, icon=":material/info:")
thresholds = PolicyFlagThresholds(
    tight_real_rate_above_r_star=tight_margin, tight_core_pce_3m_below=tight_pce,
    loose_5y5y_above=loose_5y5y, loose_core_pce_3m_above=loose_pce,
)
unrate = result.series.get("unrate")
if available(result, ("core_pce", "unrate"), "The policy-mistake flags"):
    sahm = sahm_rule(unrate)
    flags = policy_flags(
        latest(real_rate), r_star, sahm, latest(annualised_pct(core_pce, iv.FLAG_MONTHS)),
        latest(fwd), market.cuts.cuts, thresholds,
    )
    alert = st.warning if flags.too_tight or flags.too_loose else st.success
    alert(f"**Too tight: {'yes' if flags.too_tight else 'no'} · Too loose: {'yes' if flags.too_loose else 'no'}.** "
          f"{flags.reading}")
    st.dataframe(
        iv.flag_table(flags, sahm), hide_index=True, width="stretch",
        column_config={"Reading": st.column_config.NumberColumn(format="%.2f"),
                       "Threshold": st.column_config.NumberColumn(format="%.2f")},
    )

# --- Headline (filled last: it needs the readings computed above) ------------------------
with headline:
    metric_row([
        metric("Core PCE, YoY", core_pce_yoy),
        metric("CPI, YoY", yoy_pct(result.series["cpi"]) if "cpi" in result.series else None),
        metric("5y5y forward", fwd),
        metric("Real policy rate", real_rate),
        {"label": "Cuts priced, next 12 months", "value": f"{market.cuts.cuts:+.1f}",
         "help": f"Method: {market.cuts.method}. Negative means hikes are priced."},
    ])
    st.markdown(f"**{mv.cuts_sentence(market.cuts)}**")
