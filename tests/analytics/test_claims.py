"""The narrative scorecard's rules on hand-built inputs: every outcome of every claim, with the
readings each card prints and the checks that decided it, computed by hand."""

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


def ramp_change_pct(start: float, stop: float, rows: int = 63, n: int = 150) -> float:
    """% change over the last ``rows`` points of ramp(start, stop, n): the point ``rows`` back is
    start + (n − 1 − rows)·step."""
    step = (stop - start) / (n - 1)
    return (stop / (start + (n - 1 - rows) * step) - 1) * 100


def step_series(before: float, after: float, switch: str = "2026-04-01", end: str = "2026-06-30") -> pd.Series:
    """Business days from 2026-01-01: ``before`` until ``switch`` (exclusive), then ``after``."""
    index = pd.bdate_range("2026-01-01", end, name="date")
    return pd.Series(np.where(index < pd.Timestamp(switch), before, after), index=index, dtype=float)


def checks_of(result: c.ClaimResult) -> list[bool]:
    return [met for _, met in result.checks]


def reading(result: c.ClaimResult, starts: str) -> Reading:
    (found,) = [r for r in result.readings if r.label.startswith(starts)]
    return found


# --- Helpers ---------------------------------------------------------------------------------

def test_change_over_months_is_by_date():
    y = days(ramp(4.0, 3.0, 200))
    change = c.change_over_months(y, 3, "2y", " bp", "+.0f", 100.0)
    earlier = y.loc[: y.index[-1] - pd.DateOffset(months=3)].iloc[-1]
    assert change.value == pytest.approx((3.0 - earlier) * 100)
    assert change.as_of == dt.date(2026, 6, 30)
    # By date: the value 3 months before 2026-06-30 is the one on 2026-03-30 (a Monday).
    assert y.index[-1 - 66] == pd.Timestamp("2026-03-30")
    assert change.value == pytest.approx(-66 / 199 * 100)


def test_change_over_months_without_enough_history_is_missing():
    assert c.change_over_months(days([1.0, 2.0]), 3, "x").missing
    assert c.change_over_months(None, 3, "x").missing
    assert c.latest_reading(pd.Series(dtype=float), "x").missing


def test_change_over_obs_is_percent_over_rows():
    r = c.change_over_obs(days([100.0] * 10 + [110.0]), 10, "rs")
    assert r.value == pytest.approx(10.0) and r.units == "%" and r.text == "rs +10.0% (2026-06-30)"


def test_evidence_groups_readings_by_date():
    # The 2-year yield ends a day after the policy rate: its two readings share 2026-06-30.
    result = c.yields_confirm_claim(step_series(4.0, 3.5), step_series(3.75, 3.75, end="2026-06-29"))
    assert result.evidence == ("2-year yield 3.50% · 2-year change over 3 months -50 bp (2026-06-30); "
                               "policy rate (EFFR) 3.75% (2026-06-29)")
    assert result.as_of == dt.date(2026, 6, 30)


def test_verdict_counts_cover_every_status():
    results = [c.cuts_priced_claim(Reading("cuts", v, as_of=dt.date(2026, 1, 1)), "m") for v in (1, 1, 0, -1)]
    assert c.verdict_counts(results) == {SUPPORTED: 2, MIXED: 1, NOT_SUPPORTED: 1, NO_DATA: 0}


# --- 1. Markets price further cuts -------------------------------------------------------------

@pytest.mark.parametrize(("cuts", "checks", "status"), [
    (1.8, [True, False], SUPPORTED), (0.5, [False, False], MIXED), (0.0, [False, False], MIXED),
    (-0.5, [False, False], MIXED), (-0.51, [False, True], NOT_SUPPORTED), (-1.8, [False, True], NOT_SUPPORTED),
    (math.nan, [], NO_DATA),
])
def test_cuts_priced(cuts, checks, status):
    """More than half a 25 bp move either way counts; exactly half does not."""
    result = c.cuts_priced_claim(Reading("cuts priced", cuts, "", dt.date(2026, 8, 21), "+.1f"), "futures")
    assert result.status == status
    assert checks_of(result) == checks
    assert result.rule.endswith("Method: futures.")
    if status == NO_DATA:
        assert result.missing == ("cuts priced",) and result.evidence == "Missing: cuts priced."
    else:
        assert result.evidence == f"cuts priced {cuts:+.1f} (2026-08-21)"


# --- 2. Treasury yields confirm -----------------------------------------------------------------

