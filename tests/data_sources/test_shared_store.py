"""Many replicas, one store: a refresher writes to S3 (moto's real S3 API on loopback) and two
read-only app processes serve from it without ever calling upstream."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from data_sources.catalogue import catalogue
from data_sources.snapshot import snapshot_as_of, snapshot_path
from tests.conftest import REPO, SNAPSHOT_DIR
from tests.data_sources.conftest import aws_env, make_bucket

BUCKET = "dash-store"
# Runs `python -m data_sources status` with every upstream fetch counted at the provider
# boundary (snapshot files and the share-count file, Yahoo, FRED); prints the count last.
COUNTING_READER = """
import json, sys
from data_sources import cache, shares, snapshot, yahoo, fred
calls = []
def counting(name):
    def fail(*args, **kwargs):
        calls.append(name)
        raise RuntimeError("upstream called")
    return fail
cache.read_series = counting("snapshot")
shares.SharesFile.series = counting("snapshot shares")
yahoo.fetch_close = counting("yahoo")
yahoo.fetch_shares = counting("yahoo shares")
fred.FredClient.fetch = counting("fred")
from data_sources.__main__ import main
code = main(["status"])
print(json.dumps({"upstream_calls": calls, "exit": code}))
"""


@pytest.fixture(scope="module")
def s3_env(moto_endpoint):
    """The environment of a process using the local S3 server, whose bucket exists."""
    make_bucket(moto_endpoint, BUCKET)
    return {**os.environ, **aws_env(moto_endpoint)}


def run_cli(env: dict, *args: str, code: str | None = None) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "data_sources", *args]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def test_refresher_writes_and_read_only_replicas_never_call_upstream(s3_env, tmp_path):
    store = f"s3://{BUCKET}/prod"
    # The refresher: here its upstream is the real snapshot (no network in CI); live it is
    # Yahoo and FRED. It writes every series into the shared store.
    refresher_env = {**s3_env, "DASH_CACHE_DIR": store, "DASH_SNAPSHOT": str(SNAPSHOT_DIR)}
    refreshed = run_cli(refresher_env, "refresh")
    assert refreshed.returncode == 0, refreshed.stderr[-2000:]
    assert "series current" in refreshed.stdout

    replica_env = {**refresher_env, "DASH_READ_ONLY": "1"}
    replicas = [
        subprocess.Popen([sys.executable, "-c", COUNTING_READER], cwd=REPO, env=replica_env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    # The series the refresher's upstream never had are optional: the replicas are healthy.
    lacking = {s.key for s in catalogue(snapshot_as_of(SNAPSHOT_DIR)) if not snapshot_path(SNAPSHOT_DIR, s).is_file()}
    assert lacking and all(not s.required for s in catalogue(snapshot_as_of(SNAPSHOT_DIR)) if s.key in lacking)
    for replica in replicas:
        out, err = replica.communicate(timeout=300)
        verdict = json.loads(out.strip().splitlines()[-1])
        assert verdict["upstream_calls"] == []
        assert not [line for line in err.splitlines() if line.startswith("unhealthy:")], err[-3000:]
        assert verdict["exit"] == 0
        rows = {line.split()[0]: line for line in out.splitlines()[2:-1]}
        assert " ok" in rows["spx"] and " ok" in rows["aapl_shares"]  # served from S3 with provenance
        assert all("not in the shared store yet" in rows[key] for key in lacking)

    # A replica with nothing in its store says so instead of fetching.
    empty_env = {**replica_env, "DASH_CACHE_DIR": f"s3://{BUCKET}/empty"}
    empty = run_cli(empty_env, code=COUNTING_READER)
    verdict = json.loads(empty.stdout.strip().splitlines()[-1])
    assert verdict["upstream_calls"] == [] and verdict["exit"] == 1
    assert "not in the shared store yet" in empty.stdout


def test_a_replica_refuses_to_refresh(s3_env):
    env = {**s3_env, "DASH_CACHE_DIR": f"s3://{BUCKET}/prod", "DASH_READ_ONLY": "1"}
    assert run_cli(env, "refresh").returncode == 2
