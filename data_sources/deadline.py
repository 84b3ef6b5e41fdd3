"""Timing of outbound requests: our own deadline around a blocking library call (fredapi has no
timeout; yfinance applies the caller's timeout to the data request only, and its own 10-30 s to
the others), and the rate limiter that keeps a provider's requests apart (FRED, SEC EDGAR)."""

from __future__ import annotations

import threading
import time


def call_with_deadline(func, timeout: float):
    """Run ``func()`` but stop waiting after ``timeout`` s; raises ``TimeoutError`` then.

    The worker is a daemon thread: a hung socket cannot keep the process alive.
    """
    box: dict = {}

    def run():
        try:
            box["value"] = func()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True, name="deadline-call")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise TimeoutError
    if "error" in box:
        raise box["error"]
    return box["value"]


class RateLimiter:
    """Spaces calls at least 1/rate seconds apart across threads (a one-slot token bucket)."""

    def __init__(self, rate_per_s: float):
        self.interval = 1.0 / rate_per_s
        self._next = 0.0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until this caller's slot comes up."""
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)
