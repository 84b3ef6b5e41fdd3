"""Labour slack: Sahm rule (by hand and against FRED's SAHMREALTIME), payrolls, claims, openings."""

import math

import numpy as np
import pandas as pd
import pytest

from analytics.labor import (
    SAHM_TRIGGER,
    claims_4wk_avg,
    openings_per_unemployed,
    payroll_change_3m_avg,
    sahm_rising,
    sahm_rule,
)
from tests.conftest import SNAPSHOT_DIR, snapshot_series


def months(start: str, values: list[float]) -> pd.Series:
    index = pd.date_range(start, periods=len(values), freq="MS", name="date")
    return pd.Series(values, index=index, dtype=float)


def test_sahm_rule_by_hand():
    unrate = months("2024-01-01", [4.0] * 12 + [4.5, 5.0])
    sahm = sahm_rule(unrate)
    # Jan 2025: (4 + 4 + 4.5)/3 − 4.0; Feb 2025: (4 + 4.5 + 5)/3 − 4.0 = 0.5 → signal.
    assert sahm["2025-01-01"] == pytest.approx(1 / 6)
    assert sahm["2025-02-01"] == pytest.approx(0.5)
    assert sahm["2025-02-01"] >= SAHM_TRIGGER
    assert sahm.iloc[:2].isna().all()  # no 3-month average / no prior months yet


def test_sahm_prior_window_excludes_the_current_month():
    # A falling rate gives a negative reading, as FRED's SAHMREALTIME does; a window that
    # included the current month could never go below zero.
    sahm = sahm_rule(months("2024-01-01", [5.0] * 12 + [3.8]))
    assert sahm["2025-01-01"] == pytest.approx((5 + 5 + 3.8) / 3 - 5.0)  # −0.4


def test_sahm_missing_month_matched_by_date():
    unrate = months("2024-01-01", [4.0, 4.0, 4.0, 4.0, 4.3, np.nan, 4.6]).dropna()  # June missing
    sahm = sahm_rule(unrate)
    assert list(sahm.index) == list(unrate.index)
    # July: average of May and July only (June unknown), minus the earlier 4.0 floor.
    assert sahm["2024-07-01"] == pytest.approx((4.3 + 4.6) / 2 - 4.0)
    assert sahm_rule(unrate.iloc[0:0]).empty


def test_sahm_matches_fred_sahmrealtime():
    """Our Sahm on the revised UNRATE vs FRED's real-time Sahm (SAHMREALTIME).

    They cannot agree exactly: SAHMREALTIME uses each month's first-release UNRATE, the
    snapshot holds today's revised (and seasonally re-estimated) history. On 1959-2026 the
    median absolute difference is about 0.03 pp and 90 % of months are within about 0.10 pp,
    so we allow 0.05 and 0.15. Signal dates for the recessions since 1990 must start within
    3 months of FRED's (revisions move a borderline month across 0.50).
    """
    ours, fred = sahm_rule(snapshot_series("unrate")), snapshot_series("sahm_realtime")
    ours = ours.reindex(fred.index)
    diff = (ours - fred).dropna().abs()
    unrate_months = pd.read_csv(SNAPSHOT_DIR / "fred" / "UNRATE.csv", index_col=0, parse_dates=True).iloc[:, 0]
    realtime = pd.read_csv(SNAPSHOT_DIR / "fred" / "SAHMREALTIME.csv", index_col=0, parse_dates=True).iloc[:, 0]
    # Compared on every SAHMREALTIME month from the third UNRATE month on (our first 3-month average).
    assert len(diff) == len(realtime.dropna().loc[unrate_months.dropna().index[2]:]) == 796
    assert diff.median() <= 0.05
    assert diff.quantile(0.9) <= 0.15
    assert ours.corr(fred) > 0.99
    # Both go negative when unemployment falls: May 2022 by hand from UNRATE (Mar-May 3.7, 3.7, 3.6;
    # the lowest 3-month average of the prior 12 months is Feb-Apr 2022, 3.9, 3.7, 3.7).
    assert ours["2022-05-01"] == pytest.approx((3.7 + 3.7 + 3.6) / 3 - (3.9 + 3.7 + 3.7) / 3)  # −0.10
    assert fred["2022-05-01"] == -0.07
    # The 2024 trigger: May-Jul 2024 (3.9, 4.1, 4.2) against May-Jul 2023 (3.6, 3.6, 3.5) = 0.50; FRED 0.53.
    assert ours["2024-07-01"] == pytest.approx((3.9 + 4.1 + 4.2) / 3 - (3.6 + 3.6 + 3.5) / 3)
    assert fred["2024-07-01"] == 0.53

    def signal_starts(x: pd.Series) -> pd.DatetimeIndex:
        on = x >= SAHM_TRIGGER
        return x.index[on & ~on.shift(1, fill_value=False)]

    ours_starts = signal_starts(ours["1990":])
    for fred_start in signal_starts(fred["1990":]):
        gaps = np.abs((ours_starts.year - fred_start.year) * 12 + ours_starts.month - fred_start.month)
        assert gaps.min() <= 3, f"FRED signal {fred_start:%Y-%m} not matched"
    assert pd.Timestamp("2024-07-01") in ours_starts  # the 2024 trigger, same month


def test_sahm_rising():
    assert sahm_rising(months("2026-01-01", [0.1, 0.2, 0.3, 0.4]))
    assert not sahm_rising(months("2026-01-01", [0.4, 0.3, 0.2, 0.1]))
    assert not sahm_rising(months("2026-01-01", [0.1, 0.2]))  # no value 3 months earlier
    assert not sahm_rising(months("2026-01-01", []))
    assert sahm_rising(months("2026-01-01", [0.1, 0.3, 0.1, 0.2]), months=1)


def test_payroll_change_3m_avg():
    payems = months("2026-01-01", [1000.0, 1100.0, 1150.0, 1390.0])
    out = payroll_change_3m_avg(payems)
    assert out["2026-04-01"] == pytest.approx(130.0)  # (1390 − 1000)/3
    assert out.iloc[:3].isna().all()
    gap = payems.drop(pd.Timestamp("2026-01-01"))
    assert math.isnan(payroll_change_3m_avg(gap)["2026-04-01"])  # Jan missing, not Feb


def test_claims_4wk_avg():
    weeks = pd.date_range("2026-06-06", periods=5, freq="7D", name="date")
    claims = pd.Series([200e3, 210e3, 220e3, 230e3, 240e3], index=weeks)
    out = claims_4wk_avg(claims)
    assert out.iloc[3] == pytest.approx(215e3) and out.iloc[4] == pytest.approx(225e3)
    assert out.iloc[:3].isna().all()
    assert claims_4wk_avg(claims.drop(weeks[2])).isna().all()  # never 4 weeks in a window


def test_openings_per_unemployed():
    index = pd.date_range("2026-01-01", periods=3, freq="MS")
    openings = pd.Series([8000.0, 7000.0, np.nan], index=index)
    unemployed = pd.Series([7000.0, 7000.0, 7100.0], index=index)
    out = openings_per_unemployed(openings, unemployed)
    assert out.iloc[:2].tolist() == pytest.approx([8 / 7, 1.0])
    assert math.isnan(out.iloc[2])
