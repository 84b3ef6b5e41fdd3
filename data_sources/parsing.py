"""Parsers and writers for the CSV layouts the data layer reads and writes.

fredgraph.csv (FRED's keyless download and the snapshot's ``fred/`` files) and the
yfinance ``history(auto_adjust=True)`` layout (the snapshot's ``yahoo/`` files).

A parser keeps every good row of a damaged file: a last line cut short (fewer fields than
the header, as when a copy stops mid-line) is a bad row, counted with the other data
errors (``contract.dropped_rows``). A body with no rows at all raises ``EmptyTable``; one
that is not the expected table at all raises ``ValueError``.

Speed: a clean file is read by Arrow's CSV reader with strict column types (about 1 ms per
10,000 rows); any file that reader refuses is read again as text by pandas, which keeps
the good rows. Both give the same series for a clean file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from data_sources.contract import DROPPED_ROWS, MISSING_MARKS, to_contract

YAHOO_COLUMNS = ("Open", "High", "Low", "Close", "Volume")
FREDGRAPH_LAYOUT = "a fredgraph.csv table"
YAHOO_LAYOUT = "a Yahoo price table"


class EmptyTable(ValueError):
    """The body is a table with no data rows; the message says which way ("header only")."""


def parse_fredgraph_csv(body: bytes | str, name: str, latest: dt.date | None = None) -> pd.Series:
    """Parse a fredgraph.csv body: first column dates, second column values.

    Read by position, so both headers (``observation_date,<ID>`` and the older
    ``DATE,<ID>``) work; a UTF-8 BOM is tolerated; blank or "." values are missing; dates
    after ``latest`` are data errors. Raises ``EmptyTable`` for a body with no rows and
    ValueError if the body is not a two-column date/value table.
    """
    return _parse(body, name, value_column=1, layout=FREDGRAPH_LAYOUT, positive=False, latest=latest)


def parse_yahoo_csv(body: bytes | str, name: str, positive: bool = True, latest: dt.date | None = None) -> pd.Series:
    """Parse a yfinance-layout CSV (``Date,Open,High,Low,Close,Volume``) to its Close series.

    A Close dated after ``latest``, or <= 0 when ``positive`` (prices; not yields such as
    ^IRX, negative in March 2020), is a data error. Raises ``EmptyTable`` for a body
    with no rows and ValueError when there is no Close column or no date can be read.
    """
    return _parse(body, name, value_column="Close", layout=YAHOO_LAYOUT, positive=positive, latest=latest)


def _parse(body, name: str, value_column: int | str, layout: str, positive: bool, latest) -> pd.Series:
    text, cut = _without_cut_last_line(_decoded(body))
    names = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]))
    if isinstance(value_column, int) and len(names) <= value_column:
        raise ValueError(f"not {layout} (need a date column and a value column)")
    if isinstance(value_column, str) and value_column not in names:
        raise ValueError(f"not {layout} (no {value_column} column)")
    value_name = names[value_column] if isinstance(value_column, int) else value_column
    columns = _strict_columns(text, names, value_name) or _text_columns(text, names, value_name, layout)
    dates, values = columns
    if not len(dates):
        raise EmptyTable("header only" if not cut else "header only, and a last line cut short")
    if pd.isna(dates).all():
        raise ValueError(f"not {layout} (no dates in the first column)")
    series = to_contract(pd.Series(values, index=dates), name, positive=positive, latest=latest)
    series.attrs[DROPPED_ROWS] += cut
    return series


def _decoded(body: bytes | str) -> str:
    """The body as text without a BOM; ``EmptyTable`` when there is none, ValueError when
    it is not UTF-8."""
    try:
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body.lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start:,})") from None
    if not text.strip():
        raise EmptyTable("0 bytes" if not text else "blank")
    return text


def _without_cut_last_line(text: str) -> tuple[str, int]:
    """Drop the last line if the text stops inside it: no line break after it and fewer
    fields than the header (a whole last row without a final line break is kept).
    Returns the text and how many lines were dropped (0 or 1)."""
    if text.endswith("\n"):
        return text, 0
    head, _, last = text.rpartition("\n")
    if not head:
        return text, 0  # a header alone
    header = head.split("\n", 1)[0]
    if len(next(csv.reader([last]), [])) >= len(next(csv.reader([header]))):
        return text, 0
    return head + "\n", 1


def _strict_columns(text: str, names: list[str], value_name: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(dates, values) when Arrow reads the file with ISO dates and plain numbers throughout;
    None when it cannot (then the file needs the forgiving reader)."""
    date_name = names[0]
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(text.encode()),
            read_options=pa_csv.ReadOptions(column_names=names, skip_rows=1, use_threads=False),
            convert_options=pa_csv.ConvertOptions(
                include_columns=[date_name, value_name],
                column_types={date_name: pa.timestamp("s"), value_name: pa.float64()},
                null_values=list(MISSING_MARKS),
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowException, ValueError):
        return None
    if table.column(date_name).null_count:
        return None  # a row without a date: let the forgiving reader count it
    return table.column(date_name).to_numpy(), table.column(value_name).to_numpy(zero_copy_only=False)


def _text_columns(text: str, names: list[str], value_name: str, layout: str) -> tuple[pd.DatetimeIndex, np.ndarray]:
    """(dates, raw value strings), reading every cell as text; unparseable dates are NaT."""
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ValueError(f"not {layout} ({str(exc).strip().splitlines()[0][:120]})") from None
    values = frame.iloc[:, names.index(value_name)].to_numpy(dtype=object)
    dates = pd.DatetimeIndex(pd.to_datetime(frame.iloc[:, 0], errors="coerce", format="%Y-%m-%d"))
    return dates, values


def iso_dates(index: pd.DatetimeIndex) -> np.ndarray:
    """``YYYY-MM-DD`` strings of ``index``, vectorised (pandas' ``date_format`` formats one
    date at a time, ~100 times slower on long histories)."""
    return np.datetime_as_string(index.values.astype("datetime64[D]"), unit="D")


def fredgraph_csv_text(series: pd.Series, series_id: str) -> str:
    """Write ``series`` in fredgraph.csv layout (``observation_date,<ID>``, ISO dates)."""
    frame = pd.DataFrame({series_id: series.to_numpy()}, index=pd.Index(iso_dates(series.index), name="observation_date"))
    return frame.to_csv(lineterminator="\n")


def yahoo_csv_text(close: pd.Series) -> str:
    """Write a Close series in the yfinance layout; Open/High/Low/Volume are left blank."""
    frame = pd.DataFrame(
        {col: close.to_numpy() if col == "Close" else None for col in YAHOO_COLUMNS},
        index=pd.Index(iso_dates(close.index), name="Date"),
    )
    return frame.to_csv(lineterminator="\n")
