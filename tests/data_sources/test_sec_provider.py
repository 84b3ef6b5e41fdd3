"""SEC EDGAR companyfacts as a catalogue source: the snapshot's ``sec/<SYMBOL>.json``, the live
endpoint behind a fake curl_cffi session (the wire only: our fetcher and parser run for real),
and the series store in between (TTL, stale-on-error, single flight, replicas, status)."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from data_sources import sec
from data_sources.__main__ import status_rows
from data_sources.cache import TTL_S, LiveUpstream, SeriesStore, SnapshotUpstream
from data_sources.catalogue import SEC_CIKS, TTM_EPS_KEYS
from data_sources.contract import check_contract
from data_sources.deadline import RateLimiter
from data_sources.errors import SOURCE_NAMES
from data_sources.snapshot import write_snapshot
from tests.conftest import SNAPSHOT_DIR
from tests.data_sources.conftest import FakeClock, at_once, expect_failure, fast_fred_client, snapshot_copy, spec
from tools.fakes import FakeSecSession, companyfacts_body

USER_AGENT = "Jane Doe jane@example.com"
IN_SNAPSHOT = ("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL")
FAST = RateLimiter(1000)
SHORT_TIMEOUT_S = 0.3


@pytest.fixture
def user_agent(monkeypatch) -> str:
    """SEC_USER_AGENT set, as a deployment sets it."""
    monkeypatch.setenv(sec.SEC_USER_AGENT_ENV, USER_AGENT)
    return USER_AGENT


def expected_ttm(symbol: str, key: str) -> pd.Series:
    """TTM EPS of the snapshot body by the parser's own steps (checked against
    ttm_eps_check.csv in test_sec_parser.py), named by ``key``."""
    facts = sec.read_companyfacts(SNAPSHOT_DIR / "sec" / f"{symbol}.json")
    return sec.ttm_eps(sec.quarterly_eps(facts, symbol)).rename(key)


def key_of(symbol: str) -> str:
    return f"{symbol.lower()}_ttm_eps"


def wire(**answers) -> FakeSecSession:
    """The SEC answering each symbol given (body, status or "hang"), by its CIK; AAPL's real
    body unless overridden."""
    bodies = {"AAPL": companyfacts_body("AAPL"), **answers}
    return FakeSecSession({SEC_CIKS[symbol]: answer for symbol, answer in bodies.items()})


def live(tmp_path, session, clock=None, read_only=False) -> SeriesStore:
    upstream = LiveUpstream(fred=fast_fred_client(), sec_session=session, sec_limiter=FAST)
    return SeriesStore(upstream, tmp_path / "cache", clock=clock or FakeClock(), read_only=read_only)


# -- from a snapshot ------------------------------------------------------------------------------


def test_the_snapshot_serves_ttm_eps_of_each_recorded_body(tmp_path):
    store = SeriesStore(SnapshotUpstream(SNAPSHOT_DIR), tmp_path, clock=FakeClock())
    result = store.load(TTM_EPS_KEYS)
    for symbol in IN_SNAPSHOT:
        key = key_of(symbol)
        series = result.series[key]
        assert check_contract(series) == [] and series.name == key and len(series) >= 6
        pd.testing.assert_series_equal(series, expected_ttm(symbol, key), check_exact=True)
        p = result.provenance[key]
        assert (p.status, p.source, p.source_id, p.frequency, p.note) == ("ok", "sec", symbol, "quarterly", None)


def test_a_company_without_a_file_is_one_clean_failure(tmp_path):
    store = SeriesStore(SnapshotUpstream(SNAPSHOT_DIR), tmp_path)
    result = store.load(["meta_ttm_eps", "tsla_ttm_eps", "aapl_ttm_eps"])
    for symbol in ("META", "TSLA"):
        p = result.provenance[key_of(symbol)]
        assert (p.status, p.error_kind) == ("failed", "missing")
        assert p.error == f"The snapshot file sec/{symbol}.json is missing"
    assert result.provenance["aapl_ttm_eps"].status == "ok"
    assert store.health_problems(result) == []  # optional rows: the page says they are absent


@pytest.mark.parametrize(
    ("body", "kind", "message"),
    [
        (b"<html>Service Unavailable</html>", "bad_response", "The snapshot file sec/MSFT.json is not JSON"),
        (b'{"cik": 789019}', "bad_response", "The snapshot file sec/MSFT.json is not a companyfacts body"),
        (b'{"cik": 789019, "facts": {"us-gaap": {}}}', "empty",
         "The snapshot file sec/MSFT.json is empty (no us-gaap EarningsPerShareDiluted facts"),
    ],
    ids=["html", "no-facts", "no-eps"],
)
def test_a_damaged_body_is_named_with_what_is_wrong(tmp_path, body, kind, message):
    snapshot = snapshot_copy(tmp_path / "snap", without=("sec/MSFT.json",))
    (snapshot / "sec" / "MSFT.json").write_bytes(body)
    p = SeriesStore(SnapshotUpstream(snapshot), tmp_path / "cache").load(["msft_ttm_eps"]).provenance["msft_ttm_eps"]
    assert (p.status, p.error_kind) == ("failed", kind)
    assert p.error.startswith(message)


def test_status_lists_every_sec_row(tmp_path):
    result = SeriesStore(SnapshotUpstream(SNAPSHOT_DIR), tmp_path).load(TTM_EPS_KEYS)
    rows = {row[0]: row for row in status_rows(result)}
    assert list(rows) == list(TTM_EPS_KEYS)
    for symbol in IN_SNAPSHOT:
        key = key_of(symbol)
        assert rows[key][1:3] == ("sec", symbol) and rows[key][6] == "ok"
        assert rows[key][4] == f"{expected_ttm(symbol, key).index[-1]:%Y-%m-%d}"
    assert rows["meta_ttm_eps"][6] == "failed: The snapshot file sec/META.json is missing"


# -- live: the request ----------------------------------------------------------------------------


def test_the_url_is_the_cik_padded_to_ten_digits():
    assert sec.companyfacts_url(320193) == "https://data.sec.gov/api/xbrl/companyfacts/CIK0000320193.json"


def test_live_ttm_eps_comes_from_the_sec_with_the_user_agent_set(tmp_path, user_agent):
    session = wire()
    result = live(tmp_path, session).load(["aapl_ttm_eps"])
    pd.testing.assert_series_equal(result.series["aapl_ttm_eps"], expected_ttm("AAPL", "aapl_ttm_eps"), check_exact=True)
    [(_, cik, headers)] = session.requests
    assert cik == SEC_CIKS["AAPL"] and headers["User-Agent"] == user_agent
    assert LiveUpstream().source_of(spec("aapl_ttm_eps")) == "sec" and SOURCE_NAMES["sec"] == "SEC EDGAR"


@pytest.mark.parametrize("symbol", IN_SNAPSHOT)
def test_every_company_body_gives_a_contract_series(symbol, user_agent):
    session = wire(**{symbol: companyfacts_body(symbol)})
    series = sec.fetch_ttm_eps(spec(key_of(symbol)), session=session, limiter=FAST)
    assert check_contract(series) == [] and series.dtype == "float64" and series.index.name == "date"
    pd.testing.assert_series_equal(series, expected_ttm(symbol, key_of(symbol)), check_exact=True)


def test_without_a_user_agent_no_request_is_sent(tmp_path):
    session = wire()
    store = live(tmp_path, session)
    p = store.load(["aapl_ttm_eps"]).provenance["aapl_ttm_eps"]
    assert (p.status, p.error_kind) == ("failed", "user_agent")
    assert p.error == ('SEC EDGAR needs a User-Agent naming a contact: set SEC_USER_AGENT to '
                       '"Your Name you@example.com" (AAPL): SEC_USER_AGENT is not set, so no request was sent')
    assert session.requests == []


def test_a_blank_user_agent_counts_as_none(monkeypatch):
    monkeypatch.setenv(sec.SEC_USER_AGENT_ENV, "   ")
    session = wire()
    error = expect_failure(sec.fetch_companyfacts, SEC_CIKS["AAPL"], "AAPL", session=session, limiter=FAST)
    assert error.kind == "user_agent" and session.requests == []


@pytest.mark.parametrize(
    ("answer", "kind", "message"),
    [
        (403, "user_agent", 'SEC EDGAR needs a User-Agent naming a contact: set SEC_USER_AGENT to '
                            '"Your Name you@example.com" (AAPL): the SEC refused the request (HTTP 403)'),
        (429, "rate_limited", "SEC EDGAR is throttling requests, try again later (AAPL)"),
        (404, "not_found", "SEC EDGAR does not know this series (AAPL): no companyfacts for CIK 0000320193 (HTTP 404)"),
        (503, "server_error", "SEC EDGAR had a server error (HTTP 503), try again later (AAPL)"),
        (b"<html>Request Rate Threshold Exceeded</html>", "bad_response",
         "SEC EDGAR sent a response we could not read (AAPL): not JSON"),
        (b'{"cik": 320193, "facts": {"dei": {}}}', "empty",
         "SEC EDGAR returned no data (AAPL): no us-gaap EarningsPerShareDiluted facts"),
    ],
    ids=["403", "429", "404", "503", "html", "no-eps"],
)
def test_provider_faults_are_typed_failures_and_never_cached(tmp_path, user_agent, answer, kind, message):
    store = live(tmp_path, wire(AAPL=answer))
    p = store.load(["aapl_ttm_eps"]).provenance["aapl_ttm_eps"]
    assert (p.status, p.error_kind) == ("failed", kind)
    assert p.error.startswith(message)
    assert not list((tmp_path / "cache").rglob("*.parquet"))


def test_a_hanging_sec_times_out_on_our_deadline(user_agent):
    started = time.monotonic()
    error = expect_failure(sec.fetch_companyfacts, SEC_CIKS["AAPL"], "AAPL", session=wire(AAPL="hang"),
                           timeout=SHORT_TIMEOUT_S, limiter=FAST)
    assert error.kind == "timeout" and error.message == "SEC EDGAR did not answer in time (AAPL): no answer within 0.3 s"
    assert time.monotonic() - started < SHORT_TIMEOUT_S + 1.0


def test_network_down_is_a_network_failure(user_agent, monkeypatch):
    monkeypatch.setattr(sec, "COMPANYFACTS_URL", "https://elsewhere.example/CIK{cik:010d}.json")
    error = expect_failure(sec.fetch_companyfacts, 320193, "AAPL", session=wire(), limiter=FAST)
    assert (error.kind, error.message) == ("network", "SEC EDGAR could not be reached (network error) (AAPL): ConnectionError")


def test_one_missing_company_does_not_stop_the_others(tmp_path, user_agent):
    store = live(tmp_path, wire(MSFT=companyfacts_body("MSFT")))  # META: the SEC's 404
    result = store.load(["aapl_ttm_eps", "msft_ttm_eps", "meta_ttm_eps"])
    assert set(result.series) == {"aapl_ttm_eps", "msft_ttm_eps"}
    assert result.provenance["meta_ttm_eps"].error_kind == "not_found"


# -- the pace -------------------------------------------------------------------------------------


def test_the_shared_limiter_stays_far_below_the_sec_limit():
    assert sec.REQUESTS_PER_SECOND <= 2 and sec.SHARED_LIMITER.interval >= 0.5


def test_sequential_requests_wait_for_their_slots(user_agent):
    rate, session = 20.0, wire()
    limiter, started = RateLimiter(rate), time.monotonic()
    for _ in range(4):
        sec.fetch_companyfacts(SEC_CIKS["AAPL"], "AAPL", session=session, limiter=limiter)
    # Request k leaves after its slot, k/rate after the first slot (which is not before ``started``).
    for k, (sent, _, _) in enumerate(session.requests):
        assert sent >= started + k / rate


def test_concurrent_fetches_through_the_store_keep_the_pace(tmp_path, user_agent):
    rate = 10.0
    session = wire(**{symbol: companyfacts_body(symbol) for symbol in IN_SNAPSHOT})
    upstream = LiveUpstream(fred=fast_fred_client(), sec_session=session, sec_limiter=RateLimiter(rate))
    started = time.monotonic()
    result = SeriesStore(upstream, tmp_path / "cache").load(key_of(symbol) for symbol in IN_SNAPSHOT)
    assert len(result.series) == len(IN_SNAPSHOT)  # the pool sends them from several threads at once
    times = sorted(t for t, _, _ in session.requests)
    # Slots are 1/rate apart from the first (not before ``started``): request k is not before slot k.
    assert len(times) == len(IN_SNAPSHOT)
    for k, sent in enumerate(times):
        assert sent >= started + k / rate


# -- the store ------------------------------------------------------------------------------------


def test_a_day_old_copy_is_fresh_and_a_failed_refresh_serves_it_stale(tmp_path, user_agent):
    session, clock = wire(), FakeClock()
    store = live(tmp_path, session, clock)
    old = store.load(["aapl_ttm_eps"]).series["aapl_ttm_eps"]
    clock.advance(TTL_S["quarterly"] - 60)
    assert store.load(["aapl_ttm_eps"]).provenance["aapl_ttm_eps"].status == "ok"
    assert session.calls(SEC_CIKS["AAPL"]) == 1
    session.answers[SEC_CIKS["AAPL"]] = 429
    clock.advance(120)
    result = store.load(["aapl_ttm_eps"])
    p = result.provenance["aapl_ttm_eps"]
    assert (p.status, p.error_kind) == ("stale", "rate_limited") and session.calls(SEC_CIKS["AAPL"]) == 2
    pd.testing.assert_series_equal(result.series["aapl_ttm_eps"], old, check_exact=True)


def test_concurrent_callers_share_one_request(tmp_path, user_agent):
    session = wire()
    store = live(tmp_path, session)
    results = at_once(6, lambda: store.load(["aapl_ttm_eps"]))
    assert session.calls(SEC_CIKS["AAPL"]) == 1
    assert all(r.provenance["aapl_ttm_eps"].status == "ok" for r in results)


def test_a_read_only_replica_serves_stored_eps_and_never_calls_the_sec(tmp_path, user_agent):
    live(tmp_path, wire()).load(["aapl_ttm_eps"])  # the refresher
    replica_wire, clock = FakeSecSession(), FakeClock()
    clock.advance(10 * TTL_S["quarterly"])
    result = live(tmp_path, replica_wire, clock, read_only=True).load(["aapl_ttm_eps", "msft_ttm_eps"])
    assert replica_wire.requests == []
    pd.testing.assert_series_equal(result.series["aapl_ttm_eps"], expected_ttm("AAPL", "aapl_ttm_eps"), check_exact=True)
    assert result.provenance["msft_ttm_eps"].error_kind == "not_in_store"


def test_a_recorded_live_body_replays_as_the_live_series(tmp_path, user_agent):
    store = live(tmp_path, wire(MSFT=companyfacts_body("MSFT")))
    result = store.load(["aapl_ttm_eps", "msft_ttm_eps"])
    bodies = {key: store.upstream.raw_body(spec(key)) for key in result.series}
    write_snapshot(tmp_path / "snap", store.specs(), result.series, bodies)
    assert (tmp_path / "snap" / "sec" / "AAPL.json").read_bytes() == companyfacts_body("AAPL")
    replay = SnapshotUpstream(tmp_path / "snap")
    for key, series in result.series.items():
        pd.testing.assert_series_equal(replay.fetch(spec(key)), series, check_exact=True)
