"""analytics.decomposition.earnings_vs_multiple, cap_weighted_split and their many-window form
(weighted_parts, last_known, trailing_earnings_split): hand-computed cases.

Every expected number is worked out here with math.log on the inputs, not read back from the
function: P 100 -> 150 with TTM EPS 2.00 -> 2.50 is +40.55 price = +22.31 earnings + 18.23
multiple (P/E 50 -> 60).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics.decomposition import (cap_weighted_split, earnings_vs_multiple, last_known, trailing_earnings_split,
                                     weighted_parts)

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


# -- weighted_parts: the row-wise average behind cap_weighted_split ----------------------------


def test_weighted_parts_row_by_row_by_hand():
    rows = pd.DatetimeIndex(["2024-01-31", "2024-02-29"])
    price = pd.DataFrame({"a": [10.0, 20.0], "b": [-4.0, 6.0], "c": [1.0, 2.0]}, index=rows)
    eps = pd.DataFrame({"a": [2.0, 4.0], "b": [1.0, np.nan], "c": [3.0, 5.0]}, index=rows)
    parts = {"price_pct": price, "eps_pct": eps, "multiple_pct": price - eps}
    # Row 1: c's cap is 0 (not positive), so a and b share 300 : 100 and cover all positive caps.
    # Row 2: b has no eps_pct, so a and c share 200 : 50 and cover 250 of the 350 positive caps.
    caps = pd.DataFrame({"a": [300.0, 200.0], "b": [100.0, 100.0], "c": [0.0, 50.0]}, index=rows)
    out = weighted_parts(parts, caps)
    assert list(out.columns) == ["price_pct", "eps_pct", "multiple_pct", "covered"]
    assert out.index.equals(rows)
    assert out.loc[rows[0], "price_pct"] == pytest.approx(0.75 * 10.0 + 0.25 * -4.0)
    assert out.loc[rows[0], "eps_pct"] == pytest.approx(0.75 * 2.0 + 0.25 * 1.0)
    assert out.loc[rows[0], "multiple_pct"] == pytest.approx(0.75 * 8.0 + 0.25 * -5.0)
    assert out.loc[rows[0], "covered"] == 1.0
    assert out.loc[rows[1], "price_pct"] == pytest.approx(0.8 * 20.0 + 0.2 * 2.0)
    assert out.loc[rows[1], "eps_pct"] == pytest.approx(0.8 * 4.0 + 0.2 * 5.0)
    assert out.loc[rows[1], "multiple_pct"] == pytest.approx(0.8 * 16.0 + 0.2 * -3.0)
    assert out.loc[rows[1], "covered"] == pytest.approx(250 / 350)


# -- last_known: "as known then", many dates at once --------------------------------------------


def test_last_known_by_hand():
    series = closes({"2024-01-02": 1.0, "2024-01-04": np.nan, "2024-01-05": 3.0, "2024-01-10": 4.0})
    on = ["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-09", "2024-01-10", "2024-03-01"]
    values, dates = last_known(series, on)
    # 01-01 is before the first observation; 01-04's NaN is skipped back to 01-02; an observation
    # dated on the day itself is known that day; after the last one it carries on.
    np.testing.assert_array_equal(values, [np.nan, 1.0, 1.0, 3.0, 4.0, 4.0])
    expected = [None, "2024-01-02", "2024-01-02", "2024-01-05", "2024-01-10", "2024-01-10"]
    assert [None if pd.isna(d) else pd.Timestamp(d) for d in dates] == [
        None if d is None else pd.Timestamp(d) for d in expected]


def test_last_known_dates_in_any_order_and_no_observations():
    series = closes({"2024-01-02": 1.0, "2024-01-05": 3.0})
    values, dates = last_known(series, ["2024-01-06", "2024-01-01", "2024-01-03"])
    np.testing.assert_array_equal(values, [3.0, np.nan, 1.0])
    assert pd.Timestamp(dates[0]) == pd.Timestamp("2024-01-05") and pd.isna(dates[1])
    for nothing in (ttm({}), closes({"2024-01-02": np.nan})):
        values, dates = last_known(nothing, ["2024-01-01", "2024-01-03"])
        assert len(values) == 2 and np.isnan(values).all() and pd.isna(dates).all()


# -- trailing_earnings_split: many windows at once ----------------------------------------------
#
# Three companies, closes on a few dates (NaN where a company has no close), TTM EPS by filing
# date, market caps with one missing reading (c on 02-01):
#
#   close   01-02  02-01  03-01  04-01  04-19  05-01      TTM EPS (filed)
#   a        100    110    121    125     -     150       a: 11-01 4.0, 02-15 4.4, 04-15 5.0
#   b         50     40     45     60     -      55       b: 11-01 2.0, 02-15 2.2, 04-25 −0.5
#   c         20     22     30     33     34     36       c: 02-20 1.0 (first filing), 04-20 1.25
#   cap a    300    330    363    375
#   cap b    100     80     90    120
#   cap c     40     NaN    60     66

CLOSE_DATES = pd.DatetimeIndex(["2024-01-02", "2024-02-01", "2024-03-01", "2024-04-01", "2024-04-19",
                                "2024-05-01"])
PRICES = pd.DataFrame({"a": [100.0, 110.0, 121.0, 125.0, np.nan, 150.0],
                       "b": [50.0, 40.0, 45.0, 60.0, np.nan, 55.0],
                       "c": [20.0, 22.0, 30.0, 33.0, 34.0, 36.0]}, index=CLOSE_DATES)
TTM = {"a": ttm({"2023-11-01": 4.0, "2024-02-15": 4.4, "2024-04-15": 5.0}),
       "b": ttm({"2023-11-01": 2.0, "2024-02-15": 2.2, "2024-04-25": -0.5}),
       "c": ttm({"2024-02-20": 1.0, "2024-04-20": 1.25})}
CAPS = pd.DataFrame({"a": [300.0, 330.0, 363.0, 375.0], "b": [100.0, 80.0, 90.0, 120.0],
                     "c": [40.0, np.nan, 60.0, 66.0]}, index=CLOSE_DATES[:4])
# Window 0: nobody has a close by its start. Window 1: c's first TTM is filed after the start.
# Window 2: all three (c's 1.25 is filed on the end day; b's −0.5 five days after it). Window 3:
# b's TTM is negative at the end; c's first TTM is filed on the start day.
STARTS = pd.DatetimeIndex(["2023-12-01", "2024-01-02", "2024-02-29", "2024-02-20"])
ENDS = pd.DatetimeIndex(["2024-01-31", "2024-03-01", "2024-04-20", "2024-04-30"])


def pct(ratio: float) -> float:
    return 100 * math.log(ratio)


def test_trailing_earnings_split_by_hand():
    out = trailing_earnings_split(PRICES, TTM, CAPS, STARTS, ENDS)
    assert out.index.equals(ENDS)
    assert list(out.columns) == ["price_pct", "eps_pct", "multiple_pct", "covered", "members", "end"]
    w0, w1, w2, w3 = (out.loc[end] for end in ENDS)

    # 0: no close on or before 2023-12-01 for anyone: nothing is defined, nothing is covered. The
    # last close by the end is still reported (01-02), as earnings_vs_multiple's ``end`` is.
    assert np.isnan(w0.price_pct) and np.isnan(w0.eps_pct) and np.isnan(w0.multiple_pct)
    assert w0.covered == 0.0 and w0.members == 0 and w0.end == pd.Timestamp("2024-01-02")

    # 1: 01-02 → 03-01. a: 100 → 121, EPS 4.0 → 4.4; b: 50 → 45, EPS 2.0 → 2.2; c is left out
    # (no TTM by 01-02). Caps at 01-02: 300 / 100 / 40 → a and b weigh 0.75 / 0.25, covering 400 of 440.
    assert w1.price_pct == pytest.approx(0.75 * pct(121 / 100) + 0.25 * pct(45 / 50))
    assert w1.eps_pct == pytest.approx(0.75 * pct(4.4 / 4.0) + 0.25 * pct(2.2 / 2.0))
    assert w1.multiple_pct == pytest.approx(0.75 * pct((121 / 4.4) / (100 / 4.0)) + 0.25 * pct((45 / 2.2) / (50 / 2.0)))
    assert w1.covered == pytest.approx(400 / 440)
    assert w1.members == 2 and w1.end == pd.Timestamp("2024-03-01")

    # 2: 02-29 → 04-20. Closes from 02-01 (a 110, b 40, c 22) to a 125 and b 60 (04-01) and c 34
    # (04-19). EPS a 4.4 → 5.0, b 2.2 → 2.2 (the −0.5 is filed after the end), c 1.0 → 1.25 (filed
    # on the end day). Caps at 02-29: a 330, b 80 (02-01) and c 40 (its 02-01 cap is missing, so
    # the 01-02 one): weights 330 / 80 / 40 of 450.
    wa, wb, wc = 330 / 450, 80 / 450, 40 / 450
    assert w2.price_pct == pytest.approx(wa * pct(125 / 110) + wb * pct(60 / 40) + wc * pct(34 / 22))
    assert w2.eps_pct == pytest.approx(wa * pct(5.0 / 4.4) + wb * 0.0 + wc * pct(1.25 / 1.0))
    assert w2.multiple_pct == pytest.approx(
        wa * pct((125 / 5.0) / (110 / 4.4)) + wb * pct(60 / 40) + wc * pct((34 / 1.25) / (22 / 1.0)))
    assert w2.covered == pytest.approx(1.0)
    assert w2.members == 3 and w2.end == pd.Timestamp("2024-04-19")

    # 3: 02-20 → 04-30. b's TTM at the end is −0.5: left out. c's 1.0 was filed on 02-20, so it is
    # known at the start. Caps at 02-20 as in window 2: a and c weigh 330 / 40 of 370, covering
    # 370 of 450.
    wa, wc = 330 / 370, 40 / 370
    assert w3.price_pct == pytest.approx(wa * pct(125 / 110) + wc * pct(34 / 22))
    assert w3.eps_pct == pytest.approx(wa * pct(5.0 / 4.4) + wc * pct(1.25 / 1.0))
    assert w3.multiple_pct == pytest.approx(wa * pct((125 / 5.0) / (110 / 4.4)) + wc * pct((34 / 1.25) / (22 / 1.0)))
    assert w3.covered == pytest.approx(370 / 450)
    assert w3.members == 2 and w3.end == pd.Timestamp("2024-04-19")

    # The identity price = earnings + multiple carries over to every defined window.
    defined = out.dropna(subset=["price_pct"])
    np.testing.assert_allclose(defined.price_pct, defined.eps_pct + defined.multiple_pct, rtol=0, atol=1e-12)


def _caps_at(start) -> pd.Series:
    """Each company's cap as known on start: its last non-NaN reading dated on or before it."""
    known = CAPS.loc[:pd.Timestamp(start)]
    return known.ffill().iloc[-1] if len(known) else pd.Series(np.nan, index=CAPS.columns)


