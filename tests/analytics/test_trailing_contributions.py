"""``trailing_contributions`` (many windows via telescoping sums) against the one-window
functions ``window_contributions`` / ``window_total_return`` and against a hand computation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics import decomposition as dec


def frame(n: int = 40, seed: int = 7) -> tuple[pd.Series, pd.Series]:
    """Seeded daily index returns on business days and a part contributing about 40% of them."""
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2026-01-01", periods=n, name="date")
    total = pd.Series(rng.normal(0.0005, 0.01, n), index=index)
    part = pd.Series(0.4 * total.to_numpy() + rng.normal(0.0, 0.002, n), index=index)
    return part, total


def one_window(part: pd.Series, total: pd.Series, start, end) -> tuple[float, float, pd.Timestamp, pd.Timestamp]:
    """The old way: the rows after the base row (first row ≥ start) up to the last row ≤ end."""
    dates = part.index
    base = dates[dates >= pd.Timestamp(start)][0]
    last = dates[dates <= pd.Timestamp(end)][-1]
    rows = (dates > base) & (dates <= last)
    contribution = dec.window_contributions(part[rows].to_frame("part"), total[rows])["part"]
    return float(contribution), dec.window_total_return(total[rows]), base, last


def test_many_windows_equal_window_contributions_one_by_one():
    part, total = frame()
    dates = part.index
    starts = [dates[0], dates[3], pd.Timestamp("2026-01-10"), dates[10], dates[0]]  # 01-10 is a Saturday
    ends = [dates[-1], dates[20], dates[25], pd.Timestamp("2026-02-01"), dates[1]]  # 02-01 is a Sunday
    out = dec.trailing_contributions(part, total, starts, ends)
    assert list(out.columns) == ["part", "total", "base", "end"]
    assert out.index.equals(pd.DatetimeIndex(ends))
    for k, (start, end) in enumerate(zip(starts, ends)):
        want_part, want_total, base, last = one_window(part, total, start, end)
        assert out["part"].iloc[k] == pytest.approx(want_part, rel=1e-12, abs=1e-15)
        assert out["total"].iloc[k] == pytest.approx(want_total, rel=1e-12, abs=1e-15)
        assert (out["base"].iloc[k], out["end"].iloc[k]) == (base, last)
    # A Saturday start uses the Monday after; a Sunday end the Friday before.
    assert out["base"].iloc[2] == pd.Timestamp("2026-01-12") and out["end"].iloc[3] == pd.Timestamp("2026-01-30")


def test_windows_with_fewer_than_two_rows_are_nan():
    part, total = frame(10)
    dates = part.index
    starts = [dates[4], dates[6], dates[-1] + pd.Timedelta(days=3), dates[0] - pd.Timedelta(days=30), dates[2]]
    ends = [dates[4], dates[5], dates[-1] + pd.Timedelta(days=10), dates[0] - pd.Timedelta(days=1), dates[3]]
    out = dec.trailing_contributions(part, total, starts, ends)
    # One row, start after end, after the data, before the data: NaN / NaT. Two rows: one day counted.
    assert out["part"].iloc[:4].isna().all() and out["total"].iloc[:4].isna().all()
    assert out["base"].iloc[:4].isna().all() and out["end"].iloc[:4].isna().all()
    assert out["part"].iloc[4] == pytest.approx(part.iloc[3]) and out["total"].iloc[4] == pytest.approx(total.iloc[3])
    empty = pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    none = dec.trailing_contributions(empty, empty, [dates[0]], [dates[-1]])
    assert none["part"].isna().all() and none["total"].isna().all() and none["end"].isna().all()


def test_three_days_by_hand():
    index = pd.bdate_range("2026-06-24", periods=3)  # 06-24, 06-25, 06-26
    total = pd.Series([0.01, 0.10, -0.05], index=index)
    part = pd.Series([0.5, 0.04, -0.02], index=index)  # the base row's 0.5 must not count
    out = dec.trailing_contributions(part, total, [index[0], index[1]], [index[2], index[2]])
    # From 06-24: 0.04 + (1 + 0.10)·(−0.02) = 0.018 of a total 1.10·0.95 − 1 = 0.045.
    assert out["part"].iloc[0] == pytest.approx(0.018) and out["total"].iloc[0] == pytest.approx(0.045)
    # From 06-25: only 06-26 counts: −0.02 of −0.05.
    assert out["part"].iloc[1] == pytest.approx(-0.02) and out["total"].iloc[1] == pytest.approx(-0.05)
    assert list(out["base"]) == [index[0], index[1]] and list(out["end"]) == [index[2], index[2]]
