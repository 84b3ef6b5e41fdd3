"""``python -m data_sources snapshot OUT`` and ``status``, end to end in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from data_sources.catalogue import catalogue
from data_sources.snapshot import snapshot_path
from tests.conftest import REPO, SNAPSHOT_AS_OF, SNAPSHOT_DIR
from tests.data_sources.conftest import observed_rows

SPECS = catalogue(SNAPSHOT_AS_OF)
PRESENT = [s for s in SPECS if snapshot_path(SNAPSHOT_DIR, s).is_file()]


def run_cli(*args: str, snapshot, cache_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "DASH_SNAPSHOT": str(snapshot), "DASH_CACHE_DIR": str(cache_dir)}
    env.pop("FRED_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "data_sources", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def last_value_date(path, source: str) -> str:
    """The last date with a value, read straight from the CSV (Close is column 4 for Yahoo)."""
    return observed_rows(path, 4 if source == "yahoo" else 1)[-1][0]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory):
    """A snapshot recorded by the CLI from the shared snapshot, and the CLI's status of it."""
    root = tmp_path_factory.mktemp("cli")
    snap = run_cli("snapshot", str(root / "out"), snapshot=SNAPSHOT_DIR, cache_dir=root / "cache")
    status = run_cli("status", snapshot=root / "out", cache_dir=root / "cache")
    return root / "out", snap, status


def test_snapshot_command_records_every_available_series(recorded):
    out, snap, _ = recorded
    assert snap.returncode == 0, snap.stderr
    assert f"wrote {len(PRESENT)} of {len(SPECS)} series" in snap.stdout
    for s in SPECS:
        assert snapshot_path(out, s).is_file() == (s in PRESENT), s.key
        if s not in PRESENT:
            assert f"missing {s.key} ({s.source_id})" in snap.stderr
    assert "Traceback" not in snap.stderr


def test_status_of_the_recorded_folder_matches_the_original_csvs(recorded):
    _, _, status = recorded
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].startswith(f"as of {SNAPSHOT_AS_OF}")
    assert lines[1].split()[:5] == ["key", "source", "source_id", "first", "last"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert list(rows) == [s.key for s in SPECS]
    for s in PRESENT:
        expected = last_value_date(snapshot_path(SNAPSHOT_DIR, s), s.source)
        assert rows[s.key][1:3] == [s.source, s.source_id]
        assert rows[s.key][4] == expected, s.key
    for s in SPECS:
        if s not in PRESENT:
            assert rows[s.key][3:5] == ["-", "-"] and "failed" in " ".join(rows[s.key])
