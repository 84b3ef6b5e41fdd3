"""Benchmark: every page's server run time, browser draw time, figure bytes, and a profile
of the slowest page (prints figures; asserts nothing).

All on the offline snapshot (``tools.paths.SNAPSHOT_DIR``) with a private Parquet cache in a
temp folder and ``DASH_SHARES`` pointing at the shared share counts, so every panel has data.

(1) Server-side run time per page, through Streamlit's AppTest (``AppTest.from_file(app.py)``,
    ``switch_page``), median of ``REPEATS``:
    - cold-from-Parquet: the Parquet cache is filled, Streamlit's caches are cleared
      (``st.cache_data.clear(); st.cache_resource.clear()``), then the page's first run in a
      new session is timed;
    - warm: the same session runs the page again at once (in-memory caches filled).
    AppTest is made to compile the scripts once, as a server does (``compile_scripts_once``);
    what compiling costs is printed beside each page.
(2) Browser: one ``streamlit run`` server, headless Chromium; each page is opened once to
    warm the server's caches, then timed on the page's own clock (``performance.now()``, from
    the start of its navigation) until every Plotly chart has drawn: the predicate of
    ``tools.server.wait_for_charts`` polled in the page on every animation frame, without its
    fixed 300 ms settle sleep; a 300 ms re-check makes sure the page was really finished.
    Median of ``BROWSER_REPEATS`` (5); the target is the ratio to the baseline: a one-line app
    (a temp file outside the repo, one 3-point Plotly chart), the floor that Streamlit's
    frontend and this machine set, served by a second server and timed the same way. Its loads
    are interleaved with each page's (baseline, page, baseline, page, ...) and each page's ratio
    is to the median of the baseline loads taken beside it, as the machine's speed drifts.
    Two more references, each timed beside baseline loads of its own: the baseline's chart as
    the second page of a two-page app (``/sub``: the sub-path probe), and this app's floor,
    its page frame and one chart at ``/inflation`` (``app_floor_script``), with each page's
    ratio to it.
(3) Bytes of figure JSON per page (sum of ``len(chart.proto.spec)``) on the default view and
    on ``range=Max``. AppTest drops the URL value on ``switch_page``, so the ``range`` widget is
    set through ``session_state`` and the page run again; the earliest date plotted is printed
    to show the Max view really spans all history.
(4) cProfile of the page that is slowest against its targets, warm and cold: top entries by
    cumulative time, all code and project code only.

Usage: python bench/pages.py [--skip-browser] [--skip-profile]
"""

from __future__ import annotations

import cProfile
import datetime as dt
import json
import logging
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from components.routes import INFLATION, PAGES  # noqa: E402
from tools.paths import SHARED_DATA, SNAPSHOT_DIR  # noqa: E402
from tools.server import CHARTS_DRAWN_JS  # noqa: E402

REPEATS = 3
BROWSER_REPEATS = 5  # warm loads per page in the browser (the median of 5)
TARGET_WARM_S = 0.08
TARGET_COLD_S = 1.5
TARGET_BROWSER_RATIO = 1.25  # time to all charts drawn, against the one-tiny-chart baseline
TARGET_BYTES = 1_500_000
APPTEST_TIMEOUT_S = 120
BROWSER_TIMEOUT_MS = 60_000
SETTLE_MS = 300
MAX_SETTLE_CHECKS = 10
PROFILE_TOP = 15
SCRIPT_THREAD = "ScriptRunner.scriptThread"  # streamlit's name for the thread that runs a page
SHARES_CSV = SHARED_DATA / "shares" / "shares_outstanding.csv"



