"""Fed path (FedWatch), cuts-priced fallbacks, Taylor rule and the duration lab."""

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest

from analytics.calendar import FOMC_MEETINGS
from analytics.rates import (
    FAR_FUTURE_PROFITS,
    MEETING_COLUMNS,
    METHOD_CRUDE,
    METHOD_FORWARDS,
    METHOD_FUTURES,
    NEAR_TERM_PROFITS,
    cut_gain,
    cuts_priced,
    cuts_priced_crude,
    cuts_priced_from_forwards,
    forward_rate,
    gordon_duration,
    implied_path,
    meeting_end_rate,
    move_distribution,
    present_value,
    taylor_gap,
    taylor_rule,
)
from data_sources.catalogue import fed_funds_contracts
from tests.conftest import SNAPSHOT_AS_OF, snapshot_series

AS_OF = pd.Timestamp("2026-08-21")


def strip(rates: dict[str, float], as_of=AS_OF) -> pd.DataFrame:
    """A one-row futures frame from implied average rates per delivery month."""
    return pd.DataFrame({pd.Period(m, "M"): [100.0 - r] for m, r in rates.items()},
                        index=pd.DatetimeIndex([as_of]))


def lower_bound(label: str) -> float:
    return float(label.split("–")[0])


# --- FedWatch building blocks ----------------------------------------------------------


def test_meeting_end_rate_worked_example():
    end = meeting_end_rate(0.195, 0.1325, days_in_month=30, days_before=16)
    assert end == pytest.approx(30 / 14 * (0.195 - 16 / 30 * 0.1325))  # 0.266428...
    assert end == pytest.approx(0.2664, abs=1e-4)
    assert move_distribution(0.1325, end)[25] == pytest.approx(0.536, abs=5e-4)


def test_days_before_is_the_statement_day_of_month():
    # Statement on the 16th of a 30-day month: 16 days at 3.875, 14 days at 3.625.
    average = (16 * 3.875 + 14 * 3.625) / 30
    assert meeting_end_rate(average, 3.875, 30, 16) == pytest.approx(3.625)
    # Counting one day too few at the old rate misreads the same average as a 26.7 bp cut:
    # end = (30·3.75833 − 15·3.875)/15 = 3.641667.
    assert meeting_end_rate(average, 3.875, 30, 15) == pytest.approx((30 * average - 15 * 3.875) / 15)
    assert meeting_end_rate(average, 3.875, 30, 15) == pytest.approx(3.641667, abs=1e-6)
    with pytest.raises(ValueError):
        meeting_end_rate(average, 3.875, 30, 30)


def test_move_distribution_cases():
    assert move_distribution(3.50, 3.40) == pytest.approx({-25: 0.4, 0: 0.6})
    assert move_distribution(3.50, 3.60) == pytest.approx({0: 0.6, 25: 0.4})
    assert move_distribution(3.50, 3.10) == pytest.approx({-50: 0.6, -25: 0.4})
    assert move_distribution(3.50, 3.00) == {-50: 1.0}
    assert move_distribution(3.50, 3.50) == {0: 1.0}
    assert move_distribution(math.nan, 3.50) == {}
    for end in (3.01, 3.33, 3.77, 4.6):
        dist = move_distribution(3.5, end)
        assert sum(dist.values()) == pytest.approx(1.0)
        assert sum(bp * p for bp, p in dist.items()) == pytest.approx((end - 3.5) * 100)


# --- implied_path on hand-built strips ---------------------------------------------------


def test_implied_path_uses_the_statement_day_as_m():
    # 2026-09-16 is a real FOMC statement day in a 30-day month: the worked example.
    path = implied_path(strip({"2026-08": 0.1325, "2026-09": 0.195}), AS_OF, 0.0, 0.25,
                        meetings=(pd.Timestamp("2026-09-16"),))
    row = path.meetings.iloc[0]
    assert (row["days_in_month"], row["days_before"]) == (30, 16)
    assert row["end"] == pytest.approx(0.2664, abs=1e-4)
    assert row["p_hike"] == pytest.approx(0.536, abs=5e-4)
    assert row["start_source"] == "prior month average"


