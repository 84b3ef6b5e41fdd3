"""Start the real app with ``streamlit run`` on a free loopback port, for browsers, the
concurrent-sessions test and benchmarks; and read the server process's memory."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tools.paths import REPO, SNAPSHOT_DIR

STARTUP_TIMEOUT_S = 60.0
READS_LOG_ENV = "DASH_TEST_READS_LOG"  # tools.counting_server appends each upstream read here
MEMORY_POLL_S = 0.1
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


@dataclass(frozen=True)
class ServedApp:
    base: str  # http://127.0.0.1:<port>
    pid: int  # the server process (streamlit runs the app inside it)
    reads_log: Path | None  # with count_reads: one upstream read per line (catalogue key)


@contextlib.contextmanager
def served_app(cache_dir: Path, snapshot: Path | None = SNAPSHOT_DIR, extra_env: dict | None = None,
               script: Path = REPO / "app.py", count_reads: bool = False):
    """Yield a ``ServedApp`` for a fresh server running ``script``; stop it afterwards.

    ``count_reads`` starts it through ``tools.counting_server``, which logs every upstream
    read to ``reads_log``. Logs go to cache_dir/server.log.
    """
    port = free_port()
    cache_dir.mkdir(parents=True, exist_ok=True)
    reads_log = cache_dir / "upstream-reads.log" if count_reads else None
    env = {**os.environ, "DASH_CACHE_DIR": str(cache_dir), **(extra_env or {})}
    if snapshot is not None:
        env["DASH_SNAPSHOT"] = str(snapshot)
    if reads_log:
        env[READS_LOG_ENV] = str(reads_log)
    log = open(cache_dir / "server.log", "wb")
    launcher = ["tools.counting_server"] if count_reads else ["streamlit"]
    cmd = [
        sys.executable, "-m", *launcher, "run", str(script),
        "--server.headless=true", "--server.address=127.0.0.1", f"--server.port={port}",
        "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
    ]
    proc = subprocess.Popen(cmd, cwd=script.parent, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
        yield ServedApp(base, proc.pid, reads_log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@contextlib.contextmanager
def running_app(cache_dir: Path, snapshot: Path | None = SNAPSHOT_DIR, extra_env: dict | None = None,
                script: Path = REPO / "app.py"):
    """Yield the base URL of a fresh server running ``script`` (see ``served_app``)."""
    with served_app(cache_dir, snapshot, extra_env, script) as app:
        yield app.base


def upstream_reads(app: ServedApp) -> Counter:
    """Upstream reads so far per catalogue key (a server started with ``count_reads``)."""
    if app.reads_log is None or not app.reads_log.exists():
        return Counter()
    return Counter(app.reads_log.read_text().split())


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


# --- the server's memory -------------------------------------------------------------------
def _pids() -> list[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # fields after "(comm)": state, ppid, ...


def process_tree(root: int) -> list[int]:
    """``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for pid in _pids():
        parent = _ppid(pid)
        if parent is not None:
            children.setdefault(parent, []).append(pid)
    tree, todo = [], [root]
    while todo and len(tree) < 1000:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, ()))
    return tree


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (VmRSS), 0 if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class PeakMemory(threading.Thread):
    """Samples the resident memory of ``pid`` and its children every ``MEMORY_POLL_S`` until
    stopped (use as a context manager); ``peak`` is the largest total seen, in bytes."""

    def __init__(self, pid: int, max_s: float = 600.0):
        super().__init__(daemon=True, name="peak-memory")
        self.pid, self.max_s = pid, max_s
        self.peak = self.samples = 0
        self._done = threading.Event()

    def sample(self) -> None:
        self.peak = max(self.peak, sum(rss_bytes(p) for p in process_tree(self.pid)))
        self.samples += 1

    def run(self) -> None:
        deadline = time.monotonic() + self.max_s
        while not self._done.is_set() and time.monotonic() < deadline:
            self.sample()
            self._done.wait(MEMORY_POLL_S)

    def __enter__(self) -> "PeakMemory":
        self.sample()
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self.join(timeout=5)
        self.sample()
