"""FRED provider: fredapi when ``FRED_API_KEY`` is set, FRED's keyless fredgraph.csv otherwise.

With a key it also reads ALFRED (each observation's first-release value and date) and FRED's
release calendars (``release/dates``); neither has a keyless form.

Every request has a timeout, all requests share one ~2 requests/s limiter, throttling and
server errors are retried a bounded number of times, and the API key never appears in a
message, a log line or an exception (fredapi puts it in every URL, so no URL is logged and
no library exception is chained).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import fredapi
import pandas as pd

from data_sources.contract import DATE_UNIT, to_contract
from data_sources.deadline import RateLimiter
from data_sources.deadline import call_with_deadline as _call_with_deadline
from data_sources.errors import SourceError, scrub
from data_sources.parsing import EmptyTable, parse_fredgraph_csv

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S = 15.0
REQUESTS_PER_SECOND = 2.0
BACKOFF_S = (1.0, 3.0)  # waits before the 2nd and 3rd attempt on 429 / 5xx
FREDGRAPH_URL = "https://fred.stlouisfed.org/graph/fredgraph.csv?id={series_id}"
RELEASE_DATES_URL = "https://api.stlouisfed.org/fred/release/dates?"
RETRYABLE = ("rate_limited", "server_error")
# Details of the "auth" failure of a keyed-only call made without a usable key (the message
# reads "FRED rejected the API key (<id>): <detail>").
NO_KEY = "none is set, and first releases (ALFRED) and release dates need a FRED API key"
KEY_REJECTED = "it was refused earlier in this session; first releases and release dates need a valid one"


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

    ``key_rejected`` turns true after FRED refuses the key (HTTP 400/403) on any keyed call;
    from then on series come from the keyless download, the keyed-only calls
    (``first_releases``, ``release_dates``) fail with kind "auth", and the UI can say so.
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
                return self._with_key(series_id, self._fetch_api, series_id, name)
            except SourceError as exc:
                if exc.kind != "auth":
                    raise
        return self._with_retries(self._fetch_csv, series_id, name)

    def first_releases(self, series_id: str) -> pd.DataFrame:
        """Each observation as first published, from ALFRED (all vintages of ``series_id``).

        Returns a frame indexed by observation date (tz-naive, ascending, unique
        ``DatetimeIndex`` named ``date``) with columns ``value`` (float64, the first published
        value, in the series' own units) and ``published`` (datetime64, tz-naive: the day
        that value became public, its ALFRED ``realtime_start``); the ``value`` column is a
        contract series once named by the caller's catalogue key.

        Missing values (".") are dropped before the earliest vintage is picked, so an
        observation first published as missing is dated by the vintage that filled it.
        Observations older than the series' first ALFRED vintage carry that vintage's date
        and value (ALFRED knows nothing earlier).

        Needs a key: without one, or once FRED has refused it, raises ``SourceError`` kind
        "auth" without a request. Other failures: the kinds ``fetch`` raises.
        """
        return self._with_key(series_id, self._fetch_first_releases, series_id)

    def release_dates(self, release_id: int) -> list[dt.date]:
        """The days FRED lists for release ``release_id`` (``release/dates``), ascending and
        without repeats: past releases and the scheduled future ones (dates with no data yet
        included). Failures are ``SourceError``s with source id "release <id>"; the key is
        required as for ``first_releases``.
        """
        return self._with_key(_release_label(release_id), self._fetch_release_dates, release_id)

    def _with_key(self, source_id: str, attempt, *args):
        """``attempt(*args)`` with retries, for calls that need the key; FRED refusing the key
        sets ``key_rejected``. Without a usable key: ``SourceError`` kind "auth", no request."""
        if not self.api_key or self.key_rejected:
            raise SourceError("fred", source_id, "auth", KEY_REJECTED if self.key_rejected else NO_KEY)
        try:
            return self._with_retries(attempt, *args)
        except SourceError as exc:
            if exc.kind == "auth":
                self.key_rejected = True
                log.warning("FRED rejected the API key; using the keyless download from now on")
            raise

    def _with_retries(self, attempt, *args):
        """``attempt(*args)`` through the shared limiter, retried after ``backoff`` waits while
        it fails with a retryable kind (429, 5xx); the last failure is raised."""
        for wait in (0.0, *self.backoff):
            time.sleep(wait)
            self.limiter.acquire()
            try:
                return attempt(*args)
            except SourceError as exc:
                if exc.kind not in RETRYABLE:
                    raise
                last = exc
        raise last

    def _guarded(self, source_id: str, call):
        """``call()`` under our deadline; whatever the wire or fredapi raises becomes a
        ``SourceError`` for ``source_id``: scrubbed of the key and never chained (fredapi's and
        urllib's exceptions carry the URL, and the URL carries the key)."""
        try:
            return _call_with_deadline(call, self.timeout)
        except TimeoutError:
            raise SourceError("fred", source_id, "timeout", f"no answer within {self.timeout:g} s") from None
        except urllib.error.HTTPError as exc:  # urllib called directly: FRED's error is JSON
            message = _json_error_message(exc)
            if message is None:
                raise _status_error(source_id, exc.code) from None
            raise _api_error(source_id, scrub(message), exc.code) from None
        except ValueError as exc:  # fredapi turns FRED's XML error into ValueError(<message>)
            raise _api_error(source_id, scrub(exc), _http_status(exc)) from None
        except ET.ParseError as exc:  # fredapi parses every body as XML, error pages too
            status = _http_status(exc)
            if status is None:
                raise SourceError("fred", source_id, "bad_response", "not XML") from None
            raise _status_error(source_id, status) from None
        except (urllib.error.URLError, OSError) as exc:
            raise SourceError("fred", source_id, "network", type(exc).__name__) from None

    def _fetch_api(self, series_id: str, name: str) -> pd.Series:
        key = self.api_key
        values = self._guarded(series_id, lambda: fredapi.Fred(api_key=key).get_series(series_id))
        return _non_empty(to_contract(values, name), series_id)

    def _fetch_first_releases(self, series_id: str) -> pd.DataFrame:
        key = self.api_key
        releases = self._guarded(series_id, lambda: fredapi.Fred(api_key=key).get_series_all_releases(series_id))
        return _non_empty(_earliest_releases(_non_empty(releases, series_id)), series_id)

    def _fetch_release_dates(self, release_id: int) -> list[dt.date]:
        source_id = _release_label(release_id)
        url = _release_dates_url(release_id, self.api_key)
        body = self._guarded(source_id, lambda: _read_url(url, self.timeout))
        try:
            dates = _parse_release_dates(body)
        except (ValueError, KeyError, TypeError):
            raise SourceError("fred", source_id, "bad_response", "not FRED's release dates JSON") from None
        return _non_empty(dates, source_id)

    def _fetch_csv(self, series_id: str, name: str) -> pd.Series:
        url = FREDGRAPH_URL.format(series_id=series_id)
        try:
            status, body = _http_get(url, self.timeout)
        except (socket.timeout, TimeoutError):
            raise SourceError("fred", series_id, "timeout", f"no answer within {self.timeout:g} s") from None
        except (urllib.error.URLError, OSError) as exc:
            raise SourceError("fred", series_id, "network", type(exc).__name__) from None
        if status != 200:
            raise _status_error(series_id, status)
        try:
            series = parse_fredgraph_csv(body, name)
        except EmptyTable as exc:
            raise SourceError("fred", series_id, "empty", str(exc)) from None
        except ValueError as exc:
            raise SourceError("fred", series_id, "bad_response", str(exc)) from None
        return _non_empty(series, series_id)


def _earliest_releases(releases: pd.DataFrame) -> pd.DataFrame:
    """fredapi's all-releases rows (object columns date, realtime_start, value) reduced to one
    row per observation date: the earliest vintage with a value. Columns ``value`` and
    ``published``, index ``date``, both dates tz-naive midnight in microseconds.

    fredapi reads "." as NaN, but its transposed frame can hold it as NaT (pandas 3): any
    missing marker is dropped before the values are read as numbers.
    """
    releases = releases[releases["value"].notna()]
    rows = pd.DataFrame(
        {
            "date": _midnights(releases["date"]),
            "published": _midnights(releases["realtime_start"]),
            "value": pd.to_numeric(releases["value"]).astype("float64"),
        }
    )
    rows = rows.sort_values(["date", "published"], kind="stable").drop_duplicates("date", keep="first")
    return rows.set_index("date")[["value", "published"]]


def _midnights(dates: pd.Series) -> pd.Series:
    """Date-likes as tz-naive midnight datetime64 in the contract's unit."""
    return pd.to_datetime(dates).dt.normalize().dt.as_unit(DATE_UNIT)


def _release_label(release_id: int) -> str:
    """How a release is named in errors (where a series id would be): "release 10"."""
    return f"release {release_id}"


def _release_dates_url(release_id: int, key: str) -> str:
    """FRED's ``release/dates`` request for one release, future (scheduled) dates included."""
    query = {
        "release_id": release_id,
        "api_key": key,
        "file_type": "json",
        "include_release_dates_with_no_data": "true",
        "sort_order": "asc",
        "limit": 10000,
    }
    return RELEASE_DATES_URL + urllib.parse.urlencode(query)


def _read_url(url: str, timeout: float) -> bytes:
    """GET ``url`` and return the body; HTTP errors and network failures raise (urllib's)."""
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def _parse_release_dates(body: bytes) -> list[dt.date]:
    """The ``date`` of every entry of a ``release/dates`` JSON body, ascending and unique.
    Raises ValueError, KeyError or TypeError when the body is not that JSON."""
    return sorted({dt.date.fromisoformat(entry["date"]) for entry in json.loads(body)["release_dates"]})


def _json_error_message(exc: urllib.error.HTTPError) -> str | None:
    """FRED's ``error_message`` from the JSON body of an HTTP error, or None when the body is
    not FRED's (a proxy's HTML page, nothing at all)."""
    try:
        return str(json.loads(exc.read())["error_message"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _api_error(source_id: str, message: str, status: int | None) -> SourceError:
    """The failure for FRED's own error ``message`` (already scrubbed), sent with ``status``."""
    kind = _api_error_kind(message, status)
    return SourceError("fred", source_id, kind, f"HTTP {status}" if kind == "server_error" else message)


def _status_error(source_id: str, status: int) -> SourceError:
    """The failure for an HTTP ``status`` whose body says nothing we can read."""
    return SourceError("fred", source_id, _status_kind(status), f"HTTP {status}")


def _http_status(exc: BaseException) -> int | None:
    """The HTTP status of the HTTPError fredapi was handling when it raised ``exc``, if any."""
    context = exc.__context__
    return context.code if isinstance(context, urllib.error.HTTPError) else None


def _non_empty(data, source_id: str):
    """``data`` (a series, frame or list) unchanged; ``SourceError`` kind "empty" if it has no rows."""
    if len(data) == 0:
        raise SourceError("fred", source_id, "empty")
    return data
