"""Streamlit sessions without a browser, and the 20 views the load test and benchmark open.

``open_session`` speaks Streamlit's own protocol over its websocket (``/_stcore/stream``): it
sends the ``rerun_script`` message a browser sends when it opens a URL (page name and query
string), then reads the server's messages until the script run has finished. It sees
exactly what a browser would be sent: every element, chart spec and exception.
"""

from __future__ import annotations

import asyncio
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from components.routes import PAGES

SESSION_TIMEOUT_S = 120.0
OVERVIEW, FED, SMALL, SP500, INFLATION, EVENTS = (path for path, _ in PAGES)
# 20 different views: the overview and Macro days 4 times, the other pages 3 times, with
# different date presets and page parameters.
VIEWS: list[tuple[str, dict[str, str]]] = [
    (OVERVIEW, {}),
    (OVERVIEW, {"range": "1Y"}),
    (OVERVIEW, {"range": "Max"}),
    (OVERVIEW, {"asof": "2025-06-30"}),
    (FED, {}),
    (FED, {"range": "Max", "curve": "Yields"}),
    (FED, {"range": "10Y", "rstar": "0.5", "ustar": "4.5", "taylor": "Gap"}),
    (SMALL, {}),
    (SMALL, {"range": "Max"}),
    (SMALL, {"range": "1M", "beta_window": "252", "rate": "6.0", "cut": "50"}),
    (SP500, {}),
    (SP500, {"range": "Max", "sp_rebase": "false"}),
    (SP500, {"range": "6M", "sector": "xlk"}),
    (INFLATION, {}),
    (INFLATION, {"range": "Max"}),
    (INFLATION, {"range": "Custom", "start": "2020-01-01", "end": "2024-12-31", "transform": "6m"}),
    (EVENTS, {}),
    (EVENTS, {"type": "FOMC", "event": "2024-09-18"}),
    (EVENTS, {"range": "Max", "asset": "Russell 2000"}),
    (EVENTS, {"range": "10Y", "type": "CPI", "roll": "5Y"}),
]


def page_name(path: str) -> str:
    """``app.py`` -> "" (the main page); ``pages/1_fed-path.py`` -> "fed-path" (its URL path)."""
    return "" if path == OVERVIEW else Path(path).stem.split("_", 1)[1]


def view_name(path: str, params: dict[str, str]) -> str:
    page = page_name(path) or "overview"
    return page + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@dataclass
class SessionRun:
    """What the server sent one session for one script run."""

    chart_titles: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)  # markdown, captions, alerts
    progress: list[str] = field(default_factory=list)  # the text of every progress-bar update
    exceptions: list[str] = field(default_factory=list)  # each exception element's message
    stack_traces: list[str] = field(default_factory=list)  # their stack trace lines, if any were sent
    widget_ids: dict[str, str] = field(default_factory=dict)  # widget label -> element id
    finished: bool = False  # a script_finished message arrived


TEXT_ELEMENTS = ("markdown", "alert")


def _read_delta(run: SessionRun, message: ForwardMsg) -> None:
    if message.WhichOneof("type") != "delta" or message.delta.WhichOneof("type") != "new_element":
        return
    element = message.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "plotly_chart":
        run.chart_titles.append(json.loads(element.plotly_chart.spec)["layout"].get("title", {}).get("text", ""))
    elif kind == "exception":
        run.exceptions.append(element.exception.message)
        run.stack_traces.extend(element.exception.stack_trace)
    elif kind in TEXT_ELEMENTS:
        run.texts.append(getattr(element, kind).body)
    elif kind == "progress":
        run.progress.append(element.progress.text)
    widget = getattr(element, kind)
    if getattr(widget, "id", "") and getattr(widget, "label", ""):
        run.widget_ids[widget.label] = widget.id


class Session:
    """One browser-less Streamlit session on the server at ``base`` (one websocket)."""

    def __init__(self, base: str):
        self.url = base.replace("http", "ws", 1) + "/_stcore/stream"

    async def __aenter__(self) -> "Session":
        # No keepalive pings (a browser sends none): with 40 sessions on 2 CPUs the busy server
        # can take longer than websockets' 20 s ping timeout to answer one.
        self.socket = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None, ping_interval=None)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def run(self, path: str, params: dict[str, str], widgets: list[WidgetState] = ()) -> SessionRun:
        """Ask for a run of ``path`` with ``params`` (and the given widget states, as a browser
        sends them after an interaction); return what the run sent. Raises TimeoutError after
        ``SESSION_TIMEOUT_S``."""
        request = BackMsg()
        request.rerun_script.page_name = page_name(path)
        request.rerun_script.query_string = urlencode(params)
        request.rerun_script.widget_states.widgets.extend(widgets)
        await self.socket.send(request.SerializeToString())
        run = SessionRun()
        async with asyncio.timeout(SESSION_TIMEOUT_S):
            while not run.finished:
                message = ForwardMsg()
                message.ParseFromString(await self.socket.recv())
                _read_delta(run, message)
                run.finished = message.WhichOneof("type") == "script_finished"
        return run


def run_coroutine(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own, so it also works where this thread
    already runs an event loop (Playwright's sync API keeps one alive for the browser tests)."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["result"] = asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller below
            outcome["error"] = error

    worker = threading.Thread(target=run, name="sessions")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


async def open_session(base: str, path: str, params: dict[str, str]) -> SessionRun:
    """Open ``path`` with ``params`` in a new session; return what its first run sent."""
    async with Session(base) as session:
        return await session.run(path, params)
