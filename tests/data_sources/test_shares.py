"""Share counts are catalogue series like any other: the tidy file of a snapshot (or
DASH_SHARES), Yahoo's share-count endpoint live, the series store in between."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from yfinance.data import YfData

from data_sources import shares
from data_sources.__main__ import status_rows
from data_sources.cache import TTL_S, LiveUpstream, SeriesStore, SnapshotUpstream, default_store
from data_sources.catalogue import SHARE_COUNT_KEYS
from data_sources.contract import check_contract, dropped_rows
from data_sources.errors import SOURCE_NAMES
from data_sources.shares import parse_shares_csv, shares_csv_text
from tests.conftest import SNAPSHOT_DIR
from tests.data_sources.conftest import (
    SHARES_CSV,
    FakeClock,
    FakeYahooSharesSession,
    at_once,
    fast_fred_client,
    real_chart,
    share_rows,
    snapshot_copy,
    spec,
    timeseries_body,
)

MEGA = ("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA")


def expected_counts(symbol: str, name: str) -> pd.Series:
    """``symbol``'s counts built straight from the csv module's rows (the last of a date wins)."""
    by_date = {pd.Timestamp(r["date"]): float(r["shares"]) for r in share_rows(symbol)}
    series = pd.Series(by_date, name=name, dtype="float64").sort_index()
    series.index = series.index.as_unit("us").rename("date")
    return series


# -- the tidy file ------------------------------------------------------------------------------


def test_the_tidy_file_parses_to_one_contract_series_per_symbol():
    counts = parse_shares_csv(SHARES_CSV.read_bytes())
    assert set(counts) == set(MEGA)
    for symbol, series in counts.items():
        assert check_contract(series) == [] and dropped_rows(series) == 0
        pd.testing.assert_series_equal(series, expected_counts(symbol, symbol), check_exact=True)


def test_case_blanks_bad_counts_and_repeated_dates():
    aapl = share_rows("AAPL")[:3]
    text = "symbol,date,shares\n" + "".join([
        f"aapl,{aapl[0]['date']},{aapl[0]['shares']}\n",
        f"AAPL,{aapl[1]['date']},\n",  # blank: missing, not an error
        f"AAPL,{aapl[2]['date']},0\n",  # impossible: an error
        f"AAPL,{aapl[2]['date']},{aapl[1]['shares']}\n",  # the same date again: this one wins
    ])
    series = parse_shares_csv(text)["AAPL"]
    assert series.to_dict() == {pd.Timestamp(aapl[0]["date"]): float(aapl[0]["shares"]),
                                pd.Timestamp(aapl[2]["date"]): float(aapl[1]["shares"])}
    assert dropped_rows(series) == 1


def test_a_file_without_the_columns_is_refused():
    with pytest.raises(ValueError, match="symbol"):
        parse_shares_csv("ticker,date,shares\nAAPL,2024-01-05,100\n")


def test_written_counts_parse_back_identically():
    counts = parse_shares_csv(SHARES_CSV.read_bytes())
    again = parse_shares_csv(shares_csv_text(counts))
    for symbol in MEGA:
        pd.testing.assert_series_equal(again[symbol], counts[symbol], check_exact=True)


# -- from a snapshot ------------------------------------------------------------------------------


def test_the_snapshot_serves_every_company_through_the_store(tmp_path):
    store = SeriesStore(SnapshotUpstream(SNAPSHOT_DIR), tmp_path, clock=FakeClock())
    result = store.load(SHARE_COUNT_KEYS)
    for key, symbol in zip(SHARE_COUNT_KEYS, MEGA):
        pd.testing.assert_series_equal(result.series[key], expected_counts(symbol, key), check_exact=True)
        p = result.provenance[key]
        assert (p.status, p.source, p.source_id, p.frequency) == ("ok", "yahoo_shares", symbol, "quarterly")
    rows = {row[0]: row for row in status_rows(result)}
    assert set(rows) == set(SHARE_COUNT_KEYS) and rows["aapl_shares"][1] == "yahoo_shares"


def test_the_tidy_file_is_parsed_once_per_upstream(tmp_path, monkeypatch):
    calls = []
    real_parse = shares.parse_shares_csv
    monkeypatch.setattr(shares, "parse_shares_csv", lambda *a, **k: calls.append(1) or real_parse(*a, **k))
    upstream = SnapshotUpstream(SNAPSHOT_DIR)
    result = SeriesStore(upstream, tmp_path).load(SHARE_COUNT_KEYS)  # seven fetches, in parallel
    assert len(result.series) == len(SHARE_COUNT_KEYS) and len(calls) == 1


def test_a_snapshot_without_counts_says_which_file_is_missing(tmp_path):
    snapshot = snapshot_copy(tmp_path / "snap", without=("shares",))
    store = SeriesStore(SnapshotUpstream(snapshot), tmp_path / "cache")
    result = store.load(["aapl_shares", "aapl"])
    p = result.provenance["aapl_shares"]
    assert (p.status, p.error_kind) == ("failed", "missing")
    assert p.error == "The snapshot file shares/shares_outstanding.csv is missing"
    assert result.provenance["aapl"].status == "ok"
    assert store.health_problems(result) == [f"aapl_shares: no data ({p.error})"]  # required on the S&P page


def test_a_company_absent_from_the_file_is_named(tmp_path):
    snapshot = snapshot_copy(tmp_path / "snap", copied=("shares",))
    path = snapshot / "shares" / "shares_outstanding.csv"
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(line for line in lines if not line.startswith("META,")))
    result = SeriesStore(SnapshotUpstream(snapshot), tmp_path / "cache").load(SHARE_COUNT_KEYS)
    p = result.provenance["meta_shares"]
    assert (p.error_kind, p.error) == ("missing", "The snapshot file shares/shares_outstanding.csv has no META rows")
    assert set(result.series) == set(SHARE_COUNT_KEYS) - {"meta_shares"}


def test_dash_shares_serves_a_snapshot_recorded_without_counts(tmp_path, monkeypatch):
    snapshot = snapshot_copy(tmp_path / "snap", without=("shares",))
    monkeypatch.setenv("DASH_SNAPSHOT", str(snapshot))
    monkeypatch.setenv("DASH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DASH_SHARES", str(SHARES_CSV))
    store = default_store()
    result = store.load(SHARE_COUNT_KEYS)
    pd.testing.assert_series_equal(result.series["nvda_shares"], expected_counts("NVDA", "nvda_shares"), check_exact=True)
    monkeypatch.delenv("DASH_SHARES")
    assert default_store().upstream.namespace != store.upstream.namespace  # no mixing of the two
    monkeypatch.setenv("DASH_SHARES", str(tmp_path / "nope.csv"))
    p = default_store().load(["tsla_shares"]).provenance["tsla_shares"]
    assert p.error == f"The snapshot file {tmp_path / 'nope.csv'} is missing"


def test_a_count_dated_after_today_is_dropped_and_said(tmp_path):
    snapshot = snapshot_copy(tmp_path / "snap", copied=("shares",))
    path = snapshot / "shares" / "shares_outstanding.csv"
    last = share_rows("AAPL")[-1]
    path.write_text(path.read_text() + f"AAPL,2099-01-01,{last['shares']},\n")
    result = SeriesStore(SnapshotUpstream(snapshot), tmp_path / "cache").load(["aapl_shares"])
    pd.testing.assert_series_equal(result.series["aapl_shares"], expected_counts("AAPL", "aapl_shares"), check_exact=True)
    assert result.provenance["aapl_shares"].note.startswith("1 row dropped as data errors")


# -- live, from Yahoo ---------------------------------------------------------------------------


def yahoo_with_counts(**overrides) -> FakeYahooSharesSession:
    """Yahoo answering AAPL's share counts (its real rows) and its time zone (a real chart)."""
    timeseries = {"AAPL": timeseries_body(share_rows("AAPL")), **overrides}
    return FakeYahooSharesSession(timeseries, charts={"AAPL": real_chart("AAPL")})