def test_implied_path_chains_two_meetings():
    meetings = (pd.Timestamp("2026-09-16"), pd.Timestamp("2026-12-09"))
    rates = {
        "2026-08": 3.875,
        "2026-09": (16 * 3.875 + 14 * 3.775) / 30,  # end 3.775: a 10 bp expected cut
        "2026-10": 3.775,
        "2026-11": 3.775,
        "2026-12": (9 * 3.775 + 22 * 3.575) / 31,  # end 3.575: a further 20 bp
    }
    path = implied_path(strip(rates), AS_OF, 3.75, 4.00, meetings=meetings)
    table = path.meetings.set_index("meeting")
    assert path.method == METHOD_FUTURES and path.current_rate == pytest.approx(3.875)
    assert table["end"].tolist() == pytest.approx([3.775, 3.575])
    assert table["change_bp"].tolist() == pytest.approx([-10.0, -30.0])
    assert table["p_cut"].tolist() == pytest.approx([0.4, 0.8])
    assert table["p_hold"].tolist() == pytest.approx([0.6, 0.2])
    matrix = path.probabilities
    assert list(matrix.columns) == ["3.25–3.50", "3.50–3.75", "3.75–4.00"]
    # After Sep: 40 % one cut. After Dec: {−50: .4·.8, −25: .4·.2 + .6·.8, 0: .6·.2}.
    assert matrix.iloc[0].tolist() == pytest.approx([0.0, 0.4, 0.6])
    assert matrix.iloc[1].tolist() == pytest.approx([0.32, 0.56, 0.12])


def test_implied_path_late_meeting_reads_the_next_month():
    meetings = (pd.Timestamp("2026-10-28"),)  # N − M = 31 − 28 = 3 days at the new rate
    rates = {"2026-09": 3.875, "2026-10": 3.86, "2026-11": 3.70}
    row = implied_path(strip(rates), AS_OF, 3.75, 4.00, meetings=meetings).meetings.iloc[0]
    assert row["end_source"] == "next month average" and row["end"] == pytest.approx(3.70)
    assert row["p_cut"] == pytest.approx(0.7)
    # Without the November contract the meeting-month formula is the only option.
    del rates["2026-11"]
    row = implied_path(strip(rates), AS_OF, 3.75, 4.00, meetings=meetings).meetings.iloc[0]
    assert row["end_source"] == "meeting month"
    assert row["end"] == pytest.approx((31 * 3.86 - 28 * 3.875) / 3)  # 3.72


def test_implied_path_falls_back_to_the_target_midpoint():
    path = implied_path(strip({"2026-09": 3.625}, as_of="2026-09-01"), "2026-09-01", 3.50, 3.75,
                        meetings=(pd.Timestamp("2026-09-16"),))
    row = path.meetings.iloc[0]
    assert row["start_source"] == "target range midpoint" and row["start"] == pytest.approx(3.625)
    assert row["p_hold"] == pytest.approx(1.0)
    assert path.probabilities.columns.tolist() == ["3.50–3.75"]


def test_implied_path_uses_the_last_price_on_or_before_as_of():
    prices = pd.DataFrame(
        {pd.Period("2026-08", "M"): [96.00, np.nan, 90.0], pd.Period("2026-09", "M"): [96.10, 96.20, 90.0]},
        index=pd.DatetimeIndex(["2026-08-20", "2026-08-21", "2026-08-24"]),
    )
    row = implied_path(prices, AS_OF, 3.75, 4.00, meetings=(pd.Timestamp("2026-09-16"),)).meetings.iloc[0]
    assert row["start"] == pytest.approx(4.00)  # Aug: NaN on as_of → the 08-20 price
    assert row["end"] == pytest.approx(30 / 14 * (3.80 - 16 / 30 * 4.00))  # Sep: the as_of price


def test_implied_path_empty_and_insufficient_inputs():
    for prices in (pd.DataFrame(), strip({"2026-08": 3.6}, as_of="2026-08-24"), strip({"2026-08": 3.6})):
        path = implied_path(prices, AS_OF, 3.50, 3.75)
        assert path.empty and math.isnan(path.current_rate)
        assert list(path.meetings.columns) == list(MEETING_COLUMNS)
        assert path.probabilities.empty
        assert math.isnan(cuts_priced(path).cuts)
    assert implied_path(strip({"2026-08": 3.6, "2026-09": 3.6}), AS_OF, math.nan, 3.75).empty


