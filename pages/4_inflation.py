"""Inflation tension (``/inflation``): is inflation back to 2%, what markets expect, how
restrictive policy is after inflation, and whether policy risks a mistake either way."""

from typing import NamedTuple

import pandas as pd
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
from components.charts import Drawn, finished, series_names
from components.charts.rates import threshold_figure
from components.controls import (DateWindow, choices_valid, note_if_invalid, number_control, parse_choice, raw_param,
                                 show_notes)
from components.frame import page_frame
from components.loaders import load, load_market, section
from components.panels import available, chart_block, metric_row, static_table
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


class Derived(NamedTuple):
    """The page's derived series, each None where an input is missing (percent, or the Sahm
    indicator in percentage points)."""

    core_pce_yoy: pd.Series | None
    cpi_yoy: pd.Series | None
    fwd: pd.Series | None  # 5y5y forward inflation expectation
    real_rate: pd.Series | None  # EFFR − core PCE YoY known on each day
    sahm: pd.Series | None
    core_pce_3m: pd.Series | None  # 3-month annualised core PCE


def derived_section(loaded) -> Derived:
    """The page's derived series: core PCE and CPI YoY, the 5y5y forward, the real policy rate,
    the Sahm indicator and 3-month annualised core PCE."""
    series = loaded.series
    core_pce = series.get("core_pce")
    core_pce_yoy = yoy_pct(core_pce).rename("core_pce_yoy") if core_pce is not None else None
    has_breakevens = set(iv.BREAKEVEN_KEYS) <= set(series)
    return Derived(
        core_pce_yoy=core_pce_yoy,
        cpi_yoy=yoy_pct(series["cpi"]) if "cpi" in series else None,
        fwd=forward_5y5y(series["breakeven_5y"], series["breakeven_10y"]) if has_breakevens else None,
        real_rate=(real_policy_rate(series["effr"], core_pce_yoy)
                   if core_pce_yoy is not None and "effr" in series else None),
        sahm=sahm_rule(series["unrate"]) if "unrate" in series else None,
        core_pce_3m=annualised_pct(core_pce, iv.FLAG_MONTHS) if core_pce is not None else None,
    )


def rates_section(loaded, chosen: tuple[str, ...], transform: str, window: DateWindow) -> Drawn:
    """The chosen measures as ``transform`` (YoY or k-month annualised) against 2%."""
    label = iv.TRANSFORMS[transform][0]
    rates = window.clip(iv.inflation_rates(loaded.frame(list(chosen)), transform))
    fig = threshold_figure(rates, f"Is inflation back to 2%? ({label}, {window.label})",
                           f"Percent, {label}", "%", INFLATION_TARGET, f"{INFLATION_TARGET:.0f}% target")
    takeaway = iv.inflation_takeaway(rates, series_names(rates.columns), label)
    return Drawn(takeaway, rates, finished(fig, chosen))


def breakevens_section(loaded, window: DateWindow) -> Drawn:
    """5- and 10-year breakevens and the 5y5y forward against 2% (view: the last readings)."""
    fwd = section(derived_section, loaded).fwd
    frame = window.clip(loaded.frame(iv.BREAKEVEN_KEYS).join(fwd, how="outer"))
    names = series_names(frame.columns, iv.DERIVED_NAMES)
    fig = threshold_figure(frame, f"Do markets expect inflation above 2%? ({window.label})", "Percent",
                           "%", INFLATION_TARGET, f"{INFLATION_TARGET:.0f}% target", iv.DERIVED_NAMES)
    reading = " · ".join(last_reading(frame[k], "%", names[k]) for k in frame.columns) + "."
    return Drawn(reading, frame, finished(fig, iv.BREAKEVEN_KEYS))


