"""analytics.decomposition.earnings_vs_multiple and cap_weighted_split: hand-computed cases.

Every expected number is worked out here with math.log on the inputs, not read back from the
function: P 100 -> 150 with TTM EPS 2.00 -> 2.50 is +40.55 price = +22.31 earnings + 18.23
multiple (P/E 50 -> 60).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.decomposition import cap_weighted_split, earnings_vs_multiple

START, END = "2024-03-01", "2024-06-28"  # a Friday and a Friday


def closes(values: dict[str, float]) -> pd.Series:
    series = pd.Series(values, dtype=float)
    series.index = pd.DatetimeIndex(series.index, name="date")
    return series.rename("close")


def ttm(values: dict[str, float]) -> pd.Series:
    """TTM EPS indexed by the date each value became known (its filing date)."""
    series = pd.Series(values, dtype=float)
    series.index = pd.DatetimeIndex(series.index, name="date")
    return series.rename("ttm_eps")


PRICE = closes({"2024-02-29": 95.0, START: 100.0, "2024-04-15": 120.0, END: 150.0, "2024-07-01": 160.0})
EPS = ttm({"2024-02-20": 2.0, "2024-05-29": 2.5})


def test_price_move_is_earnings_plus_multiple_by_hand():
    split = earnings_vs_multiple(PRICE, EPS, START, END)
    assert split.price_pct == pytest.approx(100 * math.log(150 / 100))  # 40.5465
    assert split.eps_pct == pytest.approx(100 * math.log(2.5 / 2.0))  # 22.3144
    assert split.multiple_pct == pytest.approx(100 * math.log(60 / 50))  # 18.2322
    assert split.price_pct == pytest.approx(split.eps_pct + split.multiple_pct)
    assert (split.eps_start, split.eps_end) == (2.0, 2.5)
    assert (split.pe_start, split.pe_end) == (50.0, 60.0)
    assert (split.start, split.end) == (pd.Timestamp(START), pd.Timestamp(END))
    assert split.reason == ""


def test_dates_between_closes_use_the_last_close_before_them():
    split = earnings_vs_multiple(PRICE, EPS, "2024-03-03", "2024-06-30")  # Sunday, Sunday
    assert (split.start, split.end) == (pd.Timestamp(START), pd.Timestamp(END))
    assert split.price_pct == pytest.approx(100 * math.log(1.5))


def test_nan_closes_are_skipped():
    price = PRICE.copy()
    price[END] = np.nan
    split = earnings_vs_multiple(price, EPS, START, END)
    assert split.end == pd.Timestamp("2024-04-15")
    assert split.price_pct == pytest.approx(100 * math.log(120 / 100))


def test_no_look_ahead_a_ttm_filed_the_day_after_end_is_not_used():
    eps = ttm({"2024-02-20": 2.0, "2024-05-29": 2.5, "2024-06-29": 4.0})
    split = earnings_vs_multiple(PRICE, eps, START, END)
    assert split.eps_end == 2.5
    assert split.eps_pct == pytest.approx(100 * math.log(2.5 / 2.0))
    # Filed on the end date itself it is known that day.
    on_the_day = earnings_vs_multiple(PRICE, ttm({"2024-02-20": 2.0, END: 4.0}), START, END)
    assert on_the_day.eps_end == 4.0


def test_ttm_known_only_after_start_is_not_used_at_start():
    eps = ttm({"2024-02-20": 2.0, "2024-03-02": 3.0})  # the next filing lands the day after start
    split = earnings_vs_multiple(PRICE, eps, START, END)
    assert split.eps_start == 2.0 and split.eps_end == 3.0


def test_non_positive_ttm_at_start_gives_nan_and_a_reason():
    eps = ttm({"2024-02-20": -0.12, "2024-05-29": 2.5})
    split = earnings_vs_multiple(PRICE, eps, START, END)
    assert np.isnan(split.eps_pct) and np.isnan(split.multiple_pct) and np.isnan(split.pe_start)
    assert split.price_pct == pytest.approx(100 * math.log(1.5))  # the price move is still known
    assert split.pe_end == pytest.approx(150 / 2.5)
    assert split.reason == "TTM EPS was not positive at the start (\u22120.12), so P/E is undefined."


def test_non_positive_ttm_at_end_and_at_both_ends():
    at_end = earnings_vs_multiple(PRICE, ttm({"2024-02-20": 2.0, "2024-05-29": 0.0}), START, END)
    assert np.isnan(at_end.eps_pct) and np.isnan(at_end.multiple_pct) and np.isnan(at_end.pe_end)
    assert at_end.reason == "TTM EPS was not positive at the end (0.00), so P/E is undefined."
    both = earnings_vs_multiple(PRICE, ttm({"2024-02-20": -0.3, "2024-05-29": -0.05}), START, END)
    assert np.isnan(both.eps_pct)
    assert both.reason == ("TTM EPS was not positive at the start (\u22120.30) and at the end (\u22120.05), "
                           "so P/E is undefined.")


def test_no_ttm_by_start_gives_nan_and_a_reason():
    split = earnings_vs_multiple(PRICE, ttm({"2024-03-04": 2.0}), START, END)
    assert np.isnan(split.eps_start) and split.eps_end == 2.0
    assert np.isnan(split.eps_pct) and np.isnan(split.multiple_pct) and np.isnan(split.pe_start)
    assert split.reason == "No TTM EPS had been filed by 2024-03-01, so the earnings part is unknown."
    empty = earnings_vs_multiple(PRICE, ttm({}), START, END)
    assert np.isnan(empty.eps_pct) and "No TTM EPS" in empty.reason


def test_no_close_by_start_gives_nan_everywhere():
    split = earnings_vs_multiple(PRICE, EPS, "2024-01-31", END)
    assert split.start is None and np.isnan(split.price_pct) and np.isnan(split.eps_pct)
    assert split.reason == "No close on or before 2024-01-31, so the move cannot be measured."


def test_end_before_start_is_an_error():
    with pytest.raises(ValueError, match="before start"):
        earnings_vs_multiple(PRICE, EPS, END, START)


# -- cap-weighted aggregate --------------------------------------------------------------------


def test_cap_weighted_split_by_hand():
    a = earnings_vs_multiple(PRICE, EPS, START, END)  # +40.55 = 22.31 + 18.23
    b = earnings_vs_multiple(closes({START: 50.0, END: 45.0}), ttm({"2024-01-01": 1.0, "2024-05-01": 1.2}),
                             START, END)  # −10.54 = +18.23 − 28.77
    caps = pd.Series({"a": 300.0, "b": 100.0})  # weights 0.75 / 0.25
    total = cap_weighted_split({"a": a, "b": b}, caps)
    assert total.price_pct == pytest.approx(0.75 * 100 * math.log(1.5) + 0.25 * 100 * math.log(0.9))
    assert total.eps_pct == pytest.approx(0.75 * 100 * math.log(1.25) + 0.25 * 100 * math.log(1.2))
    assert total.price_pct == pytest.approx(total.eps_pct + total.multiple_pct)
    assert total.covered == 1.0 and total.left_out == ()


def test_cap_weighted_split_leaves_out_undefined_members_and_says_so():
    a = earnings_vs_multiple(PRICE, EPS, START, END)
    loss = earnings_vs_multiple(PRICE, ttm({"2024-02-20": -1.0, "2024-05-29": 2.5}), START, END)
    total = cap_weighted_split({"a": a, "loss": loss, "no_cap": a}, pd.Series({"a": 300.0, "loss": 100.0}))
    assert total.price_pct == pytest.approx(a.price_pct)  # only "a" is averaged
    assert total.eps_pct == pytest.approx(a.eps_pct)
    assert total.covered == pytest.approx(300 / 400)
    assert total.left_out == ("loss", "no_cap")
    nothing = cap_weighted_split({"loss": loss}, pd.Series({"loss": 100.0}))
    assert np.isnan(nothing.price_pct) and np.isnan(nothing.eps_pct) and nothing.covered == 0.0
