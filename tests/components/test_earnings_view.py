"""The "Earned or re-rated?" view (components/views/earnings.py): hand-built cases, and on the real
snapshot that a window's split never reads what was filed after its end."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from components.controls import DateWindow
from components.views import earnings as ev
from components.views.sp500 import share_counts
from data_sources.cache import LoadResult, Provenance, SnapshotUpstream, SeriesStore
from data_sources.catalogue import MEGA_CAP_KEYS, TTM_EPS_KEYS, ttm_eps_key
from tests.app.conftest import SHARES_CSV
from tests.conftest import SNAPSHOT_DIR

DAYS = pd.bdate_range("2024-01-01", "2024-12-31")


def window(start: str | None, end: str, label: str = "custom") -> DateWindow:
    return DateWindow(dt.date.fromisoformat(start) if start else None, dt.date.fromisoformat(end), label)


def flat_shares(keys, count: float = 1e9) -> pd.DataFrame:
    return pd.DataFrame({"symbol": list(keys), "date": pd.Timestamp("2020-01-02"), "shares": count})


def hand_case():
    """AAPL doubles over the year, MSFT rises 10%; AAPL's TTM EPS 2 → 3 (filed 2024-05-02), MSFT's
    first TTM (−0.5) is filed 2024-02-01 and a positive one (1.0) on 2024-08-01; the others have none."""
    prices = pd.DataFrame({k: np.nan for k in MEGA_CAP_KEYS}, index=DAYS)
    prices["aapl"] = np.linspace(100.0, 200.0, len(DAYS))
    prices["msft"] = np.linspace(50.0, 55.0, len(DAYS))
    ttm = {
        ttm_eps_key("aapl"): pd.Series([2.0, 3.0], index=pd.to_datetime(["2023-11-03", "2024-05-02"])),
        ttm_eps_key("msft"): pd.Series([-0.5, 1.0], index=pd.to_datetime(["2024-02-01", "2024-08-01"])),
    }
    return prices, ttm


def test_each_company_and_the_total_by_hand():
    prices, ttm = hand_case()
    view = ev.earnings_view(prices, ttm, flat_shares(["aapl", "msft"]), window("2024-01-01", "2024-12-31"))
    assert view.missing == ("nvda", "amzn", "googl", "meta", "tsla")
    assert list(view.frame.index) == ["AAPL", "MSFT", ev.TOGETHER_LABEL]
    aapl = view.frame.loc["AAPL"]
    assert aapl["price_pct"] == pytest.approx(100 * math.log(200 / 100))
    assert aapl["eps_pct"] == pytest.approx(100 * math.log(3 / 2))
    assert aapl["multiple_pct"] == pytest.approx(100 * math.log((200 / 3) / (100 / 2)))
    assert (aapl["pe_start"], aapl["pe_end"]) == pytest.approx((50.0, 200 / 3))
    # MSFT had no TTM filed by the start: left out of the total, which is AAPL's alone.
    msft = view.frame.loc["MSFT"]
    assert math.isnan(msft["eps_pct"]) and msft["reason"] == "No TTM EPS had been filed by 2024-01-01, so the earnings part is unknown."
    total = view.frame.loc[ev.TOGETHER_LABEL]
    assert total["eps_pct"] == pytest.approx(aapl["eps_pct"])
    assert total["start_cap_share_pct"] == pytest.approx(100 * 100 / (100 + 50))  # equal share counts
    assert " MSFT: No TTM EPS had been filed by 2024-01-01, so the earnings part is unknown. " in view.takeaway
    # EPS 100·ln(3/2) = 40.5 vs P/E 100·ln((200/3)/50) = 28.8: 11.8 apart, beyond the 5-point band.
    assert "so the move was **mostly earned**." in view.takeaway


def test_a_loss_at_the_start_is_said_and_left_out():
    prices, ttm = hand_case()
    view = ev.earnings_view(prices, ttm, flat_shares(["aapl", "msft"]), window("2024-03-01", "2024-12-31"))
    msft = view.frame.loc["MSFT"]
    assert msft["reason"] == "TTM EPS was not positive at the start (−0.50), so P/E is undefined."
    assert msft["price_pct"] == pytest.approx(100 * math.log(prices["msft"].iloc[-1] / prices.loc["2024-03-01", "msft"]))
    assert math.isnan(msft["pe_start"])
    assert view.pe["MSFT"].loc[:"2024-07-31"].isna().all()
    assert view.pe["MSFT"].loc["2024-08-01"] == pytest.approx(prices.loc["2024-08-01", "msft"] / 1.0)


def test_a_company_without_a_share_count_is_named_and_the_coverage_says_of_whom():
    prices, ttm = hand_case()
    view = ev.earnings_view(prices, ttm, flat_shares(["aapl"]), window("2024-08-01", "2024-12-31"))
    msft = view.frame.loc["MSFT"]
    assert msft["eps_pct"] == pytest.approx(0.0) and msft["reason"] == ""  # defined: TTM 1.0 at both ends
    assert view.frame.loc[ev.TOGETHER_LABEL, "eps_pct"] == pytest.approx(view.frame.loc["AAPL", "eps_pct"])
    assert "(cap-weighted, 100% of the starting cap of the 1 with a share count)" in view.takeaway
    assert " MSFT: no share count at the start, so no weight in the total." in view.takeaway


def test_max_starts_at_the_first_filing():
    prices, ttm = hand_case()
    view = ev.earnings_view(prices, ttm, flat_shares(["aapl", "msft"]), window(None, "2024-12-31", "all history"))
    assert view.start == pd.Timestamp("2024-01-01")  # the first close: AAPL's TTM was filed before it
    shifted = {ttm_eps_key("aapl"): ttm[ttm_eps_key("aapl")].set_axis(pd.to_datetime(["2024-03-04", "2024-05-02"]))}
    view = ev.earnings_view(prices, shifted, flat_shares(["aapl"]), window(None, "2024-12-31", "all history"))
    assert view.start == pd.Timestamp("2024-03-04")


def test_a_filing_older_than_a_quarter_and_its_deadline_is_called_dated():
    prices, ttm = hand_case()
    # AAPL's last TTM was filed 2024-05-02; the window ends at the last close, 2024-12-31: 243 days.
    view = ev.earnings_view(prices, ttm, flat_shares(["aapl", "msft"]), window("2024-09-02", "2024-12-31"))
    assert view.frame.loc["AAPL", "eps_filed"] == pd.Timestamp("2024-05-02")
    # MSFT's 2024-08-01 filing is 152 days old at that end too; ending 2024-09-18 AAPL's is 139 days old: not dated.
    assert view.takeaway.endswith("Latest TTM EPS filed: AAPL 2024-05-02, MSFT 2024-08-01, more than 140 days before "
                                  "the end, so a newer quarter is missing from this data and the earnings part is dated.")
    recent = ev.earnings_view(prices, ttm, flat_shares(["aapl", "msft"]), window("2024-09-02", "2024-09-18"))
    assert "Latest TTM EPS filed" not in recent.takeaway


def test_the_words_follow_the_band():
    assert ev.earned_words(10.0, 5.0) == "mostly earned"
    assert ev.earned_words(5.0, 10.0) == "mostly re-rated"
    assert ev.earned_words(7.0, 3.0) == "earned and re-rated about equally"
    # Only gains are earned or re-rated: a fall says what drove it.
    assert ev.earned_words(10.0, -20.0) == "a fall (a lower multiple, though earnings grew)"
    assert ev.earned_words(-20.0, 10.0) == "a fall (lower earnings, though the multiple rose)"
    assert ev.earned_words(-20.0, -10.0) == "a fall (earnings and the multiple both fell)"


def provenance(key: str, kind: str | None, error: str | None) -> Provenance:
    return Provenance(key, "sec", key.split("_")[0].upper(), key, "USD", "quarterly", error=error, error_kind=kind)


def test_without_a_user_agent_the_note_says_what_to_set():
    keys = TTM_EPS_KEYS
    result = LoadResult({}, {k: provenance(k, "user_agent", "SEC EDGAR needs a User-Agent") for k in keys})
    note = ev.missing_note(result, MEGA_CAP_KEYS)
    assert note.startswith("SEC EDGAR earnings are not loaded: SEC asks every client for a contact, so set "
                           'SEC_USER_AGENT to "Your Name you@example.com"')


def test_other_failures_are_named_by_reason():
    result = LoadResult({}, {
        ttm_eps_key("meta"): provenance(ttm_eps_key("meta"), "missing", "The snapshot file sec/META.json is missing"),
        ttm_eps_key("tsla"): provenance(ttm_eps_key("tsla"), "rate_limited", "SEC EDGAR is throttling requests"),
    })
    assert ev.missing_note(result, ("meta", "tsla")) == (
        "No SEC earnings for Meta Platforms (META) and Tesla (TSLA), so they are left out of the split and of the "
        "cap-weighted total (Meta Platforms (META): The snapshot file sec/META.json is missing; Tesla (TSLA): "
        "SEC EDGAR is throttling requests).")
    assert ev.missing_note(result, ()) == ""


@pytest.fixture(scope="module")
def snapshot_data(tmp_path_factory) -> LoadResult:
    store = SeriesStore(SnapshotUpstream(SNAPSHOT_DIR, SHARES_CSV), tmp_path_factory.mktemp("cache"))
    return store.load(ev.PANEL_KEYS)


@pytest.mark.parametrize("end", ["2024-01-31", "2024-11-01", "2025-07-30", "2026-01-29", "2026-05-01"])
def test_a_window_never_reads_what_was_filed_after_its_end(snapshot_data, end):
    """The split of a window ending on ``end`` is the same on the full data and on the data with
    the EPS cut to ``end`` (by filing date): nothing filed later leaks in. A company whose first
    filing comes later has a row on the full data, with no split (nothing known by then)."""
    data = snapshot_data
    days = window("2023-06-01", end)
    full = ev.earnings_view(data.frame(MEGA_CAP_KEYS), data.series, share_counts(data), days)
    # Prices and share counts stay whole: Yahoo's closes are adjusted for every later split, and the
    # counts are put on that same basis (a split after ``end`` included), so a cap is in dollars.
    cut = {k: s.loc[:end] if k in TTM_EPS_KEYS else s for k, s in data.series.items()}
    cut_data = LoadResult(cut, data.provenance)
    seen = ev.earnings_view(cut_data.frame(MEGA_CAP_KEYS), cut, share_counts(cut_data), days)
    # Every number but the cap shares, whose denominator counts the companies with a row.
    shown = seen.frame.columns.drop("start_cap_share_pct")
    pd.testing.assert_frame_equal(full.frame.loc[seen.frame.index, shown], seen.frame[shown])
    later = full.frame.index.difference(seen.frame.index)
    assert full.frame.loc[later, "eps_pct"].isna().all()
    assert list(later) == (["MSFT"] if end < "2025-01-29" else [])  # MSFT's excerpt starts with its 2025-01-29 10-Q
    pd.testing.assert_frame_equal(full.pe[seen.pe.columns], seen.pe)
    assert (full.start, full.end) == (seen.start, seen.end)
