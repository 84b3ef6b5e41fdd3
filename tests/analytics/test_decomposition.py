"""analytics.decomposition: hand-computed cases, invariants, and real weights and caps."""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest

from analytics import decomposition as dec
from analytics import transforms
from analytics.breadth import WINDOWS
from data_sources.catalogue import MEGA_CAP_KEYS
from tests.conftest import SHARED_DATA, snapshot_series

SHARES_DIR = SHARED_DATA / "shares"
ANCHOR_FILE = SHARES_DIR / "other" / "mags_market_data_2024-12-13.json"
IVV_FILES = {
    "2023-12-20": "IVV_holdings_2023-12-20_inferred.csv",
    "2024-12-06": "IVV_holdings_2024-12-06.csv",
    "2025-11-18": "IVV_holdings_2025-11-18.csv",
}
# Tolerances vs the real IVV weights, in percentage points of the index. Our weights use
# full market caps over the anchor's full-cap total (Polygon, 503 names); S&P weights are
# float-adjusted. The full total exceeds the float total by roughly 10 %, so names with
# (nearly) all shares in the float (AAPL MSFT NVDA) come out about 10 % low (~0.7 pp on a
# 7 % weight) while founder-controlled names (AMZN GOOGL META TSLA, float factor < 1) are
# partly offset and come out a few % high. On top: weighted-average vs point share counts
# (~1 %), dividend-adjusted closes (up to ~1.5 % two years back), and the drift of the
# total-cap / index-level ratio a year away from the anchor. Measured: worst name 0.82 pp
# (MSFT 2023-12-20), worst sum of the seven -1.65 pp (2024-12-06).
NAME_TOLERANCE_PP = 1.0
NAME_TOLERANCE_RELATIVE = 0.15
SUM_TOLERANCE_PP = 2.5
# Our caps vs Polygon's caps on the anchor date: same share counts; only the dividend
# adjustment of the closes differs (< 1 % for these payers within a year).
ANCHOR_CAP_TOLERANCE = 0.02


def _days(n: int, start: str = "2024-01-01") -> pd.DatetimeIndex:
    return pd.bdate_range(start, periods=n, name="date")


# --- contributions, rest, window aggregation ------------------------------------------

@pytest.fixture()
def two_members():
    idx = _days(3)
    weights = pd.DataFrame({"a": [0.5, 0.6, 0.7], "b": [0.3, 0.2, 0.1]}, index=idx)
    returns = pd.DataFrame({"a": [np.nan, 0.02, -0.05], "b": [np.nan, -0.01, 0.10]}, index=idx)
    index_return = pd.Series([np.nan, 0.01, -0.02], index=idx)
    return returns, weights, index_return


def test_contributions_by_hand(two_members):
    returns, weights, index_return = two_members
    parts = dec.contributions(returns, weights, index_return)
    # Day 1: a 0.5*0.02 = 0.01, b 0.3*-0.01 = -0.003, rest 0.01 - 0.007 = 0.003.
    # Day 2: a 0.6*-0.05 = -0.03, b 0.2*0.10 = 0.02, rest -0.02 - (-0.01) = -0.01.
    assert parts.iloc[0].isna().all()
    assert parts.iloc[1].tolist() == pytest.approx([0.01, -0.003, 0.003])
    assert parts.iloc[2].tolist() == pytest.approx([-0.03, 0.02, -0.01])
    assert parts.iloc[1:].sum(axis=1).tolist() == pytest.approx(index_return.iloc[1:].tolist())
    members_only = dec.contributions(returns, weights)
    assert list(members_only.columns) == ["a", "b"]


def test_rest_return_by_hand(two_members):
    rest = dec.rest_return(*two_members)
    # Rest weight at the previous close is 1 - 0.8 = 0.2 both days: 0.003/0.2, -0.01/0.2.
    assert np.isnan(rest.iloc[0])
    assert rest.iloc[1:].tolist() == pytest.approx([0.015, -0.05])


def test_window_contributions_sum_to_window_total_by_hand(two_members):
    returns, weights, index_return = two_members
    parts = dec.contributions(returns, weights, index_return).iloc[1:]
    window = dec.window_contributions(parts, index_return)
    # Growth before day 2 = 1.01: a 0.01 + 1.01*-0.03 = -0.0203, b -0.003 + 1.01*0.02 = 0.0172,
    # rest 0.003 + 1.01*-0.01 = -0.0071; total 1.01*0.98 - 1 = -0.0102.
    assert window.tolist() == pytest.approx([-0.0203, 0.0172, -0.0071])
    assert window.sum() == pytest.approx(-0.0102)
    assert dec.window_total_return(index_return) == pytest.approx(-0.0102)
    assert dec.window_contributions(parts.iloc[0:0], index_return).eq(0).all()


