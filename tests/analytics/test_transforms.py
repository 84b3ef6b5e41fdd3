"""Common transforms: hand-computed cases, date matching, no look-ahead, and CPI on the snapshot."""

import math

import numpy as np
import pandas as pd
import pytest

from analytics.transforms import (
    annualised_pct,
    asof_align,
    change_bp,
    log_returns,
    rebase,
    value_months_ago,
    yoy_pct,
)
from tests.conftest import snapshot_series


def monthly(values: dict[str, float]) -> pd.Series:
    index = pd.DatetimeIndex(list(values), name="date")
    return pd.Series(list(values.values()), index=index, dtype=float)


def test_yoy_pct_matches_the_same_month_a_year_earlier():
    x = monthly({"2024-01-01": 100.0, "2024-02-01": 200.0, "2025-01-01": 103.0, "2025-02-01": 210.0})
    out = yoy_pct(x)
    assert math.isnan(out["2024-01-01"]) and math.isnan(out["2024-02-01"])
    assert out["2025-01-01"] == pytest.approx(3.0)
    assert out["2025-02-01"] == pytest.approx(5.0)


def test_yoy_pct_matches_by_date_not_row_count():
    # 2024-02 is missing: a 12-row shift would pair 2025-03 with 2024-04 (wrong).
    months = {f"2024-{m:02d}-01": 100.0 + m for m in range(1, 13) if m != 2}
    months.update({"2025-02-01": 150.0, "2025-03-01": 109.18})
    out = yoy_pct(monthly(months))
    assert math.isnan(out["2025-02-01"])  # 2024-02 missing -> NaN, never a neighbour
    assert out["2025-03-01"] == pytest.approx((109.18 / 103.0 - 1) * 100)


def test_yoy_pct_month_end_clipping_prefers_the_same_calendar_day():
    x = pd.Series([100.0, 200.0, 110.0], index=pd.DatetimeIndex(["2024-02-28", "2024-02-29", "2025-02-28"]))
    assert yoy_pct(x)["2025-02-28"] == pytest.approx(10.0)


def test_annualised_pct_three_months():
    x = monthly({"2025-01-01": 100.0, "2025-02-01": 100.4, "2025-03-01": 100.7, "2025-04-01": 101.0})
    out = annualised_pct(x, 3)
    assert out["2025-04-01"] == pytest.approx((1.01 ** 4 - 1) * 100)  # 4.060401 %
    assert out.iloc[:3].isna().all()
    with pytest.raises(ValueError):
        annualised_pct(x, 0)


def test_value_months_ago_and_empty_inputs():
    x = monthly({"2025-01-01": 1.0, "2025-03-01": 3.0})
    assert value_months_ago(x, 2)["2025-03-01"] == 1.0
    empty = pd.Series([], index=pd.DatetimeIndex([], name="date"), dtype=float)
    for out in (yoy_pct(empty), annualised_pct(empty, 3), log_returns(empty), change_bp(empty)):
        assert out.empty


def test_log_returns_and_change_bp():
    prices = pd.Series([100.0, 110.0, 121.0, 0.0], index=pd.date_range("2026-01-05", periods=4))
    out = log_returns(prices)
    assert math.isnan(out.iloc[0])
    assert out.iloc[1] == pytest.approx(math.log(1.1)) and out.iloc[2] == pytest.approx(math.log(1.1))
    assert math.isnan(out.iloc[3])  # non-positive level -> NaN
    yields = pd.Series([4.00, 4.25, 4.10, np.nan], index=pd.date_range("2026-01-05", periods=4))
    bp = change_bp(yields)
    assert bp.iloc[1] == pytest.approx(25.0) and bp.iloc[2] == pytest.approx(-15.0)
    assert math.isnan(bp.iloc[0]) and math.isnan(bp.iloc[3])


def test_asof_align_uses_only_observations_known_on_the_day():
    series = monthly({"2026-04-01": np.nan, "2026-05-01": 1.0, "2026-06-01": 2.0})
    target = pd.DatetimeIndex(["2026-04-15", "2026-05-31", "2026-06-01", "2026-07-15"])
    assert asof_align(target, series).tolist()[1:] == [1.0, 2.0, 2.0]
    assert math.isnan(asof_align(target, series).iloc[0])  # NaN observation is skipped
    lagged = asof_align(target, series, lag_days=45)
    # 2026-07-15 − 45 days = 2026-05-31: only May is known; June is not yet.
    assert math.isnan(lagged.iloc[1]) and math.isnan(lagged.iloc[2]) and lagged.iloc[3] == 1.0
    assert asof_align(pd.DatetimeIndex([]), series).empty
    assert asof_align(target, series.iloc[0:0]).isna().all()


def test_rebase_is_unchanged():
    x = pd.Series([50.0, 75.0], index=pd.date_range("2026-01-01", periods=2))
    assert rebase(x).tolist() == [100.0, 150.0]


def test_cpi_yoy_on_the_snapshot_matches_hand_computation():
    # Raw CPIAUCSL values copied from ../shared/data/snapshot/fred/CPIAUCSL.csv.
    raw = {
        "2024-07-01": 313.569, "2025-07-01": 322.169, "2026-07-01": 332.813,
        "2024-11-01": 316.528, "2025-11-01": 325.063,
    }
    yoy = yoy_pct(snapshot_series("cpi"))
    assert yoy["2026-07-01"] == pytest.approx((raw["2026-07-01"] / raw["2025-07-01"] - 1) * 100, abs=1e-9)
    assert yoy["2025-07-01"] == pytest.approx((raw["2025-07-01"] / raw["2024-07-01"] - 1) * 100, abs=1e-9)
    # November 2025 follows the unpublished October 2025: still paired with November 2024.
    assert yoy["2025-11-01"] == pytest.approx((raw["2025-11-01"] / raw["2024-11-01"] - 1) * 100, abs=1e-9)
    assert pd.Timestamp("2025-10-01") not in yoy.index
