"""The event study's functions on hand-computed cases (analytics/events.py)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.events import (
    MIN_EVENTS,
    REFERENCE_BETA_PER_10BP,
    Z_95,
    daily_moves,
    event_trading_days,
    event_window,
    reaction,
    rolling_reaction,
)

WEEKDAYS = pd.bdate_range("2020-03-02", "2020-03-20")  # Mon 2 .. Fri 20 March 2020


def test_weekend_announcement_maps_to_monday_and_weekday_to_itself():
    got = event_trading_days(["2020-03-15", "2020-03-03", "2020-03-18"], WEEKDAYS)
    assert list(got) == [pd.Timestamp("2020-03-03"), pd.Timestamp("2020-03-16"), pd.Timestamp("2020-03-18")]
    assert got.name == "date"


def test_announcements_outside_the_trading_days_are_dropped_not_moved():
    got = event_trading_days(["2020-02-28", "2020-03-01", "2020-03-02", "2020-03-21", "2020-03-25"], WEEKDAYS)
    # 2020-03-01 (a Sunday before the first trading day) would map to 2 March if moved: it is dropped.
    assert list(got) == [pd.Timestamp("2020-03-02")]


def test_a_holiday_maps_to_the_next_trading_day_and_two_news_on_one_day_count_once():
    days = WEEKDAYS.drop(pd.Timestamp("2020-03-09"))  # a market holiday on Monday 9 March
    got = event_trading_days(["2020-03-07", "2020-03-09", "2020-03-10", "2020-03-10"], days)
    assert list(got) == [pd.Timestamp("2020-03-10")]


def test_no_trading_days_or_no_news_give_an_empty_index():
    assert event_trading_days([], WEEKDAYS).empty
    assert event_trading_days(["2020-03-03"], []).empty


def test_daily_moves_difference_on_common_days_only():
    days = pd.to_datetime(["2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"])
    level = pd.Series([100.0, 110.0, 99.0, 99.0], index=days)
    yields = pd.Series([4.00, np.nan, 4.10, 4.05], index=days)  # no yield on the 3rd (bond holiday)
    moves = daily_moves(level, yields)
    assert list(moves.index) == [days[2], days[3]]
    assert moves["return_pct"].tolist() == pytest.approx([100 * math.log(99 / 100), 0.0])
    assert moves["change_bp"].tolist() == pytest.approx([10.0, -5.0])


def _hc3_by_hand(x, y):
    """Slope and HC3 standard error with plain Python loops (independent of the module)."""
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxx = sum((a - mx) ** 2 for a in x)
    slope = sum((a - mx) * (b - my) for a, b in zip(x, y)) / sxx
    intercept = my - slope * mx
    total = 0.0
    for a, b in zip(x, y):
        e = b - intercept - slope * a
        h = 1 / n + (a - mx) ** 2 / sxx
        total += (a - mx) ** 2 * e**2 / (1 - h) ** 2
    return slope, math.sqrt(total) / sxx


def test_reaction_beta_interval_and_correlation_by_hand():
    days = pd.bdate_range("2024-01-01", periods=12)
    x = [-12.0, -8.0, -5.0, -1.0, 0.0, 2.0, 3.0, 6.0, 9.0, 15.0, 4.0, -3.0]
    noise = [0.3, -0.2, 0.1, 0.0, -0.4, 0.2, 0.5, -0.1, -0.3, 0.2, 0.0, 0.1]
    y = [0.2 - 0.06 * a + e for a, e in zip(x, noise)]
    slope, se = _hc3_by_hand(x, y)
    got = reaction(pd.Series(y, index=days), pd.Series(x, index=days), days)
    assert got.n == 12
    assert got.beta_per_10bp == pytest.approx(10 * slope)
    assert got.ci_low == pytest.approx(10 * (slope - 1.959963984540054 * se))
    assert got.ci_high == pytest.approx(10 * (slope + 1.959963984540054 * se))
    assert got.corr == pytest.approx(np.corrcoef(x, y)[0, 1])
    assert got.mean_abs_rate_bp == pytest.approx(sum(abs(a) for a in x) / 12)
    assert got.mean_abs_return_pct == pytest.approx(sum(abs(b) for b in y) / 12)
    assert got.significant


def test_reaction_uses_only_the_given_days_where_both_moves_are_known():
    days = pd.bdate_range("2024-01-01", periods=14)
    x = pd.Series(np.arange(14, dtype=float), index=days)
    y = pd.Series(-0.1 * np.arange(14, dtype=float), index=days)
    y.iloc[13] = 50.0  # an outlier on a day that is not an event
    x.iloc[0] = np.nan  # an event day without a yield change
    got = reaction(y, x, days[:12])
    assert got.n == 11
    assert got.beta_per_10bp == pytest.approx(-1.0)  # exact line: −0.1% per bp
    assert (got.ci_low, got.ci_high) == (pytest.approx(-1.0), pytest.approx(-1.0))
    assert got.corr == pytest.approx(-1.0)


def test_too_few_days_or_no_yield_variation_give_no_beta():
    days = pd.bdate_range("2024-01-01", periods=MIN_EVENTS)
    few = reaction(pd.Series(1.0, index=days), pd.Series(np.arange(MIN_EVENTS, dtype=float), index=days), days[:-1])
    assert few.n == MIN_EVENTS - 1 and math.isnan(few.beta_per_10bp) and math.isnan(few.ci_low)
    flat = reaction(pd.Series(np.arange(MIN_EVENTS, dtype=float), index=days), pd.Series(2.0, index=days), days)
    assert flat.n == MIN_EVENTS and math.isnan(flat.beta_per_10bp) and math.isnan(flat.corr)
    assert flat.mean_abs_rate_bp == 2.0


def test_rolling_reaction_sees_only_its_trailing_window():
    days = pd.bdate_range("2020-01-01", "2024-12-31")
    x = pd.Series(np.tile([-4.0, -1.0, 2.0, 5.0], len(days) // 4 + 1)[: len(days)], index=days)
    # The slope is −0.1%/bp until the end of 2021 and +0.2%/bp after.
    y = pd.Series(np.where(days <= "2021-12-31", -0.1, 0.2) * x.to_numpy(), index=days)
    ends = pd.to_datetime(["2021-12-31", "2023-06-30", "2024-12-31", "2020-01-03"])
    got = rolling_reaction(y, x, days, ends, years=1)
    assert got.loc["2021-12-31", "beta_per_10bp"] == pytest.approx(-1.0)
    assert got.loc["2023-06-30", "beta_per_10bp"] == pytest.approx(2.0)
    expected_n = ((days > pd.Timestamp("2023-06-30") - pd.DateOffset(years=1)) & (days <= "2023-06-30")).sum()
    assert got.loc["2023-06-30", "n"] == expected_n
    assert got.loc["2020-01-03", "n"] == 3 and math.isnan(got.loc["2020-01-03", "beta_per_10bp"])


def test_event_window_counts_trading_days_from_the_event():
    days = pd.bdate_range("2024-01-01", periods=30)
    levels = pd.DataFrame({"spx": np.arange(30.0)}, index=days)
    got = event_window(levels, days[3], trading_days=10)
    assert got["offset"].tolist() == list(range(-3, 11))
    assert got.loc[days[3], "offset"] == 0
    assert event_window(levels, "2023-12-31").empty


def test_reference_magnitude_is_bernanke_kuttner():
    # +1% for a 25 bp cut is −1% per +25 bp, −0.4% per +10 bp.
    assert REFERENCE_BETA_PER_10BP == pytest.approx(-0.4)
    assert Z_95 == pytest.approx(1.959963984540054)
