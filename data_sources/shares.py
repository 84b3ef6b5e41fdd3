"""The tidy share-count file: one CSV for every company, ``symbol,date,shares[,source_file]``.

A snapshot keeps the mega caps' shares outstanding in ``shares/shares_outstanding.csv`` (the
layout of ``../shared/data/shares/shares_outstanding.csv``); ``DASH_SHARES=<path>`` names
another file of that layout for a snapshot recorded without counts. Each company's rows are
one catalogue series (``aapl_shares``...): shares outstanding on the date of each count, as
reported (not split-adjusted; ``analytics.decomposition`` adjusts them). Live, the same
series come from Yahoo (``yahoo.fetch_shares``) through the series store.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from pathlib import Path

import pandas as pd

from data_sources.contract import to_contract
from data_sources.errors import SourceError
from data_sources.parsing import iso_dates

SHARES_ENV = "DASH_SHARES"
SHARES_FILE = Path("shares") / "shares_outstanding.csv"  # inside a snapshot folder
SHARES_COLUMNS = ("symbol", "date", "shares")


def parse_shares_csv(body: bytes | str, latest: dt.date | None = None) -> dict[str, pd.Series]:
    """Each symbol's counts in a tidy share-count CSV, as contract series named by symbol.

    Symbols are upper-cased; extra columns (``source_file``) are ignored; a blank count is
    missing; a count <= 0, not a number, or dated after ``latest`` is a data error
    (``contract.dropped_rows``). Several counts on one date: the last in the file wins.
    Raises ValueError when the body is not such a table.
    """
    try:
        raw = pd.read_csv(io.BytesIO(body) if isinstance(body, bytes) else io.StringIO(body),
                          dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise ValueError(f"not a share-count table ({type(exc).__name__})") from None
    absent = [c for c in SHARES_COLUMNS if c not in raw.columns]
    if absent:
        raise ValueError(f"not a share-count table (no {', '.join(absent)} column)")
    symbols = raw["symbol"].str.strip().str.upper()
    return {
        symbol: to_contract(pd.Series(rows["shares"].to_numpy(), index=rows["date"].to_numpy()), symbol,
                            positive=True, latest=latest)
        for symbol, rows in raw.groupby(symbols, sort=False)
        if symbol
    }


def shares_csv_text(counts: dict[str, pd.Series]) -> str:
    """The tidy CSV (``symbol,date,shares``) of each symbol's count series, symbols in order."""
    frames = [
        pd.DataFrame({"symbol": symbol, "date": iso_dates(series.index), "shares": series.to_numpy()})
        for symbol, series in counts.items()
    ]
    table = pd.concat(frames) if frames else pd.DataFrame(columns=list(SHARES_COLUMNS))
    return table.to_csv(index=False, lineterminator="\n")


class SharesFile:
    """One tidy share-count file, parsed once (on first use, thread-safely) and then served
    per symbol. ``label`` is how messages name it ("shares/shares_outstanding.csv")."""

    def __init__(self, path: Path, label: str, today=dt.date.today):
        self.path = Path(path)
        self.label = label
        self._today = today
        self._lock = threading.Lock()
        self._counts: dict[str, pd.Series] | None = None
        self._error: SourceError | None = None

    def series(self, symbol: str, name: str) -> pd.Series:
        """``symbol``'s counts as the contract series ``name``; ``SourceError`` (source
        "snapshot") with kind "missing" when the file or the symbol's rows are absent,
        "bad_response" when the file cannot be read, "empty" when every count was dropped."""
        counts = self._parsed(symbol)
        if symbol.upper() not in counts:
            raise SourceError("snapshot", symbol, "missing", f"has no {symbol} rows", file=self.label)
        series = counts[symbol.upper()]
        if series.empty:
            raise SourceError("snapshot", symbol, "empty", f"has no usable {symbol} counts", file=self.label)
        return series.rename(name)

    def _parsed(self, symbol: str) -> dict[str, pd.Series]:
        with self._lock:
            if self._counts is None and self._error is None:
                self._load(symbol)
        if self._error is not None:
            raise SourceError("snapshot", symbol, self._error.kind, self._error.detail, file=self.label)
        return self._counts

    def _load(self, symbol: str) -> None:
        if not self.path.is_file():
            self._error = SourceError("snapshot", symbol, "missing", file=self.label)
            return
        try:
            self._counts = parse_shares_csv(self.path.read_bytes(), self._today())
        except (OSError, ValueError) as exc:
            self._error = SourceError("snapshot", symbol, "bad_response", f"cannot be read ({exc})", file=self.label)