def test_contributions_empty():
    empty = pd.DataFrame(index=_days(0))
    assert dec.contributions(empty, empty).empty


# --- split adjustment, as-of join, caps, weights --------------------------------------

def test_split_adjusted_shares_by_hand():
    shares = pd.DataFrame({
        "symbol": ["X"] * 5 + ["Y", "Y"],
        "date": ["2020-01-01", "2020-04-01", "2020-07-01", "2020-10-01", "2021-01-01",
                 "2020-01-01", "2020-06-01"],
        "shares": [100, 102, 410, 400, 1210, 1000, 98],
    })
    out = dec.split_adjusted_shares(shares)
    # X: jumps 4.02 -> 4:1 and 3.025 -> 3:1; earlier rows x12, middle rows x3.
    # Y: 0.098 -> 1:10 reverse split; the first row x0.1.
    assert out.loc[out.symbol == "X", "shares"].tolist() == pytest.approx([1200, 1224, 1230, 1200, 1210])
    assert out.loc[out.symbol == "X", "split_factor"].tolist() == pytest.approx([12, 12, 3, 3, 1])
    assert out.loc[out.symbol == "Y", "shares"].tolist() == pytest.approx([100, 98])


def test_market_caps_as_of_join_has_no_look_ahead():
    idx = _days(5, "2024-01-01")  # Mon 1 Jan .. Fri 5 Jan
    prices = pd.DataFrame({"aapl": [10.0, 11.0, 12.0, 13.0, 14.0], "msft": 1.0}, index=idx)
    shares = pd.DataFrame({"symbol": ["AAPL", "AAPL"], "date": ["2024-01-02", "2024-01-04"],
                           "shares": [100.0, 110.0]})
    caps = dec.market_caps(prices, shares)
    assert np.isnan(caps["aapl"].iloc[0])
    assert caps["aapl"].iloc[1:].tolist() == pytest.approx([1100.0, 1200.0, 1430.0, 1540.0])
    assert caps["msft"].isna().all()


def test_index_weights_by_hand():
    idx = pd.DatetimeIndex(["2024-12-12", "2024-12-13", "2024-12-16"], name="date")
    caps = pd.DataFrame({"a": [10.0, 12.0, 11.0]}, index=idx)
    level = pd.Series([100.0, 110.0, 99.0], index=idx)
    w = dec.index_weights(caps, level, 1000.0, "2024-12-12")
    # Totals 1000, 1100, 990.
    assert w["a"].tolist() == pytest.approx([0.01, 12 / 1100, 11 / 990])
    # A Saturday anchor uses Friday's level: totals 1000/110*(100, 110, 99).
    saturday = dec.index_weights(caps, level, 1000.0, "2024-12-14")
    assert saturday["a"].iloc[1] == pytest.approx(0.012)
    with pytest.raises(ValueError):
        dec.index_weights(caps, level, 1000.0, "2024-01-01")


def _real_shares() -> pd.DataFrame:
    return pd.read_csv(SHARES_DIR / "shares_outstanding.csv")


def _mega_cap_prices() -> pd.DataFrame:
    return pd.concat({k: snapshot_series(k) for k in MEGA_CAP_KEYS}, axis=1)


def _anchor() -> tuple[float, str, dict]:
    data = json.loads(ANCHOR_FILE.read_text())
    return data["sp500_details"]["total_market_cap"], data["trading_date"], data["companies"]


def _real_weights() -> pd.DataFrame:
    total, date, _ = _anchor()
    caps = dec.market_caps(_mega_cap_prices(), _real_shares())
    return dec.index_weights(caps, snapshot_series("spx"), total, date)


