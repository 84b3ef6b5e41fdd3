"""The series store: Parquet cache, TTLs, stale fallbacks, atomic writes, single flight."""

from __future__ import annotations

import os
import threading
import time
from collections import Counter

import pandas as pd
import pyarrow.parquet as pq
import pytest

from data_sources import cache
from data_sources.cache import FAILURE_BACKOFF_S, TTL_S, SeriesStore
from data_sources.contract import check_contract
from data_sources.errors import SourceError
from tests.conftest import SNAPSHOT_AS_OF, snapshot_series
from tests.data_sources.conftest import FakeClock, live_store, real_chart, spec
from tests.fakes import FakeYahooSession

KEYS = ("spy", "unrate")


class CountingUpstream:
    """An upstream serving real snapshot series; counts fetches, fails or stalls on request."""

    namespace = "counting"

    def __init__(self, delay_s: float = 0.0):
        self.data = {k: snapshot_series(k) for k in KEYS}
        self.delay_s = delay_s
        self.fail: dict[str, SourceError] = {}
        self.fetches: Counter = Counter()
        self._lock = threading.Lock()

    def fetch(self, spec):
        with self._lock:
            self.fetches[spec.key] += 1
        time.sleep(self.delay_s)
        if spec.key in self.fail:
            raise self.fail[spec.key]
        return self.data[spec.key]

    def as_of(self):
        return SNAPSHOT_AS_OF


@pytest.fixture
def upstream():
    return CountingUpstream()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def store(upstream, clock, tmp_path):
    return SeriesStore(upstream, tmp_path, clock=clock)


def throttled(key: str) -> SourceError:
    return SourceError(spec(key).source, spec(key).source_id, "rate_limited")


def temp_files(store) -> list:
    return [p for p in store.root.rglob("*") if p.is_file() and p.suffix != ".parquet"]


# -- freshness ------------------------------------------------------------------------------


def test_first_load_fetches_and_writes_the_contract(store, upstream, clock):
    result = store.load(KEYS)
    for key in KEYS:
        assert check_contract(result.series[key]) == []
        pd.testing.assert_series_equal(result.series[key], upstream.data[key], check_exact=True)
        p = result.provenance[key]
        assert (p.status, p.stale, p.error) == ("ok", False, None)
        assert p.last_obs == upstream.data[key].index[-1].date()
        assert p.fetched_at.timestamp() == clock.now
        assert store.entry_path(spec(key)).is_file()
    assert upstream.fetches == Counter(KEYS)


def test_fetch_time_is_kept_for_any_clock(upstream, tmp_path):
    p = SeriesStore(upstream, tmp_path, clock=FakeClock(0.0)).load(["spy"]).provenance["spy"]
    assert p.fetched_at is not None and p.fetched_at.timestamp() == 0.0


def test_fresh_entry_is_served_without_upstream(store, upstream, clock, tmp_path):
    store.load(KEYS)
    clock.advance(60)
    again = store.load(KEYS)
    restarted = SeriesStore(upstream, tmp_path, clock=clock).load(KEYS)  # a new process, same folder
    assert upstream.fetches == Counter(KEYS)
    for key in KEYS:
        pd.testing.assert_series_equal(again.series[key], upstream.data[key], check_exact=True, check_index_type=False)
        pd.testing.assert_series_equal(restarted.series[key], upstream.data[key], check_exact=True, check_index_type=False)


@pytest.mark.parametrize(("age", "refetched"), [(TTL_S["daily"] - 1, set()), (TTL_S["daily"] + 1, {"spy"}), (TTL_S["monthly"] + 1, set(KEYS))])
def test_entry_older_than_its_ttl_is_refreshed(store, upstream, clock, age, refetched):
    store.load(KEYS)
    clock.advance(age)
    result = store.load(KEYS)
    assert {k for k, n in upstream.fetches.items() if n == 2} == refetched
    assert all(not p.stale for p in result.provenance.values())


# -- failures -------------------------------------------------------------------------------


