"""Many replicas, one store: a refresher writes to S3 (moto's real S3 API on loopback) and two
read-only app processes serve from it without ever calling upstream."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request

import pytest

from data_sources.catalogue import catalogue
from data_sources.snapshot import snapshot_as_of, snapshot_path
from tests.conftest import REPO, SNAPSHOT_DIR
from tests.server import free_port

BUCKET = "dash-store"
MOTO_START_TIMEOUT_S = 30.0
# Runs `python -m data_sources status` with every upstream fetch counted at the provider
# boundary (snapshot files, Yahoo, FRED); prints the count as the last line.
COUNTING_READER = """
import json, sys
from data_sources import cache, snapshot, yahoo, fred
calls = []
def counting(name):
    def fail(*args, **kwargs):
        calls.append(name)
        raise RuntimeError("upstream called")
    return fail
cache.read_series = counting("snapshot")
yahoo.fetch_close = counting("yahoo")
fred.FredClient.fetch = counting("fred")
from data_sources.__main__ import main
code = main(["status"])
print(json.dumps({"upstream_calls": calls, "exit": code}))
"""


@pytest.fixture(scope="module")
def s3_env(tmp_path_factory):
    """A moto S3 server on a free loopback port, with one empty bucket; AWS env pointing at it."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    endpoint = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }
    try:
        deadline = time.monotonic() + MOTO_START_TIMEOUT_S
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        request = urllib.request.Request(f"{endpoint}/{BUCKET}", method="PUT")
        urllib.request.urlopen(request, timeout=5)
        yield env
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


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
    # The only unhealthy series are those the refresher's upstream never had.
    lacking = {s.key for s in catalogue(snapshot_as_of(SNAPSHOT_DIR)) if not snapshot_path(SNAPSHOT_DIR, s).is_file()}
    for replica in replicas:
        out, err = replica.communicate(timeout=300)
        verdict = json.loads(out.strip().splitlines()[-1])
        assert verdict["upstream_calls"] == []
        unhealthy = {line.split(":")[1].strip() for line in err.splitlines() if line.startswith("unhealthy:")}
        assert unhealthy == lacking
        assert verdict["exit"] == (1 if lacking else 0)
        assert "\nspx " in out and " ok" in out  # served from S3 with provenance

    # A replica with nothing in its store says so instead of fetching.
    empty_env = {**replica_env, "DASH_CACHE_DIR": f"s3://{BUCKET}/empty"}
    empty = run_cli(empty_env, code=COUNTING_READER)
    verdict = json.loads(empty.stdout.strip().splitlines()[-1])
    assert verdict["upstream_calls"] == [] and verdict["exit"] == 1
    assert "not in the shared store yet" in empty.stdout


def test_a_replica_refuses_to_refresh(s3_env):
    env = {**s3_env, "DASH_CACHE_DIR": f"s3://{BUCKET}/prod", "DASH_READ_ONLY": "1"}
    assert run_cli(env, "refresh").returncode == 2
