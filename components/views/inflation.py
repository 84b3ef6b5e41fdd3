"""View of the Inflation tension page (``/inflation``): data in, readings and words out.

Price indices as inflation rates under a chosen transform, the real policy rate's takeaway
and the policy-mistake flag table. Cuts priced come from ``components.views.market``.
"""

from __future__ import annotations

import math

import pandas as pd

from analytics.inflation import INFLATION_TARGET
from analytics.labor import SAHM_RISING_MONTHS
from analytics.transforms import annualised_pct, value_months_ago, yoy_pct
from components.views.common import CORE_PCE_YOY_NAME, last_date, last_reading, latest, signed_pp
from data_sources.catalogue import Key

# condition name -> (flag, what it checks, input name, threshold name, comparison, units)

MEASURE_KEYS = (Key.cpi, Key.core_cpi, Key.pce, Key.core_pce)
BREAKEVEN_KEYS = (Key.breakeven_5y, Key.breakeven_10y)
REAL_RATE_KEYS = (Key.effr, Key.core_pce)
# Inflation transforms offered on the page: URL value (= button text) -> (label, function of a level).
SHORT_MONTHS, MEDIUM_MONTHS = 3, 6
TRANSFORMS = {
    "YoY": ("year over year", yoy_pct),
    "3m": (f"{SHORT_MONTHS}-month annualised", lambda x: annualised_pct(x, SHORT_MONTHS)),
    "6m": (f"{MEDIUM_MONTHS}-month annualised", lambda x: annualised_pct(x, MEDIUM_MONTHS)),
}
FLAG_MONTHS = SHORT_MONTHS  # the flags read 3-month annualised core PCE
# Names of the series this page derives (catalogue series are named by the catalogue).
DERIVED_NAMES = {
    "forward_5y5y": "5y5y forward",
    "core_pce_yoy": CORE_PCE_YOY_NAME,
    "real_policy_rate": "Real policy rate (EFFR − core PCE YoY)",
}

# condition name -> (flag, what it checks, input name, threshold name, comparison, units)
FLAG_CONDITIONS = (
    ("real_rate_restrictive", "Too tight", "Real policy rate above r* + margin", "real_rate", "r_star_plus", ">",
     "%"),
    ("sahm_rising", "Too tight", f"Sahm indicator above its value {SAHM_RISING_MONTHS} months earlier",
     "sahm_change", "sahm_earlier", "rising", "pp"),
    ("core_pce_3m_soft", "Too tight", "3-month annualised core PCE below", "core_pce_3m_ann",
     "tight_core_pce_3m_below", "<", "%"),
    ("expectations_high", "Too loose", "5y5y inflation expectation above", "fwd_5y5y", "loose_5y5y_above", ">",
     "%"),
    ("core_pce_3m_hot", "Too loose", "3-month annualised core PCE above", "core_pce_3m_ann",
     "loose_core_pce_3m_above", ">", "%"),
    ("cuts_priced", "Too loose", "Cuts priced over 12 months above", "cuts_priced", "loose_cuts_priced_above", ">",
     "25 bp cuts"),
)


def inflation_rates(levels: pd.DataFrame, transform: str) -> pd.DataFrame:
    """Each price index as an inflation rate (percent) under one of ``TRANSFORMS``."""
    return TRANSFORMS[transform][1](levels).dropna(how="all")


def inflation_takeaway(rates: pd.DataFrame, names: dict[str, str], transform_label: str) -> str:
    """Each measure's latest rate and its distance from the 2% target."""
    parts = []
    for key in rates.columns:
        day = last_date(rates[key])
        if day is not None:
            value = latest(rates[key])
            parts.append(f"{names[key]} {value:.1f}% ({day:%b %Y}, {signed_pp(value - INFLATION_TARGET)} target)")
    if not parts:
        return "No inflation readings in this window."
    return f"{transform_label.capitalize()}: " + "; ".join(parts) + "."


def real_rate_takeaway(real_rate: pd.Series, r_star: float) -> str:
    """The latest real policy rate against neutral r*."""
    value = latest(real_rate)
    if math.isnan(value):
        return "No real policy rate can be computed yet."
    return (f"{last_reading(real_rate, '%', 'The real policy rate')}, {signed_pp(value - r_star)} the neutral "
            f"r* of {r_star:.1f}%, using the core PCE reading known on each day.")


def flag_table(flags, sahm: pd.Series) -> pd.DataFrame:
    """One row per condition of ``analytics.inflation.policy_flags``: reading, threshold, met.

    For "Sahm rising" the reading is the latest Sahm value and the threshold its value
    ``sahm_rising_months`` earlier (what ``analytics.labor.sahm_rising`` compares).
    """
    t = flags.thresholds
    known = sahm.dropna()
    earlier = value_months_ago(sahm, t.sahm_rising_months)
    inputs = {**flags.inputs, "sahm_change": latest(known)}
    thresholds = {
        "r_star_plus": flags.inputs["r_star"] + t.tight_real_rate_above_r_star,
        "sahm_earlier": float(earlier.loc[known.index[-1]]) if not known.empty else math.nan,
    }
    rows = []
    for name, flag, label, input_name, threshold, comparison, units in FLAG_CONDITIONS:
        rows.append({
            "Flag": flag,
            "Condition": label if comparison == "rising" else f"{label} ({comparison})",
            "Reading": inputs[input_name],
            "Threshold": thresholds[threshold] if threshold in thresholds else getattr(t, threshold),
            "Units": units,
            "Met": flags.conditions[name],
        })
    return pd.DataFrame(rows)
