"""Shares outstanding of a few companies, for approximate market-cap weights.

Where the counts come from, first match wins:

1. ``DASH_SHARES=<path>``: a tidy CSV ``symbol,date,shares[,source_file]`` (the layout of
   ``../shared/data/shares/shares_outstanding.csv``). For offline runs on a snapshot that
   has no ``shares/`` folder.
2. ``DASH_SNAPSHOT=<dir>``: ``<dir>/shares/shares_outstanding.csv`` in the same layout, if
   present. Snapshot mode never opens a socket, so without the file there are no counts.
3. Live: yfinance ``Ticker.get_shares_full(start=...)`` per symbol, cached on disk like any
   series (one CSV per symbol under the cache folder, refreshed after ``SHARES_TTL_S``; a
   failed refresh serves the old copy; failures and empty answers are never written). A
   ``DASH_READ_ONLY`` replica only reads that cache (any age) and never calls Yahoo; the
   ``refresh`` command fills it.

Counts are as reported (not split-adjusted; ``analytics.decomposition`` adjusts them).
Nothing here raises to the caller: a failure is a ``ShareCounts`` whose ``available`` is
False and whose ``problem`` says what is missing and what to set.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import io
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yfinance as yf

from data_sources import storage
from data_sources.cache import HOUR_S, default_cache_dir, read_only_from_env, safe_name
from data_sources.errors import SourceError
from data_sources.yahoo import call_yahoo

SHARES_ENV = "DASH_SHARES"
SNAPSHOT_ENV = "DASH_SNAPSHOT"
SNAPSHOT_SHARES_FILE = Path("shares") / "shares_outstanding.csv"
SNAPSHOT_FILE_LABEL = "snapshot shares file"
SHARES_COLUMNS = ("symbol", "date", "shares")
SHARES_TTL_S = 24 * HOUR_S  # counts change once a quarter; a day old is fresh enough
LIVE_HISTORY_START = "2018-01-01"  # Yahoo's share history rarely reaches further back
LIVE_TIMEOUT_S = 20.0  # the whole batch of symbols, fetched in parallel
LIVE_WORKERS = 4
LIVE_SOURCE = "Yahoo Finance (shares outstanding)"
CACHE_FOLDER = ("live", "shares")
READ_ONLY_MISSING = "not in the shared store yet (this replica never calls Yahoo; run the refresh job)"
FETCHED_AT_COLUMN = "fetched_at"


@dataclass(frozen=True)
class ShareCounts:
    """Tidy share counts (``symbol``, ``date``, ``shares``) and where they came from.

    ``available`` is True only when every requested symbol has at least one count.
    ``problem`` is a short sentence for the page when it is not (what failed, what to set).
    """

    frame: pd.DataFrame
    source: str
    missing: tuple[str, ...] = field(default=())
    problem: str | None = None

    @property
    def available(self) -> bool:
        return not self.frame.empty and not self.missing and self.problem is None

    @property
    def last_date(self) -> dt.date | None:
        """The most recent count date across all symbols (None when empty)."""
        return None if self.frame.empty else self.frame["date"].max().date()


def empty_frame() -> pd.DataFrame:
    """The documented layout with no rows."""
    return pd.DataFrame({
        "symbol": pd.Series(dtype=str),
        "date": pd.Series(dtype="datetime64[ns]"),
        "shares": pd.Series(dtype=float),
    })


def parse_shares_csv(path: Path, symbols: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Read a tidy share-count CSV into (symbol, date, shares), sorted by symbol and date.

    Extra columns (``source_file``) are dropped; rows with a blank date or count are
    dropped; symbols are upper-cased; ``symbols`` (if given) keeps only those. Raises
    ``ValueError`` when a required column is missing.
    """
    raw = pd.read_csv(path, dtype={"symbol": str})
    absent = [c for c in SHARES_COLUMNS if c not in raw.columns]
    if absent:
        raise ValueError(f"missing column(s) {', '.join(absent)}")
    return _tidy(raw, symbols)


def _tidy(raw: pd.DataFrame, symbols: tuple[str, ...] | None) -> pd.DataFrame:
    frame = raw.loc[:, list(SHARES_COLUMNS)].copy()
    frame["symbol"] = frame["symbol"].str.strip().str.upper()
    frame["date"] = pd.to_datetime(frame["date"], errors="coerce").astype("datetime64[ns]")
    frame["shares"] = pd.to_numeric(frame["shares"], errors="coerce").astype(float)
    frame = frame.dropna()
    if symbols is not None:
        frame = frame[frame["symbol"].isin([s.upper() for s in symbols])]
    return frame.sort_values(["symbol", "date"]).reset_index(drop=True)


def counts_file() -> tuple[Path, str] | None:
    """The file the counts come from and what to call it (``DASH_SHARES``, else the snapshot's
    shares file, which may be absent), or None when they come live from Yahoo."""
    explicit = os.environ.get(SHARES_ENV, "").strip()
    if explicit:
        return Path(explicit), f"{SHARES_ENV} file"
    snapshot = os.environ.get(SNAPSHOT_ENV, "").strip()
    return (Path(snapshot) / SNAPSHOT_SHARES_FILE, SNAPSHOT_FILE_LABEL) if snapshot else None


