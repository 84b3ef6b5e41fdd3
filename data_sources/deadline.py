"""Our own deadline around a blocking library call (fredapi has no timeout; yfinance applies
the caller's timeout to the data request only, and its own 10-30 s to the others)."""

from __future__ import annotations

import threading


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
