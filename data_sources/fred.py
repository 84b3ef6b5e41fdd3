"""FRED provider: fredapi when ``FRED_API_KEY`` is set, FRED's keyless fredgraph.csv otherwise.

Every request has a timeout, all requests share one ~2 requests/s limiter, throttling and
server errors are retried a bounded number of times, and the API key never appears in a
message, a log line or an exception (fredapi puts it in every URL, so no URL is logged and
no library exception is chained).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import fredapi
import pandas as pd

from data_sources.contract import to_contract
from data_sources.deadline import call_with_deadline as _call_with_deadline
from data_sources.errors import SourceError, scrub
from data_sources.parsing import EmptyTable, parse_fredgraph_csv

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 15.0
REQUESTS_PER_SECOND = 2.0
BACKOFF_S = (1.0, 3.0)  # waits before the 2nd and 3rd attempt on 429 / 5xx
FREDGRAPH_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={series_id}"
RETRYABLE = ("rate_limited", "server_error")


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


SHARED_LIMITER = RateLimiter(REQUESTS_PER_SECOND)


def _http_get(url: str, timeout: float) -> tuple[int, bytes]:
    """The keyless transport: GET ``url``; returns (HTTP status, body). Network errors raise."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _status_kind(status: int) -> str:
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    if status in (400, 404):
        return "not_found"
    return "bad_response"


def _api_error_kind(message: str, status: int | None = None) -> str:
    """Classify fredapi's ValueError: by the HTTP status when there is one, else FRED's text.

    fredapi turns every HTTP error into ``ValueError(<FRED's message>)``; the status is only
    on the HTTPError it was raised from (``__context__``). Without it a 5xx whose body is
    FRED's XML error ("Internal Server Error") would not be retried.
    """
    text = message.lower()
    if status == 429:
        return "rate_limited"
    if status is not None and status >= 500:
        return "server_error"
    if status == 403:
        return "auth"
    if "api_key" in text or "api key" in text:
        return "auth"
    if "does not exist" in text or "no data exists" in text or "no info exists" in text:
        return "not_found"
    if "too many" in text or "429" in text:
        return "rate_limited"
    return "bad_response"


@dataclass
class FredClient:
    """Fetches FRED series by id, choosing fredapi or fredgraph.csv by the key's presence.

    ``key_rejected`` turns true after FRED refuses the key (HTTP 400/403); from then on the
    keyless download is used, and the UI can say so.
    """

    timeout: float = REQUEST_TIMEOUT_S
    limiter: RateLimiter = field(default_factory=lambda: SHARED_LIMITER)
    backoff: tuple[float, ...] = BACKOFF_S
    key_rejected: bool = False

    @property
    def api_key(self) -> str:
        """The key from the environment (app.py copies st.secrets there), or ""."""
        return os.environ.get("FRED_API_KEY", "").strip()

    def fetch(self, series_id: str, name: str) -> pd.Series:
        """One series, full history, normalised to the data contract and named ``name``."""
        if self.api_key and not self.key_rejected:
            try:
                return self._with_retries(self._fetch_api, series_id, name)
            except SourceError as exc:
                if exc.kind != "auth":
                    raise
                self.key_rejected = True
                log.warning("FRED rejected the API key; using the keyless download from now on")
        return self._with_retries(self._fetch_csv, series_id, name)

    def _with_retries(self, attempt, series_id: str, name: str) -> pd.Series:
        for wait in (0.0, *self.backoff):
            time.sleep(wait)
            self.limiter.acquire()
            try:
                return attempt(series_id, name)
            except SourceError as exc:
                if exc.kind not in RETRYABLE:
                    raise
                last = exc
        raise last

    def _fetch_api(self, series_id: str, name: str) -> pd.Series:
        key = self.api_key
        try:
            values = _call_with_deadline(lambda: fredapi.Fred(api_key=key).get_series(series_id), self.timeout)
        except TimeoutError:
            raise SourceError("fred", series_id, "timeout", f"no answer within {self.timeout:g} s") from None
        except ValueError as exc:
            status = _http_status(exc)
            kind = _api_error_kind(scrub(exc), status)
            raise SourceError("fred", series_id, kind, f"HTTP {status}" if kind == "server_error" else scrub(exc)) from None
        except ET.ParseError as exc:  # fredapi parses every body as XML, error pages too
            status = _http_status(exc)
            if status is None:
                raise SourceError("fred", series_id, "bad_response", "not XML") from None
            raise SourceError("fred", series_id, _status_kind(status), f"HTTP {status}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise SourceError("fred", series_id, "network", type(exc).__name__) from None
        return _non_empty(to_contract(values, name), series_id)

    def _fetch_csv(self, series_id: str, name: str) -> pd.Series:
        url = FREDGRAPH_URL.format(series_id=series_id)
        try:
            status, body = _http_get(url, self.timeout)
        except (socket.timeout, TimeoutError):
            raise SourceError("fred", series_id, "timeout", f"no answer within {self.timeout:g} s") from None
        except (urllib.error.URLError, OSError) as exc:
            raise SourceError("fred", series_id, "network", type(exc).__name__) from None
        if status != 200:
            raise SourceError("fred", series_id, _status_kind(status), f"HTTP {status}")
        try:
            series = parse_fredgraph_csv(body, name)
        except EmptyTable as exc:
            raise SourceError("fred", series_id, "empty", str(exc)) from None
        except ValueError as exc:
            raise SourceError("fred", series_id, "bad_response", str(exc)) from None
        return _non_empty(series, series_id)


def _http_status(exc: BaseException) -> int | None:
    """The HTTP status of the HTTPError fredapi was handling when it raised ``exc``, if any."""
    context = exc.__context__
    return context.code if isinstance(context, urllib.error.HTTPError) else None


def _non_empty(series: pd.Series, series_id: str) -> pd.Series:
    if series.empty:
        raise SourceError("fred", series_id, "empty")
    return series
