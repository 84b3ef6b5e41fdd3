"""Benchmark: load every catalogue series (prints figures; asserts nothing).

(a) cold: snapshot -> Parquet cache, through the store;
(b) warm: from the Parquet cache;
(c) live code path over a fake transport that sleeps 200 ms per request (real recorded
    Yahoo chart and fredgraph.csv bodies), parallel (the store's pool) vs one at a time.
    The floor for (c) is set by FRED's ~2 requests/s limit and the 200 ms latency.

Usage: python bench/load_all.py [--skip-network]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import yfinance as yf  # noqa: E402
from yfinance.data import YfData  # noqa: E402

from data_sources import fred  # noqa: E402
from data_sources.cache import LiveUpstream, SeriesStore, SnapshotUpstream  # noqa: E402
from data_sources.fred import FredClient, RateLimiter  # noqa: E402
from tools.fakes import FREDGRAPH_CSV, FakeYahooSession, chart_body  # noqa: E402
from tools.paths import SNAPSHOT_DIR  # noqa: E402

LATENCY_S = 0.2
PARALLEL_WORKERS = 8


def timed(func) -> tuple[float, object]:
    start = time.perf_counter()
    out = func()
    return time.perf_counter() - start, out


def snapshot_figures() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = SeriesStore(SnapshotUpstream(SNAPSHOT_DIR), Path(tmp))
        keys = [s.key for s in store.specs()]
        cold, result = timed(lambda: store.load(keys))
        warm, _ = timed(lambda: SeriesStore(SnapshotUpstream(SNAPSHOT_DIR), Path(tmp)).load(keys))
    print(f"series in catalogue: {len(keys)} (loaded {len(result.series)}, missing from snapshot "
          f"{len(keys) - len(result.series)})")
    print(f"(a) cold from snapshot through the cache: {cold:6.2f} s")
    print(f"(b) warm from the Parquet cache:          {warm:6.2f} s  ({cold / warm:4.1f}x faster)")


def slow_fredgraph(url: str, timeout: float) -> tuple[int, bytes]:
    """200 ms, then a real fredgraph.csv body (UNRATE) whatever the id: we time the transport."""
    time.sleep(LATENCY_S)
    return 200, (FREDGRAPH_CSV / "UNRATE.csv").read_bytes()


def live_load(workers: int) -> tuple[float, int, int, int]:
    with tempfile.TemporaryDirectory() as tmp:
        YfData._instances.clear()
        body = chart_body("chart-AAPL-2020-08-31-to-2020-11-07.json")
        store = SeriesStore(LiveUpstream(yahoo_session=None), Path(tmp), max_workers=workers)
        yahoo_ids = [s.source_id for s in store.specs() if s.source == "yahoo"]
        session = FakeYahooSession({sym: body for sym in yahoo_ids}, latency_s=LATENCY_S)
        store.upstream = LiveUpstream(yahoo_session=session, fred=FredClient(limiter=RateLimiter(fred.REQUESTS_PER_SECOND)))
        keys = [s.key for s in store.specs()]
        with mock.patch.object(fred, "_http_get", slow_fredgraph):
            seconds, result = timed(lambda: store.load(keys))
        n_fred = sum(1 for s in store.specs() if s.source == "fred")
        return seconds, len(result.series), n_fred, sum(session.calls.values())


def network_figures() -> None:
    par, loaded, n_fred, yahoo_requests = live_load(PARALLEL_WORKERS)
    seq, _, _, _ = live_load(1)
    floor = max((n_fred - 1) / fred.REQUESTS_PER_SECOND + LATENCY_S, LATENCY_S * yahoo_requests / PARALLEL_WORKERS)
    print(f"(c) fake network, {LATENCY_S * 1000:.0f} ms per request: {loaded} series, {n_fred} FRED, "
          f"{yahoo_requests} Yahoo requests")
    print(f"    parallel ({PARALLEL_WORKERS} workers): {par:6.2f} s   floor ≈ {floor:5.2f} s   ratio {par / floor:4.2f}x")
    print(f"    one at a time:        {seq:6.2f} s   parallel is {seq / par:4.1f}x faster")


if __name__ == "__main__":
    yf.set_tz_cache_location(tempfile.mkdtemp(prefix="bench-yf-tz-"))
    snapshot_figures()
    if "--skip-network" not in sys.argv:
        network_figures()
