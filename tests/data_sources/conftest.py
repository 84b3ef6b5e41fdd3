"""Fixtures for the data-layer tests: offline guards, fake transports, shared checks.

Every test here runs with no FRED key, no DASH_* variables, fresh yfinance state and a socket
guard that records (and refuses) any connection attempt; a test fails if one was made.
"""

from __future__ import annotations

import csv
import io
import logging
import socket
import traceback
from pathlib import Path

import fredapi.fred
import pytest
import yfinance as yf
import yfinance.base
from yfinance.data import YfData

import data_sources.fred
from data_sources.cache import LiveUpstream, SeriesStore
from data_sources.catalogue import SeriesSpec, spec_for
from data_sources.errors import SourceError
from data_sources.fred import FredClient, RateLimiter
from data_sources.yahoo import fetch_history
from tests.conftest import SNAPSHOT_AS_OF
from tests.fakes import FakeFredApi, FakeFredGraph, FakeYahooSession, chart_body

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
    """No key, no DASH_* settings, fresh yfinance state, and no socket may be opened."""
    for name in ("FRED_API_KEY", "DASH_SNAPSHOT", "DASH_CACHE_DIR"):
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