def test_failed_refresh_returns_the_old_copy_marked_stale(store, upstream, clock):
    old = store.load(["spy"]).series["spy"]
    clock.advance(TTL_S["daily"] + 1)
    upstream.fail["spy"] = throttled("spy")
    result = store.load(["spy"])
    p = result.provenance["spy"]
    assert (p.status, p.stale, p.error_kind) == ("stale", True, "rate_limited")
    assert "SPY" in p.error
    pd.testing.assert_series_equal(result.series["spy"], old, check_exact=True, check_index_type=False)
    assert result.failures() == [p]


def test_failure_with_no_copy_gives_no_series_and_writes_nothing(store, upstream):
    upstream.fail["spy"] = throttled("spy")  # the refresh fails, so the old copy is served
    result = store.load(KEYS)
    assert "spy" not in result.series and "unrate" in result.series
    p = result.provenance["spy"]
    assert (p.status, p.last_obs, p.error_kind) == ("failed", None, "rate_limited")
    assert not store.entry_path(spec("spy")).exists()
    assert list(result.frame().columns) == ["unrate"]


def test_empty_result_is_a_failure_and_never_cached(store, upstream):
    upstream.data["spy"] = upstream.data["spy"].iloc[0:0]
    p = store.load(["spy"]).provenance["spy"]
    assert (p.status, p.error_kind) == ("failed", "empty")
    assert not store.entry_path(spec("spy")).exists()


def test_failed_series_is_not_asked_again_within_the_backoff(store, upstream, clock):
    upstream.fail["spy"] = throttled("spy")
    store.load(["spy"])
    clock.advance(FAILURE_BACKOFF_S - 1)
    upstream.fail.pop("spy")  # upstream is fine again, but we do not ask yet
    p = store.load(["spy"]).provenance["spy"]
    assert upstream.fetches["spy"] == 1 and p.error_kind == "rate_limited"
    clock.advance(2)
    assert store.load(["spy"]).provenance["spy"].status == "ok"
    assert upstream.fetches["spy"] == 2


def test_unknown_key_is_refused(store):
    with pytest.raises(KeyError):
        store.load(["no_such_series"])


# -- the file on disk -----------------------------------------------------------------------


def test_entry_is_written_whole_then_renamed_into_place(store, monkeypatch):
    replaced = []
    real_replace = os.replace

    def spy_replace(src, dst):
        # At rename time the temporary file must already be a complete, readable table.
        assert pq.read_table(src).num_rows == len(snapshot_series("spy"))
        assert os.path.dirname(src) == os.path.dirname(dst)
        replaced.append(dst)
        real_replace(src, dst)

    monkeypatch.setattr(cache.os, "replace", spy_replace)
    store.load(["spy"])
    assert [str(p) for p in replaced] == [str(store.entry_path(spec("spy")))]
    assert temp_files(store) == []


def test_crash_while_writing_leaves_the_old_file_intact(store, upstream, clock, monkeypatch):
    path = store.entry_path(spec("spy"))
    store.load(["spy"])
    before = path.read_bytes()

    def crash(table, where, **kwargs):
        with open(where, "wb") as half:
            half.write(before[: len(before) // 2])
        raise OSError("disk full")

    monkeypatch.setattr(cache.pq, "write_table", crash)
    clock.advance(TTL_S["daily"] + 1)
    result = store.load(["spy"])
    assert path.read_bytes() == before
    assert temp_files(store) == []
    assert result.provenance["spy"].stale and "spy" in result.series


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b"",
        lambda b: b"PAR1 this is not parquet",
        lambda b: b[:-7] + b"PAR1xyz",
    ],
    ids=["truncated", "empty", "garbage", "bad-footer"],
)
def test_corrupt_cache_file_is_ignored_and_refetched(store, upstream, damage):
    path = store.entry_path(spec("spy"))
    store.load(["spy"])
    path.write_bytes(damage(path.read_bytes()))
    result = store.load(["spy"])
    assert upstream.fetches["spy"] == 2
    assert result.provenance["spy"].status == "ok"
    pq.read_table(path)  # rewritten whole


