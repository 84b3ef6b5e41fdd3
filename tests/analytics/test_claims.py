"""The narrative scorecard's rules on hand-built inputs: every outcome of every claim."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analytics import claims as c
from analytics.claims import MIXED, NO_DATA, NOT_SUPPORTED, SUPPORTED, Reading


def days(values, end: str = "2026-06-30") -> pd.Series:
    """Business-day series ending on ``end``."""
    index = pd.bdate_range(end=end, periods=len(values), name="date")
    return pd.Series(np.asarray(values, dtype=float), index=index)


def months(values, end: str = "2026-06-01") -> pd.Series:
    index = pd.date_range(end=end, periods=len(values), freq="MS", name="date")
    return pd.Series(np.asarray(values, dtype=float), index=index)


def ramp(start: float, stop: float, n: int = 150) -> np.ndarray:
    return np.linspace(start, stop, n)


def statuses_are_valid(result: c.ClaimResult) -> None:
    assert result.status in c.STATUSES
    assert result.rule and result.claim.endswith(".")
    assert result.page.startswith("pages/") and result.page.endswith(".py")


# --- Helpers ---------------------------------------------------------------------------------

def test_change_over_months_is_by_date():
    y = days(ramp(4.0, 3.0, 200))
    change = c.change_over_months(y, 3, "2y", " bp", "+.0f", 100.0)
    earlier = y.loc[: y.index[-1] - pd.DateOffset(months=3)].iloc[-1]
    assert change.value == pytest.approx((3.0 - earlier) * 100)
    assert change.as_of == dt.date(2026, 6, 30)


def test_change_over_months_without_enough_history_is_missing():
    assert c.change_over_months(days([1.0, 2.0]), 3, "x").missing
    assert c.change_over_months(None, 3, "x").missing
    assert c.latest_reading(pd.Series(dtype=float), "x").missing


def test_change_over_obs_is_percent_over_rows():
    r = c.change_over_obs(days([100.0] * 10 + [110.0]), 10, "rs")
    assert r.value == pytest.approx(10.0) and r.units == "%"


def test_evidence_groups_readings_by_date():
    a = Reading("a", 1.0, "%", dt.date(2026, 8, 20))
    b = Reading("b", 2.0, "%", dt.date(2026, 8, 20))
    d = Reading("d", 3.0, " pp", dt.date(2026, 7, 1), "+.1f")
    result = c.ClaimResult(0, "t", "c.", SUPPORTED, (a, b, d), (), "r", "pages/x.py")
    assert result.evidence == "a 1.00% · b 2.00% (2026-08-20); d +3.0 pp (2026-07-01)"
    assert result.as_of == dt.date(2026, 8, 20)


def test_verdict_counts_cover_every_status():
    results = [c.cuts_priced_claim(Reading("cuts", v, as_of=dt.date(2026, 1, 1)), "m") for v in (1, 1, 0, -1)]
    assert c.verdict_counts(results) == {SUPPORTED: 2, MIXED: 1, NOT_SUPPORTED: 1, NO_DATA: 0}


# --- 1. Markets price further cuts -------------------------------------------------------------

@pytest.mark.parametrize(("cuts", "status"), [
    (1.8, SUPPORTED), (c.CUTS_SUPPORTED_ABOVE, MIXED), (0.0, MIXED), (-0.4, MIXED), (-1.8, NOT_SUPPORTED),
    (math.nan, NO_DATA),
])
def test_cuts_priced(cuts, status):
    result = c.cuts_priced_claim(Reading("cuts priced", cuts, "", dt.date(2026, 8, 21)), "futures")
    statuses_are_valid(result)
    assert result.status == status
    assert "futures" in result.rule and "0.5" in result.rule
    if status == NO_DATA:
        assert result.missing == ("cuts priced",) and "Missing: cuts priced" in result.evidence


# --- 2. Treasury yields confirm -----------------------------------------------------------------

@pytest.mark.parametrize(("y2", "policy", "status"), [
    (ramp(4.0, 3.5), 3.75, SUPPORTED),  # below the policy rate and down 50 bp
    (ramp(3.0, 3.5), 3.75, MIXED),  # below, but rising
    (ramp(4.5, 4.0), 3.75, MIXED),  # falling, but above
    (ramp(4.0, 4.5), 3.75, NOT_SUPPORTED),
])
def test_yields_confirm(y2, policy, status):
    result = c.yields_confirm_claim(days(y2), days([policy] * 150))
    statuses_are_valid(result)
    assert result.status == status


def test_yields_small_fall_is_not_a_signal():
    y2 = days(ramp(3.5, 3.5 - (c.YIELD_FALL_MIN_BP - 1) / 100))  # 9 bp lower: noise
    result = c.yields_confirm_claim(y2, days([5.0] * 150))
    assert result.status == MIXED
    assert dict(result.checks)[f"2-year yield down {c.YIELD_FALL_MIN_BP:.0f} bp or more over 3 months"] is False


def test_yields_missing_policy_rate_is_no_data():
    result = c.yields_confirm_claim(days(ramp(4, 3)), None)
    assert result.status == NO_DATA and result.missing == ("policy rate (EFFR)",)
    assert result.checks == ()


# --- 3. Labour market slowing --------------------------------------------------------------------

UNRATE_UP = months(ramp(4.0, 4.5, 24))
UNRATE_FLAT = months([4.0] * 24)
PAYROLL_SLOWING = months(ramp(200, 50, 24))
PAYROLL_RISING = months(ramp(50, 200, 24))
SAHM_UP = months(ramp(0.0, 0.4, 24))
SAHM_DOWN = months(ramp(0.4, 0.0, 24))


@pytest.mark.parametrize(("unrate", "payrolls", "sahm", "status"), [
    (UNRATE_UP, PAYROLL_SLOWING, SAHM_UP, SUPPORTED),
    (UNRATE_UP, PAYROLL_RISING, SAHM_UP, SUPPORTED),  # two of three
    (UNRATE_FLAT, PAYROLL_SLOWING, SAHM_DOWN, MIXED),
    (UNRATE_FLAT, PAYROLL_RISING, SAHM_DOWN, NOT_SUPPORTED),
    (UNRATE_UP, PAYROLL_SLOWING, None, NO_DATA),
])
def test_labour_slowing(unrate, payrolls, sahm, status):
    result = c.labour_slowing_claim(unrate, payrolls, sahm)
    statuses_are_valid(result)
    assert result.status == status


def test_labour_unrate_change_is_against_twelve_months_earlier():
    result = c.labour_slowing_claim(UNRATE_UP, PAYROLL_SLOWING, SAHM_UP)
    change = next(r for r in result.readings if r.label.startswith("unemployment vs"))
    assert change.value == pytest.approx(UNRATE_UP.iloc[-1] - UNRATE_UP.iloc[-13])
    assert change.as_of == dt.date(2026, 6, 1)


def test_labour_missing_month_uses_the_month_before():
    gappy = UNRATE_UP.drop(UNRATE_UP.index[-13])  # the month exactly a year earlier is missing
    change = c.change_over_months(gappy, 12, "u")
    assert change.value == pytest.approx(UNRATE_UP.iloc[-1] - UNRATE_UP.iloc[-14])


# --- 4. Small caps lead and set records ----------------------------------------------------------

AT_RECORD = days(ramp(100, 150))
FAR_BELOW = days(np.r_[ramp(100, 200, 75), ramp(200, 150, 75)])  # 25% below its high


@pytest.mark.parametrize(("rs", "small", "status"), [
    (days(ramp(100, 110)), AT_RECORD, SUPPORTED),
    (days(ramp(110, 100)), AT_RECORD, MIXED),
    (days(ramp(100, 110)), FAR_BELOW, MIXED),
    (days(ramp(110, 100)), FAR_BELOW, NOT_SUPPORTED),
    (days(ramp(100, 110)), None, NO_DATA),
])
def test_small_caps_lead(rs, small, status):
    result = c.small_caps_lead_claim(rs, small)
    statuses_are_valid(result)
    assert result.status == status


def test_small_caps_records_and_distance():
    result = c.small_caps_lead_claim(days(ramp(100, 110)), FAR_BELOW)
    distance, records = result.readings[1], result.readings[2]
    assert distance.value == pytest.approx(-25.0)
    assert records.value == 74  # every close of the climb but the first (all within the last 12M)


# --- 5. Rate sensitivity ----------------------------------------------------------------------------

@pytest.mark.parametrize(("beta", "corr", "status"), [
    (-0.30, -0.40, SUPPORTED),
    (-0.30, -0.10, MIXED),  # negative but the yield explains little
    (-0.05, -0.40, MIXED),  # too small to matter
    (0.20, -0.40, NOT_SUPPORTED),
    (0.0, 0.0, NOT_SUPPORTED),
    (-0.30, math.nan, NO_DATA),
])
def test_rate_sensitive(beta, corr, status):
    day = dt.date(2026, 8, 20)
    result = c.rate_sensitive_claim(Reading("β", beta, "%", day), Reading("correlation", corr, "", day))
    statuses_are_valid(result)
    assert result.status == status
    assert result.query_params == {"beta_window": str(c.BETA_WINDOW_OBS)}


# --- 6. Speculation -------------------------------------------------------------------------------

@pytest.mark.parametrize(("ratio", "hy", "status"), [
    (ramp(100, 105), [3.0] * 150, SUPPORTED),  # rising, spread tight
    (ramp(100, 105), ramp(5.0, 4.5), SUPPORTED),  # rising, spread wide but 50 bp tighter
    (ramp(105, 100), [3.0] * 150, MIXED),
    (ramp(100, 105), ramp(4.5, 5.0), MIXED),  # rising, credit wide and widening
    (ramp(105, 100), ramp(4.5, 5.0), NOT_SUPPORTED),
    (ramp(100, 105), None, NO_DATA),
])
def test_speculation(ratio, hy, status):
    result = c.speculation_claim(days(ratio), days(hy) if hy is not None else None)
    statuses_are_valid(result)
    assert result.status == status


# --- 7. Hybrid --------------------------------------------------------------------------------------

UP, DOWN = days(ramp(100, 104)), days(ramp(104, 100))
DAY = dt.date(2026, 7, 31)


def hybrid(mega_pp, index_pct, equal, cyclical):
    return c.hybrid_claim(Reading("mega", mega_pp, " pp", DAY), Reading("index", index_pct, "%", DAY), equal, cyclical)


@pytest.mark.parametrize(("mega_pp", "equal", "cyclical", "status"), [
    (8.0, UP, UP, SUPPORTED),  # 50% of a 16% return, breadth improving on both gauges
    (8.0, UP, DOWN, MIXED),
    (3.0, UP, UP, MIXED),  # broadening without the mega caps
    (8.0, DOWN, DOWN, MIXED),  # mega caps only
    (3.0, DOWN, DOWN, NOT_SUPPORTED),
])
def test_hybrid(mega_pp, equal, cyclical, status):
    result = hybrid(mega_pp, 16.0, equal, cyclical)
    statuses_are_valid(result)
    assert result.status == status
    share = next(r for r in result.readings if r.label.startswith("mega caps' share"))
    assert share.value == pytest.approx(mega_pp / 16.0 * 100)


def test_hybrid_no_data_without_share_counts_or_a_meaningful_return():
    assert hybrid(math.nan, 16.0, UP, UP).status == NO_DATA
    tiny = hybrid(0.1, 0.2, UP, UP)  # a share of a 0.2% return means nothing
    assert tiny.status == NO_DATA and "mega caps' share of it" in tiny.missing
    assert hybrid(8.0, 16.0, None, UP).status == NO_DATA


# --- 8. Inflation -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("core", "breakeven", "gap", "status"), [
    (3.0, 2.5, -1.0, SUPPORTED),
    (3.0, 2.0, -1.0, SUPPORTED),  # policy looser than the rule is enough backing
    (3.0, 2.5, 1.0, SUPPORTED),
    (3.0, 2.0, 1.0, MIXED),  # above target, nothing else points that way
    (1.8, 2.5, -1.0, MIXED),  # at target, but markets and the rule disagree
    (1.8, 2.5, 1.0, NOT_SUPPORTED),
    (1.8, 2.0, 1.0, NOT_SUPPORTED),
    (3.0, None, -1.0, NO_DATA),
])
def test_inflation_tension(core, breakeven, gap, status):
    result = c.inflation_tension_claim(
        months([core] * 3), days([breakeven] * 3) if breakeven is not None else None, days([gap] * 3),
    )
    statuses_are_valid(result)
    assert result.status == status
    assert result.query_params == {"measure": "Core PCE", "transform": "YoY"}
    if status == NO_DATA:
        assert result.missing == ("5-year breakeven",)


def test_breakeven_threshold_allows_for_the_cpi_pce_wedge():
    assert c.BREAKEVEN_ABOVE_PCT == pytest.approx(2.3)
    just_below = c.inflation_tension_claim(months([3.0]), days([2.29]), days([1.0]))
    assert just_below.status == MIXED
