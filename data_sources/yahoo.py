"""Yahoo Finance provider over yfinance: query -> extract -> normalise, one symbol at a time.

Why not ``yf.download``: it runs exactly this per-symbol ``Ticker.history`` call in its own
threads, but keeps each symbol's error in a private context and only logs it, so a caller
cannot tell "throttled" from "unknown symbol" from "network down". The store fans symbols
out over its own bounded pool instead (``data_sources.cache``), which also gives one
request per series shared by concurrent callers.
"""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import yfinance as yf
from curl_cffi.requests import exceptions as curl_errors
from yfinance import exceptions as yf_errors

from data_sources.contract import to_contract
from data_sources.deadline import call_with_deadline
from data_sources.errors import SourceError

REQUEST_TIMEOUT_S = 10.0
HISTORY_PERIOD = "max"
SHARES_TIMEOUT_S = 20.0  # the share-count call first asks for the time zone: two requests
SHARES_HISTORY_START = "2018-01-01"  # Yahoo's share history rarely reaches further back

# Real exceptions instead of empty frames: the only way to tell failures apart.
yf.config.debug.hide_exceptions = False


def call_yahoo(symbol: str, request, timeout: float = REQUEST_TIMEOUT_S, source: str = "yahoo"):
    """Run ``request()`` (a yfinance call for ``symbol``) under our deadline, typing its failures.

    ``timeout`` bounds the whole call: yfinance passes a timeout to the data request only and
    uses its own 10-30 s for the cookie, crumb and time-zone requests before it.
    Raises ``SourceError`` of ``source`` ("yahoo" or "yahoo_shares") with kind rate_limited /
    not_found / timeout / network / bad_response.
    """
    try:
        return call_with_deadline(request, timeout)
    except yf_errors.YFRateLimitError as exc:
        raise SourceError(source, symbol, "rate_limited") from exc
    except yf_errors.YFTickerMissingError as exc:
        raise SourceError(source, symbol, "not_found") from exc
    except (curl_errors.Timeout, TimeoutError) as exc:
        raise SourceError(source, symbol, "timeout", f"no answer within {timeout:g} s") from exc
    except curl_errors.RequestException as exc:
        raise SourceError(source, symbol, "network", type(exc).__name__) from exc
    except sqlite3.Error as exc:  # yfinance's own time-zone cache on disk
        raise SourceError(source, symbol, "bad_response", f"yfinance cache: {type(exc).__name__}") from exc
    except (ValueError, KeyError, TypeError, IndexError, json.JSONDecodeError, yf_errors.YFException) as exc:
        raise SourceError(source, symbol, "bad_response", type(exc).__name__) from exc


def fetch_history(symbol: str, session=None, timeout: float = REQUEST_TIMEOUT_S) -> pd.DataFrame:
    """Query: the daily OHLCV history of ``symbol``, split- and dividend-adjusted.

    ``auto_adjust=True`` is passed explicitly (its default changed between releases).
    ``session`` is a ``curl_cffi.requests.Session`` (None = yfinance's own).
    Failures as in ``call_yahoo``.
    """
    ticker = yf.Ticker(symbol, session=session)
    return call_yahoo(
        symbol,
        lambda: ticker.history(period=HISTORY_PERIOD, interval="1d", auto_adjust=True, actions=False, timeout=timeout),
        timeout,
    )


def extract_close(history: pd.DataFrame, symbol: str, name: str, positive: bool = True) -> pd.Series:
    """Extract: the Close column, whether the frame has single- or multi-level columns.

    An empty frame, a missing Close column or an all-NaN Close is a failure
    (``SourceError`` kind "empty" or "bad_response"), never data. A Close <= 0 is a data
    error when ``positive`` (prices; not yields).
    """
    if history is None or history.empty:
        raise SourceError("yahoo", symbol, "empty")
    columns = history.columns
    if isinstance(columns, pd.MultiIndex):
        level = next((i for i in range(columns.nlevels) if "Close" in columns.get_level_values(i)), None)
        if level is None:
            raise SourceError("yahoo", symbol, "bad_response", "no Close column")
        close = history.xs("Close", axis=1, level=level)
        close = close.iloc[:, 0] if isinstance(close, pd.DataFrame) else close
    elif "Close" in columns:
        close = history["Close"]
    else:
        raise SourceError("yahoo", symbol, "bad_response", "no Close column")
    series = to_contract(close, name, positive=positive)
    if series.empty:
        raise SourceError("yahoo", symbol, "empty", "every Close is missing or a data error")
    return series


def fetch_close(symbol: str, name: str, session=None, timeout: float = REQUEST_TIMEOUT_S,
                positive: bool = True) -> pd.Series:
    """Query, extract and normalise one symbol's adjusted daily close (data contract)."""
    return extract_close(fetch_history(symbol, session=session, timeout=timeout), symbol, name, positive)


def fetch_shares(symbol: str, name: str, session=None, timeout: float = SHARES_TIMEOUT_S) -> pd.Series:
    """Shares outstanding of ``symbol`` since ``SHARES_HISTORY_START``, as reported (not
    split-adjusted), as the contract series ``name``: one count per date, the last of a day
    winning (Yahoo sends several on some days). Counts <= 0 are data errors.

    ``SourceError`` (source "yahoo_shares") as in ``call_yahoo``, or kind "empty".
    """
    ticker = yf.Ticker(symbol, session=session)
    counts = call_yahoo(
        symbol, lambda: ticker.get_shares_full(start=SHARES_HISTORY_START), timeout, source="yahoo_shares"
    )
    if counts is None or len(counts) == 0:
        raise SourceError("yahoo_shares", symbol, "empty")
    series = to_contract(counts, name, positive=True)
    if series.empty:
        raise SourceError("yahoo_shares", symbol, "empty", "every count is missing or not positive")
    return series