def test_cache_file_breaking_the_contract_is_ignored(store, upstream):
    path = store.entry_path(spec("spy"))
    store.load(["spy"])
    table = pq.read_table(path)
    frame = table.to_pandas().iloc[::-1]  # descending dates
    pq.write_table(type(table).from_pandas(frame).replace_schema_metadata(table.schema.metadata), path)
    assert store.load(["spy"]).provenance["spy"].status == "ok"
    assert upstream.fetches["spy"] == 2


# -- concurrency ----------------------------------------------------------------------------


def test_concurrent_loads_of_one_series_share_one_fetch(tmp_path, clock):
    upstream = CountingUpstream(delay_s=0.3)
    store = SeriesStore(upstream, tmp_path, clock=clock)
    start = threading.Barrier(10)
    results = []

    def caller():
        start.wait()
        results.append(store.load(["spy"]))

    threads = [threading.Thread(target=caller) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert upstream.fetches["spy"] == 1
    assert len(results) == 10 and all(r.provenance["spy"].status == "ok" for r in results)


# -- Yahoo through the store ----------------------------------------------------------------


def test_yahoo_429_cold_gives_no_series_and_caches_nothing(tmp_path):
    store = live_store(tmp_path, yahoo_session=FakeYahooSession({"SPY": 429}))
    result = store.load(["spy"])
    p = result.provenance["spy"]
    assert "spy" not in result.series
    assert (p.status, p.error_kind) == ("failed", "rate_limited")
    assert "throttling" in p.error
    assert not store.entry_path(spec("spy")).exists() and not any(store.root.rglob("*.parquet"))


def test_yahoo_429_warm_serves_the_old_copy_as_stale(tmp_path, clock):
    session = FakeYahooSession({"SPY": real_chart("MSFT")})
    store = live_store(tmp_path, yahoo_session=session, clock=clock)
    old = store.load(["spy"]).series["spy"]
    session.charts["SPY"] = 429
    clock.advance(TTL_S["daily"] + 1)
    result = store.load(["spy"])
    p = result.provenance["spy"]
    assert (p.status, p.stale, p.error_kind) == ("stale", True, "rate_limited")
    assert p.last_obs == old.index[-1].date()
    pd.testing.assert_series_equal(result.series["spy"], old, check_exact=True, check_index_type=False)


def test_one_dead_symbol_does_not_stop_the_others(tmp_path):
    session = FakeYahooSession({"SPY": real_chart("MSFT"), "NVDA": real_chart("NVDA")})  # IWM: unknown
    result = live_store(tmp_path, yahoo_session=session).load(["spy", "iwm", "nvda"])
    assert set(result.series) == {"spy", "nvda"}
    assert list(result.frame().columns) == ["spy", "nvda"]
    dead = result.provenance["iwm"]
    assert (dead.status, dead.error_kind) == ("failed", "not_found")
    assert "IWM" in dead.error and result.failures() == [dead]


# -- health (``python -m data_sources status`` exit code) and read-only replicas ---------------


def test_health_flags_series_older_than_twice_their_ttl(store, upstream, clock):
    assert store.health_problems(store.load(KEYS)) == []
    clock.advance(cache.STALE_FACTOR * cache.TTL_S["daily"] + 1)
    upstream.fail["spy"] = throttled("spy")  # the refresh fails, so the old copy is served
    result = store.load(KEYS)
    problems = store.health_problems(result)
    assert [p.split(":")[0] for p in problems] == ["spy"]  # unrate (monthly TTL) still fine


def test_health_flags_a_series_with_no_data(store, upstream):
    upstream.fail["unrate"] = throttled("unrate")
    problems = store.health_problems(store.load(KEYS))
    assert [p.split(":")[0] for p in problems] == ["unrate"]


def test_read_only_replica_serves_old_entries_and_never_fetches(upstream, clock, tmp_path):
    SeriesStore(upstream, tmp_path, clock=clock).load(KEYS)
    fetched = sum(upstream.fetches.values())
    clock.advance(10 * cache.TTL_S["monthly"])
    replica = SeriesStore(upstream, tmp_path, clock=clock, read_only=True)
    result = replica.load((*KEYS, "t_2y"))
    assert sum(upstream.fetches.values()) == fetched
    assert set(result.series) == set(KEYS)
    assert result.provenance["t_2y"].error_kind == "not_in_store"
