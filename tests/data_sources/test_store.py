"""Store faults are not source faults (FAULTS.md: "cache store unreachable", "cache location
not writable, a file instead of a folder, disk full").

Whatever is wrong with the folder or bucket, every series fetched is served ("ok"), nothing
partial is left behind, and ``LoadResult.store_problem`` says what is wrong with which
store in one sentence. Tests run as root (permissions do not stop root), so a folder that
cannot be written is a path under a regular file, or a failure injected at the storage
boundary (``os.replace`` / ``open`` as ``data_sources.storage`` calls them).
"""

from __future__ import annotations

import errno
import time
import tracemalloc

import pandas as pd
import pytest

from data_sources import cache, storage
from data_sources.cache import NOT_KEPT, NOT_READ, NOT_SERVED, SeriesStore
from tests.data_sources.conftest import FakeClock, free_port, make_bucket, spec, with_aws
from tests.data_sources.test_cache import KEYS, CountingUpstream

SLOW_S = 5.0  # a store problem may cost a load at most this long


@pytest.fixture
def upstream():
    return CountingUpstream()


def served_everything(result, upstream) -> None:
    """Every series is the upstream's, marked ok (a store problem is not a data problem)."""
    for key in KEYS:
        assert result.provenance[key].status == "ok", result.provenance[key]
        pd.testing.assert_series_equal(result.series[key], upstream.data[key], check_exact=True)


def leftovers(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()]


# -- local folders ------------------------------------------------------------------------------


@pytest.mark.parametrize("below", [(), ("cache",)], ids=["the-file-itself", "a-folder-under-it"])
def test_a_file_where_the_folder_should_be(upstream, tmp_path, below):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    where = blocker.joinpath(*below)
    store = SeriesStore(upstream, where, clock=FakeClock())
    expected = f"The data store at {where} cannot be written (a file is in the way: not a folder): {NOT_KEPT}"
    assert store.store_check() == expected
    result = store.load(KEYS)
    served_everything(result, upstream)
    assert result.store_problem == expected
    assert store.health_problems(result) == [f"store: {expected}"]
    store.load(KEYS)
    assert upstream.fetches == {k: 2 for k in KEYS}  # nothing kept: every visit refetches
    assert blocker.read_text() == "x"