def test_cuts_priced_over_horizons():
    meetings = (pd.Timestamp("2026-09-16"), pd.Timestamp("2026-12-09"))
    rates = {"2026-08": 3.875, "2026-09": (16 * 3.875 + 14 * 3.775) / 30, "2026-11": 3.775,
             "2026-12": (9 * 3.775 + 22 * 3.575) / 31}
    path = implied_path(strip(rates), AS_OF, 3.75, 4.00, meetings=meetings)
    year = cuts_priced(path)
    assert year.cuts == pytest.approx((3.875 - 3.575) / 0.25) and year.method == METHOD_FUTURES
    assert cuts_priced(path, horizon_days=60).cuts == pytest.approx(0.4)
    assert math.isnan(cuts_priced(path, horizon_days=10).cuts)


# --- implied_path on the real snapshot strip ---------------------------------------------


@pytest.fixture(scope="module")
def snapshot_path():
    specs = fed_funds_contracts(SNAPSHOT_AS_OF)
    month = {s.key: pd.Period(s.key.removeprefix("zq_").replace("_", "-"), "M") for s in specs}
    prices = pd.DataFrame({month[s.key]: snapshot_series(s.key) for s in specs})
    lower = snapshot_series("fed_target_lower").loc[:AS_OF].iloc[-1]
    upper = snapshot_series("fed_target_upper").loc[:AS_OF].iloc[-1]
    return implied_path(prices, AS_OF, lower, upper), prices


# Settlements on 2026-08-21 copied from ../shared/data/snapshot/yahoo/ZQ<month><yy>.CBT.csv.
PRICES_2026_08_21 = {"Q26": 96.37, "U26": 96.32, "X26": 96.21, "Q27": 95.92, "X27": 95.93, "Z27": 95.945}


def test_snapshot_path_invariants(snapshot_path):
    path, prices = snapshot_path
    table, matrix = path.meetings, path.probabilities
    # The strip runs to Jan 2028, so every listed meeting after as_of is covered.
    assert table["meeting"].tolist() == [m for m in FOMC_MEETINGS if m > AS_OF]
    # N and M (statement day) of each meeting month, by hand from the calendar.
    assert list(zip(table["days_in_month"], table["days_before"])) == [
        (30, 16), (31, 28), (31, 9), (31, 27), (31, 17), (30, 28), (30, 9), (31, 28), (30, 15), (31, 27), (31, 8)]
    assert path.current_rate == pytest.approx(100 - PRICES_2026_08_21["Q26"])  # August 2026: no meeting
    assert (path.target_lower, path.target_upper) == (3.5, 3.75)
    assert matrix.sum(axis=1).to_numpy() == pytest.approx(1.0, abs=1e-12)
    # 16 Sep 2026: start 3.63 (August), September average 3.68: end = (30·3.68 − 16·3.63)/14 = 3.737143,
    # k = 0.107143/0.25 = 3/7 of a 25 bp hike.
    first = table.iloc[0]
    assert first["end"] == pytest.approx((30 * 3.68 - 16 * 3.63) / 14, abs=1e-9)
    assert (first["p_cut"], first["p_hold"], first["p_hike"]) == pytest.approx((0.0, 4 / 7, 3 / 7), abs=1e-9)
    assert matrix.iloc[0][matrix.iloc[0] > 0].to_dict() == pytest.approx({"3.50–3.75": 4 / 7, "3.75–4.00": 3 / 7})
    # Late meetings (28 Oct 2026, 28 Jul 2027) read the next month's average; 8 Dec 2027 starts from November's.
    ends = table.set_index("meeting")["end"]
    assert ends["2026-10-28"] == pytest.approx(100 - PRICES_2026_08_21["X26"], abs=1e-9)
    assert ends["2027-07-28"] == pytest.approx(100 - PRICES_2026_08_21["Q27"], abs=1e-9)
    nov, dec = 100 - PRICES_2026_08_21["X27"], 100 - PRICES_2026_08_21["Z27"]
    assert ends["2027-12-08"] == pytest.approx((31 * dec - 8 * nov) / 23, abs=1e-9)
    lowers = np.array([lower_bound(c) for c in matrix.columns])
    row_means = matrix.to_numpy() @ (lowers - path.target_lower) + path.current_rate
    assert np.abs(row_means - table["end"].to_numpy()).max() < 1e-9
    probabilities = table[["p_cut", "p_hold", "p_hike"]].sum(axis=1)
    assert probabilities.to_numpy() == pytest.approx(1.0)