@pytest.mark.parametrize(("y2", "policy", "checks", "status", "move_bp"), [
    (step_series(4.0, 3.5), 3.75, [True, True], SUPPORTED, -50.0),  # below the policy rate and down 50 bp
    (step_series(3.0, 3.5), 3.75, [True, False], MIXED, 50.0),  # below, but rising
    (step_series(4.5, 4.0), 3.75, [False, True], MIXED, -50.0),  # falling, but above
    (step_series(4.0, 4.5), 3.75, [False, False], NOT_SUPPORTED, 50.0),
])
def test_yields_confirm(y2, policy, checks, status, move_bp):
    result = c.yields_confirm_claim(y2, step_series(policy, policy))
    assert result.status == status
    assert checks_of(result) == checks
    assert reading(result, "2-year yield").value == y2.iloc[-1]
    assert reading(result, "policy rate").value == policy
    assert reading(result, "2-year change").value == pytest.approx(move_bp)


def test_yields_small_fall_is_not_a_signal():
    result = c.yields_confirm_claim(step_series(3.5, 3.41), step_series(5.0, 5.0))  # 9 bp lower: noise
    assert result.status == MIXED
    assert reading(result, "2-year change").value == pytest.approx(-9.0)
    assert dict(result.checks) == {"2-year yield below the policy rate": True,
                                   "2-year yield down 10 bp or more over 3 months": False}
    assert c.yields_confirm_claim(step_series(3.5, 3.40), step_series(5.0, 5.0)).status == SUPPORTED  # 10 bp: signal


def test_yields_missing_policy_rate_is_no_data():
    result = c.yields_confirm_claim(days(ramp(4, 3)), None)
    assert result.status == NO_DATA and result.missing == ("policy rate (EFFR)",)
    assert result.checks == ()


# --- 3. Labour market slowing --------------------------------------------------------------------

UNRATE_UP = months(ramp(4.0, 4.5, 24))  # +0.5/23 pp a month: 12 months = +6/23 = 0.26 pp
UNRATE_FLAT = months([4.0] * 24)
PAYROLL_SLOWING = months(ramp(200, 50, 24))
PAYROLL_RISING = months(ramp(50, 200, 24))
SAHM_UP = months(ramp(0.0, 0.4, 24))
SAHM_DOWN = months(ramp(0.4, 0.0, 24))


@pytest.mark.parametrize(("unrate", "payrolls", "sahm", "checks", "status"), [
    (UNRATE_UP, PAYROLL_SLOWING, SAHM_UP, [True, True, True], SUPPORTED),
    (UNRATE_UP, PAYROLL_RISING, SAHM_UP, [True, False, True], SUPPORTED),  # two of three
    (UNRATE_FLAT, PAYROLL_SLOWING, SAHM_DOWN, [False, True, False], MIXED),
    (UNRATE_FLAT, PAYROLL_RISING, SAHM_DOWN, [False, False, False], NOT_SUPPORTED),
    (UNRATE_UP, PAYROLL_SLOWING, None, [], NO_DATA),
])
def test_labour_slowing(unrate, payrolls, sahm, checks, status):
    result = c.labour_slowing_claim(unrate, payrolls, sahm)
    assert result.status == status
    assert checks_of(result) == checks
    per_month = (payrolls.iloc[-1] - payrolls.iloc[0]) / 23
    assert reading(result, "payroll 3m-avg change").value == pytest.approx(6 * per_month)  # 6 months of the ramp
    if sahm is not None:
        assert reading(result, "Sahm indicator").value == pytest.approx(3 * (sahm.iloc[-1] - sahm.iloc[0]) / 23)


def test_labour_unrate_change_is_against_twelve_months_earlier():
    result = c.labour_slowing_claim(UNRATE_UP, PAYROLL_SLOWING, SAHM_UP)
    change = reading(result, "unemployment vs")
    assert change.value == pytest.approx(12 * 0.5 / 23)  # 0.26 pp, above the 0.2 pp noise
    assert change.as_of == dt.date(2026, 6, 1)
    (level,) = [r for r in result.readings if r.label == "unemployment"]
    assert level.text == "unemployment 4.5% (2026-06-01)"


def test_labour_missing_month_uses_the_month_before():
    gappy = UNRATE_UP.drop(UNRATE_UP.index[-13])  # the month exactly a year earlier is missing
    change = c.change_over_months(gappy, 12, "u")
    assert change.value == pytest.approx(13 * 0.5 / 23)


