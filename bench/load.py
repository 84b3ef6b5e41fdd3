"""Benchmark: 20 concurrent browser sessions against one server (prints figures; asserts nothing).

Starts ONE ``streamlit run`` server on 127.0.0.1 (``tools.server.served_app``) on the offline
snapshot with a fresh Parquet cache folder and ``DASH_SHARES`` set, then opens ``len(VIEWS)``
(20) browser sessions at once (Playwright contexts in one headless Chromium, driven by
asyncio), each on a different page / view (the 5 pages, date presets 1M..Max and Custom,
page parameters):

- wave 1 "cold server": empty Parquet cache and empty Streamlit caches; concurrent sessions
  that need the same series share one upstream read (the store's single-flight);
- wave 2 "warm server" (only with ``--warm``): the same 20 views again, in new contexts.

Reported per wave: p50 / p95 (nearest rank) of the time from ``goto`` until every Plotly
chart is drawn (the predicate of ``tools.server.wait_for_charts``, re-checked after 300 ms),
the time until the server had finished (no run in progress, every chart element present,
drawing possibly still pending), and errors: exception elements, timeouts, "Page not found",
and any "Ignored an invalid value" note (a bad view in this script). Also the CPU seconds
the server, this client (script + Playwright driver + Chromium) and the rest of the machine
used during the wave (from /proc), since client and server share this machine's CPUs, and:

- peak server memory: VmRSS of the streamlit process and its children, from /proc every
  0.1 s (``tools.server.PeakMemory``);
- upstream requests per series, counted where the store calls its upstream: the server is
  started through ``tools.counting_server``, which logs every upstream read (successful or
  not) before handing it to the real snapshot upstream.

Chromium runs on the same machine as the server: under load the two compete for the CPUs.
So the same 20 views are then opened without browsers, as 20 websocket sessions at once on
a second fresh server (``tools/sessions.py``): p50 / p95 seconds until each script run has
finished, cold and then warm, which is the server's own capacity: the warm wave's wall time
(target ≤ 2 s) and views per second for the one server process. ``--browserless`` runs only
this part.

``--memory`` measures only the server's memory per session instead: for 10, 20 and 40
sessions, a fresh server (idle RSS a few seconds after start) is warmed by one session that
opens every view in turn, then N websocket sessions open views at once and stay connected
until every run has finished. Printed: the peak RSS per N and a least-squares line through
them, base + MiB per session.

Usage: python bench/load.py [--warm] | --browserless | --memory
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from playwright.async_api import async_playwright  # noqa: E402

from data_sources.catalogue import catalogue  # noqa: E402
from data_sources.snapshot import snapshot_as_of, snapshot_path  # noqa: E402
from tools.paths import SHARED_DATA, SNAPSHOT_DIR  # noqa: E402
from tools.server import (  # noqa: E402
    CHARTS_DRAWN_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    MEMORY_POLL_S,
    PeakMemory,
    process_tree,
    served_app,
    upstream_reads,
)
from tools.screenshots import page_url  # noqa: E402
from tools.sessions import VIEWS, Session, open_session, view_name  # noqa: E402

SHARES_CSV = SHARED_DATA / "shares" / "shares_outstanding.csv"
TARGET_P95_S = 2.5  # the per-page browser target of bench/pages.py, for reference
TARGET_RSS_BYTES = 1 << 30
TARGET_WARM_WAVE_S = 2.0  # 20 websocket sessions at once on a warm server, one process
SESSION_TIMEOUT_MS = 240_000  # per wait inside one session
WAVE_TIMEOUT_S = 260.0  # a whole wave, hard bound
POLL_JS_MS = 100  # predicate polling interval in the page
SETTLE_MS = 300
MAX_SETTLE_CHECKS = 10
MEMORY_SESSIONS = (10, 20, 40)  # --memory: concurrent sessions per fresh server
IDLE_S = 3.0  # --memory: how long the idle server is sampled

# The script run is over and at least one chart element has arrived (drawn or not).
SERVER_DONE_JS = """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state')
    === 'notRunning' && document.querySelectorAll('[data-testid="stPlotlyChart"]').length > 0"""

def view_url(base: str, path: str, params: dict[str, str]) -> str:
    url = page_url(base, path)
    return f"{url}?{urlencode(params)}" if params else url


# --- CPU ------------------------------------------------------------------------------------------
def cpu_seconds(pids) -> float:
    """User + system CPU seconds of ``pids`` (and their reaped children) from /proc/<pid>/stat."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy since boot (all CPUs, /proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_sampler(server_pid: int | None):
    """A function returning CPU seconds so far: server tree, client tree (this process and
    its children, minus the server), the whole machine."""
    def sample() -> dict[str, float]:
        server = set(process_tree(server_pid)) if server_pid else set()
        client = [p for p in process_tree(os.getpid()) if p not in server]
        return {"server": cpu_seconds(server), "client": cpu_seconds(client), "machine": machine_busy_seconds()}
    return sample


