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
from urllib.parse import parse_qs, unquote, urlparse

from curl_cffi import requests as curl_requests
from curl_cffi.requests import exceptions as curl_errors

from tools.paths import SHARED_DATA

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


# -- FRED ---------------------------------------------------------------------------------

FRED_KEY_NOT_REGISTERED = (
    "Bad Request.  The value for variable api_key is not registered.  "
    "Read https://fred.stlouisfed.org/docs/api/api_key.html for more information."
)
FRED_SERIES_MISSING = "Bad Request.  The series does not exist."
FRED_STATUS_MESSAGES = {
    400: FRED_SERIES_MISSING,
    429: "Too Many Requests.  Exceeded Rate Limit",
    500: "Internal Server Error",
    503: "Service Unavailable",
}
HANG_CAP_S = 30.0  # a "hang" ends by itself after this long, so no thread outlives the run


def fred_error_body(status: int, message: str | None = None) -> bytes:
    """FRED's XML error document (the body of every API error response)."""
    text = message or FRED_STATUS_MESSAGES.get(status, "Error")
    return f'<?xml version="1.0" encoding="utf-8" ?>\n<error code="{status}" message="{text}" />\n'.encode()


def fred_xml(name: str) -> bytes:
    """A real recorded fredapi XML body from ../shared/data/wire/fred/api_xml."""
    return (FRED_XML / name).read_bytes()


def fredgraph_csv(series_id: str) -> bytes:
    """A real fredgraph.csv download from ../shared/data/wire/fredgraph_csv."""
    return (FREDGRAPH_CSV / f"{series_id}.csv").read_bytes()


class _FakeFredTransport:
    """Shared by the two FRED fakes: answers per series id, call counting, releasable hangs.

    ``answers`` maps a FRED series id to a body (bytes), an HTTP status (int), a
    ``(status, body)`` pair, or the string "hang". Unknown ids get ``default``.
    """

    default: int = 404

    def __init__(self, answers: dict | None = None):
        self.answers = dict(answers or {})
        self.calls: Counter = Counter()
        self._lock = threading.Lock()
        self._released = threading.Event()

    def _answer(self, series_id: str):
        with self._lock:
            self.calls[series_id] += 1
        return self.answers.get(series_id, self.default)

    def total_calls(self) -> int:
        """Requests that reached the wire, all series together."""
        return sum(self.calls.values())

    def release(self) -> None:
        """End every hang now (test teardown)."""
        self._released.set()


class FakeFredApi(_FakeFredTransport):
    """Stand-in for ``fredapi.fred.urlopen``: FRED's web API answered from memory.

    Unknown series get FRED's 400 "series does not exist". When ``valid_key`` is set, any
    other ``api_key`` gets FRED's 400 "api_key is not registered". An int answer is an
    HTTPError with FRED's XML error body; "hang" blocks (fredapi has no timeout) until
    ``release()``. ``keys_seen`` lists the api_key of every request.
    """

    default = 400

    def __init__(self, answers: dict | None = None, valid_key: str | None = None):
        super().__init__(answers)
        self.valid_key = valid_key
        self.keys_seen: list[str] = []

    def __call__(self, url, *args, **kwargs):
        query = parse_qs(urlparse(url).query)
        series_id = query.get("series_id", [""])[0]
        self.keys_seen.append(query.get("api_key", [""])[0])
        answer = self._answer(series_id)
        if self.valid_key is not None and query.get("api_key", [""])[0] != self.valid_key:
            answer = (400, fred_error_body(400, FRED_KEY_NOT_REGISTERED))
        if answer == "hang":
            self._released.wait(HANG_CAP_S)
            raise urllib.error.URLError("hang released")
        if isinstance(answer, int):
            answer = (answer, fred_error_body(answer))
        if isinstance(answer, tuple):
            status, body = answer
            raise urllib.error.HTTPError(url, status, "error", Message(), io.BytesIO(body))
        return io.BytesIO(answer)


class FakeFredGraph(_FakeFredTransport):
    """Stand-in for ``data_sources.fred._http_get`` (the keyless fredgraph.csv download).

    Returns ``(status, body)`` like the real one; unknown ids get 404; "hang" waits the
    caller's timeout and raises ``TimeoutError`` as urllib does. ``timeouts`` records the
    timeout of every call.
    """

    def __init__(self, answers: dict | None = None):
        super().__init__(answers)
        self.timeouts: list[float] = []

    def __call__(self, url: str, timeout: float) -> tuple[int, bytes]:
        series_id = parse_qs(urlparse(url).query).get("id", [""])[0]
        answer = self._answer(series_id)
        self.timeouts.append(timeout)
        if answer == "hang":
            self._released.wait(min(float(timeout), HANG_CAP_S))
            raise TimeoutError("timed out")
        if isinstance(answer, int):
            return answer, b""
        if isinstance(answer, tuple):
            return answer
        return 200, answer


# -- SEC EDGAR ----------------------------------------------------------------------------

SEC_SNAPSHOT = SHARED_DATA / "snapshot" / "sec"


def companyfacts_body(symbol: str) -> bytes:
    """A real companyfacts body from ../shared/data/snapshot/sec (full or excerpt, see its README)."""
    return (SEC_SNAPSHOT / f"{symbol}.json").read_bytes()


class FakeSecSession(curl_requests.Session):
    """A curl_cffi Session answering SEC EDGAR's companyfacts endpoint from memory.

    ``answers`` maps a CIK (int) to a body (bytes), an HTTP status (int), or "hang" (waits the
    request's timeout, then raises curl_cffi's Timeout). Unknown CIKs get the SEC's 404. Any
    other host: curl_cffi's ConnectionError (network down). Every request is recorded in
    ``requests`` as (monotonic time, CIK, headers sent).
    """

    def __init__(self, answers: dict | None = None):
        super().__init__()
        self.answers = dict(answers or {})
        self.requests: list[tuple[float, int, dict]] = []
        self._lock = threading.Lock()

    def request(self, method, url, params=None, **kwargs):
        parsed = urlparse(url)
        if parsed.hostname != "data.sec.gov" or "/api/xbrl/companyfacts/CIK" not in parsed.path:
            raise curl_errors.ConnectionError(f"network is off in tests: {parsed.hostname}")
        cik = int(parsed.path.rsplit("CIK", 1)[-1].removesuffix(".json"))
        with self._lock:
            self.requests.append((time.monotonic(), cik, dict(kwargs.get("headers") or {})))
        answer = self.answers.get(cik, 404)
        if answer == "hang":
            timeout = float(kwargs.get("timeout") or HANG_CAP_S)
            time.sleep(min(timeout, HANG_CAP_S))
            raise curl_errors.Timeout(f"Operation timed out after {timeout} s")
        if isinstance(answer, int):
            return _curl_response(url, answer, b"<html><body>Error</body></html>")
        return _curl_response(url, 200, answer)

    def calls(self, cik: int) -> int:
        """How many requests reached the wire for ``cik``."""
        return sum(1 for _, c, _ in self.requests if c == cik)