# --- 4. Small caps lead and set records ----------------------------------------------------------

AT_RECORD = days(ramp(100, 150))
FAR_BELOW = days(np.r_[ramp(100, 200, 75), ramp(200, 150, 75)])  # 25% below its high


@pytest.mark.parametrize(("rs", "small", "checks", "status"), [
    ((100, 110), AT_RECORD, [True, True], SUPPORTED),
    ((110, 100), AT_RECORD, [False, True], MIXED),
    ((100, 110), FAR_BELOW, [True, False], MIXED),
    ((110, 100), FAR_BELOW, [False, False], NOT_SUPPORTED),
    ((100, 110), None, [], NO_DATA),
])
def test_small_caps_lead(rs, small, checks, status):
    result = c.small_caps_lead_claim(days(ramp(*rs)), small)
    assert result.status == status
    assert checks_of(result) == checks
    assert reading(result, "RS change").value == pytest.approx(ramp_change_pct(*rs))  # ±4.2%: 63 of 149 steps


def test_small_caps_records_and_distance():
    result = c.small_caps_lead_claim(days(ramp(100, 110)), FAR_BELOW)
    distance, records = reading(result, "Russell 2000 vs"), reading(result, "record closes")
    assert distance.value == pytest.approx(-25.0)
    assert records.value == 74  # every close of the climb but the first (all within the last 12M)
    at_record = c.small_caps_lead_claim(days(ramp(100, 110)), AT_RECORD)
    assert reading(at_record, "Russell 2000 vs").value == 0.0
    assert reading(at_record, "record closes").value == 149  # the first close cannot beat anything


# --- 5. Rate sensitivity ----------------------------------------------------------------------------

@pytest.mark.parametrize(("beta", "corr", "checks", "status"), [
    (-0.30, -0.40, [True, True, True], SUPPORTED),
    (-0.30, -0.10, [True, False, True], MIXED),  # negative but the yield explains little
    (-0.05, -0.40, [False, True, True], MIXED),  # too small to matter
    (0.20, -0.40, [False, True, False], NOT_SUPPORTED),
    (0.0, 0.0, [False, False, False], NOT_SUPPORTED),
    (-0.30, math.nan, [], NO_DATA),
])
def test_rate_sensitive(beta, corr, checks, status):
    day = dt.date(2026, 8, 20)
    result = c.rate_sensitive_claim(Reading("β", beta, "%", day, "+.2f"),
                                    Reading("correlation", corr, "", day, "+.2f"))
    assert result.status == status
    assert checks_of(result) == checks
    if status != NO_DATA:
        assert result.evidence == f"β {beta:+.2f}% · correlation {corr:+.2f} (2026-08-20)"


# --- 6. Speculation -------------------------------------------------------------------------------

@pytest.mark.parametrize(("ratio", "hy", "checks", "status", "hy_move_bp"), [
    ((100, 105), step_series(3.0, 3.0), [True, True], SUPPORTED, 0.0),  # rising, spread tight
    ((100, 105), step_series(5.0, 4.5), [True, True], SUPPORTED, -50.0),  # spread wide but 50 bp tighter
    ((105, 100), step_series(3.0, 3.0), [False, True], MIXED, 0.0),
    ((100, 105), step_series(5.0, 4.95), [True, False], MIXED, -5.0),  # wide, tightening too little
    ((100, 105), step_series(4.5, 5.0), [True, False], MIXED, 50.0),  # rising, credit wide and widening
    ((105, 100), step_series(4.5, 5.0), [False, False], NOT_SUPPORTED, 50.0),
    ((100, 105), None, [], NO_DATA, math.nan),
])
def test_speculation(ratio, hy, checks, status, hy_move_bp):
    result = c.speculation_claim(days(ramp(*ratio)), hy)
    assert result.status == status
    assert checks_of(result) == checks
    assert reading(result, "IWM/IJR change").value == pytest.approx(ramp_change_pct(*ratio))
    if hy is not None:
        assert reading(result, "high-yield spread").value == hy.iloc[-1]
        assert reading(result, "spread change").value == pytest.approx(hy_move_bp)


