"""``python -m tools.counting_server run app.py [streamlit options]``: ``streamlit run`` in
this process, with the app's upstream wrapped so that every upstream read appends the
series' catalogue key to the file named by ``DASH_TEST_READS_LOG``.

Counting is the only change: the wrapper hands each read to the real upstream (the snapshot
folder or the live sources) and returns its answer untouched, so the store, its single-flight
and the pages run as in production. Used by ``tools.server.served_app(count_reads=True)``.
"""

from __future__ import annotations

import os
import sys
import threading

import data_sources.cache as cache
from data_sources.catalogue import SeriesSpec
from tools.server import READS_LOG_ENV


class CountingUpstream:
    """Delegates to ``inner``; logs the key of every ``fetch`` before it starts."""

    def __init__(self, inner, log_path: str):
        self.inner, self.log_path = inner, log_path
        self._lock = threading.Lock()

    def fetch(self, spec: SeriesSpec):
        with self._lock, open(self.log_path, "a") as log:
            log.write(spec.key + "\n")
        return self.inner.fetch(spec)

    def __getattr__(self, name):  # as_of(), namespace, the live upstream's clients
        return getattr(self.inner, name)


def main() -> None:
    real_upstream = cache.default_upstream
    cache.default_upstream = lambda: CountingUpstream(real_upstream(), os.environ[READS_LOG_ENV])
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
