"""``python -m data_sources snapshot OUT``, ``status`` and ``refresh``, end to end in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pyarrow.parquet as pq
import pytest

from data_sources import sec
from data_sources.cache import TTL_S, SnapshotUpstream
from data_sources.catalogue import SHARE_COUNT_KEYS, catalogue
from data_sources.snapshot import snapshot_path
from tests.conftest import REPO, SNAPSHOT_AS_OF, SNAPSHOT_DIR
from tests.data_sources.conftest import observed_rows, share_rows, snapshot_copy, spec

SPECS = catalogue(SNAPSHOT_AS_OF)
PRESENT = [s for s in SPECS if snapshot_path(SNAPSHOT_DIR, s).is_file()]


def run_cli(*args: str, snapshot, cache_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "DASH_SNAPSHOT": str(snapshot), "DASH_CACHE_DIR": str(cache_dir)}
    for name in ("FRED_API_KEY", "DASH_SHARES", "DASH_READ_ONLY"):
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "data_sources", *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


def last_value_date(s) -> str:
    """The last date with a value, read straight from the CSV (Close is column 4 for Yahoo)."""
    if s.source == "yahoo_shares":
        return max(r["date"] for r in share_rows(s.source_id))
    if s.source == "sec":  # the date the latest TTM became known (the parser is checked elsewhere)
        facts = sec.read_companyfacts(snapshot_path(SNAPSHOT_DIR, s))
        return f"{sec.ttm_eps(sec.quarterly_eps(facts, s.source_id)).index[-1]:%Y-%m-%d}"
    return observed_rows(snapshot_path(SNAPSHOT_DIR, s), 4 if s.source == "yahoo" else 1)[-1][0]


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


def test_recorded_share_counts_replay_as_the_original(recorded):
    out, _, _ = recorded
    assert (out / "shares" / "shares_outstanding.csv").is_file()
    original, replay = SnapshotUpstream(SNAPSHOT_DIR), SnapshotUpstream(out)
    for key in SHARE_COUNT_KEYS:
        pd.testing.assert_series_equal(replay.fetch(spec(key)), original.fetch(spec(key)), check_exact=True)


def test_status_of_the_recorded_folder_matches_the_original_csvs(recorded):
    _, _, status = recorded
    assert status.returncode == 0, status.stderr
    lines = status.stdout.splitlines()
    assert lines[0].startswith(f"as of {SNAPSHOT_AS_OF}")
    assert lines[1].split()[:5] == ["key", "source", "source_id", "first", "last"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert list(rows) == [s.key for s in SPECS]
    for s in PRESENT:
        assert rows[s.key][1:3] == [s.source, s.source_id]
        assert rows[s.key][4] == last_value_date(s), s.key
    for s in SPECS:
        if s not in PRESENT:
            assert rows[s.key][3:5] == ["-", "-"] and "failed" in " ".join(rows[s.key])


def test_status_fails_when_a_required_series_is_missing(tmp_path):
    snapshot = snapshot_copy(tmp_path / "snap", without=("fred/DGS2.csv",))
    status = run_cli("status", snapshot=snapshot, cache_dir=tmp_path / "cache")
    assert status.returncode == 1
    unhealthy = [line for line in status.stderr.splitlines() if line.startswith("unhealthy: ")]
    assert unhealthy == ["unhealthy: t_2y: no data (The snapshot file fred/DGS2.csv is missing)"]


def age_entry(path, seconds: float) -> None:
    """Make the stored copy at ``path`` look fetched ``seconds`` earlier than it was."""
    table = pq.read_table(path)
    metadata = dict(table.schema.metadata)
    metadata[b"fetched_at"] = repr(float(metadata[b"fetched_at"]) - seconds).encode()
    pq.write_table(table.replace_schema_metadata(metadata), path)


def test_refresh_refuses_a_truncated_history_and_fails(tmp_path):
    snapshot = snapshot_copy(tmp_path / "snap", copied=("yahoo/^GSPC.csv",))
    first = run_cli("refresh", snapshot=snapshot, cache_dir=tmp_path / "cache")
    assert first.returncode == 0, first.stderr
    gspc = snapshot / "yahoo" / "^GSPC.csv"
    lines = gspc.read_text().split("\n")
    gspc.write_text("\n".join(lines[: len(lines) // 2]) + "\n")
    entry = next((tmp_path / "cache").glob("snapshot-*/yahoo/_GSPC.parquet"))
    age_entry(entry, TTL_S["daily"] + 60)
    refreshed = run_cli("refresh", snapshot=snapshot, cache_dir=tmp_path / "cache")
    assert refreshed.returncode == 1
    assert "spx: The snapshot returned a shorter history than the copy we have (^GSPC)" in refreshed.stderr
    assert "kept the old copy" in refreshed.stderr
    status = run_cli("status", snapshot=snapshot, cache_dir=tmp_path / "cache")
    assert status.returncode == 1 and "unhealthy: spx: " in status.stderr
    assert pq.read_table(entry).num_rows == len(observed_rows(SNAPSHOT_DIR / "yahoo" / "^GSPC.csv", 4))


@pytest.mark.parametrize("command", ["refresh", "status"])
def test_a_store_problem_is_said_as_one(tmp_path, command):
    blocker = tmp_path / "cache-is-a-file"
    blocker.write_text("")
    done = run_cli(command, snapshot=SNAPSHOT_DIR, cache_dir=blocker)
    assert done.returncode == 1
    assert f"The data store at {blocker} cannot be written (a file is in the way: not a folder)" in done.stderr
    assert "sent a response we could not read" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr


def test_recorded_companyfacts_are_the_original_bodies(recorded):
    out, _, _ = recorded
    for s in PRESENT:
        if s.source == "sec":
            assert snapshot_path(out, s).read_bytes() == snapshot_path(SNAPSHOT_DIR, s).read_bytes(), s.key
    assert {s.source_id for s in PRESENT if s.source == "sec"} == {"AAPL", "MSFT", "NVDA", "AMZN", "GOOGL"}
