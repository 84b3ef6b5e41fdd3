"""Inflation tension (ANALYTICS.md, "Inflation tension"): the 5y5y forward from breakevens,
the real policy rate and the policy-mistake flags. Percent in, percent out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from analytics.cuts import CUTS_PRICED_MIN
from analytics.labor import SAHM_RISING_MONTHS, sahm_rising
from analytics.transforms import PERCENT, asof_align

INFLATION_TARGET = 2.0  # percent, the FOMC's PCE target
# FRED dates a month's PCE at the month's first day; the BEA publishes it near the end of
# the following month, so it is known about two months after its date.
PCE_RELEASE_LAG_DAYS = 60
BREAKEVEN_SHORT_YEARS = 5
BREAKEVEN_LONG_YEARS = 10


def forward_5y5y(be5: pd.Series, be10: pd.Series) -> pd.Series:
    """5-year inflation expectation starting in 5 years, percent.

    f = [(1 + b10)^10 / (1 + b5)^5]^(1/5) − 1, with b5 = T5YIE and b10 = T10YIE as
    decimals (percent in, percent out). Matched by date (union; missing → NaN).
    Empty in → empty out.
    """
    long_growth = (1.0 + be10 / PERCENT) ** BREAKEVEN_LONG_YEARS
    short_growth = (1.0 + be5 / PERCENT) ** BREAKEVEN_SHORT_YEARS
    forward_years = BREAKEVEN_LONG_YEARS - BREAKEVEN_SHORT_YEARS
    return (((long_growth / short_growth) ** (1.0 / forward_years) - 1.0) * PERCENT).rename("forward_5y5y")


def real_policy_rate(policy_rate: pd.Series, core_pce_yoy: pd.Series,
                     lag_days: int = PCE_RELEASE_LAG_DAYS) -> pd.Series:
    """Real policy rate = policy rate − core PCE YoY known on that day, percent.

    Returned on the policy rate's (daily) dates. Monthly inflation is carried forward with
    ``asof_align``: on day t the latest core PCE YoY dated ≤ t − ``lag_days`` (no look-ahead;
    FRED dates the month at its first day, see ``PCE_RELEASE_LAG_DAYS``). Days before any
    inflation reading is known are NaN. Empty in → empty out.
    """
    inflation_known = asof_align(policy_rate.index, core_pce_yoy, lag_days)
    return (policy_rate.astype(float) - inflation_known).rename("real_policy_rate")


@dataclass(frozen=True)
class PolicyFlagThresholds:
    """Thresholds of the policy-mistake flags (percent unless named otherwise)."""

    tight_real_rate_above_r_star: float = 1.0  # real policy rate > r* + this
    tight_core_pce_3m_below: float = 2.5
    loose_5y5y_above: float = 2.5
    loose_core_pce_3m_above: float = 3.0
    loose_cuts_priced_above: float = CUTS_PRICED_MIN  # 25 bp cuts; the one "cuts priced" rule
    sahm_rising_months: int = SAHM_RISING_MONTHS  # "rising" = above its value this many months ago


@dataclass(frozen=True)
class PolicyFlags:
    """Outcome of ``policy_flags``: the two flags, each condition, inputs and a reading."""

    too_tight: bool
    too_loose: bool
    conditions: dict[str, bool]
    inputs: dict[str, float]
    thresholds: PolicyFlagThresholds
    reading: str


def _above(value: float, threshold: float) -> bool:
    return bool(not math.isnan(value) and value > threshold)


def _below(value: float, threshold: float) -> bool:
    return bool(not math.isnan(value) and value < threshold)


def policy_flags(real_rate: float, r_star: float, sahm: pd.Series | bool, core_pce_3m_ann: float,
                 fwd_5y5y: float, cuts_priced: float,
                 thresholds: PolicyFlagThresholds = PolicyFlagThresholds()) -> PolicyFlags:
    """Policy-mistake flags from the latest readings.

    too tight: real policy rate > r* + 1 AND the Sahm indicator is rising AND 3-month
    annualised core PCE < 2.5. too loose: (5y5y > 2.5 OR 3-month annualised core PCE > 3)
    AND cuts are priced (cuts_priced > 0).

    ``sahm`` is the Sahm indicator history (``analytics.labor.sahm_rule``); "rising" means
    its latest value is above its value ``thresholds.sahm_rising_months`` (3) calendar
    months earlier (``analytics.labor.sahm_rising``). A bool is accepted as an already
    decided "rising". The other inputs are latest scalars in percent; cuts_priced is in
    25 bp cuts (``CutsPriced.cuts``). A NaN input makes its condition False and is named in
    the reading; thresholds default to ``PolicyFlagThresholds()``, which a user can change.
    """
    t = thresholds
    rising = sahm if isinstance(sahm, bool) else sahm_rising(sahm, t.sahm_rising_months)
    conditions = {
        "real_rate_restrictive": _above(real_rate, r_star + t.tight_real_rate_above_r_star),
        "sahm_rising": rising,
        "core_pce_3m_soft": _below(core_pce_3m_ann, t.tight_core_pce_3m_below),
        "expectations_high": _above(fwd_5y5y, t.loose_5y5y_above),
        "core_pce_3m_hot": _above(core_pce_3m_ann, t.loose_core_pce_3m_above),
        "cuts_priced": _above(cuts_priced, t.loose_cuts_priced_above),
    }
    too_tight = (conditions["real_rate_restrictive"] and conditions["sahm_rising"]
                 and conditions["core_pce_3m_soft"])
    too_loose = ((conditions["expectations_high"] or conditions["core_pce_3m_hot"])
                 and conditions["cuts_priced"])
    inputs = {name: float(value) for name, value in (
        ("real_rate", real_rate), ("r_star", r_star), ("core_pce_3m_ann", core_pce_3m_ann),
        ("fwd_5y5y", fwd_5y5y), ("cuts_priced", cuts_priced))}
    missing = [name for name, value in inputs.items() if math.isnan(value)]
    return PolicyFlags(too_tight, too_loose, conditions, inputs, thresholds,
                       _reading(too_tight, too_loose, missing))


_READINGS = {
    (True, True): "Mixed signals: policy looks too tight for a weakening labour market and too "
                  "loose for inflation at the same time.",
    (True, False): "Policy looks too tight: the real rate is well above neutral while unemployment "
                   "is rising and core inflation is cooling.",
    (False, True): "Policy risks being too loose: the market prices cuts while inflation or "
                   "inflation expectations run hot.",
    (False, False): "No policy-mistake flag: neither the too-tight nor the too-loose conditions "
                    "all hold.",
}


def _reading(too_tight: bool, too_loose: bool, missing: list[str]) -> str:
    text = _READINGS[(too_tight, too_loose)]
    if missing:
        text = text[:-1] + f" (missing: {', '.join(missing)})."
    return text
