"""Fixtures for the data-layer tests: offline guards, fake transports, shared checks.

Every test here runs with no FRED key, no DASH_* variables, fresh yfinance state and a socket
guard that records (and refuses) any connection attempt; a test fails if one was made.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urlparse

import fredapi.fred
import pytest
import yfinance as yf
import yfinance.base
from curl_cffi import requests as curl_requests
from yfinance.data import YfData

import data_sources.fred
from data_sources.cache import LiveUpstream, SeriesStore
from data_sources.catalogue import SeriesSpec, spec_for
from data_sources.errors import SourceError
from data_sources.fred import FredClient, RateLimiter
from data_sources.yahoo import fetch_history
from tests.conftest import SHARED_DATA, SNAPSHOT_AS_OF, SNAPSHOT_DIR
from tools.fakes import FakeFredApi, FakeFredGraph, FakeYahooSession, chart_body

FAKE_FRED_KEY = "abcdef1234567890abcdef1234567890"
FAST_TIMEOUT_S = 0.5
DAILY_CHART_BODIES = {
    "AAPL": "chart-AAPL-2020-08-31-to-2020-11-07.json",
    "BTC-USD": "chart-BTC-USD-2020-01-01-to-2020-01-03.json",
    "GC=F": "chart-GC=F-2020-01-01-to-2020-01-03.json",
    "QQQ": "chart-QQQ-2020-01-01-to-2020-01-03.json",
    "MSFT": "historical-via-chart-MSFT-dividends-2021-02-01-to-2022-01-31.csv.json",
    "NVDA": "historical-via-chart-NVDA-split-2021-02-01-to-2022-01-31.csv.json",
}
MISSING_MARKS = ("", ".")
SHARES_CSV = SHARED_DATA / "shares" / "shares_outstanding.csv"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MOTO_START_TIMEOUT_S = 30.0
_REAL_CONNECT = socket.socket.connect  # before any test patches them
_REAL_CREATE_CONNECTION = socket.create_connection


def at_once(count: int, call) -> list:
    """``call()`` from ``count`` threads released together; their results, in finishing order."""
    start, results = threading.Barrier(count), []

    def caller():
        start.wait()
        results.append(call())

    threads = [threading.Thread(target=caller) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def spec(key: str) -> SeriesSpec:
    """The catalogue row for ``key`` on the snapshot's date."""
    return spec_for(key, SNAPSHOT_AS_OF)


def real_chart(symbol: str) -> bytes:
    """The real recorded daily chart body for ``symbol`` (one of DAILY_CHART_BODIES)."""
    return chart_body(DAILY_CHART_BODIES[symbol])


def real_history(symbol: str):
    """yfinance's own history frame (tz-aware index) for a real recorded chart body."""
    return fetch_history(symbol, session=FakeYahooSession({symbol: real_chart(symbol)}))


def observed_rows(body: bytes | Path, column: int) -> list[tuple[str, str]]:
    """(date, value) rows whose ``column`` is neither blank nor "." — read with the csv module,
    independently of the parsers under test."""
    data = body.read_bytes() if isinstance(body, Path) else body
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
    return [(r[0], r[column]) for r in rows if r and r[column].strip() not in MISSING_MARKS]


def fast_fred_client(**overrides) -> FredClient:
    """A FredClient with a small timeout, millisecond backoff and a fast limiter."""
    options = {"timeout": FAST_TIMEOUT_S, "backoff": (0.01, 0.02), "limiter": RateLimiter(1000)}
    return FredClient(**{**options, **overrides})


def live_store(tmp_path: Path, yahoo_session=None, fred: FredClient | None = None, clock=None) -> SeriesStore:
    """A store over the live upstream whose transports are the fakes, caching in tmp_path."""
    upstream = LiveUpstream(yahoo_session=yahoo_session or FakeYahooSession(), fred=fred or fast_fred_client())
    return SeriesStore(upstream, tmp_path / "cache", **({"clock": clock} if clock else {}))


def expect_failure(fetch, *args, **kwargs) -> SourceError:
    """Call ``fetch`` and return the SourceError it must raise."""
    with pytest.raises(SourceError) as info:
        fetch(*args, **kwargs)
    return info.value


def assert_key_absent(key: str, exc: BaseException | None, caplog, *others) -> None:
    """The FRED key is in no exception text (str, repr, traceback), log line or other text."""
    texts = [caplog.text, *map(repr, others)]
    if exc is not None:
        texts += [str(exc), repr(exc), "".join(traceback.format_exception(exc))]
    for text in texts:
        assert key not in text, f"FRED key leaked into: {text[:200]}"