def load_share_counts(symbols, session=None, cache_dir: Path | None = None, clock=time.time,
                      read_only: bool | None = None) -> ShareCounts:
    """Share counts for ``symbols`` (Yahoo spelling, e.g. "AAPL") from the first source that
    applies (see the module docstring). ``read_only`` (default: ``DASH_READ_ONLY``) never
    calls Yahoo. Never raises; see ``ShareCounts``."""
    wanted = tuple(s.upper() for s in symbols)
    source = counts_file()
    if source is None:
        read_only = read_only_from_env() if read_only is None else read_only
        return _live(wanted, session, storage.as_location(cache_dir or default_cache_dir()), clock, read_only)
    path, what = source
    if what == SNAPSHOT_FILE_LABEL and not path.is_file():
        return ShareCounts(
            empty_frame(), "snapshot", wanted,
            f"The snapshot folder has no {SNAPSHOT_SHARES_FILE.as_posix()} and {SHARES_ENV} is not set.",
        )
    return _from_file(path, wanted, what)


def _from_file(path: Path, wanted: tuple[str, ...], what: str) -> ShareCounts:
    try:
        frame = parse_shares_csv(path, wanted)
    except (OSError, ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        return ShareCounts(empty_frame(), what, wanted,
                           f"Could not read the {what} ({path.name}): {type(exc).__name__}.")
    return _checked(frame, wanted, f"{what} {path.name}")


def _checked(frame: pd.DataFrame, wanted: tuple[str, ...], source: str, detail: str = "") -> ShareCounts:
    missing = tuple(s for s in wanted if s not in set(frame["symbol"]))
    problem = None
    if missing:
        problem = f"No share counts for {', '.join(missing)} ({source}{detail})."
    return ShareCounts(frame, source, missing, problem)


# -- live: yfinance, cached on disk --------------------------------------------------------


def fetch_shares(symbol: str, session=None) -> pd.DataFrame:
    """Query Yahoo for one symbol's share-count history; tidy frame or ``SourceError``."""
    ticker = yf.Ticker(symbol, session=session)
    counts = call_yahoo(symbol, lambda: ticker.get_shares_full(start=LIVE_HISTORY_START), LIVE_TIMEOUT_S)
    if counts is None or len(counts) == 0:
        raise SourceError("yahoo", symbol, "empty")
    index = pd.DatetimeIndex(counts.index)
    days = (index.tz_localize(None) if index.tz is not None else index).normalize()
    raw = pd.DataFrame({"symbol": symbol, "date": days, "shares": pd.to_numeric(counts.to_numpy(), errors="coerce")})
    # Yahoo sends several counts on some days; the last one of a day is the latest word.
    frame = _tidy(raw.drop_duplicates("date", keep="last"), (symbol,))
    if frame.empty:
        raise SourceError("yahoo", symbol, "empty")
    return frame


def _cache_path(cache_dir: storage.Location, symbol: str) -> storage.Location:
    return storage.join(cache_dir, *CACHE_FOLDER, f"{safe_name(symbol)}.csv")


def _read_cached(path: storage.Location, symbol: str) -> tuple[pd.DataFrame, float] | None:
    """The cached counts and when they were fetched (kept in the file), or None."""
    try:
        data = storage.read_bytes(path)
        if data is None:
            return None
        frame = pd.read_csv(io.BytesIO(data))
        fetched_at = float(frame.pop(FETCHED_AT_COLUMN).iloc[0])
        frame = _tidy(frame, (symbol,))
    except (OSError, ValueError, KeyError, IndexError, pd.errors.ParserError, UnicodeDecodeError):
        return None  # an unreadable copy is a cache miss, never a crash
    return (frame, fetched_at) if not frame.empty else None


def _write_cached(path: storage.Location, frame: pd.DataFrame, fetched_at: float) -> None:
    stamped = frame.assign(**{FETCHED_AT_COLUMN: fetched_at})
    storage.write_atomic(path, stamped.to_csv(index=False, date_format="%Y-%m-%d").encode())


def _live(wanted: tuple[str, ...], session, cache_dir: storage.Location, clock, read_only: bool) -> ShareCounts:
    frames: dict[str, pd.DataFrame] = {}
    to_fetch: dict[str, tuple[pd.DataFrame, float] | None] = {}
    for symbol in wanted:
        cached = _read_cached(_cache_path(cache_dir, symbol), symbol)
        if cached is not None and (read_only or clock() - cached[1] < SHARES_TTL_S):
            frames[symbol] = cached[0]
        else:
            to_fetch[symbol] = cached
    failures: dict[str, str] = {}
    if read_only:
        failures = {symbol: READ_ONLY_MISSING for symbol in to_fetch}
    elif to_fetch:
        pool = cf.ThreadPoolExecutor(max_workers=LIVE_WORKERS, thread_name_prefix="shares-fetch")
        futures = {symbol: pool.submit(fetch_shares, symbol, session) for symbol in to_fetch}
        done, _ = cf.wait(futures.values(), timeout=LIVE_TIMEOUT_S)
        pool.shutdown(wait=False, cancel_futures=True)
        for symbol, future in futures.items():
            error = _failure(future, done, symbol)
            if error is None:
                frames[symbol] = future.result()
                _write_cached(_cache_path(cache_dir, symbol), frames[symbol], clock())
            elif to_fetch[symbol] is not None:
                frames[symbol] = to_fetch[symbol][0]  # the old copy beats none
            else:
                failures[symbol] = error
    frame = pd.concat([frames[s] for s in wanted if s in frames]) if frames else empty_frame()
    frame = frame.sort_values(["symbol", "date"]).reset_index(drop=True)
    kinds = sorted(set(failures.values()))
    detail = f": {', '.join(kinds)}" if kinds else ""
    return _checked(frame, wanted, LIVE_SOURCE, detail)


def _failure(future: cf.Future, done, symbol: str) -> str | None:
    """None if the fetch succeeded, else the kind of failure (timeout, network, ...)."""
    if future not in done:
        return "timeout"
    error = future.exception()
    if error is None:
        return None
    return error.kind if isinstance(error, SourceError) else "bad_response"