@pytest.mark.parametrize(
    ("error", "reason"),
    [(OSError(errno.ENOSPC, "No space left on device"), "disk full"),
     (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
     (OSError(errno.EROFS, "Read-only file system"), "read-only file system")],
    ids=["disk-full", "permission-denied", "read-only-fs"],
)
def test_a_write_that_fails_keeps_the_data_and_leaves_no_partial_file(upstream, tmp_path, monkeypatch, error, reason):
    store = SeriesStore(upstream, tmp_path / "cache", clock=FakeClock())
    store.store_check()  # the folder itself is fine

    def fail(src, dst):
        raise error

    monkeypatch.setattr(storage.os, "replace", fail)
    result = store.load(KEYS)
    served_everything(result, upstream)
    assert result.store_problem == f"The data store at {tmp_path / 'cache'} cannot be written ({reason}): {NOT_KEPT}"
    assert leftovers(tmp_path / "cache") == []


def test_a_read_that_fails_is_a_miss_and_said(upstream, tmp_path, monkeypatch):
    store = SeriesStore(upstream, tmp_path, clock=FakeClock())
    store.load(KEYS)

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(storage, "open", denied, raising=False)
    result = SeriesStore(upstream, tmp_path, clock=FakeClock()).load(KEYS)
    served_everything(result, upstream)
    assert upstream.fetches == {k: 2 for k in KEYS}
    assert result.store_problem == f"The data store at {tmp_path} cannot be read (permission denied): {NOT_READ}"


def test_a_healthy_folder_has_no_problem_and_a_replica_check_writes_nothing(upstream, tmp_path):
    assert SeriesStore(upstream, tmp_path / "a", clock=FakeClock()).store_check() is None
    assert leftovers(tmp_path / "a") == []  # the probe file is gone again
    assert SeriesStore(upstream, tmp_path / "b", read_only=True).store_check() is None
    assert not (tmp_path / "b").exists()
    assert SeriesStore(upstream, tmp_path / "c").load(KEYS).store_problem is None


# -- entries too large to be ours ----------------------------------------------------------------


@pytest.mark.parametrize("as_url", [False, True], ids=["folder", "file-url"])
def test_a_huge_file_in_place_of_an_entry_is_refused_unread(upstream, tmp_path, as_url):
    location = f"file://{tmp_path}" if as_url else tmp_path
    store = SeriesStore(upstream, location, clock=FakeClock())
    path = tmp_path / upstream.namespace / "yahoo" / "SPY.parquet"
    assert str(store.entry_path(spec("spy"))).endswith(str(path.relative_to(tmp_path)))
    path.parent.mkdir(parents=True)
    with open(path, "wb") as junk:
        junk.truncate(1 << 30)  # 1 GiB, sparse: costs no disk
    tracemalloc.start()
    started = time.monotonic()
    result = store.load(["spy"])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert time.monotonic() - started < SLOW_S and peak < storage.MAX_ENTRY_BYTES
    assert result.provenance["spy"].status == "ok" and upstream.fetches["spy"] == 1
    assert result.store_problem is None  # an unusable entry, replaced by the fetched copy
    assert path.stat().st_size < storage.MAX_ENTRY_BYTES


# -- URLs ---------------------------------------------------------------------------------------


def test_an_unknown_protocol_is_said_once_and_the_data_still_served(upstream):
    store = SeriesStore(upstream, "nosuch://user:secret@host/x", clock=FakeClock())
    expected = f"The data store at nosuch://host/x cannot be used (unknown protocol 'nosuch'): {NOT_READ}"
    assert store.store_check() == expected
    result = store.load(KEYS)
    served_everything(result, upstream)
    assert result.store_problem == expected and "secret" not in expected


def test_an_s3_endpoint_refusing_connections_costs_seconds_not_minutes(upstream, loopback, monkeypatch):
    port = free_port()  # nobody listens: every connection is refused
    with_aws(monkeypatch, f"http://127.0.0.1:{port}")
    store = SeriesStore(upstream, "s3://dash-store/prod", clock=FakeClock())
    started = time.monotonic()
    result = store.load(KEYS)
    assert time.monotonic() - started < SLOW_S
    served_everything(result, upstream)
    assert result.store_problem == (
        f"The data store at s3://dash-store/prod cannot be reached (EndpointConnectionError): {NOT_READ}"
    )
    # The check found it unreachable; every read and write after it skipped the store.
    assert [a for a in loopback if a[1] == port] == [("127.0.0.1", port)]


def test_a_replica_whose_store_is_unreachable_says_so_per_series(upstream, loopback, monkeypatch):
    with_aws(monkeypatch, f"http://127.0.0.1:{free_port()}")
    replica = SeriesStore(upstream, "s3://dash-store/prod", clock=FakeClock(), read_only=True)
    result = replica.load(KEYS)
    assert upstream.fetches == {} and result.series == {}
    for key in KEYS:
        p = result.provenance[key]
        assert (p.status, p.error_kind) == ("failed", "store")
        assert p.error == "The data store at s3://dash-store/prod cannot be reached (EndpointConnectionError)"
    assert result.store_problem.endswith(NOT_SERVED)


def test_the_circuit_closes_again_after_the_break(upstream, loopback, monkeypatch):
    port = free_port()
    with_aws(monkeypatch, f"http://127.0.0.1:{port}")
    clock = FakeClock()
    store = SeriesStore(upstream, "s3://dash-store/prod", clock=clock)
    store.load(KEYS)
    clock.advance(cache.STORE_BREAK_S - 1)
    assert store.load(KEYS).store_problem is not None  # skipped, and still said
    assert len(loopback) == 1
    clock.advance(2)
    store.load(KEYS)
    assert len(loopback) >= 2  # tried again


def test_a_missing_bucket(upstream, loopback, moto_endpoint, monkeypatch):
    with_aws(monkeypatch, moto_endpoint)
    store = SeriesStore(upstream, "s3://no-such-bucket/prod", clock=FakeClock())
    result = store.load(KEYS)
    served_everything(result, upstream)
    assert result.store_problem == (
        f"The data store at s3://no-such-bucket/prod cannot be written (the bucket does not exist): {NOT_KEPT}"
    )


def test_a_working_bucket_keeps_the_data(upstream, loopback, moto_endpoint, monkeypatch):
    with_aws(monkeypatch, moto_endpoint)
    make_bucket(moto_endpoint, "kept")
    store = SeriesStore(upstream, "s3://kept/prod", clock=FakeClock())
    assert store.store_check() is None
    assert store.load(KEYS).store_problem is None
    again = SeriesStore(upstream, "s3://kept/prod", clock=FakeClock()).load(KEYS)
    served_everything(again, upstream)
    assert upstream.fetches == {k: 1 for k in KEYS} and again.store_problem is None
