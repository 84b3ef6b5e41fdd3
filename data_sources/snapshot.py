"""Snapshot folders: replay one without a network, or record one from the live sources.

Format (DESIGN.md, "Offline and snapshots"): ``yahoo/<SYMBOL>.csv`` in the yfinance
``history(auto_adjust=True)`` layout and ``fred/<ID>.csv`` in fredgraph.csv layout.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from data_sources.catalogue import STATIC_SERIES, SeriesSpec
from data_sources.errors import SourceError
from data_sources.parsing import (
    fredgraph_csv_text,
    parse_fredgraph_csv,
    parse_yahoo_csv,
    yahoo_csv_text,
)

_PARSERS = {"yahoo": parse_yahoo_csv, "fred": parse_fredgraph_csv}


def snapshot_path(directory: Path, spec: SeriesSpec) -> Path:
    """Where ``spec`` lives in a snapshot folder: ``<source>/<source id>.csv``."""
    return Path(directory) / spec.source / f"{spec.source_id}.csv"


def read_series(directory: Path, spec: SeriesSpec) -> pd.Series:
    """Read one catalogue series from a snapshot folder, normalised to the data contract.

    Raises ``SourceError`` (kind "missing") when the file is absent, "bad_response" when it
    cannot be parsed and "empty" when it holds no values.
    """
    path = snapshot_path(directory, spec)
    if not path.is_file():
        raise SourceError("snapshot", spec.source_id, "missing", f"no file {spec.source}/{path.name}")
    try:
        series = _PARSERS[spec.source](path.read_bytes(), spec.key)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise SourceError("snapshot", spec.source_id, "bad_response", str(exc)) from exc
    if series.empty:
        raise SourceError("snapshot", spec.source_id, "empty")
    return series


def snapshot_as_of(directory: Path) -> dt.date | None:
    """The snapshot's reference date: the latest last date among its Yahoo catalogue files.

    Only the last line of each file is read, so this is cheap. None if no file is found.
    """
    last_dates = []
    for spec in STATIC_SERIES:
        path = snapshot_path(directory, spec)
        if spec.source == "yahoo" and path.is_file():
            last_line = path.read_bytes().rstrip().rsplit(b"\n", 1)[-1].decode()
            try:
                last_dates.append(dt.date.fromisoformat(last_line.split(",", 1)[0]))
            except ValueError:
                continue
    return max(last_dates) if last_dates else None


def write_series(directory: Path, spec: SeriesSpec, series: pd.Series) -> Path:
    """Write one series into a snapshot folder in its source's layout; returns the path."""
    path = snapshot_path(directory, spec)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yahoo_csv_text(series) if spec.source == "yahoo" else fredgraph_csv_text(series, spec.source_id)
    path.write_text(text, encoding="utf-8")
    return path
