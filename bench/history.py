"""Benchmark: the overview's verdict history (every claim at every month-end since 2000) and the
per-day scorecard, on the offline snapshot (prints figures; asserts nothing).

Cold = a fresh Python process doing its first history (imports done, data already loaded from
the snapshot, release calendars read): what the first visitor after a deploy waits for, beyond
loading. Warm = the same computation again in that process (no memo: the vectorised rules
themselves; the page additionally remembers the result per data). Both are the median of
``REPEATS`` and are measured in child processes so one run cannot warm the next.

Also printed: the time per claim over all month-ends, one as-of scorecard, and for contrast the
same history computed the naive way (one per-day scorecard per month-end), on every
``NAIVE_STEP``-th month-end and scaled up.

Targets (issue 11): all month-ends ≤ 1 s warm and ≤ 3 s cold.

Usage: python bench/history.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tools.paths import SNAPSHOT_DIR  # noqa: E402

REPEATS = 3
NAIVE_STEP = 10
TARGET_WARM_S, TARGET_COLD_S = 1.0, 3.0


def child() -> None:
    """One process: load, then time the history cold, then warm, per claim, and naively."""
    from components.views import overview as ov
    from components.views.events import announcements
    from data_sources.cache import default_store
    from data_sources.calendars import read_calendars, read_fomc

    store = default_store()
    today = store.as_of()
    loaded = store.load(ov.score_keys(today))
    calendars = read_calendars()
    out = {}
    start = time.perf_counter()
    announced = announcements(read_fomc(), calendars)
    pit = ov.point_in_time(loaded, calendars, announced=announced)
    grid = ov.verdict_history(pit, today)
    out["cold"] = time.perf_counter() - start
    start = time.perf_counter()
    ov.verdict_history(ov.point_in_time(loaded, calendars, announced=announcements(read_fomc(), calendars)), today)
    out["warm"] = time.perf_counter() - start
    days = ov.history_days(today)
    out["cells"] = [int(grid.shape[0]), int(grid.shape[1])]
    out["per_claim"] = {}
    for number in ov.CLAIM_BUILDERS:
        start = time.perf_counter()
        ov.claim_track(number, pit, days)
        out["per_claim"][number] = time.perf_counter() - start
    start = time.perf_counter()
    ov.score_all(loaded, today, days[-24].date(), pit)
    out["one_as_of"] = time.perf_counter() - start
    sample = days[::NAIVE_STEP]
    start = time.perf_counter()
    for day in sample:
        ov.score_all(loaded, today, day.date(), pit)
    out["naive_scaled"] = (time.perf_counter() - start) * len(days) / len(sample)
    print(json.dumps(out))


def main() -> int:
    cache = tempfile.mkdtemp(prefix="bench-history-")
    env = {**os.environ, "DASH_SNAPSHOT": str(SNAPSHOT_DIR), "DASH_CACHE_DIR": cache, "PYTHONWARNINGS": "ignore"}
    runs = []
    for _ in range(REPEATS):
        done = subprocess.run([sys.executable, __file__, "--child"], capture_output=True, text=True, env=env,
                              cwd=REPO, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    cold = statistics.median(r["cold"] for r in runs)
    warm = statistics.median(r["warm"] for r in runs)
    rows, columns = runs[0]["cells"]
    print(f"verdict history: {rows} claims × {columns} days (month-ends since 2000 + today)")
    print(f"  cold {cold:.3f} s (target ≤ {TARGET_COLD_S:g} s: {'pass' if cold <= TARGET_COLD_S else 'FAIL'})"
          f"   warm {warm:.3f} s (target ≤ {TARGET_WARM_S:g} s: {'pass' if warm <= TARGET_WARM_S else 'FAIL'})")
    print("  per claim over all days (s): " + "  ".join(
        f"{n}: {statistics.median(r['per_claim'][n] for r in runs):.3f}" for n in runs[0]["per_claim"]))
    print(f"  one as-of scorecard: {statistics.median(r['one_as_of'] for r in runs):.3f} s")
    print(f"  naive (one scorecard per month-end, scaled from every {NAIVE_STEP}th): "
          f"{statistics.median(r['naive_scaled'] for r in runs):.1f} s")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv:
        child()
    else:
        sys.exit(main())