# --- browser sessions ----------------------------------------------------------------------------
async def wait_drawn(page) -> float:
    await page.wait_for_selector('[data-testid="stApp"]', timeout=SESSION_TIMEOUT_MS)
    for _ in range(MAX_SETTLE_CHECKS):
        await page.wait_for_function(CHARTS_DRAWN_JS, timeout=SESSION_TIMEOUT_MS, polling=POLL_JS_MS)
        done_at = time.perf_counter()
        count = await page.locator('[data-testid="stPlotlyChart"]').count()
        await page.wait_for_timeout(SETTLE_MS)
        if await page.evaluate(CHARTS_DRAWN_JS) and await page.locator('[data-testid="stPlotlyChart"]').count() == count:
            return done_at
    raise PlaywrightTimeout("page never settled")


async def one_session(browser, url: str) -> dict:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    out = {"seconds": None, "server_done": None, "charts": 0, "exceptions": 0, "timeout": False, "not_found": False,
           "invalid_note": False, "error": None}
    try:
        page = await context.new_page()
        start = time.perf_counter()
        await page.goto(url, timeout=SESSION_TIMEOUT_MS)
        await page.wait_for_function(SERVER_DONE_JS, timeout=SESSION_TIMEOUT_MS, polling=POLL_JS_MS)
        out["server_done"] = time.perf_counter() - start
        out["seconds"] = await wait_drawn(page) - start
        out["charts"] = await page.locator('[data-testid="stPlotlyChart"]').count()
        out["exceptions"] = await page.locator('[data-testid="stException"]').count()
        text = await page.locator('[data-testid="stMain"]').inner_text(timeout=SESSION_TIMEOUT_MS)
        out["not_found"] = "Page not found" in text
        out["invalid_note"] = "Ignored an invalid value" in text
    except PlaywrightTimeout:
        out["timeout"] = True
    except Exception as exc:  # noqa: BLE001 - any other failure is an error to report, not a crash
        out["error"] = f"{type(exc).__name__}: {str(exc)[:120]}"
    finally:
        await context.close()
    return out


async def wave(browser, base: str, cpu) -> tuple[list[dict], float, dict]:
    cpu_before = cpu()
    start = time.perf_counter()
    tasks = [asyncio.create_task(one_session(browser, view_url(base, path, params))) for path, params in VIEWS]
    done, pending = await asyncio.wait(tasks, timeout=WAVE_TIMEOUT_S)
    for task in pending:
        task.cancel()
    results = []
    for task in tasks:
        if task in done and not task.cancelled() and task.exception() is None:
            results.append(task.result())
        else:
            results.append({"seconds": None, "server_done": None, "charts": 0, "exceptions": 0, "timeout": True, "not_found": False,
                            "invalid_note": False, "error": "wave timeout"})
    wall = time.perf_counter() - start
    cpu_after = cpu()
    return results, wall, {k: cpu_after[k] - cpu_before[k] for k in cpu_after}


async def run_waves(base: str, count: int, cpu) -> list[tuple[list[dict], float, dict]]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return [await wave(browser, base, cpu) for _ in range(count)]
        finally:
            await browser.close()


# --- the same 20 views without browsers ----------------------------------------------------------
async def timed_protocol_session(base: str, path: str, params: dict[str, str]) -> float:
    start = time.perf_counter()
    run = await open_session(base, path, params)
    if run.exceptions or not run.finished:
        raise RuntimeError(f"{view_name(path, params)}: {run.exceptions}")
    return time.perf_counter() - start


async def protocol_wave(base: str) -> list[float]:
    """Seconds until each of the 20 sessions' script run finished, all opened at once."""
    return list(await asyncio.gather(*(timed_protocol_session(base, path, params) for path, params in VIEWS)))