def live(tmp_path, session, clock=None, read_only=False) -> SeriesStore:
    upstream = LiveUpstream(yahoo_session=session, fred=fast_fred_client())
    return SeriesStore(upstream, tmp_path / "cache", clock=clock or FakeClock(), read_only=read_only)


def test_live_counts_come_from_yahoo_through_the_store(tmp_path):
    session = yahoo_with_counts()
    result = live(tmp_path, session).load(["aapl_shares"])
    pd.testing.assert_series_equal(result.series["aapl_shares"], expected_counts("AAPL", "aapl_shares"), check_exact=True)
    assert result.provenance["aapl_shares"].status == "ok" and session.calls[("shares", "AAPL")] == 1
    assert LiveUpstream().source_of(spec("aapl_shares")) == "yahoo_shares"
    assert SOURCE_NAMES["yahoo_shares"] == "Yahoo Finance (share counts)"


def test_the_last_count_of_a_day_wins(tmp_path):
    first, second = share_rows("AAPL")[-2:]
    midnight = int(dt.datetime.fromisoformat(second["date"]).replace(tzinfo=dt.timezone.utc).timestamp())
    body = {"timeseries": {"result": [{"timestamp": [midnight, midnight + 3600],
                                        "shares_out": [int(first["shares"]), int(second["shares"])]}]}}
    result = live(tmp_path, yahoo_with_counts(AAPL=json.dumps(body).encode())).load(["aapl_shares"])
    assert result.series["aapl_shares"].to_dict() == {pd.Timestamp(second["date"]): float(second["shares"])}


