"""The narrative scorecard on hand-built inputs: the vectorised building blocks (tracks, changes
over windows, votes) and every outcome of every claim, several evaluation days per call, with
the readings each card prints and the checks that decided it, all computed by hand."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analytics import claims as c
from analytics.claims import AGAINST, FOR, MIXED, NEUTRAL, NO_DATA, NOT_SUPPORTED, SUPPORTED, Reading


def days(values, end: str = "2026-06-30") -> pd.Series:
    """Business-day series ending on ``end``."""
    index = pd.bdate_range(end=end, periods=len(values), name="date")
    return pd.Series(np.asarray(values, dtype=float), index=index)


def months(values, end: str = "2026-06-01") -> pd.Series:
    """Month-start series ending on ``end``."""
    index = pd.date_range(end=end, periods=len(values), freq="MS", name="date")
    return pd.Series(np.asarray(values, dtype=float), index=index)


def stamps(values) -> list[str | None]:
    """Dates as 'YYYY-MM-DD' (None for NaT), to compare with hand-written lists."""
    return [None if pd.isna(v) else f"{pd.Timestamp(v):%Y-%m-%d}" for v in values]


# Three evaluation days; each test's tracks read one observation per day, dated that day.
DAYS = days([0, 0, 0]).index  # 2026-06-26 (Fri), 2026-06-29 (Mon), 2026-06-30 (Tue)
D1, D2, D3 = (d.date() for d in DAYS)


def on_days(values, label: str = "x", units: str = "", fmt: str = ".2f") -> c.Track:
    """A track whose reading on each of ``DAYS`` is the matching value, observed that day; NaN is
    a missing reading on that day (``track`` would carry the day before forward)."""
    values = pd.Series(values, index=DAYS, dtype=float)
    return c.Track(label, values, pd.Series(DAYS, index=DAYS).where(values.notna()), units, fmt)


def statuses(claim: c.ClaimTrack) -> list[str]:
    return list(claim.status)


def votes(claim: c.ClaimTrack) -> list[list[int]]:
    """Per day, the vote of each check, as the day's card shows them."""
    return [[v for _, v in claim.at(day).checks] for day in DAYS]


# --- track(): a series read on many days ---------------------------------------------------------

def test_track_reads_the_last_value_on_or_before_each_day():
    series = pd.Series([1.0, np.nan, 3.0], index=pd.to_datetime(["2026-06-02", "2026-06-04", "2026-06-08"]))
    on = ["2026-06-01", "2026-06-02", "2026-06-05", "2026-06-08", "2026-06-30"]
    t = c.track(series, on, "x", "%")
    # 06-01 is before the first observation; 06-05 skips the NaN of 06-04 back to 06-02.
    np.testing.assert_array_equal(t.values.to_numpy(), [np.nan, 1.0, 1.0, 3.0, 3.0])
    assert stamps(t.dates) == [None, "2026-06-02", "2026-06-02", "2026-06-08", "2026-06-08"]
    assert list(t.values.index) == list(pd.to_datetime(on)) and t.since is None
    assert t.at("2026-06-05") == Reading("x", 1.0, "%", dt.date(2026, 6, 2))
    first = t.at("2026-06-01")
    assert first.missing and first.as_of is None and first.text == "x n/a"


def test_track_days_in_any_order():
    series = days([1.0, 2.0, 3.0])  # 06-26, 06-29, 06-30
    t = c.track(series, ["2026-06-30", "2026-06-25", "2026-06-27"], "x")
    np.testing.assert_array_equal(t.values.to_numpy(), [3.0, np.nan, 1.0])
    assert stamps(t.dates) == ["2026-06-30", None, "2026-06-26"]


def test_track_without_data_is_missing_everywhere():
    for series in (None, pd.Series(dtype=float), days([np.nan, np.nan])):
        t = c.track(series, DAYS, "x", since=pd.Series(dtype="datetime64[ns]"))
        assert t.values.isna().all() and t.dates.isna().all() and t.since.isna().all()
        assert t.at(DAYS[0]).missing


