"""The data contract every provider's output is normalised to (DESIGN.md, "Data contract").

A series is float64 on a tz-naive, ascending, unique ``DatetimeIndex`` named ``date``,
named by its catalogue key. Missing observations are dropped, never filled. Data errors
(values that cannot be right) are dropped too, and counted: the count travels on the series
as ``series.attrs["dropped_rows"]`` until the store turns it into a note for the page.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

DROPPED_ROWS = "dropped_rows"  # the ``attrs`` key holding how many rows were data errors
MISSING_MARKS = ("", ".")  # how CSV sources spell "no value" (FRED: "." or blank)
DATE_UNIT = "us"  # one resolution for every source (pandas parses ISO text to it; Parquet keeps it)


def to_contract(values: pd.Series, name: str, *, positive: bool = False, latest: dt.date | None = None) -> pd.Series:
    """Normalise ``values`` (any date-like index) to the contract, named ``name``.

    Dates: parsed, time zone dropped (wall-clock date kept), normalised to midnight, held
    in microseconds whatever the source's resolution.
    Duplicate dates: the last one wins (a later revision or a re-sent bar).
    Missing values (NaN, None, "" or "."): dropped, not counted.
    Data errors, dropped and counted in ``attrs["dropped_rows"]``: a value with an
    unparseable date, text that is not a number, a non-finite number (inf, -inf, 1e999),
    a value <= 0 when ``positive`` (prices, share counts), a date after ``latest``.
    """
    index = pd.DatetimeIndex(pd.to_datetime(values.index, errors="coerce"))
    if index.tz is not None:
        index = index.tz_localize(None)
    index = index.normalize().as_unit(DATE_UNIT)
    raw = values.to_numpy()
    numbers = pd.to_numeric(raw, errors="coerce").astype("float64")
    missing = _missing_mask(raw)
    errors = ~missing & (index.isna() | ~np.isfinite(numbers))
    if positive:
        errors |= ~missing & (numbers <= 0)
    if latest is not None:
        errors |= ~missing & (index > pd.Timestamp(latest))
    keep = ~missing & ~errors & index.notna()
    out = pd.Series(numbers[keep], index=index[keep])
    out = out[~out.index.duplicated(keep="last")].sort_index()
    out.index.name = "date"
    out = out.rename(name)
    out.attrs[DROPPED_ROWS] = int(errors.sum())
    return out


def _missing_mask(raw: np.ndarray) -> np.ndarray:
    """True where a raw value means "no observation" rather than a broken one."""
    missing = np.asarray(pd.isna(raw), dtype=bool)
    if raw.dtype == object or pd.api.types.is_string_dtype(raw.dtype):
        text = pd.Series(raw, dtype=object).where(~missing, "").astype(str).str.strip()
        missing |= text.isin(MISSING_MARKS).to_numpy()
    return missing


def dropped_rows(series: pd.Series) -> int:
    """How many rows ``to_contract`` (and the parsers before it) dropped as data errors."""
    return int(series.attrs.get(DROPPED_ROWS, 0))


def data_error_note(count: int) -> str | None:
    """The sentence a page shows under a series with ``count`` dropped rows (None for 0)."""
    if count <= 0:
        return None
    rows = "1 row" if count == 1 else f"{count:,} rows"
    return (
        f"{rows} dropped as data errors (unreadable, non-finite or non-positive values, "
        "or dates in the future)."
    )


def check_contract(series: pd.Series) -> list[str]:
    """Return the ways ``series`` breaks the contract (empty list = it honours it)."""
    problems = []
    if series.dtype != "float64":
        problems.append(f"dtype {series.dtype}, not float64")
    if not isinstance(series.index, pd.DatetimeIndex):
        problems.append("index is not a DatetimeIndex")
        return problems
    if series.index.tz is not None:
        problems.append("index is tz-aware")
    if series.index.name != "date":
        problems.append(f"index named {series.index.name!r}, not 'date'")
    if not series.index.is_monotonic_increasing:
        problems.append("index not ascending")
    if not series.index.is_unique:
        problems.append("index has duplicate dates")
    return problems