def test_throttled_counts_are_a_typed_failure_and_never_cached(tmp_path):
    store = live(tmp_path, yahoo_with_counts(AAPL=429))
    p = store.load(["aapl_shares"]).provenance["aapl_shares"]
    assert (p.status, p.error_kind) == ("failed", "rate_limited")
    assert p.error == "Yahoo Finance (share counts) is throttling requests, try again later (AAPL)"
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").rglob("*.parquet"))


def test_a_failed_refresh_serves_the_old_counts_marked_stale(tmp_path):
    session, clock = yahoo_with_counts(), FakeClock()
    store = live(tmp_path, session, clock)
    old = store.load(["aapl_shares"]).series["aapl_shares"]
    clock.advance(TTL_S["quarterly"] - 60)
    store.load(["aapl_shares"])
    assert session.calls[("shares", "AAPL")] == 1  # a day-old copy is fresh enough
    session.timeseries["AAPL"] = 429
    clock.advance(120)
    YfData.cache_get.cache_clear()  # yfinance keeps a day's answer (its URL ends with the day)
    result = store.load(["aapl_shares"])
    assert (result.provenance["aapl_shares"].status, result.provenance["aapl_shares"].error_kind) == ("stale", "rate_limited")
    pd.testing.assert_series_equal(result.series["aapl_shares"], old, check_exact=True)


def test_concurrent_callers_share_one_request(tmp_path):
    session = yahoo_with_counts()
    session.latency_s = 0.2  # the time-zone chart answers slowly: callers overlap
    store = live(tmp_path, session)
    results = at_once(6, lambda: store.load(["aapl_shares"]))
    assert session.calls[("shares", "AAPL")] == 1
    assert all(r.provenance["aapl_shares"].status == "ok" for r in results)


def test_a_read_only_replica_serves_stored_counts_and_never_calls_yahoo(tmp_path):
    live(tmp_path, yahoo_with_counts()).load(["aapl_shares"])  # the refresher
    wire = FakeYahooSharesSession()
    clock = FakeClock()
    clock.advance(10 * TTL_S["quarterly"])
    result = live(tmp_path, wire, clock, read_only=True).load(["aapl_shares", "msft_shares"])
    assert wire.calls == {}
    pd.testing.assert_series_equal(result.series["aapl_shares"], expected_counts("AAPL", "aapl_shares"), check_exact=True)
    assert result.provenance["msft_shares"].error_kind == "not_in_store"
