"""Labour-market slack (ANALYTICS.md, "Fed path" → labour slack): Sahm rule, payroll
trend, claims trend and openings per unemployed person.
"""

from __future__ import annotations

import pandas as pd

from analytics.transforms import value_months_ago

SAHM_TRIGGER = 0.50  # percentage points: the rule's recession signal
SAHM_AVERAGE_MONTHS = 3
SAHM_LOOKBACK_MONTHS = 12
# A 3-month average needs at least this many observed months (October 2025 was never
# published: the shutdown); with fewer it is NaN.
SAHM_MIN_MONTHS_OBSERVED = 2
SAHM_RISING_MONTHS = 3
PAYROLL_AVERAGE_MONTHS = 3
CLAIMS_AVERAGE_WEEKS = 4
_DAYS_PER_WEEK = 7


def _monthly(x: pd.Series) -> pd.Series:
    """Put a month-start series on a complete monthly calendar (missing months → NaN)."""
    return x.resample("MS").mean()


def sahm_rule(unrate: pd.Series) -> pd.Series:
    """Sahm rule recession indicator in percentage points, monthly.

    sahm_t = avg3_t − min(avg3_{t−12}, …, avg3_{t−1}), avg3 = the 3-month average of
    UNRATE (percent) over months t−2..t. "Prior 12 months" EXCLUDES the current month, as
    FRED's SAHMREALTIME does: that is why FRED's values can be negative (the unemployment
    rate falling), which a window including month t could never give, and this definition
    tracks SAHMREALTIME most closely on the snapshot (tests/analytics/test_labor.py).
    Months are matched by calendar date: a missing month (October 2025) is NaN, a 3-month
    average needs ``SAHM_MIN_MONTHS_OBSERVED`` of its 3 months, and the 12-month minimum
    skips NaN. Signal: sahm ≥ ``SAHM_TRIGGER``. Returned on ``unrate``'s dates; empty in →
    empty out.
    """
    monthly = _monthly(unrate)
    average = monthly.rolling(SAHM_AVERAGE_MONTHS, min_periods=SAHM_MIN_MONTHS_OBSERVED).mean()
    prior_min = average.shift(1).rolling(SAHM_LOOKBACK_MONTHS, min_periods=1).min()
    return (average - prior_min).reindex(unrate.index).rename("sahm_rule")


def sahm_rising(sahm: pd.Series, months: int = SAHM_RISING_MONTHS) -> bool:
    """Whether the Sahm indicator is rising: its latest value is above its value
    ``months`` calendar months earlier (matched by date).

    False when the series is empty, the latest value is NaN or the earlier month is missing.
    """
    known = sahm.dropna()
    if known.empty:
        return False
    earlier = value_months_ago(sahm, months).loc[known.index[-1]]
    return bool(known.iloc[-1] > earlier)


def payroll_change_3m_avg(payems: pd.Series) -> pd.Series:
    """Average monthly payroll change over the last 3 months, in thousands of jobs/month.

    Δ_t = (PAYEMS_t − PAYEMS_{t−3 months})/3, the earlier level matched by date (PAYEMS is in
    thousands of persons). A missing month 3 months back → NaN. Empty in → empty out.
    """
    earlier = value_months_ago(payems, PAYROLL_AVERAGE_MONTHS)
    return ((payems - earlier) / PAYROLL_AVERAGE_MONTHS).rename("payroll_change_3m_avg")


def claims_4wk_avg(icsa: pd.Series) -> pd.Series:
    """4-week moving average of initial jobless claims (persons), weekly.

    Mean of the observations dated within the last 28 days (this week and the 3 before);
    NaN unless all 4 weeks are present. Empty in → empty out.
    """
    window = pd.Timedelta(days=CLAIMS_AVERAGE_WEEKS * _DAYS_PER_WEEK)
    average = icsa.dropna().rolling(window, min_periods=CLAIMS_AVERAGE_WEEKS).mean()
    return average.reindex(icsa.index).rename("claims_4wk_avg")


def openings_per_unemployed(openings: pd.Series, unemployed: pd.Series) -> pd.Series:
    """Job openings per unemployed person: JTSJOL / UNEMPLOY (both in thousands), a ratio.

    Matched by date (union of dates; a month missing on either side is NaN). Above 1 means
    more openings than unemployed people. Empty in → empty out.
    """
    return (openings / unemployed).rename("openings_per_unemployed")
