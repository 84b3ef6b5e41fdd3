"""The data contract every provider's output is normalised to (DESIGN.md, "Data contract").

A series is float64 on a tz-naive, ascending, unique ``DatetimeIndex`` named ``date``,
named by its catalogue key. Missing observations are dropped, never filled.
"""

from __future__ import annotations

import pandas as pd


def to_contract(values: pd.Series, name: str) -> pd.Series:
    """Normalise ``values`` (any date-like index) to the contract, named ``name``.

    Dates: parsed, time zone dropped (wall-clock date kept), normalised to midnight.
    Duplicate dates: the last one wins (a later revision or a re-sent bar).
    Values: coerced to float64; non-numbers and NaN rows are dropped.
    """
    index = pd.DatetimeIndex(pd.to_datetime(values.index, errors="coerce"))
    if index.tz is not None:
        index = index.tz_localize(None)
    out = pd.Series(pd.to_numeric(values.to_numpy(), errors="coerce"), index=index.normalize())
    out = out[out.index.notna()].dropna()
    out = out[~out.index.duplicated(keep="last")].sort_index()
    out.index.name = "date"
    return out.astype("float64").rename(name)


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
