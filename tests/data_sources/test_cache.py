"""The series store: Parquet cache, TTLs, stale fallbacks, atomic writes, single flight."""

from __future__ import annotations

import errno
import os
import threading
import time
from collections import Counter
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from data_sources import cache, storage
from data_sources.cache import FAILURE_BACKOFF_S, TTL_S, SeriesStore, SnapshotUpstream
from data_sources.contract import check_contract, to_contract
from data_sources.errors import SourceError
from tests.conftest import SNAPSHOT_AS_OF, SNAPSHOT_DIR, snapshot_series
from tests.data_sources.conftest import FakeClock, at_once, live_store, observed_rows, real_chart, snapshot_copy, spec
from tools.fakes import FakeYahooSession

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

    def source_of(self, spec):
        return spec.source


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


def test_disk_full_halfway_through_a_write_leaves_the_old_file_intact(store, upstream, clock, monkeypatch):
    path = store.entry_path(spec("spy"))
    store.load(["spy"])
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class HalfWritten:
        """The temporary file takes half the bytes, then the disk is full."""

        def __init__(self, fd, mode):
            self.handle = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fdopen", HalfWritten)
    clock.advance(TTL_S["daily"] + 1)
    result = store.load(["spy"])
    assert path.read_bytes() == before
    assert temp_files(store) == []
    assert result.provenance["spy"].status == "ok" and "disk full" in result.store_problem


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
    results = at_once(10, lambda: store.load(["spy"]))
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


# -- data errors become a note ------------------------------------------------------------------


def with_two_errors(series: pd.Series) -> pd.Series:
    """``series`` as a provider returns it after dropping two impossible values of it."""
    raw = series.astype(object)
    raw.iloc[[10, 20]] = "inf"
    return to_contract(raw, series.name)


def test_dropped_rows_become_a_note_on_fresh_and_stored_copies(store, upstream, clock, tmp_path):
    upstream.data["spy"] = with_two_errors(upstream.data["spy"])
    fresh = store.load(["spy"])
    note = "2 rows dropped as data errors (unreadable, non-finite or non-positive values, or dates in the future)."
    assert fresh.provenance["spy"].note == note
    assert fresh.series["spy"].attrs == {}  # the count travels in the note, not on the data
    restarted = SeriesStore(upstream, tmp_path, clock=clock).load(["spy"])  # read back from Parquet
    assert upstream.fetches["spy"] == 1 and restarted.provenance["spy"].note == note
    assert store.load(["unrate"]).provenance["unrate"].note is None


# -- a refresh never shrinks history --------------------------------------------------------------


@pytest.fixture
def spx_snapshot(tmp_path):
    """A private snapshot whose ^GSPC file can be cut, and a store over it."""
    snapshot = snapshot_copy(tmp_path / "snap", copied=("yahoo/^GSPC.csv",))
    clock = FakeClock()
    return snapshot / "yahoo" / "^GSPC.csv", SeriesStore(SnapshotUpstream(snapshot), tmp_path / "cache", clock=clock), clock


def keep_rows(path, count: int) -> tuple[int, str]:
    """Keep the header and the first ``count`` data rows of ``path``; (rows with a Close, last date)."""
    lines = path.read_text().split("\n")
    path.write_text("\n".join(lines[: count + 1]) + "\n")
    kept = observed_rows(path, 4)
    return len(kept), kept[-1][0]