def test_track_hides_an_observation_until_it_is_published():
    obs = months([1.0, 2.0, 3.0], end="2026-03-01")  # January, February, March 2026
    published = pd.Series(pd.to_datetime(["2026-02-06", "2026-03-06", "2026-04-03"]), index=obs.index)
    since = pd.Series(pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-01"]), index=obs.index)
    on = ["2026-02-05", "2026-02-06", "2026-04-02", "2026-04-03"]
    t = c.track(obs, on, "x", published=published, since=since)
    # On 04-02 March (dated 03-01) exists but is not out until 04-03: February is the latest.
    np.testing.assert_array_equal(t.values.to_numpy(), [np.nan, 1.0, 2.0, 3.0])
    assert stamps(t.dates) == [None, "2026-01-01", "2026-02-01", "2026-03-01"]
    assert stamps(t.since) == [None, "2025-01-01", "2025-02-01", "2025-03-01"]
    assert t.at("2026-04-02") == Reading("x", 2.0, "", dt.date(2026, 2, 1), since=dt.date(2025, 2, 1))


def test_track_carries_the_window_start_of_the_observation_used():
    series = pd.Series([10.0, 20.0], index=pd.to_datetime(["2026-06-01", "2026-06-03"]))
    since = pd.Series(pd.to_datetime(["2026-03-01", "2026-03-03"]), index=series.index)
    t = c.track(series, ["2026-05-29", "2026-06-02", "2026-06-03"], "change", " bp", "+.0f", since=since)
    assert stamps(t.since) == [None, "2026-03-01", "2026-03-03"]
    assert t.at("2026-06-02").since == dt.date(2026, 3, 1)
    assert t.at("2026-06-02").text == "change since 2026-03-01 +10 bp (2026-06-01)"


# --- Changes over windows ------------------------------------------------------------------------

def test_change_over_months_is_by_date():
    y = days(np.arange(200.0))  # value = row number, so a change is a count of business days
    change, since = c.change_over_months(y, 3, scale=100.0)
    # 2026-06-30 − 3 months = 2026-03-30, a Monday: 1 (03-31) + 22 (April) + 21 (May) + 22 (June) rows later.
    assert change["2026-06-30"] == 66 * 100.0 and since["2026-06-30"] == pd.Timestamp("2026-03-30")
    # 2026-06-01 − 3 months = 2026-03-01, a Sunday: the last value on or before it is Friday 02-27,
    # 22 (March) + 22 (April) + 21 (May) + 1 (06-01) rows earlier.
    assert change["2026-06-01"] == 66 * 100.0 and since["2026-06-01"] == pd.Timestamp("2026-02-27")
    # 2026-03-31 − 1 month = 2026-02-28 (month end), a Saturday: Friday 02-27 again, 22 rows earlier.
    one, one_since = c.change_over_months(y, 1)
    assert one["2026-03-31"] == 22.0 and one_since["2026-03-31"] == pd.Timestamp("2026-02-27")


def test_change_over_months_gap_month_and_short_history():
    u = months(np.arange(24.0))  # 2024-07-01 = 0 ... 2026-06-01 = 23
    gappy = u.drop(pd.Timestamp("2025-06-01"))
    change, since = c.change_over_months(gappy, 12)
    # The month exactly a year before 2026-06-01 is missing: May 2025 (10) stands in, 23 − 10.
    assert change["2026-06-01"] == 13.0 and since["2026-06-01"] == pd.Timestamp("2025-05-01")
    assert change["2025-07-01"] == 12.0 and since["2025-07-01"] == pd.Timestamp("2024-07-01")
    # Up to May 2025 the year-earlier month is before the series starts.
    early = change.loc[:"2025-05-01"]
    assert len(early) == 11 and early.isna().all() and since.loc[:"2025-05-01"].isna().all()
    assert pd.Timestamp("2025-06-01") not in change.index


def test_change_over_obs_pct_counts_rows_after_dropping_nan():
    s = days([100.0, np.nan, 110.0, 121.0, 99.0])  # 06-24 .. 06-30; 06-25 is NaN
    change, since = c.change_over_obs_pct(s, 2)
    assert list(change.index) == list(s.dropna().index)
    # 121 against 100 two rows back (the NaN row is not a row), 99 against 110.
    np.testing.assert_allclose(change.to_numpy(), [np.nan, np.nan, 21.0, -10.0])
    assert stamps(since) == [None, None, "2026-06-24", "2026-06-26"]


def test_records_in_window_counts_and_first_date():
    level = days([1.0, 3.0, 2.0, 4.0, 4.0, 5.0])  # 06-23 .. 06-30
    count, first = c.records_in_window(level, 3)
    # Records: 3 (06-24), 4 (06-26), 5 (06-30); the tied 4 of 06-29 is not one.
    assert count.tolist() == [0.0, 1.0, 1.0, 2.0, 1.0, 2.0]
    assert stamps(first) == ["2026-06-23", "2026-06-23", "2026-06-23", "2026-06-24", "2026-06-25", "2026-06-26"]


def test_trailing_percentile_ranks_within_the_window():
    p = c.trailing_percentile(days([1.0, 3.0, 2.0, 3.0, 5.0, 3.0, 0.0]), 5)
    # Windows of 5: [1,3,2,3,5] → 5 is the highest: 100. [3,2,3,5,3] → the three 3s share ranks
    # 2, 3, 4 (average 3): (3 − 1)/4 = 50. [2,3,5,3,0] → 0 is the lowest: 0.
    np.testing.assert_allclose(p.to_numpy(), [np.nan] * 4 + [100.0, 50.0, 0.0])
    # [1,5,2,3,3] ranked at its last 3 (a tie of two, ranks 3 and 4, average 3.5): (3.5 − 1)/4.
    assert c.trailing_percentile(days([1.0, 5.0, 2.0, 3.0, 3.0]), 5).iloc[-1] == pytest.approx(62.5)


# --- Votes and statuses ----------------------------------------------------------------------------

def test_vote_high_values_for():
    value = pd.Series([0.5, 0.49, 0.0, -0.49, -0.5, -3.0, np.nan, 2.0], index=pd.bdate_range("2026-06-01", periods=8))
    out = c.vote(value, 0.5, -0.5)
    np.testing.assert_array_equal(out.to_numpy(), [1, 0, 0, 0, -1, -1, np.nan, 1])
    assert out.index.equals(value.index)


def test_vote_low_values_for():
    out = c.vote(pd.Series([-10.0, -9.9, 9.9, 10.0, np.nan, -50.0]), -10.0, 10.0)
    np.testing.assert_array_equal(out.to_numpy(), [FOR, NEUTRAL, NEUTRAL, AGAINST, np.nan, FOR])


def test_strict_vote_needs_more_than_the_threshold():
    """"More than 2.3%": 2.3 itself is inside the band, on both sides."""
    out = c.vote(pd.Series([2.3, 2.31, 1.7, 1.69, 2.0]), 2.3, 1.7, strict=True)
    np.testing.assert_array_equal(out.to_numpy(), [NEUTRAL, FOR, NEUTRAL, AGAINST, NEUTRAL])
    low = c.vote(pd.Series([-10.0, -10.01, 10.0, 10.01]), -10.0, 10.0, strict=True)
    np.testing.assert_array_equal(low.to_numpy(), [NEUTRAL, FOR, NEUTRAL, AGAINST])


def signal(values) -> c.Signal:
    return c.Signal("s", pd.Series(values, dtype=float))


def test_weigh_by_net_vote():
    a = signal([1, 1, 1, 0, -1, np.nan, 1])
    b = signal([1, 0, -1, 0, -1, 1, 1])
    extra = signal([0, 0, 0, 0, 0, 0, -1])
    # Nets: 2, 1, 0, 0, −2, 1 (NaN counts as 0), 1.
    assert list(c.weigh((a, b, extra), 2)) == [SUPPORTED, MIXED, NOT_SUPPORTED, NOT_SUPPORTED, NOT_SUPPORTED,
                                               MIXED, MIXED]
    assert list(c.weigh((a,), 1)) == [SUPPORTED, SUPPORTED, SUPPORTED, NOT_SUPPORTED, NOT_SUPPORTED,
                                      NOT_SUPPORTED, SUPPORTED]


def test_weigh_essential_signal_must_vote_for():
    lead, credit, move = signal([1, 0, -1, np.nan]), signal([1, 1, 1, 1]), signal([0, 1, 1, 1])
    # Nets 2, 2, 1, 2: only the first day has its essential signal for.
    assert list(c.weigh((lead, credit, move), 2, essential=lead)) == [SUPPORTED, MIXED, MIXED, MIXED]
    assert list(c.weigh((lead, credit, move), 2)) == [SUPPORTED, SUPPORTED, MIXED, SUPPORTED]


def test_weigh_with_a_tuple_of_essential_signals():
    share, earned = signal([1, 1, 0, 1, 1]), signal([1, 0, 1, np.nan, -1])
    breadth = signal([1, 1, 1, 1, 1])
    # Nets 3, 2, 2, 2 (NaN counts as 0), 1. With need 2 and both essential: only the first day has
    # both for; with one essential the second and fourth days qualify too.
    assert list(c.weigh((share, earned, breadth), 2, essential=(share, earned))) == [
        SUPPORTED, MIXED, MIXED, MIXED, MIXED]
    assert list(c.weigh((share, earned, breadth), 2, essential=(share,))) == [
        SUPPORTED, SUPPORTED, MIXED, SUPPORTED, MIXED]
    assert list(c.weigh((share, earned, breadth), 2, essential=share)) == [
        SUPPORTED, SUPPORTED, MIXED, SUPPORTED, MIXED]
    # An empty tuple requires nothing, like no essential at all.
    assert list(c.weigh((share, earned, breadth), 2, essential=())) == list(c.weigh((share, earned, breadth), 2)) == [
        SUPPORTED, SUPPORTED, SUPPORTED, SUPPORTED, MIXED]
    against = signal([-1, -1, -1, -1, -1])
    # Not supported still follows the net alone: nets 2, 1, 1, 1, 0.
    assert list(c.weigh((share, earned, breadth, against), 2, essential=(share, earned))) == [
        SUPPORTED, MIXED, MIXED, MIXED, NOT_SUPPORTED]


# --- Readings and results ------------------------------------------------------------------------

def test_reading_texts():
    level = Reading("2-year yield", 4.19, "%", dt.date(2026, 8, 20))
    assert level.value_text == "2-year yield 4.19%" and level.text == "2-year yield 4.19% (2026-08-20)"
    change = Reading("2-year change", -12.0, " bp", dt.date(2026, 8, 20), "+.0f", since=dt.date(2026, 5, 20))
    assert change.value_text == "2-year change since 2026-05-20 -12 bp"
    assert change.text == "2-year change since 2026-05-20 -12 bp (2026-08-20)"
    undated = Reading("β", 0.13, "%", fmt="+.2f")
    assert undated.text == undated.value_text == "β +0.13%"
    missing = Reading("2-year change", math.nan, " bp", dt.date(2026, 8, 20), since=dt.date(2026, 5, 20))
    assert missing.missing and missing.value_text == missing.text == "2-year change n/a"


def result(*readings: Reading, missing: tuple[str, ...] = ()) -> c.ClaimResult:
    return c.ClaimResult(2, "t", "c", MIXED, readings, (), "rule", missing)


def test_evidence_groups_readings_by_date_in_first_seen_order():
    june30, june29 = dt.date(2026, 6, 30), dt.date(2026, 6, 29)
    r = result(Reading("2-year yield", 3.5, "%", june30), Reading("policy rate (EFFR)", 3.75, "%", june29),
               Reading("2-year change", -50.0, " bp", june30, "+.0f", since=dt.date(2026, 3, 30)),
               Reading("note", 1.0, "", None, ".0f"))
    assert r.evidence == ("2-year yield 3.50% · 2-year change since 2026-03-30 -50 bp (2026-06-30); "
                          "policy rate (EFFR) 3.75% (2026-06-29); note 1")
    assert r.as_of == june30
    assert result(missing=("a", "b")).evidence == "Missing: a, b."
    assert result().as_of is None


def test_unscored_claim():
    r = c.unscored_claim(6, "IWM/IJR: no prices")
    assert (r.number, r.status, r.missing) == (6, NO_DATA, ("IWM/IJR: no prices",))
    assert r.evidence == "Missing: IWM/IJR: no prices."
    assert r.title == c.CLAIM_TEXT[6][0]


# --- Several days in one call: claim 2, with window starts ------------------------------------------

def yields_three_days() -> c.ClaimTrack:
    since = pd.Series(pd.to_datetime(["2026-03-26", "2026-03-29", "2026-03-30"]), index=DAYS)
    move = c.track(pd.Series([-50.0, -5.0, 50.0], index=DAYS), DAYS, "2-year change", " bp", "+.0f", since=since)
    return c.yields_confirm_claim(on_days([3.50, 3.60, 3.50], "2-year yield", "%"),
                                  on_days([3.75, 3.75, 3.75], "policy rate (EFFR)", "%"), move)


def test_three_days_three_statuses():
    claim = yields_three_days()
    # Gap −25 / −15 / −25 bp (for each day); move −50 (for), −5 (noise), +50 (against).
    assert statuses(claim) == [SUPPORTED, MIXED, NOT_SUPPORTED]
    assert votes(claim) == [[FOR, FOR], [FOR, NEUTRAL], [FOR, AGAINST]]
    assert claim.status.index.equals(DAYS)


def test_claim_track_at_a_day_is_its_card():
    card = yields_three_days().at(DAYS[1])
    assert (card.number, card.status, card.missing) == (2, MIXED, ())
    assert (card.title, card.claim) == c.CLAIM_TEXT[2]
    assert card.readings == (
        Reading("2-year yield", 3.60, "%", D2),
        Reading("policy rate (EFFR)", 3.75, "%", D2),
        Reading("2-year change", -5.0, " bp", D2, "+.0f", since=dt.date(2026, 3, 29)),
    )
    assert card.checks == (
        ("2-year yield 10 bp or more below the policy rate (above it by 10 bp or more counts against)", FOR),
        ("2-year yield down 10 bp or more over 3 months (up by 10 bp or more counts against)", NEUTRAL),
    )
    assert all(isinstance(v, int) for _, v in card.checks)
    assert card.evidence == ("2-year yield 3.60% · policy rate (EFFR) 3.75% · 2-year change since 2026-03-29 "
                             "-5 bp (2026-06-29)")
    assert card.as_of == D2


def test_yields_from_a_series_via_change_over_months():
    """The pipeline the overview runs: change by date, read with its window start on each day."""
    index = pd.bdate_range("2025-10-01", "2026-06-30", name="date")
    y2 = pd.Series(np.where(index < pd.Timestamp("2026-04-01"), 4.0, 3.5), index=index)
    policy = y2.loc[:"2026-06-29"] * 0 + 3.75
    change, since = c.change_over_months(y2, c.YIELD_WINDOW_MONTHS, 100.0)
    on = pd.DatetimeIndex(["2026-03-31", "2026-06-30"])
    claim = c.yields_confirm_claim(c.track(y2, on, "2-year yield", "%"), c.track(policy, on, "policy rate (EFFR)", "%"),
                                   c.track(change, on, "2-year change", " bp", "+.0f", since=since))
    # 03-31: 25 bp above the policy rate (against), unchanged over 3 months (noise). 06-30: 25 bp
    # below and 50 bp lower than on 03-30 (both for).
    assert list(claim.status) == [NOT_SUPPORTED, SUPPORTED]
    assert claim.at(on[1]).evidence == ("2-year yield 3.50% · 2-year change since 2026-03-30 -50 bp (2026-06-30); "
                                        "policy rate (EFFR) 3.75% (2026-06-29)")
    assert claim.at(on[0]).readings[2].since == dt.date(2025, 12, 31)


def test_a_missing_reading_is_no_data_and_named():
    claim = c.rate_sensitive_claim(on_days([-0.3, np.nan, -0.3], "β", "%", "+.2f"),
                                   on_days([-0.4, -0.4, np.nan], "correlation", "", "+.2f"))
    assert statuses(claim) == [SUPPORTED, NO_DATA, NO_DATA]
    card = claim.at(DAYS[1])
    assert (card.status, card.missing, card.checks, card.evidence) == (NO_DATA, ("β",), (), "Missing: β.")
    assert claim.at(DAYS[2]).missing == ("correlation",)


def test_verdict_counts():
    claim = yields_three_days()
    results = [claim.at(day) for day in DAYS] + [c.unscored_claim(4, "no data"), claim.at(DAYS[0])]
    assert c.verdict_counts(results) == {SUPPORTED: 2, MIXED: 1, NOT_SUPPORTED: 1, NO_DATA: 1}
    assert list(c.verdict_counts([])) == list(c.STATUSES)


def test_verdict_changes_per_year():
    month_starts = pd.date_range("2024-01-01", "2026-01-01", freq="MS")  # 25 months, 731 days
    history = pd.Series([SUPPORTED] * 6 + [MIXED] * 6 + [SUPPORTED] * 6 + [NOT_SUPPORTED] * 7, index=month_starts)
    assert c.verdict_changes_per_year(history) == pytest.approx(3 / (731 / 365.25))  # ≈ 1.5
    # "No data" months are skipped: S → (gap) → S is no change, and the span runs from the first
    # scored month (2024-02-01) to the last (2024-12-01), 304 days; S→M and M→NS: 2 changes.
    gaps = pd.Series([NO_DATA, SUPPORTED, SUPPORTED, NO_DATA, SUPPORTED, MIXED, MIXED, NO_DATA, MIXED,
                      NOT_SUPPORTED, NOT_SUPPORTED, NOT_SUPPORTED, NO_DATA],
                     index=pd.date_range("2024-01-01", periods=13, freq="MS"))
    assert c.verdict_changes_per_year(gaps) == pytest.approx(2 / (304 / 365.25))
    assert c.verdict_changes_per_year(pd.Series([MIXED] * 4, index=month_starts[:4])) == 0.0
    assert math.isnan(c.verdict_changes_per_year(pd.Series([MIXED, NO_DATA], index=month_starts[:2])))


# --- 1. Markets price further cuts ------------------------------------------------------------------

def test_cuts_priced():
    week = pd.bdate_range(end="2026-06-30", periods=7)  # 06-22 .. 06-30
    cuts = c.track(pd.Series([np.nan, 1.8, 0.51, 0.5, 0.0, -0.5, -0.51], index=week), week, "cuts priced", "", "+.1f")
    claim = c.cuts_priced_claim(cuts, "futures")
    # Nothing priced by 06-22 (no data). More than half a move either way counts; exactly half
    # is no clear move, which is not support (one signal, need 1: there is no "mixed").
    assert list(claim.status) == [NO_DATA, SUPPORTED, SUPPORTED, NOT_SUPPORTED, NOT_SUPPORTED, NOT_SUPPORTED,
                                  NOT_SUPPORTED]
    assert list(claim.signals[0].votes.iloc[1:]) == [FOR, FOR, NEUTRAL, NEUTRAL, NEUTRAL, AGAINST]
    card = claim.at("2026-06-23")
    assert card.checks == (("more than 0.5 cuts priced (more than 0.5 hikes counts against)", FOR),)
    assert card.evidence == "cuts priced +1.8 (2026-06-23)"
    assert "Method: futures;" in claim.rule
    assert claim.at(week[0]).missing == ("cuts priced",)


# --- 2. Treasury yields confirm -----------------------------------------------------------------------

def test_yields_confirm_evidence_against_makes_it_not_supported():
    # Below the policy rate but rising (old rule: mixed) → 0 net; above it and falling → 0 net;
    # 5 bp above (noise) and falling → mixed.
    claim = c.yields_confirm_claim(on_days([3.50, 4.00, 3.80], "2-year yield", "%"),
                                   on_days([3.75] * 3, "policy rate (EFFR)", "%"),
                                   on_days([30.0, -30.0, -30.0], "2-year change", " bp", "+.0f"))
    assert statuses(claim) == [NOT_SUPPORTED, NOT_SUPPORTED, MIXED]
    assert votes(claim) == [[FOR, AGAINST], [AGAINST, FOR], [NEUTRAL, FOR]]


# --- 3. Labour market slowing ---------------------------------------------------------------------------

def labour(u_change, p_change, s_change) -> c.ClaimTrack:
    return c.labour_slowing_claim(on_days([4.3] * 3, "unemployment", "%", ".1f"),
                                  on_days(u_change, "unemployment change", " pp", "+.2f"),
                                  on_days([120.0] * 3, "payrolls, 3m avg", "k/month", "+,.0f"),
                                  on_days(p_change, "payroll 3m-avg change", "k", "+,.0f"),
                                  on_days(s_change, "Sahm indicator change", " pp", "+.2f"))


def test_labour_slowing_three_statuses():
    claim = labour([0.3, 0.3, -0.3], [-60.0, 60.0, -60.0], [0.2, 0.2, -0.2])
    # Day 1: all three for (net 3). Day 2: unemployment and Sahm up but payroll growth 60k faster
    # (net 1; the old two-of-three rule said supported). Day 3: unemployment down 0.3 pp and Sahm
    # falling, one payroll check for (net −1; the old rule said mixed).
    assert statuses(claim) == [SUPPORTED, MIXED, NOT_SUPPORTED]
    assert votes(claim) == [[FOR, FOR, FOR], [FOR, AGAINST, FOR], [AGAINST, FOR, AGAINST]]


def test_labour_slowing_bands():
    # Exactly at the bands votes (for or against); inside them is noise.
    claim = labour([0.2, 0.19, -0.2], [-50.0, -49.0, 50.0], [0.1, 0.09, -0.1])
    assert votes(claim) == [[FOR, FOR, FOR], [NEUTRAL, NEUTRAL, NEUTRAL], [AGAINST, AGAINST, AGAINST]]
    assert statuses(claim) == [SUPPORTED, NOT_SUPPORTED, NOT_SUPPORTED]
    two_and_noise = labour([0.3, 0.3, 0.3], [0.0, 0.0, 60.0], [0.2, 0.0, 0.0])
    assert statuses(two_and_noise) == [SUPPORTED, MIXED, NOT_SUPPORTED]
    assert claim.at(DAYS[0]).readings[0].text == f"unemployment 4.3% ({D1:%Y-%m-%d})"


# --- 4. Small caps lead and set records ------------------------------------------------------------------

def lead_claim(lead, distance) -> c.ClaimTrack:
    return c.small_caps_lead_claim(on_days(lead, "RS change", "%", "+.1f"),
                                   on_days(distance, "Russell 2000 vs record", "%", "+.1f"),
                                   on_days([3.0] * len(lead), "record closes", "", ".0f"))


def test_small_caps_lead():
    claim = lead_claim([2.0, 2.0, 2.0], [-3.0, -7.0, -12.0])
    # Near the record (for), 7% below (noise), 10% or more below (against: old rule mixed).
    assert statuses(claim) == [SUPPORTED, MIXED, NOT_SUPPORTED]
    assert votes(claim) == [[FOR, FOR], [FOR, NEUTRAL], [FOR, AGAINST]]
    lagging = lead_claim([-0.5, 0.5, 0.49], [-5.0, -9.99, -10.0])
    # −0.5% lags (against); exactly 5% below is near; 9.99% below is noise, exactly 10% counts against.
    assert votes(lagging) == [[AGAINST, FOR], [FOR, NEUTRAL], [NEUTRAL, AGAINST]]
    assert statuses(lagging) == [NOT_SUPPORTED, MIXED, NOT_SUPPORTED]


def test_small_caps_records_are_shown_not_voted():
    claim = c.small_caps_lead_claim(on_days([2.0] * 3, "RS"), on_days([0.0] * 3, "dist"),
                                    on_days([0.0, 5.0, np.nan], "record closes"))
    assert statuses(claim) == [SUPPORTED, SUPPORTED, NO_DATA]
    assert len(claim.signals) == 2 and claim.at(DAYS[1]).readings[2].value == 5.0


# --- 5. Rate sensitivity ----------------------------------------------------------------------------------

def test_rate_sensitive():
    claim = c.rate_sensitive_claim(on_days([-0.30, -0.30, -0.30], "β", "%", "+.2f"),
                                   on_days([-0.40, -0.10, 0.30], "correlation", "", "+.2f"))
    # Correlation −0.4 (for), −0.1 (noise), +0.3 (against: β and ρ disagree, net 0).
    assert statuses(claim) == [SUPPORTED, MIXED, NOT_SUPPORTED]
    assert votes(claim) == [[FOR, FOR], [FOR, NEUTRAL], [FOR, AGAINST]]
    edges = c.rate_sensitive_claim(on_days([-0.10, 0.10, 0.09], "β"), on_days([-0.20, 0.20, -0.19], "ρ"))
    assert votes(edges) == [[FOR, FOR], [AGAINST, AGAINST], [NEUTRAL, NEUTRAL]]
    assert statuses(edges) == [SUPPORTED, NOT_SUPPORTED, NOT_SUPPORTED]


# --- 6. Speculation -------------------------------------------------------------------------------------

def speculation(lead, spread, percentile, move) -> c.ClaimTrack:
    return c.speculation_claim(on_days(lead, "IWM/IJR change", "%", "+.1f"),
                               on_days(spread, "high-yield spread", "%"),
                               on_days(percentile, "its percentile in 5 years", "", ".0f"),
                               on_days(move, "spread change", " bp", "+.0f"))


def test_speculation_three_statuses():
    claim = speculation([2.0, 2.0, 2.0], [3.0, 3.0, 3.0], [20.0, 50.0, 80.0], [0.0, 0.0, 0.0])
    # Lead for; credit in the bottom third (for), middle (noise), top third (against: net 0).
    assert statuses(claim) == [SUPPORTED, MIXED, NOT_SUPPORTED]
    assert votes(claim) == [[FOR, FOR, NEUTRAL], [FOR, NEUTRAL, NEUTRAL], [FOR, AGAINST, NEUTRAL]]


def test_speculation_credit_is_judged_by_its_percentile_not_its_level():
    # A 6% spread in the bottom of its history counts as easy; a 3% one at the top as tight.
    claim = speculation([2.0, 2.0, 2.0], [6.0, 3.0, 3.0], [10.0, 90.0, 100 / 3], [-25.0, 0.0, 25.0])
    assert votes(claim) == [[FOR, FOR, FOR], [FOR, AGAINST, NEUTRAL], [FOR, FOR, AGAINST]]
    assert statuses(claim) == [SUPPORTED, NOT_SUPPORTED, MIXED]


def test_speculation_lead_is_essential():
    # Credit alone (net 2) cannot make it supported; lagging with easy credit nets 1.
    claim = speculation([0.0, -1.0, 0.5], [3.0] * 3, [10.0] * 3, [-30.0, -30.0, 30.0])
    assert votes(claim) == [[NEUTRAL, FOR, FOR], [AGAINST, FOR, FOR], [FOR, FOR, AGAINST]]
    assert statuses(claim) == [MIXED, MIXED, MIXED]


# --- 7. Hybrid ------------------------------------------------------------------------------------------

def hybrid(mega_pp, index_pct, equal, cyclical, eps=(12.0, 12.0, 12.0), multiple=(2.0, 2.0, 2.0)) -> c.ClaimTrack:
    """Claim 7 on ``DAYS``. Unless a test says otherwise the mega caps' EPS grew 12 log points and
    their P/E 2: a gap of +10, beyond the 5-point band, so "earned" votes for."""
    return c.hybrid_claim(on_days(index_pct, "S&P 500 12-month return", "%", "+.1f"),
                          on_days(mega_pp, "mega caps' contribution", " pp", "+.1f"),
                          on_days(equal, "RSP/SPY change", "%", "+.1f"),
                          on_days(cyclical, "cyclicals/defensives change", "%", "+.1f"),
                          on_days(eps, "their EPS growth", " pts", "+.1f"),
                          on_days(multiple, "their P/E change", " pts", "+.1f"))


def test_mega_share():
    share = c.mega_share(on_days([8.0, 0.1, -1.0], "m", " pp"), on_days([16.0, 0.2, -0.5], "i", "%"))
    # 8/16 = 50%; a 0.2% return is too small to share out; −1/−0.5 = 200% (|−0.5| is enough).
    np.testing.assert_allclose(share.values.to_numpy(), [50.0, np.nan, 200.0])
    assert share.label == "mega caps' share of it" and stamps(share.dates) == stamps(DAYS)


def test_hybrid_breadth_decides_once_share_and_earned_are_for():
    claim = hybrid([8.0, 8.0, 8.0], [16.0] * 3, [1.0, 0.0, -1.0], [0.0, 0.0, 0.0])
    # Share 50% (for), earned +10 (for); equal weight ahead (for), flat, behind (against); cyclicals
    # flat. Nets 3, 2, 1. Before the earned check (need 2 of three signals) the third day netted 0
    # and was "not supported"; the earned vote for now lifts it to 1: mixed.
    assert statuses(claim) == [SUPPORTED, MIXED, MIXED]
    assert votes(claim) == [[FOR, FOR, FOR, NEUTRAL], [FOR, FOR, NEUTRAL, NEUTRAL], [FOR, FOR, AGAINST, NEUTRAL]]
    labels = [r.label for r in claim.at(DAYS[0]).readings]
    assert labels == ["S&P 500 12-month return", "mega caps' contribution", "mega caps' share of it",
                      "their EPS growth", "their P/E change", "RSP/SPY change", "cyclicals/defensives change"]
    assert claim.at(DAYS[0]).readings[2].value == 50.0
    assert claim.optional == ("their EPS growth", "their P/E change")


def test_hybrid_mega_share_is_essential_and_a_small_one_counts_against():
    # 30% (noise) with earned and both breadth gauges for: net 3, enough, but the share is
    # essential → mixed. 25% (against: less than their weight) with one breadth gauge for and a
    # gap of 0 (earned neutral, so this day keeps its old meaning) → net 0. 40% exactly (for) and
    # earned for with both gauges against → net 0.
    claim = hybrid([4.8, 4.0, 6.4], [16.0] * 3, [1.0, 1.0, -1.0], [1.0, 0.0, -1.0],
                   eps=[12.0, 3.0, 12.0], multiple=[2.0, 3.0, 2.0])
    assert votes(claim) == [[NEUTRAL, FOR, FOR, FOR], [AGAINST, NEUTRAL, FOR, NEUTRAL],
                            [FOR, FOR, AGAINST, AGAINST]]
    assert statuses(claim) == [MIXED, NOT_SUPPORTED, NOT_SUPPORTED]


def test_hybrid_without_a_meaningful_return_is_no_data():
    claim = hybrid([0.1, 0.25, 8.0], [0.2, 0.5, 16.0], [1.0, 1.0, np.nan], [1.0, 1.0, 1.0])
    # 0.2% is too small to share out; 0.5% is enough (a 50% share, with earned and breadth for:
    # net 4); breadth missing on day 3.
    assert statuses(claim) == [NO_DATA, SUPPORTED, NO_DATA]
    assert claim.at(DAYS[0]).missing == ("mega caps' share of it",)
    assert claim.at(DAYS[2]).missing == ("RSP/SPY change",)


def test_hybrid_earned_band_edges():
    # 8.2 − 3.2 = 4.999999999999999 and 3.2 − 8.2 = −4.999999999999999 in floats: ``vote`` rounds
    # to 9 decimals first, so both are the 5-point band itself (for, against); 8.19 − 3.2 = 4.99
    # is inside it (neutral).
    assert 8.2 - 3.2 != c.EARNED_BAND_PP and round(8.2 - 3.2, c.VOTE_DECIMALS) == c.EARNED_BAND_PP == 5.0
    claim = hybrid([8.0] * 3, [16.0] * 3, [1.0] * 3, [1.0] * 3, eps=[8.2, 8.19, 3.2], multiple=[3.2, 3.2, 8.2])
    assert [v[1] for v in votes(claim)] == [FOR, NEUTRAL, AGAINST]
    # Share and both breadth gauges for: nets 4, 3, 2; only the first has "earned" for.
    assert statuses(claim) == [SUPPORTED, MIXED, MIXED]
    exact = hybrid([8.0] * 3, [16.0] * 3, [1.0] * 3, [1.0] * 3, eps=[5.0, 0.0, -4.99], multiple=[0.0, 5.0, 0.0])
    assert [v[1] for v in votes(exact)] == [FOR, AGAINST, NEUTRAL]


def test_hybrid_supported_needs_earned_for():
    # Share 50% and both breadth gauges for on every day. Earned for (gap +10): supported, net 4.
    # Earned neutral (gap 0): net 3 reaches the need, but earned is essential → mixed. No SEC
    # data (EPS n/a): neutral too → mixed, and the day is scored.
    claim = hybrid([8.0] * 3, [16.0] * 3, [1.0] * 3, [1.0] * 3, eps=[12.0, 2.0, np.nan], multiple=[2.0] * 3)
    assert votes(claim) == [[FOR, FOR, FOR, FOR], [FOR, NEUTRAL, FOR, FOR], [FOR, NEUTRAL, FOR, FOR]]
    assert statuses(claim) == [SUPPORTED, MIXED, MIXED]


def test_hybrid_earned_against_with_everything_else_for_is_mixed():
    # Gains re-rated: EPS +2, P/E +12 (gap −10, against). Share and both breadth gauges for: net 2.
    claim = hybrid([8.0] * 3, [16.0] * 3, [1.0] * 3, [1.0] * 3, eps=[2.0] * 3, multiple=[12.0] * 3)
    assert votes(claim) == [[FOR, AGAINST, FOR, FOR]] * 3
    assert statuses(claim) == [MIXED] * 3
    # With breadth flat as well, the re-rating cancels the share: net 0.
    flat = hybrid([8.0] * 3, [16.0] * 3, [0.0] * 3, [0.0] * 3, eps=[2.0] * 3, multiple=[12.0] * 3)
    assert statuses(flat) == [NOT_SUPPORTED] * 3


def test_hybrid_a_fall_has_no_gains_to_call_earned():
    # The mega caps fell: EPS +20, P/E −38.9 (price −18.9); EPS −20.8, P/E −28.5 (price −49.3); and a
    # rise of +4 that was all re-rating (EPS −3, P/E +7, gap −10). Share, breadth for on all three days.
    claim = hybrid([8.0] * 3, [16.0] * 3, [1.0] * 3, [1.0] * 3, eps=[20.0, -20.8, -3.0], multiple=[-38.9, -28.5, 7.0])
    assert votes(claim) == [[FOR, NEUTRAL, FOR, FOR], [FOR, NEUTRAL, FOR, FOR], [FOR, AGAINST, FOR, FOR]]
    assert statuses(claim) == [MIXED, MIXED, MIXED]  # net 3 but "earned" is essential: never supported on a fall
    zero = hybrid([8.0] * 3, [16.0] * 3, [1.0] * 3, [1.0] * 3, eps=[10.0] * 3, multiple=[-10.0] * 3)
    assert votes(zero)[0][1] == NEUTRAL  # a flat price (0) is no gain either


def test_hybrid_without_sec_data_is_still_scored():
    # Day 1: no EPS track (no SEC data); day 2: EPS but no P/E change; day 3: neither, and breadth
    # (a required reading) missing too.
    claim = hybrid([8.0] * 3, [16.0] * 3, [1.0, 1.0, np.nan], [1.0] * 3,
                   eps=[np.nan, 12.0, np.nan], multiple=[2.0, np.nan, np.nan])
    assert statuses(claim) == [MIXED, MIXED, NO_DATA]
    for day in DAYS[:2]:
        card = claim.at(day)
        assert card.status == MIXED and card.missing == ()
        # Share for, earned neutral (0, not n/a), both breadth gauges for: net 3 without "earned".
        assert [v for _, v in card.checks] == [FOR, NEUTRAL, FOR, FOR]
    eps_reading = claim.at(DAYS[0]).readings[3]
    assert eps_reading.label == "their EPS growth" and eps_reading.missing
    assert eps_reading.text == "their EPS growth n/a"
    assert claim.at(DAYS[1]).readings[4].text == "their P/E change n/a"
    # Only the required reading is named as missing, not the optional EPS and P/E ones.
    third = claim.at(DAYS[2])
    assert (third.status, third.missing, third.checks) == (NO_DATA, ("RSP/SPY change",), ())


# --- 8. Inflation -------------------------------------------------------------------------------------------

def inflation(core, breakeven, gap) -> c.ClaimTrack:
    return c.inflation_tension_claim(on_days(core, "core PCE YoY", "%"), on_days(breakeven, "5-year breakeven", "%"),
                                     on_days(gap, "Taylor gap (policy − rule)", " pp", "+.2f"))


def test_inflation_above_the_band():
    # Core 2.6% is above 2.3%: supported unless the breakeven (below 2.0%) and the Taylor gap
    # (policy 0.5 pp or more tighter) both count against.
    claim = inflation([2.6, 2.6, 2.6], [2.5, 1.9, 1.9], [1.0, 0.0, 1.0])
    assert votes(claim) == [[FOR, NEUTRAL, AGAINST], [FOR, AGAINST, NEUTRAL], [FOR, AGAINST, AGAINST]]
    assert statuses(claim) == [SUPPORTED, SUPPORTED, MIXED]


def test_inflation_within_the_band():
    # Core 2.0%: mixed only if breakeven and Taylor gap lean for on balance.
    claim = inflation([2.0, 2.0, 2.0], [2.8, 2.3, 2.8], [-1.0, -1.0, 1.0])
    assert votes(claim) == [[NEUTRAL, FOR, FOR], [NEUTRAL, NEUTRAL, FOR], [NEUTRAL, FOR, AGAINST]]
    assert statuses(claim) == [MIXED, MIXED, NOT_SUPPORTED]
    # At 2.3% core is not yet "above" (more than 0.3 pp over 2%); at 1.7% not yet below.
    edges = inflation([2.3, 1.7, 2.3], [2.8, 2.8, 2.3], [-1.0, -1.0, 0.0])
    assert [v[0] for v in votes(edges)] == [NEUTRAL, NEUTRAL, NEUTRAL]
    assert statuses(edges) == [MIXED, MIXED, NOT_SUPPORTED]


def test_inflation_below_the_band_is_not_supported():
    # Below 1.7% nothing else rescues it, not even both others for.
    claim = inflation([1.6, 1.69, 1.71], [2.8, 2.8, 2.8], [-1.0, -1.0, -1.0])
    assert [v[0] for v in votes(claim)] == [AGAINST, AGAINST, NEUTRAL]
    assert statuses(claim) == [NOT_SUPPORTED, NOT_SUPPORTED, MIXED]


def test_breakeven_threshold_allows_for_the_cpi_pce_wedge():
    assert c.BREAKEVEN_TARGET_PCT == pytest.approx(2.3)
    # Above 2.6% for, below 2.0% against; 2.6 and 2.0 themselves are inside the band.
    claim = inflation([2.0] * 3, [2.61, 2.6, 1.99], [0.0] * 3)
    assert [v[1] for v in votes(claim)] == [FOR, NEUTRAL, AGAINST]


def test_inflation_evidence_and_no_data():
    claim = c.inflation_tension_claim(
        c.track(months([2.9], end="2026-06-01"), DAYS, "core PCE YoY", "%"),
        on_days([2.5, np.nan, 2.5], "5-year breakeven", "%"),
        on_days([-1.0, -1.0, -1.0], "Taylor gap (policy − rule)", " pp", "+.2f"))
    assert statuses(claim) == [SUPPORTED, NO_DATA, SUPPORTED]
    assert claim.at(DAYS[0]).evidence == ("core PCE YoY 2.90% (2026-06-01); 5-year breakeven 2.50% · "
                                          "Taylor gap (policy − rule) -1.00 pp (2026-06-26)")
    assert claim.at(DAYS[1]).missing == ("5-year breakeven",)


def test_a_change_at_the_band_edge_counts_whatever_the_levels():
    """3.9 − 3.7 = 0.19999999999999973 in floats; the 0.2 pp band must still count it."""
    for before, after in ((4.1, 4.3), (3.7, 3.9)):  # as FRED prints them, one decimal
        u = months([before] * 12 + [after])
        change, _ = c.change_over_months(u, c.UNRATE_WINDOW_MONTHS)
        assert c.vote(change, c.UNRATE_BAND_PP, -c.UNRATE_BAND_PP).iloc[-1] == FOR, before