def browserless_figures() -> None:
    """20 websocket sessions (tools/sessions.py) at once on a fresh server with an empty cache,
    then again (warm): the server's own capacity, without 20 Chromium tabs competing for the CPUs."""
    with tempfile.TemporaryDirectory(prefix="bench-load-ws-") as tmp_name:
        with served_app(Path(tmp_name) / "cache", extra_env={"DASH_SHARES": str(SHARES_CSV)}) as app:
            with PeakMemory(app.pid) as memory:
                for label in ("cold server", "warm server"):
                    start = time.perf_counter()
                    times = asyncio.run(protocol_wave(app.base))
                    wall = time.perf_counter() - start
                    target = (f"  target ≤ {TARGET_WARM_WAVE_S:.0f} s "
                              f"{'pass' if wall <= TARGET_WARM_WAVE_S else 'FAIL'}" if label == "warm server" else "")
                    print(f"\nwithout browsers, {label} ({len(VIEWS)} websocket sessions at once): every script run "
                          f"finished; p50 {statistics.median(times):.2f} s, p95 {nearest_rank(times, 0.95):.2f} s, "
                          f"wall {wall:.2f} s{target}; {len(VIEWS) / wall:.1f} views per second per process")
    print(f"    peak server RSS over both: {memory.peak / 2**20:.0f} MiB")