def real_rate_section(loaded, window: DateWindow, r_star: float) -> Drawn:
    """EFFR, core PCE YoY and the real policy rate against r*."""
    derived = section(derived_section, loaded)
    real_rate = derived.real_rate
    frame = window.clip(loaded.frame(["effr"]).join([derived.core_pce_yoy, real_rate], how="outer"))
    fig = threshold_figure(frame, f"Is policy restrictive after inflation? ({window.label})", "Percent",
                           "%", r_star, f"r* {r_star:.1f}%", iv.DERIVED_NAMES)
    return Drawn(iv.real_rate_takeaway(real_rate, r_star), frame, finished(fig, iv.REAL_RATE_KEYS))


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
show_notes(notes)
available(result, [MEASURES[m] for m in measures], "Part of the inflation chart")
chosen = [MEASURES[m] for m in measures if MEASURES[m] in result.series]
if not chosen:
    st.info("Pick at least one measure with data to see the inflation chart; the panels below still work.")
else:
    drawn = section(rates_section, result, tuple(chosen), transform, ctx.window)
    st.markdown(drawn.view)
    chart_block(drawn.fig, drawn.frame, result, chosen, f"inflation-{iv.TRANSFORMS[transform][0]}",
                key="inflation.rates")

# --- Market expectations and the real policy rate -----------------------------------------
derived = section(derived_section, result)
core_pce_yoy, fwd, real_rate = derived.core_pce_yoy, derived.fwd, derived.real_rate

notes = []  # corrected URL values of the controls below
left, right = st.columns(2)
with left:
    st.subheader("Market inflation expectations")
    if available(result, iv.BREAKEVEN_KEYS, "The breakevens and the 5y5y forward"):
        drawn = section(breakevens_section, result, ctx.window)
        st.markdown(drawn.view)
        chart_block(drawn.fig, drawn.frame, result, iv.BREAKEVEN_KEYS, "breakevens-5y5y", key="inflation.breakevens")
with right:
    st.subheader("Real policy rate")
    # r* is chosen here, before the chart and sentence that use it (the flags below use it too).
    r_star = number_control("r*, neutral real rate (%)", "rstar", R_STAR_DEFAULT, *R_STAR_RANGE, INPUT_STEP, notes,
                            help=f"Default {R_STAR_DEFAULT:.1f}%. Also the r* of the too-tight flag below.")
    if available(result, iv.REAL_RATE_KEYS, "The real policy rate"):
        drawn = section(real_rate_section, result, ctx.window, r_star)
        st.markdown(drawn.view)
        chart_block(drawn.fig, drawn.frame, result, iv.REAL_RATE_KEYS, "real-policy-rate", key="inflation.real-rate")

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
show_notes(notes)
thresholds = PolicyFlagThresholds(
    tight_real_rate_above_r_star=tight_margin, tight_core_pce_3m_below=tight_pce,
    loose_5y5y_above=loose_5y5y, loose_core_pce_3m_above=loose_pce,
)
if available(result, ("core_pce", "unrate"), "The policy-mistake flags"):
    sahm = derived.sahm
    flags = policy_flags(
        latest(real_rate), r_star, sahm, latest(derived.core_pce_3m),
        latest(fwd), market.cuts.cuts, thresholds,
    )
    alert = st.warning if flags.too_tight or flags.too_loose else st.success
    alert(f"**Too tight: {'yes' if flags.too_tight else 'no'} · Too loose: {'yes' if flags.too_loose else 'no'}.** "
          f"{flags.reading}")
    static_table(iv.flag_table(flags, sahm), {"Reading": "{:.2f}", "Threshold": "{:.2f}"})

# --- Headline (filled last: it needs the readings computed above) ------------------------
with headline:
    metric_row([
        metric("Core PCE, YoY", core_pce_yoy),
        metric("CPI, YoY", derived.cpi_yoy),
        metric("5y5y forward", fwd),
        metric("Real policy rate", real_rate),
        {"label": "Cuts priced, next 12 months", "value": f"{market.cuts.cuts:+.1f}",
         "help": f"Method: {market.cuts.method}. Negative means hikes are priced."},
    ])
    st.markdown(f"**{mv.cuts_sentence(market.cuts)}**")
