"""Parsers for the two CSV layouts the data layer reads and writes.

fredgraph.csv (FRED's keyless download and the snapshot's ``fred/`` files) and the
yfinance ``history(auto_adjust=True)`` layout (the snapshot's ``yahoo/`` files).
"""

from __future__ import annotations

import io

import pandas as pd

from data_sources.contract import to_contract

YAHOO_COLUMNS = ("Open", "High", "Low", "Close", "Volume")


def parse_fredgraph_csv(body: bytes | str, name: str) -> pd.Series:
    """Parse a fredgraph.csv body: first column dates, second column values.

    Read by position, so both headers (``observation_date,<ID>`` and the older
    ``DATE,<ID>``) work; a UTF-8 BOM is tolerated; blank or "." values are missing.
    Raises ValueError if the body is not a two-column date/value table.
    """
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body.lstrip("\ufeff")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if frame.shape[1] < 2 or frame.empty:
        raise ValueError("not a fredgraph.csv table (need a date column and a value column)")
    dates = pd.to_datetime(frame.iloc[:, 0], errors="coerce", format="%Y-%m-%d")
    if dates.isna().all():
        raise ValueError("no dates in the first column")
    values = frame.iloc[:, 1].str.strip().replace({".": "", "": None})
    return to_contract(pd.Series(values.to_numpy(), index=dates), name)


def parse_yahoo_csv(body: bytes | str, name: str) -> pd.Series:
    """Parse a yfinance-layout CSV (``Date,Open,High,Low,Close,Volume``) to its Close series."""
    text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
    frame = pd.read_csv(io.StringIO(text))
    if "Close" not in frame.columns or frame.empty:
        raise ValueError("no Close column")
    return to_contract(frame.set_index(frame.columns[0])["Close"], name)


def fredgraph_csv_text(series: pd.Series, series_id: str) -> str:
    """Write ``series`` in fredgraph.csv layout (``observation_date,<ID>``, ISO dates)."""
    out = series.rename(series_id).rename_axis("observation_date")
    return out.to_csv(date_format="%Y-%m-%d", lineterminator="\n")


def yahoo_csv_text(close: pd.Series) -> str:
    """Write a Close series in the yfinance layout; Open/High/Low/Volume are left blank."""
    frame = pd.DataFrame({col: close if col == "Close" else None for col in YAHOO_COLUMNS})
    return frame.rename_axis("Date").to_csv(
        date_format="%Y-%m-%d", lineterminator="\n"
    )