def test_speculation_reads_the_ratio_it_is_given():
    """IWM/IJR rising 5% over the window reads +2.1% over 63 days; its inverse reads −2.1%."""
    rising = c.speculation_claim(days(ramp(100, 105)), step_series(3.0, 3.0))
    falling = c.speculation_claim(days(1 / ramp(100, 105)), step_series(3.0, 3.0))
    up = reading(rising, "IWM/IJR").value
    assert up == pytest.approx(ramp_change_pct(100, 105))
    assert reading(falling, "IWM/IJR").value == pytest.approx((1 / (1 + up / 100) - 1) * 100)
    assert (rising.status, falling.status) == (SUPPORTED, MIXED)


# --- 7. Hybrid --------------------------------------------------------------------------------------

UP, DOWN = days(ramp(100, 104)), days(ramp(104, 100))
DAY = dt.date(2026, 7, 31)


def hybrid(mega_pp, index_pct, equal, cyclical):
    return c.hybrid_claim(Reading("mega", mega_pp, " pp", DAY), Reading("index", index_pct, "%", DAY), equal, cyclical)


@pytest.mark.parametrize(("mega_pp", "equal", "cyclical", "checks", "status"), [
    (8.0, UP, UP, [True, True, True], SUPPORTED),  # 50% of a 16% return, breadth improving on both gauges
    (6.4, UP, UP, [True, True, True], SUPPORTED),  # exactly 40%
    (8.0, UP, DOWN, [True, True, False], MIXED),
    (3.0, UP, UP, [False, True, True], MIXED),  # broadening without the mega caps
    (8.0, DOWN, DOWN, [True, False, False], MIXED),  # mega caps only
    (3.0, DOWN, DOWN, [False, False, False], NOT_SUPPORTED),
])
def test_hybrid(mega_pp, equal, cyclical, checks, status):
    result = hybrid(mega_pp, 16.0, equal, cyclical)
    assert result.status == status
    assert checks_of(result) == checks
    assert reading(result, "mega caps' share").value == pytest.approx(mega_pp / 16.0 * 100)
    rising = equal is UP
    assert reading(result, "RSP/SPY").value == pytest.approx(ramp_change_pct(*((100, 104) if rising else (104, 100))))


def test_hybrid_no_data_without_share_counts_or_a_meaningful_return():
    assert hybrid(math.nan, 16.0, UP, UP).status == NO_DATA
    tiny = hybrid(0.1, 0.2, UP, UP)  # a share of a 0.2% return means nothing
    assert tiny.status == NO_DATA and "mega caps' share of it" in tiny.missing
    assert hybrid(0.25, 0.5, UP, UP).status == SUPPORTED  # 0.5% is enough: a 50% share
    assert hybrid(8.0, 16.0, None, UP).status == NO_DATA


# --- 8. Inflation -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("core", "breakeven", "gap", "checks", "status"), [
    (3.0, 2.5, -1.0, [True, True, True], SUPPORTED),
    (3.0, 2.0, -1.0, [True, False, True], SUPPORTED),  # policy looser than the rule is enough backing
    (3.0, 2.5, 1.0, [True, True, False], SUPPORTED),
    (3.0, 2.0, 1.0, [True, False, False], MIXED),  # above target, nothing else points that way
    (1.8, 2.5, -1.0, [False, True, True], MIXED),  # at target, but markets and the rule disagree
    (1.8, 2.5, 1.0, [False, True, False], NOT_SUPPORTED),
    (1.8, 2.0, 1.0, [False, False, False], NOT_SUPPORTED),
    (3.0, None, -1.0, [], NO_DATA),
])
def test_inflation_tension(core, breakeven, gap, checks, status):
    result = c.inflation_tension_claim(
        months([core] * 3), days([breakeven] * 3) if breakeven is not None else None, days([gap] * 3),
    )
    assert result.status == status
    assert checks_of(result) == checks
    if status == NO_DATA:
        assert result.missing == ("5-year breakeven",)
    else:
        assert result.evidence == (f"core PCE YoY {core:.2f}% (2026-06-01); 5-year breakeven {breakeven:.2f}% · "
                                   f"Taylor gap (policy − rule) {gap:+.2f} pp (2026-06-30)")


def test_breakeven_threshold_allows_for_the_cpi_pce_wedge():
    assert c.BREAKEVEN_ABOVE_PCT == pytest.approx(2.3)
    just_below = c.inflation_tension_claim(months([3.0]), days([2.29]), days([1.0]))
    assert just_below.status == MIXED
    just_above = c.inflation_tension_claim(months([3.0]), days([2.31]), days([1.0]))
    assert just_above.status == SUPPORTED
