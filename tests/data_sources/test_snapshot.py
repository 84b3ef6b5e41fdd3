"""Snapshot replay on the real snapshot: every catalogue key, the contract, no network; and
what the reader says about damaged files."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import time

import pandas as pd
import pytest

from data_sources.cache import SeriesStore, SnapshotUpstream, default_store
from data_sources.catalogue import STATIC_SERIES, TTM_EPS_KEYS, catalogue
from data_sources.contract import check_contract, dropped_rows
from data_sources.snapshot import read_series, snapshot_as_of, snapshot_path, write_snapshot
from tests.conftest import SNAPSHOT_AS_OF, SNAPSHOT_DIR
from tests.data_sources.conftest import expect_failure, observed_rows, snapshot_copy, spec

SPECS = catalogue(SNAPSHOT_AS_OF)
EXPECTED_MISSING = {s.key for s in SPECS if not snapshot_path(SNAPSHOT_DIR, s).is_file()}
YAHOO_STATIC = [s for s in STATIC_SERIES if s.source == "yahoo"]
AS_OF_BUDGET_S = 0.3  # snapshot_as_of reads ~60 Yahoo files whole at every start


@functools.cache
def manifest() -> dict[tuple[str, str], dict]:
    """MANIFEST.csv rows by (source, id); last_date is the last non-blank value."""
    with open(SNAPSHOT_DIR / "MANIFEST.csv", newline="") as f:
        return {(r["source"], r["id"]): r for r in csv.DictReader(f)}


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """Every catalogue key, loaded once through a store over the real snapshot."""
    store = SeriesStore(SnapshotUpstream(SNAPSHOT_DIR), tmp_path_factory.mktemp("cache"))
    return store, store.load(s.key for s in SPECS)


def test_snapshot_date_is_its_latest_market_date(loaded):
    store, _ = loaded
    latest = max(observed_rows(snapshot_path(SNAPSHOT_DIR, s), 4)[-1][0] for s in YAHOO_STATIC)
    assert snapshot_as_of(SNAPSHOT_DIR) == dt.date.fromisoformat(latest) == SNAPSHOT_AS_OF == store.as_of()
    assert store.specs() == SPECS


def test_the_shared_snapshot_lacks_only_optional_series(loaded):
    store, result = loaded
    assert EXPECTED_MISSING == {"t_6m", "t_1y", "unemployed", "meta_ttm_eps", "tsla_ttm_eps"}
    assert not any(s.required for s in SPECS if s.key in EXPECTED_MISSING)
    assert store.health_problems(result) == []


def test_every_catalogue_key_loads_or_is_reported_missing(loaded):
    _, result = loaded
    assert set(result.provenance) == {s.key for s in SPECS}
    assert set(result.series) == {s.key for s in SPECS} - EXPECTED_MISSING
    missing = {k for k, p in result.provenance.items() if p.status == "failed"}
    assert missing == EXPECTED_MISSING
    for key in missing:
        p = result.provenance[key]
        assert p.error_kind == "missing" and p.source_id in p.error
        folder, suffix = ("sec", "json") if key in TTM_EPS_KEYS else ("fred", "csv")
        assert p.error == f"The snapshot file {folder}/{p.source_id}.{suffix} is missing"


# Share counts and SEC EPS are not in MANIFEST.csv: test_shares.py and test_sec_provider.py check them.
@pytest.mark.parametrize("s", [s for s in SPECS if s.key not in EXPECTED_MISSING and s.source in ("yahoo", "fred")],
                         ids=lambda s: s.key)
def test_every_loaded_series_honours_the_contract_and_manifest(loaded, s):
    _, result = loaded
    series = result.series[s.key]
    assert check_contract(series) == [] and series.name == s.key and series.notna().all()
    p = result.provenance[s.key]
    assert (p.status, p.source, p.source_id, p.note) == ("ok", s.source, s.source_id, None)
    row = manifest()[(s.source, s.source_id)]
    assert str(p.last_obs) == row["last_date"]
    assert len(series) <= int(row["rows"])


def test_record_then_replay_is_identical(loaded, tmp_path):
    store, result = loaded
    recorded = tmp_path / "recorded"
    bodies = {s.key: store.upstream.raw_body(s) for s in SPECS if s.source == "sec" and s.key in result.series}
    write_snapshot(recorded, SPECS, result.series, bodies)
    replay = SeriesStore(SnapshotUpstream(recorded), tmp_path / "cache")
    assert replay.as_of() == SNAPSHOT_AS_OF
    again = replay.load(s.key for s in SPECS)
    assert set(again.series) == set(result.series)
    for key, series in result.series.items():
        pd.testing.assert_series_equal(again.series[key], series, check_exact=True)


def test_snapshot_mode_never_opens_a_socket(socket_attempts, monkeypatch, tmp_path):
    monkeypatch.setenv("DASH_SNAPSHOT", str(SNAPSHOT_DIR))
    monkeypatch.setenv("DASH_CACHE_DIR", str(tmp_path))
    store = default_store()
    assert isinstance(store.upstream, SnapshotUpstream)
    result = store.load(s.key for s in store.specs())
    assert len(result.series) == len(SPECS) - len(EXPECTED_MISSING)
    assert socket_attempts == []


# -- the reference date -------------------------------------------------------------------


def test_reference_date_is_cheap_to_compute():
    snapshot_as_of(SNAPSHOT_DIR)  # warm the file system cache, as a running server has it
    started = time.thread_time()  # this thread's CPU time: other processes and threads do not count
    snapshot_as_of(SNAPSHOT_DIR)
    assert time.thread_time() - started < AS_OF_BUDGET_S


def test_reference_date_ignores_rows_after_today(tmp_path):
    snapshot = snapshot_copy(tmp_path / "snap", copied=("yahoo/^RUT.csv",))
    rut = snapshot / "yahoo" / "^RUT.csv"
    rut.write_text(rut.read_text() + "2099-01-01,,,,2000.0,\n")
    assert snapshot_as_of(snapshot) == SNAPSHOT_AS_OF
    # A date the clock has reached is no longer in the future.
    assert snapshot_as_of(snapshot, today=dt.date(2099, 1, 1)) == dt.date(2099, 1, 1)
    assert SnapshotUpstream(snapshot, today=lambda: dt.date(2026, 8, 20)).as_of() == dt.date(2026, 8, 20)


def test_reference_date_of_files_sorted_newest_first(tmp_path):
    snapshot = snapshot_copy(tmp_path / "snap", copied=("yahoo",))
    for s in YAHOO_STATIC:
        path = snapshot_path(snapshot, s)
        header, *rows = path.read_text().rstrip("\n").split("\n")
        path.write_text("\n".join([header, *reversed(rows)]) + "\n")
    assert snapshot_as_of(snapshot) == SNAPSHOT_AS_OF


@pytest.mark.parametrize(
    "damage",
    [lambda b: b + b"\xff\xfe\xfd", lambda b: b"\x00\x17<html>not a table</html>\n", lambda b: b""],
    ids=["non-utf8-tail", "garbage", "empty"],
)
def test_an_unreadable_file_is_one_failed_series_not_a_crash(tmp_path, damage):
    snapshot = snapshot_copy(tmp_path / "snap", copied=("yahoo/^GSPC.csv",))
    path = snapshot / "yahoo" / "^GSPC.csv"
    path.write_bytes(damage(path.read_bytes()))
    assert snapshot_as_of(snapshot) == SNAPSHOT_AS_OF  # the other files still say 2026-08-21
    result = SeriesStore(SnapshotUpstream(snapshot), tmp_path / "cache").load(["spx", "rut"])
    assert result.provenance["spx"].status == "failed" and result.provenance["rut"].status == "ok"
    assert result.provenance["spx"].error.startswith("The snapshot file yahoo/^GSPC.csv ")


# -- what the reader says about damaged files -------------------------------------------------


def write(tmp_path, key: str, text: str | bytes):
    path = snapshot_path(tmp_path, spec(key))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def real_text(key: str) -> str:
    return snapshot_path(SNAPSHOT_DIR, spec(key)).read_text()


@pytest.mark.parametrize(
    ("key", "text", "kind", "message"),
    [
        ("ijr", "", "empty", "The snapshot file yahoo/IJR.csv is empty (0 bytes)"),
        ("ijr", "Date,Open,High,Low,Close,Volume\n", "empty", "The snapshot file yahoo/IJR.csv is empty (header only)"),
        ("t_2y", "observation_date,DGS2\n", "empty", "The snapshot file fred/DGS2.csv is empty (header only)"),
        ("ijr", "Date,Open,High,Low,Close,Volume\n2024-01-02,,,,,\n2024-01-03,,,,,\n", "empty",
         "The snapshot file yahoo/IJR.csv is empty (every Close is blank)"),
        ("ijr", "Date,Open,High,Low,Close,Volume\n2024-01-02,,,,0,\n2024-01-03,,,,inf,\n", "empty",
         "The snapshot file yahoo/IJR.csv is empty (no usable Close: 2 rows are data errors)"),
        ("t_2y", "<html>not a csv</html>\n", "bad_response",
         "The snapshot file fred/DGS2.csv is not a fredgraph.csv table (need a date column and a value column)"),
        ("ijr", "Date,Open,High,Low,Last,Volume\n2024-01-02,,,,1.0,\n", "bad_response",
         "The snapshot file yahoo/IJR.csv is not a Yahoo price table (no Close column)"),
        ("t_2y", b"observation_date,DGS2\n2024-01-02,4.1\n\xff", "bad_response",
         "The snapshot file fred/DGS2.csv is not UTF-8 text (byte 0xff at offset 37)"),  # 22 + 15 bytes before it
    ],
    ids=["empty", "header-only", "fred-header-only", "all-blank", "all-errors", "html", "no-close", "non-utf8"],
)
def test_damaged_files_are_named_with_what_is_wrong(tmp_path, key, text, kind, message):
    write(tmp_path, key, text)
    exc = expect_failure(read_series, tmp_path, spec(key))
    assert (exc.kind, exc.source, exc.message) == (kind, "snapshot", message)
    assert "network" not in exc.message


def test_a_missing_file_is_named():
    exc = expect_failure(read_series, SNAPSHOT_DIR, spec("t_6m"))
    assert (exc.kind, exc.message) == ("missing", "The snapshot file fred/DGS6MO.csv is missing")


def test_rows_in_the_future_are_dropped_and_said(tmp_path):
    text = real_text("t_2y")
    write(tmp_path, "t_2y", text + "2099-01-01,3.5\n2099-01-02,3.6\n")
    out = read_series(tmp_path, spec("t_2y"), today=SNAPSHOT_AS_OF)
    pd.testing.assert_series_equal(out, read_series(SNAPSHOT_DIR, spec("t_2y")), check_exact=True)
    assert dropped_rows(out) == 2
    result = SeriesStore(SnapshotUpstream(tmp_path), tmp_path / "cache").load(["t_2y"])
    assert result.provenance["t_2y"].note.startswith("2 rows dropped as data errors")
    assert result.provenance["t_2y"].last_obs == dt.date.fromisoformat(observed_rows(text.encode(), 1)[-1][0])