def test_snapshot_cuts_priced(snapshot_path):
    path, _ = snapshot_path
    result = cuts_priced(path, AS_OF)
    # The last meeting within 365 days is 28 Jul 2027, whose end rate is August 2027's average:
    # (3.63 − 4.08)/0.25 = −1.8 cuts, i.e. 1.8 hikes.
    expected = ((100 - PRICES_2026_08_21["Q26"]) - (100 - PRICES_2026_08_21["Q27"])) / 0.25
    assert result.cuts == pytest.approx(expected, abs=1e-9)
    assert result.cuts == pytest.approx(-1.8, abs=1e-9)
    assert result.rate_then == pytest.approx(4.08, abs=1e-9) and result.method == METHOD_FUTURES


# --- fallbacks ------------------------------------------------------------------------


def test_forward_rate_and_bill_fallback():
    assert forward_rate(3.8, 0.5, 3.6, 1.0) == pytest.approx((1.036 / 1.019 - 1) / 0.5 * 100)  # 3.3366 %
    assert forward_rate(4.0, 0.25, 4.0, 0.5) == pytest.approx((1.02 / 1.01 - 1) / 0.25 * 100)
    with pytest.raises(ValueError):
        forward_rate(4.0, 1.0, 4.0, 0.5)
    result = cuts_priced_from_forwards(4.0, {0.25: 3.9, 0.5: 3.8, 1.0: 3.6, 2.0: math.nan})
    assert result.method == METHOD_FORWARDS and result.horizon == "months 6–12 (6-month → 1-year bill forward)"
    # EFFR 4.0 on its 360-day basis is 4.0·365/360 = 4.0556 on the bills' 365-day basis.
    assert result.cuts == pytest.approx((4.0 * 365 / 360 - (1.036 / 1.019 - 1) / 0.5 * 100) / 0.25)  # 2.88
    assert math.isnan(cuts_priced_from_forwards(4.0, {0.25: 3.9}).cuts)


def test_bill_forward_needs_the_one_year_bill():
    """1m→3m covers two months, not a year: without DGS1 the forward fallback gives no number."""
    result = cuts_priced_from_forwards(3.64, {1 / 12: 3.74, 0.25: 3.67})
    assert math.isnan(result.cuts) and "1-year bill" in result.horizon
    one_year = cuts_priced_from_forwards(3.64, {1 / 12: 3.74, 1.0: 3.50})
    forward = ((1 + 0.035) / (1 + 0.0374 / 12) - 1) / (1 - 1 / 12) * 100
    assert one_year.cuts == pytest.approx((3.64 * 365 / 360 - forward) / 0.25)
    assert one_year.horizon == "months 1–12 (1-month → 1-year bill forward)"


def test_crude_gauge():
    result = cuts_priced_crude(3.63, 4.19)
    assert result.cuts == pytest.approx((3.63 * 365 / 360 - 4.19) / 0.25) and result.method == METHOD_CRUDE
    assert (result.rate_now, result.rate_then, result.horizon) == (pytest.approx(3.63 * 365 / 360), 4.19,
                                                                   "the next 2 years")
    # 2024-06-28: EFFR 5.33, 2-year 4.71 -> (5.404 − 4.71)/0.25 = +2.8 cuts, not hikes.
    assert cuts_priced_crude(5.33, 4.71).cuts == pytest.approx((5.33 * 365 / 360 - 4.71) / 0.25)
    assert isinstance(result.cuts, float)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.cuts = 0.0


# --- Taylor rule --------------------------------------------------------------------------


def test_taylor_rule_hand_values():
    months = pd.DatetimeIndex(["2026-01-01", "2026-02-01", "2026-03-01"], name="date")
    pce = pd.Series([3.0, 2.0, np.nan], index=months)
    unrate = pd.Series([4.0, 4.2, 4.0, 4.1], index=months.append(pd.DatetimeIndex(["2026-04-01"])))
    rule = taylor_rule(pce, unrate, r_star=1.0, u_star=4.2)
    # 1 + 3 + 0.5·(3 − 2) + 0.5·2·(4.2 − 4.0) = 4.7; at target and u*: 1 + 2 = 3.
    assert rule.iloc[:2].tolist() == pytest.approx([4.7, 3.0])
    assert math.isnan(rule.iloc[2]) and len(rule) == 3  # April has no core PCE: dropped
    assert taylor_rule(pce.iloc[0:0], unrate).empty


