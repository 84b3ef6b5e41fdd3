"""Yahoo provider: real chart bodies through real yfinance, faults injected at the session."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd
import pytest

from data_sources import yahoo
from data_sources.contract import check_contract
from tests.data_sources.conftest import DAILY_CHART_BODIES, FAST_TIMEOUT_S, expect_failure, real_chart, real_history
from tools.fakes import FakeYahooSession, chart_body

HTML_PAGE = b"<!DOCTYPE html><html><head><title>Yahoo</title></head><body>Will be right back</body></html>"


def adjusted_closes(body: bytes) -> list[float]:
    """The non-null adjusted closes in a chart body, read straight from its JSON."""
    result = json.loads(body)["chart"]["result"][0]
    return [v for v in result["indicators"]["adjclose"][0]["adjclose"] if v is not None]


def close_of(symbol: str, answer, **kwargs) -> pd.Series:
    return yahoo.fetch_close(symbol, "k", session=FakeYahooSession({symbol: answer}), **kwargs)


@pytest.mark.parametrize("symbol", sorted(DAILY_CHART_BODIES))
def test_real_chart_bodies_honour_the_contract_with_adjusted_close(symbol):
    body = real_chart(symbol)
    out = close_of(symbol, body)
    assert check_contract(out) == []
    assert out.name == "k"
    expected = adjusted_closes(body)  # auto_adjust=True: Close is Yahoo's adjusted close
    np.testing.assert_allclose(out.to_numpy(), expected, rtol=1e-12)


def test_intraday_body_collapses_to_one_row_per_date():
    out = close_of("^TNX", chart_body("TNX_5m_1d_2026-02-02.json"))
    assert check_contract(out) == []
    assert list(out.index) == [pd.Timestamp("2026-02-02")]


@pytest.mark.parametrize(
    ("charts", "crumb_status", "kind"),
    [
        ({"SPY": 429}, 200, "rate_limited"),
        ({}, 200, "not_found"),  # Yahoo's real 404 body for an unknown symbol
        ({"SPY": HTML_PAGE}, 200, "bad_response"),
        ({"SPY": b"\x00\x01garbage{"}, 200, "bad_response"),
        ({"SPY": real_chart("QQQ")[:200]}, 200, "bad_response"),  # truncated JSON
    ],
    ids=["chart-429", "unknown-symbol", "html", "garbage", "truncated"],
)
def test_faults_become_typed_errors_naming_the_source(charts, crumb_status, kind):
    session = FakeYahooSession(charts, crumb_status=crumb_status)
    exc = expect_failure(yahoo.fetch_close, "SPY", "spy", session=session)
    assert exc.kind == kind
    assert exc.source == "yahoo" and exc.source_id == "SPY"
    assert "Yahoo Finance" in str(exc) and "(SPY)" in str(exc)


def test_throttled_crumb_alone_still_loads():
    # yfinance goes on without a crumb when only the crumb endpoint says 429.
    session = FakeYahooSession({"QQQ": real_chart("QQQ")}, crumb_status=429)
    assert check_contract(yahoo.fetch_close("QQQ", "qqq", session=session)) == []


def test_rate_limit_message_is_the_banner_text():
    exc = expect_failure(close_of, "SPY", 429)
    assert "Yahoo Finance is throttling requests, try again later" in exc.message


def test_empty_history_is_a_failure_not_data():
    # A real recorded body with no bars at all: yfinance yields an empty frame.
    body = chart_body("chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m.json")
    exc = expect_failure(close_of, "AAPL", body)
    assert exc.kind in ("empty", "not_found")


def test_hang_is_cut_by_our_timeout():
    started = time.monotonic()
    exc = expect_failure(close_of, "SPY", "hang", timeout=FAST_TIMEOUT_S)
    elapsed = time.monotonic() - started
    assert elapsed < FAST_TIMEOUT_S + 1.5, f"took {elapsed:.1f} s: yfinance's own timeouts won"
    assert exc.kind == "timeout" and "0.5 s" in exc.message


# -- extract_close on real frames -------------------------------------------------------------


def test_all_nan_close_is_a_failure():
    history = real_history("MSFT")
    history["Close"] = np.nan
    assert expect_failure(yahoo.extract_close, history, "MSFT", "msft").kind == "empty"


def test_empty_frame_is_a_failure():
    history = real_history("MSFT").iloc[0:0]
    assert expect_failure(yahoo.extract_close, history, "MSFT", "msft").kind == "empty"


def test_missing_close_column_is_a_clear_error():
    history = real_history("MSFT").drop(columns="Close")
    exc = expect_failure(yahoo.extract_close, history, "MSFT", "msft")
    assert exc.kind == "bad_response" and "Close" in exc.message and "MSFT" in exc.message


@pytest.mark.parametrize("price_level", [0, 1], ids=["price-ticker", "ticker-price"])
def test_multi_level_columns_extract_the_same_close(price_level):
    history = real_history("NVDA")
    single = yahoo.extract_close(history, "NVDA", "nvda")
    multi = pd.concat({"NVDA": history}, axis=1)  # (Ticker, Price)
    if price_level == 0:
        multi = multi.swaplevel(axis=1)  # (Price, Ticker): yf.download's layout
    pd.testing.assert_series_equal(yahoo.extract_close(multi, "NVDA", "nvda"), single, check_exact=True)


def test_multi_level_without_close_is_a_clear_error():
    history = pd.concat({"NVDA": real_history("NVDA").drop(columns="Close")}, axis=1)
    assert expect_failure(yahoo.extract_close, history, "NVDA", "nvda").kind == "bad_response"