# --- server memory per session (--memory) ------------------------------------------------------
def spread_views(n: int) -> list[tuple[str, dict[str, str]]]:
    """``n`` views spread evenly over ``VIEWS`` (10: every other one, 40: each twice)."""
    return [VIEWS[i * len(VIEWS) // n] for i in range(n)]


async def warm_up(base: str) -> None:
    """One session opens every view in turn: the Parquet and Streamlit caches are filled."""
    async with Session(base) as session:
        for path, params in VIEWS:
            await session.run(path, params)


async def hold_sessions(base: str, views: list[tuple[str, dict[str, str]]]) -> None:
    """One session per view, all opened at once and all connected until every run has finished."""
    async with contextlib.AsyncExitStack() as stack:
        sessions = [await stack.enter_async_context(Session(base)) for _ in views]
        runs = await asyncio.gather(*(s.run(path, params) for s, (path, params) in zip(sessions, views)))
    failed = [view_name(*view) for view, run in zip(views, runs) if run.exceptions or not run.finished]
    if failed:
        raise RuntimeError(f"runs with an exception: {failed}")


def memory_figures() -> None:
    print(f"server memory per session: a fresh server per N, warmed by one session, then N websocket sessions "
          f"at once; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    peaks = {}
    for n in MEMORY_SESSIONS:
        with tempfile.TemporaryDirectory(prefix="bench-load-mem-") as tmp_name:
            with served_app(Path(tmp_name) / "cache", extra_env={"DASH_SHARES": str(SHARES_CSV)}) as app:
                with PeakMemory(app.pid) as idle:
                    time.sleep(IDLE_S)
                with PeakMemory(app.pid) as warmed:
                    asyncio.run(warm_up(app.base))
                with PeakMemory(app.pid) as memory:
                    asyncio.run(hold_sessions(app.base, spread_views(n)))
        peaks[n] = memory.peak / 2**20
        print(f"    {n:>3} sessions: peak server RSS {peaks[n]:.0f} MiB (idle {idle.peak / 2**20:.0f} MiB, "
              f"warm-up peak {warmed.peak / 2**20:.0f} MiB)")
    slope, base = statistics.linear_regression(list(peaks), list(peaks.values()))
    print(f"    peak ≈ {base:.0f} MiB + {slope:.1f} MiB per session (least squares over N = "
          f"{', '.join(map(str, MEMORY_SESSIONS))}; one run each, so rerun to see the spread)")


# --- report --------------------------------------------------------------------------------------
def nearest_rank(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def errors_of(results: list[dict]) -> Counter:
    count = Counter()
    for r in results:
        count["exception elements"] += r["exceptions"]
        count["timeouts"] += r["timeout"]
        count["page not found"] += r["not_found"]
        count["invalid-param notes"] += r["invalid_note"]
        count["other"] += r["error"] is not None and not r["timeout"]
    return count


def main(argv: list[str]) -> int:
    if "--memory" in argv:
        memory_figures()
        return 0
    if "--browserless" in argv:
        browserless_figures()
        return 0
    waves_wanted = 2 if "--warm" in argv else 1
    started = time.perf_counter()
    as_of = snapshot_as_of(SNAPSHOT_DIR)
    specs = catalogue(as_of)
    in_snapshot = [s for s in specs if snapshot_path(SNAPSHOT_DIR, s).is_file()]
    print(f"{len(VIEWS)} concurrent sessions x {waves_wanted} wave(s), one server, snapshot {SNAPSHOT_DIR}; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} (other work on the machine skews figures)")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp_name:
        env = {"DASH_SHARES": str(SHARES_CSV)}
        with served_app(Path(tmp_name) / "cache", extra_env=env, count_reads=True) as app:
            base, pid = app.base, app.pid
            with PeakMemory(pid) as memory:
                waves = asyncio.run(asyncio.wait_for(run_waves(base, waves_wanted, cpu_sampler(pid)),
                                                     timeout=waves_wanted * WAVE_TIMEOUT_S + 30))
            reads = upstream_reads(app)

        print(f"\nserver pid {pid} on {base}")
        heads = "".join(f"{f'w{n} server':>11}{f'w{n} drawn':>10}" for n in range(1, len(waves) + 1))
        print("\nseconds from goto: server done (no run in progress, all chart elements present) / all drawn")
        print(f"{'view':<70}{heads}{'charts':>7}")
        for i, (path, params) in enumerate(VIEWS):
            cells = []
            for results, _, _ in waves:
                r = results[i]
                done = f"{r['server_done']:11.2f}" if r["server_done"] is not None else f"{'-':>11}"
                drawn = f"{r['seconds']:10.2f}" if r["seconds"] is not None else f"{'timeout' if r['timeout'] else 'error':>10}"
                cells.append(done + drawn)
            print(f"{view_name(path, params):<70}{''.join(cells)}{waves[0][0][i]['charts']:>7}")

        print()
        total_errors = 0
        for number, (label, (results, wall, cpu)) in enumerate(zip(("cold server", "warm server"), waves), 1):
            times = [r["seconds"] for r in results if r["seconds"] is not None]
            served = [r["server_done"] for r in results if r["server_done"] is not None]
            errs = errors_of(results)
            total_errors += sum(errs.values())
            p50 = statistics.median(times) if times else float("nan")
            p95 = nearest_rank(times, 0.95) if times else float("nan")
            print(f"wave {number} ({label}): {len(times)}/{len(results)} sessions drew every chart; "
                  f"p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(times, default=float('nan')):.2f} s; "
                  f"wave wall time {wall:.1f} s  (one session alone: target ≤ {TARGET_P95_S} s per page)")
            if served:
                print(f"    server done: p50 {statistics.median(served):.2f} s, p95 {nearest_rank(served, 0.95):.2f} s")
            others = cpu["machine"] - cpu["server"] - cpu["client"]
            print(f"    CPU seconds during the wave: server {cpu['server']:.1f}, client (Chromium + driver + script) "
                  f"{cpu['client']:.1f}, rest of the machine {max(0.0, others):.1f}; available "
                  f"{wall * os.cpu_count():.1f} ({os.cpu_count()} CPUs x wall); server CPU per session "
                  f"{cpu['server'] / len(results):.2f} s, client CPU per session {cpu['client'] / len(results):.2f} s")
            print(f"    errors: {', '.join(f'{k} {v}' for k, v in errs.items())}")
            for r in results:
                if r["error"] and not r["timeout"]:
                    print(f"    {r['error']}")
        print(f"errors in total: {total_errors} (must be 0)")

        peak = memory.peak
        print(f"\npeak server RSS (streamlit + children, VmRSS every {MEMORY_POLL_S} s, {memory.samples} samples): "
              f"{peak / 2**20:.0f} MiB  target ≤ {TARGET_RSS_BYTES / 2**20:.0f} MiB  "
              f"{'pass' if peak <= TARGET_RSS_BYTES else 'FAIL'}")

        repeated = {key: n for key, n in reads.items() if n > 1}
        missing = sorted(s.key for s in specs if s not in in_snapshot and s.key in reads)
        print("\nupstream requests per series (counted where the store calls its upstream, tools.counting_server)")
        print(f"    series in the catalogue {len(specs)}, held by the snapshot {len(in_snapshot)}; "
              f"series the {len(VIEWS)} views read: {len(reads)}, upstream reads {sum(reads.values())}, "
              f"most reads of one series {max(reads.values(), default=0)} (must be 1)")
        print(f"    read more than once: {repeated or 'none'}; read but not in the snapshot (failed, held back "
              f"60 s, so also read once): {', '.join(missing) or 'none'}")
    browserless_figures()
    print(f"\nbench/load.py took {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
