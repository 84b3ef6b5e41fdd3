"""FAULTS.md rows that need a real ``streamlit run`` server, driven without a browser: each
session is a websocket client speaking Streamlit's protocol (``tools/sessions.py``), so the
server does all its real work (script runs, caches, the store's single-flight).

- "20 concurrent sessions with different views": 20 sessions at once on one server (snapshot
  mode, empty cache). Every session gets its own view and no exception; every series is read
  from the upstream exactly once (counted where the store calls its upstream,
  ``tools.counting_server``); the server's resident memory stays under the usual 1 GB limit.
- "an exception inside a page": a tampered client sends a widget state of the wrong type,
  which makes the real Fed path page raise inside Streamlit's widget code. The person sees
  only Streamlit's generic message (``client.showErrorDetails = "none"``), no stack trace, no
  path, no key; the details go to the server log; a new session (a reload, anyone else) is
  unaffected. The tampered session itself stays broken until reloaded: Streamlit keeps the
  last widget states a client sent.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re

from streamlit.proto.WidgetStates_pb2 import WidgetState

from components.controls import DATE_PRESETS, DEFAULT_PRESET, resolve_window
from tests.conftest import SNAPSHOT_AS_OF
from tools.server import PeakMemory, served_app, upstream_reads
from tools.sessions import FED, OVERVIEW, VIEWS, Session, open_session, run_coroutine, view_name

HOSTED_MEMORY_LIMIT = 2**30  # bytes: 1 GiB, Streamlit Community Cloud's limit
# A page parameter that opens a tab: the words of the chart that tab draws.
TAB_CHARTS = {("futures", "Path"): "How has the expected policy path moved?",
              ("labour", "Claims"): "Are layoffs picking up?", ("curve", "Yields"): "short and long Treasury yields",
              ("taylor", "Gap"): "tighter (above 0)"}
TRACEBACK = "Traceback (most recent call last)"


def title_end(preset: str, start: str | None = None, end: str | None = None) -> str:
    """How a chart title drawn in this date window ends, e.g. "last 1Y)" (the app's own label)."""
    day = lambda text: dt.date.fromisoformat(text) if text else None  # noqa: E731
    return resolve_window(preset, day(start), day(end), SNAPSHOT_AS_OF).label + ")"


PRESET_ENDS = {title_end(preset) for preset in DATE_PRESETS}


async def open_all(base: str):
    return await asyncio.gather(*(open_session(base, path, params) for path, params in VIEWS))


def test_twenty_concurrent_sessions_get_their_own_views_with_one_upstream_read_per_series(tmp_path):
    with served_app(tmp_path / "cache", count_reads=True) as app:
        with PeakMemory(app.pid) as memory:
            runs = run_coroutine(open_all(app.base))
        reads = upstream_reads(app)

    for (path, params), run in zip(VIEWS, runs):
        name = view_name(path, params)
        assert run.finished and not run.exceptions, (name, run.exceptions)
        assert not any(TRACEBACK in text for text in run.texts), name
        assert run.chart_titles, name
        if path == OVERVIEW:
            cut = params.get("asof")
            assert any((f"Data published by {cut}" if cut else "Scored on the data as of") in t for t in run.texts), name
            continue
        ending = title_end(params.get("range", DEFAULT_PRESET), params.get("start"), params.get("end"))
        windowed = [t for t in run.chart_titles if any(t.endswith(e) for e in PRESET_ENDS | {ending})]
        assert windowed and all(t.endswith(ending) for t in windowed), (name, windowed)
        for (key, value), words in TAB_CHARTS.items():
            assert any(words in t for t in run.chart_titles) == (params.get(key) == value), (name, words)

    # A cold load says how far it is (FAULTS: progress on cold loads, not a bare spinner).
    progress = [text for run in runs for text in run.progress]
    assert any(re.fullmatch(r"Loading data: \d+ of \d+ series( · waiting on .+)?…", t) for t in progress), progress[:5]
    assert reads, "the upstream was never read"
    assert max(reads.values()) == 1, {key: n for key, n in reads.items() if n > 1}
    assert memory.peak <= HOSTED_MEMORY_LIMIT, f"peak {memory.peak / 2**20:.0f} MiB"


REDACTED = "The original error message is redacted"
FAKE_KEY = "0123456789abcdef0123456789abcdef"  # FRED keys are 32 lowercase hex characters
R_STAR_LABEL = "r*, neutral real rate (%)"


async def tampered_runs(base: str):
    """A normal run of the Fed path, one with r* sent as text, then the page in a new session."""
    async with Session(base) as session:
        first = await session.run(FED, {})
        wrong_type = WidgetState(id=first.widget_ids[R_STAR_LABEL], string_value="abc")
        tampered = await session.run(FED, {}, [wrong_type])
    return first, tampered, await open_session(base, FED, {})


def test_an_exception_inside_a_real_page_shows_only_the_generic_message(tmp_path):
    cache = tmp_path / "cache"
    with served_app(cache, extra_env={"FRED_API_KEY": FAKE_KEY}) as app:
        first, tampered, after = run_coroutine(tampered_runs(app.base))
    log = (cache / "server.log").read_text()

    assert not first.exceptions and not after.exceptions  # a reload, or anyone else, is unaffected
    assert len(after.chart_titles) == len(first.chart_titles)
    (message,) = tampered.exceptions
    assert REDACTED in message and tampered.stack_traces == []
    shown = " ".join([message, *tampered.texts])
    for secret in (TRACEBACK, 'File "/', str(tmp_path), FAKE_KEY):
        assert secret not in shown, secret
    assert FAKE_KEY not in log
    assert TRACEBACK in log  # the details are recorded for whoever runs the server