def test_a_truncated_upstream_file_does_not_replace_the_stored_history(spx_snapshot):
    path, store, clock = spx_snapshot
    before = store.load(["spx"]).series["spx"]
    stored = Path(store.entry_path(spec("spx"))).read_bytes()
    rows, last = keep_rows(path, len(before) // 2 + 1)
    clock.advance(TTL_S["daily"] + 1)
    result = store.load(["spx"])
    p = result.provenance["spx"]
    assert (p.status, p.error_kind) == ("stale", "shrank")
    expected = f"{rows:,} rows to {last} vs {len(before):,} to {before.index[-1]:%Y-%m-%d}; kept the old copy"
    assert p.error == f"The snapshot returned a shorter history than the copy we have (^GSPC): {expected}"
    pd.testing.assert_series_equal(result.series["spx"], before, check_exact=True)
    assert Path(store.entry_path(spec("spx"))).read_bytes() == stored
    assert store.health_problems(result) == [f"spx: {p.error}"]


def test_a_history_that_ends_earlier_is_refused_even_when_nearly_as_long(spx_snapshot):
    path, store, clock = spx_snapshot
    before = store.load(["spx"]).series["spx"]
    keep_rows(path, len(path.read_text().rstrip("\n").split("\n")) - 2)  # the last row gone
    clock.advance(TTL_S["daily"] + 1)
    assert store.load(["spx"]).provenance["spx"].error_kind == "shrank"
    assert len(before) >= cache.SHRINK_MIN_ROWS


def test_a_longer_history_replaces_the_stored_one(spx_snapshot):
    path, store, clock = spx_snapshot
    full = path.read_text()
    keep_rows(path, 1000)
    assert len(store.load(["spx"]).series["spx"]) == 1000
    path.write_text(full)
    clock.advance(TTL_S["daily"] + 1)
    result = store.load(["spx"])
    assert result.provenance["spx"].status == "ok"
    assert len(result.series["spx"]) == len(observed_rows(path, 4))


def test_a_short_history_may_change_freely(spx_snapshot):
    path, store, clock = spx_snapshot
    full = path.read_text()
    keep_rows(path, cache.SHRINK_MIN_ROWS - 1)
    store.load(["spx"])
    path.write_text(full)
    keep_rows(path, cache.SHRINK_MIN_ROWS - 1)  # same end date, fewer than 20 rows: no guard
    lines = path.read_text().split("\n")
    path.write_text("\n".join([lines[0], *lines[3:]]))  # two of the oldest rows gone
    clock.advance(TTL_S["daily"] + 1)
    assert store.load(["spx"]).provenance["spx"].status == "ok"


# -- progress of a cold load ------------------------------------------------------------------------


class SlowUpstream(CountingUpstream):
    """Each key answers after its own delay (seconds)."""

    def __init__(self, delays: dict[str, float]):
        super().__init__()
        self.data["t_2y"] = snapshot_series("t_2y")
        self.delays = delays

    def fetch(self, spec):
        time.sleep(self.delays[spec.key])
        return super().fetch(spec)


def test_progress_reports_each_finished_fetch_in_the_calling_thread(tmp_path):
    upstream = SlowUpstream({"unrate": 0.05, "t_2y": 0.25, "spy": 0.6})
    store = SeriesStore(upstream, tmp_path, clock=FakeClock())
    calls = []
    store.load(["spy", "unrate", "t_2y"], progress=lambda *args: calls.append((*args, threading.get_ident())))
    # Waiting on two FRED series and one Yahoo symbol, then (a tie after the first) on Yahoo alone.
    assert [c[:3] for c in calls] == [(0, 3, "FRED"), (1, 3, calls[1][2]), (2, 3, "Yahoo Finance"), (3, 3, None)]
    assert {c[3] for c in calls} == {threading.get_ident()}
    calls.clear()
    store.load(["spy", "unrate", "t_2y"], progress=lambda *args: calls.append(args))  # all fresh now
    assert calls == []


def test_progress_counts_only_the_series_that_are_fetched(tmp_path):
    upstream = SlowUpstream({"unrate": 0.0, "t_2y": 0.0, "spy": 0.0})
    store = SeriesStore(upstream, tmp_path, clock=FakeClock())
    store.load(["spy"])
    calls = []
    store.load(["spy", "unrate"], progress=lambda *args: calls.append(args))
    assert calls == [(0, 1, "FRED"), (1, 1, None)]


def test_a_load_waits_no_longer_than_its_timeout(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "LOAD_TIMEOUT_S", 0.2)
    upstream = SlowUpstream({"unrate": 0.0, "t_2y": 0.0, "spy": 1.0})
    store = SeriesStore(upstream, tmp_path, clock=FakeClock())
    calls = []
    started = time.monotonic()
    result = store.load(["spy", "unrate"], progress=lambda *args: calls.append(args))
    assert time.monotonic() - started < 0.9
    assert result.provenance["spy"].error_kind == "timeout" and result.provenance["unrate"].status == "ok"
    assert [c[:2] for c in calls] == [(0, 2), (1, 2)] and calls[1][2] == "Yahoo Finance"  # never (2, 2)


def test_the_snapshot_is_named_while_waiting_on_it(tmp_path):
    store = SeriesStore(SnapshotUpstream(SNAPSHOT_DIR), tmp_path, clock=FakeClock())
    calls = []
    store.load(["spy", "unrate"], progress=lambda *args: calls.append(args))
    assert calls[0] == (0, 2, "the snapshot") and calls[-1] == (2, 2, None)


# -- an upstream failing in an untyped way --------------------------------------------------------


def test_an_untyped_upstream_failure_is_a_bad_response_naming_the_exception(store, upstream):
    upstream.fail["spy"] = ZeroDivisionError("boom")
    p = store.load(["spy"]).provenance["spy"]
    assert (p.status, p.error_kind) == ("failed", "bad_response")
    assert p.error == "Yahoo Finance sent a response we could not read (SPY): ZeroDivisionError"


def test_retry_in_is_the_rest_of_the_hold_back_of_the_first_failed_series(store, upstream, clock):
    upstream.fail["spy"] = throttled("spy")
    store.load(["spy", "unrate"])
    clock.advance(20.0)
    assert store.retry_in(["spy", "unrate"]) == pytest.approx(FAILURE_BACKOFF_S - 20.0)
    assert store.retry_in(["unrate"]) == 0.0
    clock.advance(FAILURE_BACKOFF_S)
    assert store.retry_in(["spy"]) == 0.0


def test_merged_results_hold_both_loads_and_the_later_wins(store, upstream):
    upstream.fail["unrate"] = throttled("unrate")
    first, second = store.load(["spy"]), store.load(["unrate"])
    both = first.merged(second)
    assert list(both.series) == ["spy"] and list(both.provenance) == ["spy", "unrate"]
    assert both.provenance["unrate"].error_kind == "rate_limited"
    assert second.merged(first).provenance["spy"] is first.provenance["spy"]