def compile_scripts_once() -> None:
    """Make AppTest reuse one ``ScriptCache``, as a server does.

    AppTest builds a new ``ScriptCache`` for every run, so each run compiles the main script
    and the page again (10–40 ms here); a ``streamlit run`` server compiles each script once
    (``server.runOnSave`` is off). With one shared cache a warm AppTest run measures what a
    server's warm run costs. ``compile_times`` prints what the compiling costs per page.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


def compile_times(pages) -> dict[str, float]:
    """{path: seconds to compile app.py and the page from scratch}, the per-run cost AppTest
    would add without ``compile_scripts_once``."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache

    out = {}
    for path, _ in pages:
        start = time.perf_counter()
        cache = ScriptCache()
        for script in dict.fromkeys(("app.py", path)):
            cache.get_bytecode(str(REPO / script))
        out[path] = time.perf_counter() - start
    return out


def existing_pages() -> list[tuple[str, str]]:
    return [(path, label) for path, label in PAGES if (REPO / path).is_file()]


def clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def new_session(path: str, params: dict[str, str] | None = None, clear_before_page: bool = False):
    """An AppTest positioned on ``path`` (not yet run there unless it is the overview).

    Returns (at, run_page) where ``run_page()`` runs ``path`` once in that session.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=APPTEST_TIMEOUT_S)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    if path != "app.py":
        at.run()  # the overview first: AppTest can only switch from a running app
        at.switch_page(path)
    if clear_before_page:
        clear_streamlit_caches()
    return at


def check(at, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what}: {at.exception[0].value}")


def timed_run(at) -> float:
    start = time.perf_counter()
    at.run()
    return time.perf_counter() - start


# --- (1) server-side run time ----------------------------------------------------------------
def server_times(pages) -> dict[str, dict[str, float]]:
    """{path: {"cold": median s, "warm": median s, "charts": n}}."""
    for path, _ in pages:  # fill the Parquet cache (and import every module) once
        at = new_session(path)
        at.run()
        check(at, path)
    out = {}
    for path, _ in pages:
        cold, warm = [], []
        charts = 0
        for _ in range(REPEATS):
            at = new_session(path, clear_before_page=True)
            cold.append(timed_run(at))
            warm.append(timed_run(at))
            check(at, path)
            charts = len(at.get("plotly_chart"))
        out[path] = {"cold": statistics.median(cold), "warm": statistics.median(warm), "charts": charts,
                     "cold_all": cold, "warm_all": warm}
    return out


# --- (3) figure bytes --------------------------------------------------------------------------
def earliest_x(at) -> dt.date | None:
    """The earliest date any trace of the page plots on x (date axes given as ISO strings)."""
    import pandas as pd

    earliest = None
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec).get("data", []):
            x = trace.get("x")
            if not isinstance(x, list) or not x or not isinstance(x[0], str):
                continue  # typed (numeric) arrays and categorical axes are not dates
            dates = pd.to_datetime(pd.Series(x), errors="coerce", format="ISO8601").dropna()
            if len(dates):
                first = dates.min().date()
                earliest = first if earliest is None or first < earliest else earliest
    return earliest


def payload(path: str, max_view: bool) -> tuple[int, int, int, dt.date | None]:
    """(bytes, charts, largest chart's bytes, earliest x date) of one page view."""
    at = new_session(path, {"range": "Max"} if max_view else None)
    at.run()
    if max_view and path != "app.py":
        at.session_state["range"] = "Max"  # the URL value does not survive switch_page
        at.run()
    check(at, f"{path} {'Max' if max_view else 'default'}")
    sizes = [len(chart.proto.spec) for chart in at.get("plotly_chart")]
    return sum(sizes), len(sizes), max(sizes, default=0), earliest_x(at)


def payloads(pages) -> dict[str, dict[str, tuple]]:
    return {path: {"default": payload(path, False), "Max": payload(path, True)} for path, _ in pages}


BASELINE_APP = """import plotly.graph_objects as go
import streamlit as st

st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 3, 2])))
"""


def baseline_script(tmp: Path) -> Path:
    """BASELINE_APP written to ``tmp``: the fastest page this machine can draw, for reference."""
    tmp.mkdir(parents=True, exist_ok=True)
    script = tmp / "baseline_app.py"
    script.write_text(BASELINE_APP)
    return script


def subpage_baseline_script(tmp: Path) -> Path:
    """A two-page app in ``tmp`` whose second page (``/sub``) is BASELINE_APP, the sidebar's
    page list hidden as in this app: a page at a sub-path pays Streamlit's connection probe of
    that path first (a 404, then a retry at the root), which the overview at ``/`` does not."""
    script = baseline_script(tmp)
    (tmp / "pages").mkdir(exist_ok=True)
    (tmp / "pages" / "2_sub.py").write_text(BASELINE_APP)
    (tmp / ".streamlit").mkdir(exist_ok=True)
    (tmp / ".streamlit" / "config.toml").write_text("[client]\nshowSidebarNavigation = false\n")
    return script


# The inflation page replaced by this app's floor: the page frame and the page's first chart,
# nothing else (no intro, controls, headline, caption or CSV button).
FLOOR_PAGE = """import streamlit as st

from components.charts.rates import threshold_figure
from components.frame import page_frame
from components.loaders import load
from analytics.inflation import INFLATION_TARGET
from components.views import inflation as iv

ctx = page_frame("This app's floor: the frame and one chart")
loaded = load(iv.MEASURE_KEYS)
rates = ctx.window.clip(iv.inflation_rates(loaded.frame(list(iv.MEASURE_KEYS)), "YoY"))
st.plotly_chart(threshold_figure(rates, "Inflation, YoY", "Percent", "%", INFLATION_TARGET, "2% target"),
                theme="streamlit")
"""
# The references timed beside baseline loads of their own: name -> (printed label, what it shows).
REFERENCES = {"baseline /sub": ("the same chart at /sub", "what a page at a sub-path pays before it draws anything"),
              "app floor": ("app floor", "this app's frame and one chart at /inflation, nothing else")}
COPIED_APP = shutil.ignore_patterns(".git", ".venv", "tests", "bench", "__pycache__", ".pytest_cache")


def app_floor_script(tmp: Path) -> Path:
    """A copy of the app's code in ``tmp`` whose inflation page (``INFLATION``, at
    ``/inflation``) is FLOOR_PAGE: what any sub-page of this app costs before its content, the
    base of a target restated against the app itself (bench/README, "fourth pass")."""
    app = tmp / "app"
    shutil.copytree(REPO, app, ignore=COPIED_APP)
    (app / INFLATION).write_text(FLOOR_PAGE)
    return app / "app.py"


# --- (2) browser -------------------------------------------------------------------------------
# Polled in the page on every animation frame: the page's own clock (ms since its navigation
# started) when a chart element first exists and when every chart is drawn (CHARTS_DRAWN_JS).
DRAWN_AT_JS = f"""() => {{
    const now = performance.now();
    if (window.__firstChartAt === undefined && document.querySelector('[data-testid="stPlotlyChart"]'))
        window.__firstChartAt = now;
    return ({CHARTS_DRAWN_JS})() ? [window.__firstChartAt ?? now, now] : false;
}}"""
LOAD_EVENT_JS = "() => performance.getEntriesByType('navigation')[0].loadEventStart"


def wait_drawn(page) -> tuple[float, float]:
    """Poll DRAWN_AT_JS on every frame until the charts are drawn, then re-check after
    SETTLE_MS (same chart count, still drawn); returns the page-clock seconds of the first
    chart element and of the moment the page was first found finished for good.

    The times come from the page's own clock, so they include no round trip to this script
    and no polling delay. (Waiting first with ``wait_for_selector`` for a chart element, as
    this benchmark did before, polls at Playwright's back-off of 0, 20, 50, 100, 100 ms then
    every 500 ms: a chart that appeared just after a poll was seen up to 0.5 s late, which is
    what made the baseline look bimodal, ~1.1 s or ~1.6 s.)
    """
    for _ in range(MAX_SETTLE_CHECKS):
        first_ms, drawn_ms = page.wait_for_function(DRAWN_AT_JS, timeout=BROWSER_TIMEOUT_MS, polling="raf").json_value()
        count = page.locator('[data-testid="stPlotlyChart"]').count()
        page.wait_for_timeout(SETTLE_MS)
        if page.evaluate(CHARTS_DRAWN_JS) and page.locator('[data-testid="stPlotlyChart"]').count() == count:
            return first_ms / 1000, drawn_ms / 1000
    raise TimeoutError("page never settled")


def browser_times(pages, tmp: Path) -> dict[str, dict]:
    """{path: {...}} for every page, each with "base": the baseline loads interleaved with its
    own; "baseline": all baseline loads of the pages; "baseline /sub": the baseline's chart as
    a second page (``/sub``) and "app floor": this app's frame and one chart
    (``app_floor_script``), each interleaved with baseline loads of its own."""
    from playwright.sync_api import sync_playwright

    from tools.server import CHROMIUM, CHROMIUM_ARGS, running_app
    from tools.screenshots import page_url

    out, baseline_loads = {}, []
    env = {"DASH_SHARES": str(SHARES_CSV)}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        with running_app(tmp / "browser-cache", extra_env=env) as base, \
                running_app(tmp / "baseline", snapshot=None, script=baseline_script(tmp / "baseline")) as floor, \
                running_app(tmp / "subpage", snapshot=None, script=subpage_baseline_script(tmp / "subpage")) as two, \
                running_app(tmp / "floor-cache", extra_env=env, script=app_floor_script(tmp / "floor")) as own:
            urls = [(path, page_url(base, path)) for path, _ in pages]
            extra = {"baseline /sub": two + "/sub", "app floor": page_url(own, INFLATION)}
            for url in [*(u for _, u in urls), floor + "/", *extra.values()]:  # warm-up: servers' and browser's caches
                timed_load(context, url)
            for name, url in [*urls, *extra.items()]:
                out[name], beside = timed_beside(context, floor + "/", url, BROWSER_REPEATS)
                if name not in extra:
                    baseline_loads += beside
        browser.close()
    out["baseline"] = summary(baseline_loads)
    return out


def timed_beside(context, baseline_url: str, url: str, repeats: int) -> tuple[dict, list[dict]]:
    """``repeats`` loads of ``url``, each right after a load of ``baseline_url``: the
    ``summary`` of its loads with "base", the median time to all drawn of the baseline loads
    beside them; and those baseline loads (``timed_load`` results)."""
    loads = [(timed_load(context, baseline_url), timed_load(context, url)) for _ in range(repeats)]
    found = summary([page for _, page in loads])
    found["base"] = statistics.median(load["drawn"] for load, _ in loads)
    return found, [load for load, _ in loads]


def timed_load(context, url: str) -> dict:
    """One fresh page load of ``url``: seconds from the start of its navigation (the page's
    clock) to the load event, the first chart element and all charts drawn, with the charts
    and exception elements counted."""
    page = context.new_page()
    page.goto(url, timeout=BROWSER_TIMEOUT_MS)
    first, drawn = wait_drawn(page)
    found = {"load": page.evaluate(LOAD_EVENT_JS) / 1000, "first": first, "drawn": drawn,
             "charts": page.locator('[data-testid="stPlotlyChart"]').count(),
             "errors": page.locator('[data-testid="stException"]').count()}
    page.close()
    return found


def summary(loads: list[dict]) -> dict:
    """Medians of ``timed_load`` results, every time to all drawn, the last chart count and the
    exception elements summed."""
    return {"median": statistics.median(x["drawn"] for x in loads), "all": [x["drawn"] for x in loads],
            "charts": loads[-1]["charts"], "errors": sum(x["errors"] for x in loads),
            "load": statistics.median(x["load"] for x in loads), "first": statistics.median(x["first"] for x in loads)}


# --- (4) profile -------------------------------------------------------------------------------
def profile_run(at) -> pstats.Stats:
    """Profile one ``at.run()``: the page runs in AppTest's script thread, so the profiler is
    switched on inside every thread started during the run (threading.setprofile)."""
    prof = cProfile.Profile()
    lock = threading.Lock()
    enabled = []

    def hook(frame, event, arg):
        sys.setprofile(None)
        name = threading.current_thread().name
        with lock:
            if enabled or name != SCRIPT_THREAD:  # one thread: a Profile is not thread-safe
                return
            enabled.append(name)
        prof.enable()

    threading.setprofile(hook)
    try:
        at.run()
    finally:
        threading.setprofile(None)
    prof.disable()
    return pstats.Stats(prof), (enabled[0] if enabled else "?")


def print_top(stats: pstats.Stats, title: str, project_only: bool) -> None:
    rows = []
    for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in stats.stats.items():
        if project_only and not (filename.startswith(str(REPO)) and "/site-packages/" not in filename):
            continue
        where = os.path.relpath(filename, REPO) if filename.startswith(str(REPO)) else _short(filename)
        rows.append((cumtime, tottime, ncalls, f"{where}:{line}({func})"))
    rows.sort(reverse=True)
    print(f"  {title}")
    print(f"    {'cum s':>7} {'own s':>7} {'calls':>7}  function")
    for cumtime, tottime, ncalls, name in rows[:PROFILE_TOP]:
        print(f"    {cumtime:7.3f} {tottime:7.3f} {ncalls:7d}  {name}")


def _short(filename: str) -> str:
    marker = "site-packages/"
    return filename.split(marker, 1)[1] if marker in filename else filename


def profile_page(path: str) -> None:
    at = new_session(path, clear_before_page=True)
    cold, thread = profile_run(at)
    warm, _ = profile_run(at)
    check(at, path)
    for label, stats in (("cold-from-Parquet", cold), ("warm", warm)):
        total = max((v[3] for v in stats.stats.values()), default=0.0)
        print(f"\n{path}, {label} run (profiled thread {thread!r}; profiler overhead inflates times, "
              f"largest cumulative {total:.3f} s)")
        print_top(stats, f"top {PROFILE_TOP} by cumulative time, all code", project_only=False)
        print_top(stats, f"top {PROFILE_TOP} by cumulative time, project files only", project_only=True)


# --- report ------------------------------------------------------------------------------------
def verdict(value: float | None, target: float) -> str:
    if value is None:
        return "n/a"
    return "pass" if value <= target else "FAIL"


def main(argv: list[str]) -> int:
    logging.disable(logging.WARNING)  # "refresh failed" for the 3 series the snapshot lacks
    started = time.perf_counter()
    pages = existing_pages()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp_name:
        tmp = Path(tmp_name)
        os.environ["DASH_SNAPSHOT"] = str(SNAPSHOT_DIR)
        os.environ["DASH_CACHE_DIR"] = str(tmp / "apptest-cache")
        os.environ["DASH_SHARES"] = str(SHARES_CSV)
        os.environ.pop("FRED_API_KEY", None)
        os.environ.pop("DASH_READ_ONLY", None)
        print(f"snapshot {SNAPSHOT_DIR}; shares {SHARES_CSV}; median of {REPEATS} (browser {BROWSER_REPEATS}); {os.cpu_count()} CPUs, "
              f"load average {os.getloadavg()[0]:.2f} (other work on the machine skews every figure)")

        compiled = compile_times(pages)
        compile_scripts_once()
        server = server_times(pages)
        sizes = payloads(pages)
        browser = {} if "--skip-browser" in argv else browser_times(pages, tmp)

        print("\n(1) server run time (AppTest, scripts compiled once as a server does), seconds, each run:")
        for path, label in pages:
            s = server[path]
            print(f"  {label:<22} cold {' '.join(f'{t:.3f}' for t in s['cold_all'])}   "
                  f"warm {' '.join(f'{t:.3f}' for t in s['warm_all'])}   "
                  f"(compiling app.py and the page: {compiled[path]:.3f} s, once per server)")
        if browser:
            print("\n(2) browser, navigation start -> all charts drawn (the page's clock), seconds, each run:")
            for path, label in pages:
                b = browser[path]
                print(f"  {label:<22} {' '.join(f'{t:.3f}' for t in b['all'])}   medians: load event "
                      f"{b['load']:.2f}, first chart element {b['first']:.2f}; charts {b['charts']} "
                      f"(AppTest {server[path]['charts']}); exception elements {b['errors']}")
            b = browser["baseline"]
            print(f"  {'baseline (1 tiny chart)':<22} {len(b['all'])} loads, one before each page load: "
                  f"{min(b['all']):.3f} to {max(b['all']):.3f}; medians: load event {b['load']:.2f}, first chart "
                  f"element {b['first']:.2f}; the floor on this machine")
            for path, label in pages:
                print(f"    beside {label:<22} median {browser[path]['base']:.3f}")
            for name, (label, what) in REFERENCES.items():
                ref = browser[name]
                print(f"  {label:<22} {' '.join(f'{t:.3f}' for t in ref['all'])}: median {ref['median']:.3f}, "
                      f"{ref['median'] / ref['base']:.2f}× the baseline loads beside it (median {ref['base']:.3f}): "
                      f"{what}")
            own = browser["app floor"]
            for path, label in pages:
                print(f"    {label:<22} {browser[path]['median'] / own['median']:.2f}× the app floor")
        print("\n(3) figure JSON per page: charts, bytes, largest chart, earliest date plotted:")
        for path, label in pages:
            for view, (total, charts, largest, first) in sizes[path].items():
                print(f"  {label:<22} {view:<8} {charts:3d} charts {total:>10,} B  largest {largest:>9,} B  "
                      f"from {first}")

        floor = browser.get("baseline", {}).get("median")
        print(f"\nSummary (medians; targets: warm ≤ {TARGET_WARM_S} s, cold ≤ {TARGET_COLD_S} s, "
              f"browser ≤ {TARGET_BROWSER_RATIO}× the baseline loads beside each page (all: "
              f"{f'{floor:.3f} s' if floor else 'not run'}), "
              f"bytes ≤ {TARGET_BYTES:,})")
        head = (f"{'page':<22}{'warm s':>8} {'':4}{'cold s':>8} {'':4}{'browser s':>10} {'× base':>7} {'':4}"
                f"{'bytes default':>14} {'':4}{'bytes Max':>12} {'':4}")
        print(head)
        print("-" * len(head))
        for path, label in pages:
            s, b = server[path], browser.get(path, {}).get("median")
            d, m = sizes[path]["default"][0], sizes[path]["Max"][0]
            ratio = b / browser[path]["base"] if b is not None else None
            print(f"{label:<22}{s['warm']:8.3f} {verdict(s['warm'], TARGET_WARM_S):4}"
                  f"{s['cold']:8.3f} {verdict(s['cold'], TARGET_COLD_S):4}"
                  f"{(f'{b:10.3f}' if b is not None else f'{chr(45):>10}')} "
                  f"{(f'{ratio:7.2f}' if ratio is not None else f'{chr(45):>7}')} {verdict(ratio, TARGET_BROWSER_RATIO):4}"
                  f"{d:14,} {verdict(d, TARGET_BYTES):4}{m:12,} {verdict(m, TARGET_BYTES):4}")

        # The page worst against its server targets gets profiled.
        slowest = max(pages, key=lambda p: max(server[p[0]]["warm"] / TARGET_WARM_S,
                                               server[p[0]]["cold"] / TARGET_COLD_S))[0]
        s = server[slowest]
        print(f"\nSlowest page against its targets: {slowest} (warm {s['warm']:.3f} s = "
              f"{s['warm'] / TARGET_WARM_S:.1f}x target, cold {s['cold']:.3f} s = {s['cold'] / TARGET_COLD_S:.1f}x target)")
        if "--skip-profile" not in argv:
            profile_page(slowest)
    print(f"\nbench/pages.py took {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