class FakeClock:
    """A settable clock for the store (seconds since the epoch)."""

    def __init__(self, now: float = 1_787_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path):
    """No FRED key, no SEC User-Agent, no DASH_* settings, fresh yfinance state, and no socket
    may be opened."""
    for name in ("FRED_API_KEY", "SEC_USER_AGENT", "DASH_SNAPSHOT", "DASH_CACHE_DIR", "DASH_SHARES", "DASH_READ_ONLY"):
        monkeypatch.delenv(name, raising=False)
    YfData._instances.clear()
    YfData.cache_get.cache_clear()
    yf.set_tz_cache_location(str(tmp_path / "yf-tz"))
    monkeypatch.setattr(yfinance.base, "_tz_info_fetch_ctr", 2)
    attempts: list = []

    def refuse(*args, **kwargs):
        attempts.append(args[1:] or args)
        raise OSError("network is off in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts
    YfData._instances.clear()
    assert not attempts, f"a test tried to open a socket: {attempts}"


@pytest.fixture
def loopback(monkeypatch, offline) -> list:
    """Connections to this machine allowed (a local S3 server, a closed local port), and
    listed in the returned list as (host, port); any other address is still refused."""
    local: list = []

    def allowed(address) -> bool:
        if isinstance(address, tuple) and address[0] in LOOPBACK:
            local.append(address[:2])
            return True
        offline.append(address)
        return False

    def connect(sock, address, *args):
        if not allowed(address):
            raise OSError("network is off in tests")
        return _REAL_CONNECT(sock, address)

    def create_connection(address, *args, **kwargs):
        if not allowed(address):
            raise OSError("network is off in tests")
        return _REAL_CREATE_CONNECTION(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return local


@pytest.fixture
def socket_attempts(offline) -> list:
    """Every connection attempt made so far in this test (the guard refuses them all)."""
    return offline


@pytest.fixture
def fred_key(monkeypatch, caplog) -> str:
    """FRED_API_KEY set to a fake key; every log record is captured to look for it."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("FRED_API_KEY", FAKE_FRED_KEY)
    return FAKE_FRED_KEY


def _installed(monkeypatch, module, name: str, fake):
    """Put ``fake`` in place of ``module.name`` for one test; end its hangs afterwards."""
    monkeypatch.setattr(module, name, fake)
    yield fake
    fake.release()


@pytest.fixture
def fred_api(monkeypatch):
    """fredapi's ``urlopen`` replaced by a fake answering FRED's web API."""
    yield from _installed(monkeypatch, fredapi.fred, "urlopen", FakeFredApi())


@pytest.fixture
def fredgraph(monkeypatch):
    """The keyless fredgraph.csv transport replaced by a fake."""
    yield from _installed(monkeypatch, data_sources.fred, "_http_get", FakeFredGraph())


# -- snapshot copies ------------------------------------------------------------------------


def snapshot_copy(target: Path, without: tuple[str, ...] = (), copied: tuple[str, ...] = ()) -> Path:
    """A private snapshot folder at ``target``: symlinks to the shared snapshot's files, except
    those under the relative paths in ``without`` (left out) and ``copied`` (real copies, free
    to change)."""
    for path in SNAPSHOT_DIR.rglob("*"):
        relative = path.relative_to(SNAPSHOT_DIR)
        if not path.is_file() or any(relative.is_relative_to(w) for w in without):
            continue
        link = target / relative
        link.parent.mkdir(parents=True, exist_ok=True)
        if any(relative.is_relative_to(c) for c in copied):
            link.write_bytes(path.read_bytes())
        else:
            link.symlink_to(path)
    return target


def share_rows(symbol: str) -> list[dict]:
    """The real share-count rows of ``symbol`` in ../shared/data, read with the csv module."""
    with open(SHARES_CSV, newline="") as handle:
        return [r for r in csv.DictReader(handle) if r["symbol"] == symbol]


# -- Yahoo's share-count endpoint -----------------------------------------------------------


def timeseries_body(rows: list[dict]) -> bytes:
    """Yahoo's fundamentals-timeseries body (the one ``Ticker.get_shares_full`` reads) holding
    ``rows`` (date, shares): each count stamped at midnight UTC of its date."""
    stamps = [int(dt.datetime.fromisoformat(r["date"]).replace(tzinfo=dt.timezone.utc).timestamp()) for r in rows]
    result = {"timestamp": stamps, "shares_out": [int(r["shares"]) for r in rows]}
    return json.dumps({"timeseries": {"result": [result], "error": None}}).encode()


class FakeYahooSharesSession(FakeYahooSession):
    """``FakeYahooSession`` that also answers yfinance's share-count endpoint:
    ``timeseries`` maps a symbol to a body (bytes) or an HTTP status (int). The time-zone
    lookup before it needs a chart body for the symbol (``charts``)."""

    def __init__(self, timeseries: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.timeseries = dict(timeseries or {})

    def request(self, method, url, params=None, **kwargs):
        path = urlparse(url).path
        if "/fundamentals-timeseries/" not in path:
            return super().request(method, url, params=params, **kwargs)
        symbol = unquote(path.rsplit("/", 1)[-1])
        self._count("shares", symbol)
        answer = self.timeseries.get(symbol, 429)
        response = curl_requests.Response()
        response.url, response.status_code = url, 200 if isinstance(answer, bytes) else answer
        response.ok = response.status_code == 200
        response.reason = "OK" if response.ok else "Error"
        response.content = answer if isinstance(answer, bytes) else b"Too Many Requests"
        return response


# -- a local S3 server ----------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on (bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def moto_endpoint(tmp_path_factory):
    """A moto S3 server (the real S3 API on loopback) for the whole session: its URL."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("moto") / "moto.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + MOTO_START_TIMEOUT_S
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}/", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield endpoint
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()


def make_bucket(endpoint: str, bucket: str) -> None:
    """Create ``bucket`` on the S3 server at ``endpoint``."""
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/{bucket}", method="PUT"), timeout=5)


def aws_env(endpoint: str) -> dict[str, str]:
    """AWS settings pointing boto at ``endpoint`` with dummy credentials."""
    return {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": endpoint,
    }


def with_aws(monkeypatch, endpoint: str) -> None:
    """This test's S3 clients talk to ``endpoint`` (fresh clients: fsspec caches them)."""
    import s3fs

    for name, value in aws_env(endpoint).items():
        monkeypatch.setenv(name, value)
    s3fs.S3FileSystem.clear_instance_cache()