def test_taylor_gap_aligns_monthly_rule_to_daily_policy():
    rule = pd.Series([4.7, 3.0], index=pd.DatetimeIndex(["2026-01-01", "2026-02-01"]))
    policy = pd.Series([3.5, 3.5, 3.5], index=pd.DatetimeIndex(["2026-02-15", "2026-03-05", "2026-04-02"]))
    gap = taylor_gap(policy, rule, lag_days=60)
    assert math.isnan(gap.iloc[0])  # January's rule is not known until 2026-03-02
    assert gap.iloc[1:].tolist() == pytest.approx([3.5 - 4.7, 3.5 - 3.0])
    assert taylor_gap(policy, rule, lag_days=0).tolist() == pytest.approx([0.5, 0.5, 0.5])


# --- duration lab ---------------------------------------------------------------------


def test_present_value_and_cut_gain_by_hand():
    assert present_value([10.0, 110.0], 10.0) == pytest.approx(100.0)
    assert present_value([], 5.0) == 0.0
    pv_at_9 = 10 / 1.09 + 110 / 1.09 ** 2  # 101.7591
    assert cut_gain([10.0, 110.0], 10.0, 100) == pytest.approx((pv_at_9 / 100 - 1) * 100)
    assert math.isnan(cut_gain([], 5.0, 25))


def test_far_future_profits_gain_more_from_a_cut():
    """Both stylised streams in closed form: the near-term firm is a 30-year annuity of 10 growing
    1% a year, PV = 10/(r − g)·(1 − ((1 + g)/(1 + r))^30); the far-future firm loses 5 a year for
    5 years, earns nothing for 5, then 40 a year for 20: PV = −5·a5 + 40·(1 + r)^−10·a20."""
    def annuity(r, n):
        return (1 - (1 + r) ** -n) / r

    def near(r):
        return 10 / (r - 0.01) * (1 - (1.01 / (1 + r)) ** 30)

    def far(r):
        return -5 * annuity(r, 5) + 40 * (1 + r) ** -10 * annuity(r, 20)

    assert NEAR_TERM_PROFITS[0] == 10.0 and NEAR_TERM_PROFITS[-1] == pytest.approx(10 * 1.01 ** 29)
    assert FAR_FUTURE_PROFITS == (-5.0,) * 5 + (0.0,) * 5 + (40.0,) * 20
    assert present_value(NEAR_TERM_PROFITS, 8.0) == pytest.approx(near(0.08), rel=1e-12)
    assert present_value(FAR_FUTURE_PROFITS, 8.0) == pytest.approx(far(0.08), rel=1e-12)
    for cut in (25, 50, 100):
        lower = 0.08 - cut / 10_000
        assert cut_gain(NEAR_TERM_PROFITS, 8.0, cut) == pytest.approx((near(lower) / near(0.08) - 1) * 100, rel=1e-10)
        assert cut_gain(FAR_FUTURE_PROFITS, 8.0, cut) == pytest.approx((far(lower) / far(0.08) - 1) * 100, rel=1e-10)
    # At 8% a 25 bp cut lifts the near-term firm 2.55% and the far-future firm 4.72%.
    assert cut_gain(NEAR_TERM_PROFITS, 8.0, 25) == pytest.approx(2.55, abs=0.005)
    assert cut_gain(FAR_FUTURE_PROFITS, 8.0, 25) == pytest.approx(4.72, abs=0.005)


def test_gordon_duration():
    assert gordon_duration(8.0, 4.0) == pytest.approx(25.0)
    # ΔP/P ≈ −D·Δr: a 25 bp cut at D = 25 is about +6.25 %.
    assert -gordon_duration(8.0, 4.0) * -0.0025 == pytest.approx(0.0625)
    assert math.isnan(gordon_duration(4.0, 4.0)) and math.isnan(gordon_duration(math.nan, 1.0))
