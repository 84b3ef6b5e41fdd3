"""Start the real app with ``streamlit run`` on a free loopback port, for browsers and benchmarks."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import REPO, SNAPSHOT_DIR

STARTUP_TIMEOUT_S = 60.0
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Finished: the script run is over (``stApp``'s script-state attribute; the status widget
# only appears after a delay, so its absence proves nothing), no element is still a loading
# skeleton (lazily loaded widgets such as charts mount late), at least one chart, and every
# chart drawn.
CHARTS_DRAWN_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const idle = app && app.getAttribute('data-test-script-state') === 'notRunning';
    const loading = document.querySelectorAll('[data-testid="stSkeleton"]').length;
    const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
    const drawn = document.querySelectorAll('[data-testid="stPlotlyChart"] .main-svg');
    return idle && !loading && charts.length > 0 && drawn.length >= charts.length;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_app(cache_dir: Path, snapshot: Path | None = SNAPSHOT_DIR, extra_env: dict | None = None,
                script: Path = REPO / "app.py"):
    """Yield the base URL of a fresh server running ``script``; stop it afterwards.

    Logs go to cache_dir/server.log.
    """
    port = free_port()
    env = {**os.environ, "DASH_CACHE_DIR": str(cache_dir), **(extra_env or {})}
    if snapshot is not None:
        env["DASH_SNAPSHOT"] = str(snapshot)
    cache_dir.mkdir(parents=True, exist_ok=True)
    log = open(cache_dir / "server.log", "wb")
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
        "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
    ]
    proc = subprocess.Popen(cmd, cwd=script.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_healthy(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy in time")


def wait_for_charts(page, expected: int | None = None, timeout_ms: int = 30000) -> int:
    """Wait until the app is idle and every Plotly chart has drawn; returns the chart count."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms)
    page.wait_for_timeout(300)
    return page.locator('[data-testid="stPlotlyChart"]').count()