def _ivv_weights_pct(path) -> pd.Series:
    """Equity weights (%) by ticker from an iShares holdings file, preamble or not."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = next(i for i, line in enumerate(lines) if line.lstrip('"').startswith("Ticker"))
    table = pd.read_csv(io.StringIO("\n".join(lines[header:])))
    equity = table[table["Asset Class"] == "Equity"]
    return equity.set_index("Ticker")["Weight (%)"].astype(float)


def test_real_split_adjusted_counts_are_continuous():
    adjusted = dec.split_adjusted_shares(_real_shares())
    step = adjusted["shares"] / adjusted.groupby("symbol")["shares"].shift(1)
    assert step.dropna().between(0.9, 1.1).all()
    factors = adjusted.groupby("symbol")["split_factor"].max().to_dict()
    # SOURCES.md: AAPL 4, TSLA 5*3, AMZN 20, GOOGL 20, NVDA 4*10; MSFT and META none.
    assert factors == {"AAPL": 4, "AMZN": 20, "GOOGL": 20, "META": 1, "MSFT": 1, "NVDA": 40, "TSLA": 15}
    # NVDA reported 2.46 bn shares on 2024-05-24, before its 10:1 split of 2024-06-10: 24.6 bn today.
    nvda = adjusted[adjusted["symbol"] == "NVDA"].set_index("date")["shares"]
    assert nvda[pd.Timestamp("2024-05-24")] == 24.6e9 and nvda[pd.Timestamp("2024-08-23")] == 24.53e9


def test_market_caps_match_polygon_on_anchor_date():
    _, date, companies = _anchor()
    caps = dec.market_caps(_mega_cap_prices(), _real_shares()).loc[date]
    for key in MEGA_CAP_KEYS:
        polygon = companies[key.upper()]["market_cap"]
        assert caps[key] / polygon - 1 == pytest.approx(0, abs=ANCHOR_CAP_TOLERANCE), key


@pytest.mark.parametrize("date", sorted(IVV_FILES))
def test_weights_close_to_real_ivv_weights(date):
    ivv = _ivv_weights_pct(SHARES_DIR / "sp500_weights" / IVV_FILES[date])
    real = pd.Series({k: ivv[k.upper()] for k in MEGA_CAP_KEYS})
    real["googl"] += ivv["GOOG"]  # Alphabet = class A + class C rows
    ours = _real_weights().loc[date] * 100
    error = ours - real
    assert (error.abs() <= NAME_TOLERANCE_PP).all(), error
    assert ((ours / real - 1).abs() <= NAME_TOLERANCE_RELATIVE).all(), error
    assert abs(ours.sum() - real.sum()) <= SUM_TOLERANCE_PP


def test_real_contributions_add_up_to_the_index_return():
    weights = _real_weights()
    prices = _mega_cap_prices()
    returns = prices.pct_change(fill_method=None)
    spx = snapshot_series("spx")
    spx_return = spx.pct_change(fill_method=None)
    parts = dec.contributions(returns, weights, spx_return).dropna()
    # Rows: common trading days whose previous common day already has a count for all seven.
    shares = _real_shares()
    first_counts = pd.to_datetime(shares.groupby("symbol")["date"].min()).max()
    days = prices.dropna().index.intersection(spx.index)
    assert list(parts.index) == [d for prev, d in zip(days[:-1], days[1:]) if prev >= first_counts]
    assert np.allclose(parts.sum(axis=1), spx_return.reindex(parts.index), rtol=0, atol=1e-15)
    last_year = parts.iloc[-WINDOWS["12M"]:]
    window = dec.window_contributions(last_year, spx_return)
    total = dec.window_total_return(spx_return.reindex(last_year.index))
    assert window.sum() == pytest.approx(total, abs=1e-12)
    # Independently: grown by the index, each day's w_{t−1}·r_t is shares_{t−1}·ΔP_t over the total cap
    # at the window's base close, so a member contributes its dollar gain over that starting cap.
    anchor_total, anchor_date, _ = _anchor()
    base = days[days.get_loc(last_year.index[0]) - 1]
    level = spx.loc[spx.index.intersection(days)]
    start_cap = anchor_total * spx[base] / spx.loc[:anchor_date].iloc[-1]
    span = days[(days >= base) & (days <= last_year.index[-1])]
    assert base > pd.Timestamp("2025-01-01")  # every count in use is reported after the last split (2024-06)
    for key in MEGA_CAP_KEYS:
        counts = shares[shares["symbol"] == key.upper()].assign(date=lambda f: pd.to_datetime(f["date"]))
        counts = counts.set_index("date")["shares"].astype(float).sort_index()
        held = pd.Series([counts.loc[:d].iloc[-1] for d in span], span).shift(1)
        gain = float((held * prices.loc[span, key].diff()).iloc[1:].sum())
        assert window[key] == pytest.approx(gain / start_cap, rel=1e-9), key
    assert total == pytest.approx(level[last_year.index[-1]] / level[base] - 1, rel=1e-12)
    rest = dec.rest_return(returns, weights, spx_return).reindex(parts.index)
    rest_weight = 1 - weights.shift(1).sum(axis=1).reindex(parts.index)
    assert np.allclose(rest * rest_weight, parts[dec.REST], atol=1e-15)


# --- rate share -----------------------------------------------------------------------

def test_rate_share_by_hand():
    idx = _days(5)
    d_nom = pd.Series([1.0, 2.0, 0.0, -1.0, 3.0], index=idx)
    d_real = pd.Series([0.0, 1.0, 1.0, 2.0, -1.0], index=idx)
    # r = 0.001 - 0.002*dN + 0.003*dR exactly: -0.001, 0, 0.004, 0.009, -0.008 (sum 0.004).
    r = pd.Series([-0.001, 0.0, 0.004, 0.009, -0.008], index=idx)
    out = dec.rate_share(r, d_nom, d_real, 5)
    assert out.n == 5 and out.start == idx[0] and out.end == idx[-1]
    assert (out.alpha, out.beta_nominal_bp, out.beta_real_bp) == pytest.approx((0.001, -0.002, 0.003))
    assert (out.beta_nominal_10bp_pct, out.beta_real_10bp_pct) == pytest.approx((-2.0, 3.0))
    assert out.r2 == pytest.approx(1.0)
    # Sum dN = 5, sum dR = 3: explained = -0.002*5 + 0.003*3 = -0.001, share -0.001/0.004.
    assert (out.d_nominal_bp, out.d_real_bp) == (5.0, 3.0)
    assert out.total_return_pct == pytest.approx(0.4)
    assert out.explained_pct == pytest.approx(-0.1)
    assert out.rate_share == pytest.approx(-0.25)


def test_rate_share_too_short_is_nan():
    idx = _days(5)
    x = pd.Series([1.0, 2.0, 0.0, -1.0, 3.0], index=idx)
    short = dec.rate_share(x, x, x * 2, 10)
    assert short.n == 5 and short.start is None and math.isnan(short.rate_share) and math.isnan(short.r2)
    assert math.isnan(dec.rate_share(x, x, x, 3).beta_nominal_bp)
    assert dec.rate_share(x.iloc[0:0], x, x, 5).n == 0


def test_rate_share_on_real_rsp_and_yields():
    # Difference on common dates so a bond-market holiday never stretches one change.
    levels = pd.concat([snapshot_series(k) for k in ("rsp", "t_10y", "real_10y")], axis=1, sort=True).dropna()
    rsp = transforms.log_returns(levels["rsp"])
    d_nom, d_real = (transforms.change_bp(levels[k]) for k in ("t_10y", "real_10y"))
    out = dec.rate_share(rsp, d_nom, d_real, WINDOWS["12M"])
    assert out.n == WINDOWS["12M"]
    # The same regression in covariance form on the last 252 days: β = Σxx⁻¹·Σxy.
    daily = pd.DataFrame({"r": rsp, "n": d_nom, "real": d_real}).dropna().iloc[-WINDOWS["12M"]:]
    cov = daily.cov()
    beta = np.linalg.solve(cov.loc[["n", "real"], ["n", "real"]].to_numpy(), cov.loc[["n", "real"], "r"].to_numpy())
    fitted = daily["r"].mean() + (daily[["n", "real"]] - daily[["n", "real"]].mean()) @ beta
    r2 = 1 - ((daily["r"] - fitted) ** 2).sum() / ((daily["r"] - daily["r"].mean()) ** 2).sum()
    assert (out.start, out.end) == (daily.index[0], daily.index[-1])
    assert (out.beta_nominal_bp, out.beta_real_bp) == pytest.approx(tuple(beta), rel=1e-9)
    assert out.r2 == pytest.approx(r2, rel=1e-9)
    assert out.total_return_pct == pytest.approx(daily["r"].sum() * 100, rel=1e-12)
    assert (out.d_nominal_bp, out.d_real_bp) == pytest.approx((daily["n"].sum(), daily["real"].sum()), abs=1e-9)
    explained = beta[0] * daily["n"].sum() + beta[1] * daily["real"].sum()
    assert out.explained_pct == pytest.approx(explained * 100, rel=1e-9)
    assert out.rate_share == pytest.approx(explained / daily["r"].sum(), rel=1e-9)
