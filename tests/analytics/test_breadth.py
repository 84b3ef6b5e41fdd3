"""analytics.breadth: hand-computed cases, invariants, and the real snapshot."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics import breadth
from data_sources.catalogue import SECTOR_KEYS
from data_sources.contract import check_contract
from tests.conftest import SNAPSHOT_DIR, snapshot_series


def close(symbol: str) -> pd.Series:
    """A Yahoo close straight from the snapshot CSV with plain pandas (NaN rows dropped)."""
    frame = pd.read_csv(SNAPSHOT_DIR / "yahoo" / f"{symbol}.csv", index_col="Date", parse_dates=True)
    return frame["Close"].dropna()


def fred_csv(series_id: str) -> pd.Series:
    frame = pd.read_csv(SNAPSHOT_DIR / "fred" / f"{series_id}.csv", index_col=0, parse_dates=True)
    return frame.iloc[:, 0].dropna()


def common(*series: pd.Series) -> pd.DataFrame:
    return pd.concat(series, axis=1, join="inner", keys=range(len(series))).dropna()


def _days(n: int, start: str = "2024-01-01") -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n, name="date")


def _series(values, start: str = "2024-01-01") -> pd.Series:
    return pd.Series(values, index=_days(len(values), start), dtype=float)


# --- relative strength -----------------------------------------------------------------

def test_relative_strength_by_hand_on_common_dates():
    idx = _days(5)
    asset = pd.Series([10.0, 11.0, 12.0, np.nan, 15.0], index=idx)
    bench = pd.Series([20.0, 24.0, 25.0, 25.0], index=idx[1:])
    rs = breadth.relative_strength(asset, bench)
    # Common non-NaN dates: idx[1] (11/20 = 0.55), idx[2] (12/24 = 0.5), idx[4] (15/25 = 0.6).
    assert list(rs.index) == [idx[1], idx[2], idx[4]]
    assert rs.tolist() == pytest.approx([100.0, 100.0 * 10 / 11, 100.0 * 12 / 11])


def test_relative_strength_empty_and_disjoint():
    assert breadth.relative_strength(_series([]), _series([])).empty
    assert breadth.relative_strength(_series([1.0, 2.0]), _series([1.0, 2.0], "2030-01-01")).empty


def test_relative_strength_rut_vs_spx_on_snapshot_honours_contract():
    rut, spx = snapshot_series("rut"), snapshot_series("spx")
    rs = breadth.relative_strength(rut, spx)
    assert check_contract(rs) == []
    pair = common(close("^RUT"), close("^GSPC"))
    expected = pair[0] / pair[1] / (pair[0].iloc[0] / pair[1].iloc[0]) * 100
    assert list(rs.index) == list(pair.index)
    assert np.allclose(rs.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=0)
    assert rs.iloc[0] == 100.0
    assert rs.index[0] == max(rut.index[0], spx.index[0])
    assert rs.index[-1] == min(rut.index[-1], spx.index[-1])


# --- rolling beta ----------------------------------------------------------------------

def test_rolling_beta_by_hand():
    x = _series([1.0, 2.0, 3.0, 4.0])
    y = _series([1.0, 3.0, 2.0, 2.0])
    out = breadth.rolling_beta(y, x, 3)
    # Window 1..3: dx = (-1, 0, 1), dy = (-1, 1, 0): cov sum 1, var sum 2 -> beta 0.5;
    # sum dy^2 = 2 -> corr = 1 / sqrt(2 * 2) = 0.5.
    # Window 2..4: dx = (-1, 0, 1), dy = (2/3, -1/3, -1/3): cov sum -1 -> beta -0.5;
    # sum dy^2 = 6/9 -> corr = -1 / sqrt(2 * 2/3) = -sqrt(3)/2.
    assert out["beta"].iloc[:2].isna().all()
    assert out["beta"].iloc[2:].tolist() == pytest.approx([0.5, -0.5])
    assert out["corr"].iloc[2:].tolist() == pytest.approx([0.5, -math.sqrt(3) / 2])
    assert out["n"].tolist() == [1, 2, 3, 3]


def test_rolling_beta_of_exact_line_is_its_slope_and_skips_nan():
    x = _series([0.5, -1.0, 2.0, 0.0, 3.0, -2.0])
    y = 2.0 * x + 3.0
    y.iloc[3] = np.nan
    out = breadth.rolling_beta(y, x, 3)
    assert x.index[3] not in out.index
    assert out["beta"].dropna().tolist() == pytest.approx([2.0, 2.0, 2.0])
    assert out["corr"].dropna().tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_rolling_beta_constant_x_and_empty():
    out = breadth.rolling_beta(_series([1.0, 2.0, 4.0]), _series([5.0, 5.0, 5.0]), 3)
    assert out["beta"].isna().all() and out["corr"].isna().all()
    empty = breadth.rolling_beta(_series([]), _series([]), 3)
    assert empty.empty and list(empty.columns) == ["beta", "corr", "n"]


def test_relative_rate_beta_by_hand_across_a_yield_holiday():
    idx = _days(5)
    yield_pct = pd.Series([4.00, 4.10, 4.05, 4.25], index=idx[[0, 1, 3, 4]])  # idx[2]: no yield
    bench = pd.Series(100.0, index=idx)
    # ln(asset/bench) falls 0.0005 per bp of yield: beta = -0.0005 per bp = -0.5 % per 10 bp.
    asset = bench * np.exp(-0.0005 * (yield_pct.reindex(idx).fillna(99.0) - 4.0) * 100.0)
    out = breadth.relative_rate_beta(asset, bench, yield_pct, 3)
    assert idx[2] not in out.index
    assert out["beta"].dropna().tolist() == pytest.approx([-0.0005])
    assert out["beta_per_10bp_pct"].dropna().tolist() == pytest.approx([-0.5])


def test_relative_rate_beta_rut_spx_on_2y_runs_on_full_history():
    rut, spx, two_year = snapshot_series("rut"), snapshot_series("spx"), snapshot_series("t_2y")
    levels = common(close("^RUT"), close("^GSPC"), fred_csv("DGS2"))
    rel = np.log(levels[0] / levels[1]).diff()
    d_bp = levels[2].diff() * 100
    for window in breadth.BETA_WINDOWS.values():
        out = breadth.relative_rate_beta(rut, spx, two_year, window)
        # One row per common date after the first (the first has no change).
        assert list(out.index) == list(levels.index[1:])
        full = out.iloc[window - 1:]
        assert full["beta"].notna().all() and out["beta"].iloc[: window - 1].isna().all()
        assert (full["n"] == window).all()
        # The last and a middle window by plain numpy OLS on the same days.
        for end in (len(levels), len(levels) // 2):
            x, y = d_bp.iloc[end - window:end], rel.iloc[end - window:end]
            slope = np.polyfit(x, y, 1)[0]
            row = out.loc[levels.index[end - 1]]
            assert row["beta"] == pytest.approx(slope, rel=1e-9)
            assert row["beta_per_10bp_pct"] == pytest.approx(slope * 1000, rel=1e-9)
            assert row["corr"] == pytest.approx(np.corrcoef(x, y)[0, 1], rel=1e-9)


# --- drawdown and records --------------------------------------------------------------

def test_drawdown_and_records_by_hand():
    price = _series([100.0, 110.0, 99.0, 121.0, 121.0, np.nan, 60.5])
    dd = breadth.drawdown_from_high(price)
    assert dd.iloc[:5].tolist() == pytest.approx([0.0, 0.0, -10.0, 0.0, 0.0])
    assert np.isnan(dd.iloc[5]) and dd.iloc[6] == pytest.approx(-50.0)
    assert breadth.record_highs(price).tolist() == [False, True, False, True, False, False, False]


def test_drawdown_and_records_on_russell_2000():
    rut = snapshot_series("rut")
    dd, records = breadth.drawdown_from_high(rut), breadth.record_highs(rut)
    raw = close("^RUT")
    expected_dd = (raw / raw.cummax() - 1) * 100
    assert np.allclose(dd.to_numpy(), expected_dd.reindex(dd.index).to_numpy(), rtol=0, atol=1e-12)
    high = -np.inf
    record_days = []
    for day, level in raw.items():  # a record beats every earlier close
        if level > high:
            record_days.append(day)
            high = level
    assert list(rut.index[records]) == record_days[1:]  # the first close has nothing to beat
    assert rut.index[records][-1] == raw.idxmax() == pd.Timestamp("2026-08-14")
    assert dd.iloc[-1] == pytest.approx((raw.iloc[-1] / raw.max() - 1) * 100)
    assert (dd[records] == 0).all()
    assert breadth.drawdown_from_high(_series([])).empty and breadth.record_highs(_series([])).empty


# --- sectors and baskets ---------------------------------------------------------------

def test_sector_scoreboard_by_hand():
    idx = _days(3)
    prices = pd.DataFrame({"a": [100.0, 110.0, 120.0], "b": [100.0, 90.0, 100.0],
                           "c": [np.nan, 50.0, 55.0]}, index=idx)
    bench = pd.Series([100.0, 100.0, 105.0], index=idx)
    board = breadth.sector_scoreboard(prices, bench, 2)
    # a: +20 %, b: 0 %, bench +5 % -> a +15 pp, b -5 pp; c has only 2 common closes.
    assert board.index.tolist() == ["a", "b", "c"]
    assert board["return_pct"].iloc[:2].tolist() == pytest.approx([20.0, 0.0])
    assert board["relative_pp"].iloc[:2].tolist() == pytest.approx([15.0, -5.0])
    assert board["beats"].tolist() == [True, False, False]
    assert np.isnan(board.loc["c", "relative_pp"])
    assert breadth.sectors_beating(board) == (1, 2)
    one_day = breadth.sector_scoreboard(prices, bench, 1)
    # Last day, bench +5 %: b 100/90 - 1 = 11.11 %, c 55/50 - 1 = 10 %, a 120/110 - 1 = 9.09 %.
    assert one_day.index.tolist() == ["b", "c", "a"]
    assert one_day["relative_pp"].tolist() == pytest.approx([100 / 9 - 5, 5.0, 100 / 11 - 5])
    assert breadth.sectors_beating(one_day) == (3, 3)


def test_sector_scoreboard_on_snapshot_sectors_vs_spy():
    prices = pd.concat({k: snapshot_series(k) for k in SECTOR_KEYS}, axis=1)
    spy = snapshot_series("spy")
    board = breadth.sector_scoreboard(prices, spy, breadth.WINDOWS["3M"])
    assert len(board) == len(SECTOR_KEYS)
    expected = {}
    for key in SECTOR_KEYS:
        pair = common(close(key.upper()), close("SPY"))
        own, bench = ((pair[c].iloc[-1] / pair[c].iloc[-64] - 1) * 100 for c in (0, 1))
        expected[key] = own - bench
    expected = pd.Series(expected).sort_values(ascending=False)
    assert list(board.index) == list(expected.index)
    assert np.allclose(board["relative_pp"].to_numpy(), expected.to_numpy(), rtol=0, atol=1e-9)
    assert breadth.sectors_beating(board) == (int((expected > 0).sum()), len(SECTOR_KEYS))
    assert (board["end"] == spy.index[-1]).all()


def test_equal_weight_basket_by_hand():
    prices = pd.DataFrame({"a": [100.0, 110.0, 99.0], "b": [50.0, 50.0, 60.0]}, index=_days(3))
    # Daily mean simple returns: (10 % + 0 %)/2 = 5 %, (-10 % + 20 %)/2 = 5 %.
    assert breadth.equal_weight_basket(prices, ["a", "b"]).tolist() == pytest.approx([100.0, 105.0, 110.25])


def test_cyclicals_vs_defensives_by_hand_and_on_snapshot():
    prices = pd.DataFrame({"a": [100.0, 110.0, 99.0], "b": [50.0, 50.0, 60.0], "c": [10.0, 10.0, 11.0]},
                          index=_days(3))
    rs = breadth.cyclicals_vs_defensives(prices, ("a", "b"), ("c",))
    assert rs.tolist() == pytest.approx([100.0, 105.0, 110.25 / 1.1])
    sectors = pd.concat({k: snapshot_series(k) for k in breadth.CYCLICALS + breadth.DEFENSIVES}, axis=1)
    real = breadth.cyclicals_vs_defensives(sectors)
    assert check_contract(real) == []

    def basket(symbols):  # daily-rebalanced equal weight on the days all members trade
        closes = pd.concat([close(s) for s in symbols], axis=1, join="inner").dropna()
        return (1 + closes.pct_change().mean(axis=1).fillna(0)).cumprod()

    pair = common(basket(["XLI", "XLF", "XLE", "XLB", "XLY"]), basket(["XLU", "XLP", "XLV"]))
    expected = pair[0] / pair[1] / (pair[0].iloc[0] / pair[1].iloc[0]) * 100
    assert list(real.index) == list(pair.index)
    assert np.allclose(real.to_numpy(), expected.to_numpy(), rtol=1e-10, atol=0)


# --- cap minus equal -------------------------------------------------------------------

def test_cap_minus_equal_by_hand():
    cap = _series([100.0, 110.0, 121.0, 133.1])
    equal = _series([100.0, 100.0, 110.0, 110.0])
    out = breadth.cap_minus_equal(cap, equal, {"1D": 1, "2D": 2})
    ln11 = 100.0 * math.log(1.1)
    assert out["ln_ratio_pct"].tolist() == pytest.approx([0.0, ln11, ln11, 2 * ln11])
    assert out["1D"].iloc[1:].tolist() == pytest.approx([10.0, 0.0, 10.0])
    assert out["2D"].iloc[2:].tolist() == pytest.approx([11.0, 11.0])
    assert out["1D"].iloc[:1].isna().all() and out["2D"].iloc[:2].isna().all()


def test_cap_minus_equal_spy_rsp_on_snapshot():
    out = breadth.cap_minus_equal(snapshot_series("spy"), snapshot_series("rsp"))
    assert list(out.columns) == ["ln_ratio_pct", *breadth.WINDOWS]
    pair = common(close("SPY"), close("RSP"))
    assert list(out.index) == list(pair.index)
    log_ratio = np.log(pair[0] / pair[1])
    assert np.allclose(out["ln_ratio_pct"].to_numpy(), ((log_ratio - log_ratio.iloc[0]) * 100).to_numpy(), atol=1e-9)
    for label, window in breadth.WINDOWS.items():
        growth = pair / pair.shift(window) - 1
        expected = (growth[0] - growth[1]) * 100
        assert out[label].iloc[:window].isna().all()
        assert np.allclose(out[label].iloc[window:].to_numpy(), expected.iloc[window:].to_numpy(), atol=1e-9)
