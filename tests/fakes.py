"""Fake transports at the network boundary, replaying real recorded responses.

Only the wire is fake: yfinance, fredapi and our own parsing run for real on top. Shared by
the tests and the benchmarks (bench/ imports this module).
"""

from __future__ import annotations

import io
import threading
import time
import urllib.error
from collections import Counter
from email.message import Message
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from curl_cffi import requests as curl_requests
from curl_cffi.requests import exceptions as curl_errors

from tests.conftest import SHARED_DATA

CHART_BODIES = SHARED_DATA / "wire" / "yahoo" / "chart_body"
FRED_XML = SHARED_DATA / "wire" / "fred" / "api_xml"
FREDGRAPH_CSV = SHARED_DATA / "wire" / "fredgraph_csv"
NOT_FOUND_BODY = (
    b'{"chart":{"result":null,"error":{"code":"Not Found",'
    b'"description":"No data found, symbol may be delisted"}}}'
)


def chart_body(name: str) -> bytes:
    """A real recorded Yahoo chart-API body from ../shared/data/wire/yahoo/chart_body."""
    return (CHART_BODIES / name).read_bytes()


class FakeYahooSession(curl_requests.Session):
    """A curl_cffi Session that answers Yahoo's endpoints from memory.

    ``charts`` maps a symbol to a body (bytes), an HTTP status (int), or the string "hang".
    Unknown symbols get Yahoo's real 404 body. ``crumb_status`` 429 simulates throttling.
    ``latency_s`` sleeps before every chart answer (a slow network). Every request is counted
    in ``calls`` by (kind, symbol).
    """

    def __init__(self, charts: dict | None = None, crumb_status: int = 200, latency_s: float = 0.0):
        super().__init__()
        self.charts = dict(charts or {})
        self.crumb_status = crumb_status
        self.latency_s = latency_s
        self.calls: Counter = Counter()
        self._lock = threading.Lock()

    def _count(self, kind: str, symbol: str = "") -> None:
        with self._lock:
            self.calls[(kind, symbol)] += 1

    def request(self, method, url, params=None, **kwargs):
        parsed = urlparse(url)
        host, path = parsed.hostname or "", parsed.path
        if host.startswith("fc.") or "guce" in host or "consent" in host:
            return _curl_response(url, 404, b"")
        if path.endswith("/getcrumb"):
            self._count("crumb")
            return _curl_response(url, self.crumb_status, b"fake-crumb" if self.crumb_status == 200 else b"Too Many Requests")
        if "/v8/finance/chart/" in path:
            symbol = unquote(path.rsplit("/", 1)[-1])
            self._count("chart", symbol)
            return self._chart(url, symbol, kwargs.get("timeout"))
        raise curl_errors.ConnectionError(f"network is off in tests: {host}")

    def _chart(self, url: str, symbol: str, timeout):
        answer = self.charts.get(symbol, 404)
        if answer == "hang":
            time.sleep(float(timeout or 30))
            raise curl_errors.Timeout(f"Operation timed out after {timeout} s")
        if self.latency_s:
            time.sleep(self.latency_s)
        if isinstance(answer, int):
            return _curl_response(url, answer, NOT_FOUND_BODY if answer == 404 else b"Too Many Requests")
        return _curl_response(url, 200, answer)

    def chart_calls(self, symbol: str) -> int:
        """How many chart requests reached the wire for ``symbol``."""
        return self.calls[("chart", symbol)]


def _curl_response(url: str, status: int, body: bytes) -> curl_requests.Response:
    response = curl_requests.Response()
    response.url = url
    response.status_code = status
    response.ok = 200 <= status < 400
    response.reason = {200: "OK", 404: "Not Found", 429: "Too Many Requests"}.get(status, "Error")
    response.content = body
    return response