def _same(got: float, expected: float) -> bool:
    return (np.isnan(got) and np.isnan(expected)) or abs(got - expected) <= 1e-12


def test_trailing_earnings_split_equals_the_one_window_functions():
    # The hand windows, every ordered pair of a few dates, and two windows either side of b's
    # −0.5 filing (04-25): ending the day before it, it must not be seen (no look-ahead).
    grid = pd.DatetimeIndex(["2023-12-01", "2024-01-02", "2024-02-15", "2024-02-20", "2024-03-15", "2024-04-15",
                             "2024-04-24", "2024-04-25", "2024-05-31"])
    pairs = [(s, e) for s in grid for e in grid if e >= s]
    starts = list(STARTS) + [s for s, _ in pairs] + [pd.Timestamp("2024-01-02")] * 2
    ends = list(ENDS) + [e for _, e in pairs] + [pd.Timestamp("2024-04-24"), pd.Timestamp("2024-04-25")]
    # ``trailing_earnings_split`` is indexed by the ends, which repeat here: compare by position.
    out = trailing_earnings_split(PRICES, TTM, CAPS, starts, ends)
    assert len(out) == len(starts)
    for k, (start, end) in enumerate(zip(starts, ends)):
        splits = {name: earnings_vs_multiple(PRICES[name], TTM[name], start, end) for name in TTM}
        together = cap_weighted_split(splits, _caps_at(start))
        row = out.iloc[k]
        for part in ("price_pct", "eps_pct", "multiple_pct", "covered"):
            assert _same(row[part], getattr(together, part)), (start, end, part, row[part], getattr(together, part))
        assert row["members"] == sum(not np.isnan(s.eps_pct) for s in splits.values()), (start, end)
        last = [s.end for s in splits.values() if s.end is not None]
        assert (row["end"] == max(last)) if last else pd.isna(row["end"]), (start, end)
    # The look-ahead pair (from 01-02, when c had no TTM yet): ending 04-24, b is in with its 2.2
    # (filed 02-15), the −0.5 of 04-25 unseen; ending 04-25, b is out and only a is left.
    before, on_the_day = out.iloc[-2], out.iloc[-1]
    assert before["members"] == 2 and on_the_day["members"] == 1
    assert before["eps_pct"] == pytest.approx(0.75 * pct(5.0 / 4.0) + 0.25 * pct(2.2 / 2.0))
    assert before["price_pct"] == pytest.approx(0.75 * pct(125 / 100) + 0.25 * pct(60 / 50))
    assert before["covered"] == pytest.approx(400 / 440)
    assert on_the_day["eps_pct"] == pytest.approx(pct(5.0 / 4.0))
    assert on_the_day["price_pct"] == pytest.approx(pct(125 / 100))
    assert on_the_day["covered"] == pytest.approx(300 / 440)
