"""Snapshot replay on the real snapshot: every catalogue key, the contract, no network."""

from __future__ import annotations

import csv
import functools
import datetime as dt

import pandas as pd
import pytest

from data_sources.cache import SeriesStore, SnapshotUpstream, default_store
from data_sources.catalogue import catalogue
from data_sources.contract import check_contract
from data_sources.snapshot import read_series, snapshot_as_of, snapshot_path, write_series
from tests.conftest import SNAPSHOT_AS_OF, SNAPSHOT_DIR
from tests.data_sources.conftest import expect_failure, spec

SPECS = catalogue(SNAPSHOT_AS_OF)
EXPECTED_MISSING = {s.key for s in SPECS if not snapshot_path(SNAPSHOT_DIR, s).is_file()}


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
    assert snapshot_as_of(SNAPSHOT_DIR) == dt.date(2026, 8, 21) == store.as_of()
    assert store.specs() == SPECS


def test_every_catalogue_key_loads_or_is_reported_missing(loaded):
    _, result = loaded
    assert set(result.provenance) == {s.key for s in SPECS}
    assert set(result.series) == {s.key for s in SPECS} - EXPECTED_MISSING
    missing = {k for k, p in result.provenance.items() if p.status == "failed"}
    assert missing == EXPECTED_MISSING
    for key in missing:
        p = result.provenance[key]
        assert p.error_kind == "missing" and p.source_id in p.error


@pytest.mark.parametrize("s", [s for s in SPECS if s.key not in EXPECTED_MISSING], ids=lambda s: s.key)
def test_every_loaded_series_honours_the_contract_and_manifest(loaded, s):
    _, result = loaded
    series = result.series[s.key]
    assert check_contract(series) == [] and series.name == s.key and series.notna().all()
    p = result.provenance[s.key]
    assert (p.status, p.source, p.source_id) == ("ok", s.source, s.source_id)
    row = manifest()[(s.source, s.source_id)]
    assert str(p.last_obs) == row["last_date"]
    assert len(series) <= int(row["rows"])


def test_record_then_replay_is_identical(loaded, tmp_path):
    _, result = loaded
    recorded = tmp_path / "recorded"
    for s in SPECS:
        if s.key in result.series:
            write_series(recorded, s, result.series[s.key])
    replay = SeriesStore(SnapshotUpstream(recorded), tmp_path / "cache")
    assert replay.as_of() == SNAPSHOT_AS_OF
    again = replay.load(s.key for s in SPECS)
    assert set(again.series) == set(result.series)
    for key, series in result.series.items():
        pd.testing.assert_series_equal(again.series[key], series, check_exact=True, check_index_type=False)


def test_snapshot_mode_never_opens_a_socket(socket_attempts, monkeypatch, tmp_path):
    monkeypatch.setenv("DASH_SNAPSHOT", str(SNAPSHOT_DIR))
    monkeypatch.setenv("DASH_CACHE_DIR", str(tmp_path))
    store = default_store()
    assert isinstance(store.upstream, SnapshotUpstream)
    result = store.load(s.key for s in store.specs())
    assert len(result.series) == len(SPECS) - len(EXPECTED_MISSING)
    assert socket_attempts == []


def test_read_series_reports_missing_bad_and_empty_files(tmp_path):
    spy = spec("spy")
    assert expect_failure(read_series, tmp_path, spy).kind == "missing"
    path = snapshot_path(tmp_path, spy)
    path.parent.mkdir(parents=True)
    real = snapshot_path(SNAPSHOT_DIR, spy).read_text().splitlines()
    path.write_text("<html>not a csv</html>\n")
    assert expect_failure(read_series, tmp_path, spy).kind == "bad_response"
    # The real file with every Close blanked: rows without a value.
    path.write_text("\n".join([real[0], *(",".join(r.split(",")[:4] + ["", ""]) for r in real[1:50])]) + "\n")
    assert expect_failure(read_series, tmp_path, spy).kind == "empty"
