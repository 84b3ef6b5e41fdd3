"""The horizon a futures strip really prices (``futures_horizon``, carried by ``cuts_priced``)
on hand-built strips against the real FOMC calendar, and the crude gauge on many days at once."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.calendar import FOMC_MEETINGS
from analytics.rates import (
    CUTS_HORIZON_DAYS,
    bond_equivalent,
    crude_cuts,
    cuts_priced,
    cuts_priced_crude,
    futures_horizon,
    implied_path,
)

AS_OF = pd.Timestamp("2026-08-21")
# Meetings after AS_OF (FOMC_MEETINGS): 2026-09-16, 10-28, 12-09, 2027-01-27, 03-17, 04-28,
# 06-09, 07-28, 09-15, ... The horizon ends on 2027-08-21 (365 days later).

# Implied monthly averages: 3.875 in August, a cut on 09-16 (16 of 30 days at the old rate),
# none on 10-28 (late in the month: the end rate is November's average), a cut on 12-09 (9 of
# 31 days at the old rate), then flat at 3.375 through August 2027.
TO_DECEMBER = {
    "2026-08": 3.875,
    "2026-09": (16 * 3.875 + 14 * 3.625) / 30,
    "2026-10": 3.625,
    "2026-11": 3.625,
    "2026-12": (9 * 3.625 + 22 * 3.375) / 31,
}
TO_AUGUST_2027 = TO_DECEMBER | {f"2027-{m:02d}": 3.375 for m in range(1, 9)}


def strip(rates: dict[str, float], as_of=AS_OF) -> pd.DataFrame:
    """A one-row futures frame (prices = 100 − rate) from implied averages per delivery month."""
    return pd.DataFrame({pd.Period(m, "M"): [100.0 - r] for m, r in rates.items()}, index=pd.DatetimeIndex([as_of]))


def path_of(rates: dict[str, float]):
    return implied_path(strip(rates), AS_OF, 3.75, 4.00, meetings=FOMC_MEETINGS)


def test_the_calendar_the_cases_assume():
    upcoming = [m for m in FOMC_MEETINGS if AS_OF < m <= AS_OF + pd.Timedelta(days=400)]
    assert [f"{m:%Y-%m-%d}" for m in upcoming] == [
        "2026-09-16", "2026-10-28", "2026-12-09", "2027-01-27", "2027-03-17", "2027-04-28", "2027-06-09",
        "2027-07-28", "2027-09-15"]


def test_a_strip_covering_every_meeting_in_the_year_says_twelve_months():
    path = path_of(TO_AUGUST_2027)
    # Priced to 2027-07-28 (no September 2027 contract); the next meeting, 2027-09-15, is after
    # the horizon's end, so the last expected rate holds to it. 365 days / 30.44 = 11.99 → 12.
    assert f"{path.meetings['meeting'].iloc[-1]:%Y-%m-%d}" == "2027-07-28"
    assert futures_horizon(path, AS_OF, CUTS_HORIZON_DAYS) == "the next 12 months"
    result = cuts_priced(path)
    assert result.horizon == "the next 12 months"
    assert result.cuts == pytest.approx((3.875 - 3.375) / 0.25)  # two cuts: 3.875 → 3.375


def test_a_strip_that_stops_early_says_how_far_it_reaches():
    path = path_of(TO_DECEMBER)
    # Priced to 2026-12-09; the first unpriced meeting, 2027-01-27, is inside the year and 159
    # days after AS_OF (10 + 30 + 31 + 30 + 31 + 27): 159 / 30.44 = 5.2 → 5 months.
    expected = "the next 5 months (futures price meetings to Dec 2026)"
    assert futures_horizon(path, AS_OF, CUTS_HORIZON_DAYS) == expected
    result = cuts_priced(path)
    assert result.horizon == expected
    assert result.cuts == pytest.approx(2.0) and result.rate_now == pytest.approx(3.875)
    assert result.rate_then == pytest.approx(3.375)


def test_the_first_unpriced_meeting_on_the_horizon_end_is_covered():
    path = path_of(TO_DECEMBER)
    # Horizon ending exactly on 2027-01-27 (159 days): the path holds to its end.
    assert futures_horizon(path, AS_OF, 159) == "the next 5 months"
    assert futures_horizon(path, AS_OF, 160) == "the next 5 months (futures price meetings to Dec 2026)"
    # 90 days end 2026-11-19, before that meeting: covered; 90 / 30.44 = 2.96 → 3 months.
    assert futures_horizon(path, AS_OF, 90) == "the next 3 months"


def test_a_gap_in_the_strip_stops_the_path_there():
    rates = {m: r for m, r in TO_DECEMBER.items() if m != "2026-10"}  # no October contract
    path = path_of(rates)
    assert [f"{m:%Y-%m-%d}" for m in path.meetings["meeting"]] == ["2026-09-16"]
    # The first unpriced meeting is 2026-10-28, 68 days on (10 + 30 + 28): 68 / 30.44 = 2.2 → 2.
    expected = "the next 2 months (futures price meetings to Sep 2026)"
    assert futures_horizon(path, AS_OF, CUTS_HORIZON_DAYS) == expected
    assert futures_horizon(path, AS_OF, 90) == expected  # 10-28 is inside 90 days too
    result = cuts_priced(path)
    assert result.horizon == expected and result.cuts == pytest.approx(1.0)


def test_an_empty_path_names_the_full_horizon():
    path = implied_path(pd.DataFrame(), AS_OF, 3.75, 4.00)
    assert path.empty
    assert futures_horizon(path, AS_OF, CUTS_HORIZON_DAYS) == "the next 12 months"
    result = cuts_priced(path)
    assert math.isnan(result.cuts) and result.horizon == "the next 12 months"


# --- The crude gauge on many days ------------------------------------------------------------------

EFFR = [3.63, 5.33, 0.08, math.nan, 4.00]
DGS2 = [4.19, 4.71, 0.15, 3.50, math.nan]


def by_hand(effr: float, y2: float) -> float:
    return (effr * 365 / 360 - y2) / 0.25


def test_crude_cuts_on_arrays_and_series_equals_the_scalar_formula():
    expected = [by_hand(e, y) for e, y in zip(EFFR, DGS2)]
    np.testing.assert_allclose(crude_cuts(np.array(EFFR), np.array(DGS2)), expected)
    index = pd.bdate_range(end="2026-08-21", periods=len(EFFR))
    series = crude_cuts(pd.Series(EFFR, index=index), pd.Series(DGS2, index=index))
    assert isinstance(series, pd.Series) and series.index.equals(index)
    np.testing.assert_allclose(series.to_numpy(), expected)
    for e, y, want in zip(EFFR, DGS2, expected):
        got = cuts_priced_crude(e, y).cuts
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)
    assert crude_cuts(3.63, 4.19) == pytest.approx((3.63 * 365 / 360 - 4.19) / 0.25)


def test_bond_equivalent_on_arrays():
    np.testing.assert_allclose(bond_equivalent(np.array([3.6, 7.2])), [3.65, 7.3])
    assert bond_equivalent(4.0) - 4.0 == pytest.approx(0.0556, abs=1e-4)  # 5.6 bp at 4%
