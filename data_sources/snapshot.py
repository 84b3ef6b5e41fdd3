"""Snapshot folders: replay one without a network, or record one from the live sources.

Format (DESIGN.md, "Offline and snapshots"): ``yahoo/<SYMBOL>.csv`` in the yfinance
``history(auto_adjust=True)`` layout, ``fred/<ID>.csv`` in fredgraph.csv layout, the
mega caps' share counts in one tidy file ``shares/shares_outstanding.csv``
(``data_sources.shares``), and ``sec/<SYMBOL>.json``: SEC EDGAR's companyfacts body of a
company as the SEC sent it, so that replay runs the same parser as a live load
(``sec.ttm_eps_from_body``).

Reading is forgiving and says what it forgave: rows dated after today are dropped as data
errors like non-finite values and non-positive prices (``contract.to_contract``), a last
line cut short is dropped, and a file that yields nothing fails with a ``SourceError``
naming the file ("The snapshot file yahoo/IJR.csv is empty (header only)").
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from data_sources.catalogue import STATIC_SERIES, SeriesSpec
from data_sources.contract import dropped_rows
from data_sources.errors import SourceError
from data_sources.parsing import (
    EmptyTable,
    fredgraph_csv_text,
    parse_fredgraph_csv,
    parse_yahoo_csv,
    yahoo_csv_text,
)
from data_sources.sec import ttm_eps_from_body
from data_sources.shares import SHARES_FILE, SharesFile, shares_csv_text

# Sources whose snapshot file is the provider's own body rather than a table of the series:
# replay parses it exactly as a live load does.
RAW_BODY_SOURCES = frozenset({"sec"})


def snapshot_path(directory: Path, spec: SeriesSpec) -> Path:
    """Where ``spec`` lives in a snapshot folder: ``<source>/<source id>.csv``, the shared
    share-count file for ``yahoo_shares`` rows, ``sec/<SYMBOL>.json`` for SEC rows."""
    if spec.source == "yahoo_shares":
        return Path(directory) / SHARES_FILE
    suffix = ".json" if spec.source in RAW_BODY_SOURCES else ".csv"
    return Path(directory) / spec.source / f"{spec.source_id}{suffix}"


def read_raw_body(directory: Path, spec: SeriesSpec) -> bytes:
    """The recorded provider body of a ``RAW_BODY_SOURCES`` row, as bytes; ``SourceError``
    (source "snapshot", naming the file) with kind "missing" or "bad_response"."""
    path = snapshot_path(directory, spec)
    label = f"{spec.source}/{path.name}"
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceError("snapshot", spec.source_id, "missing", file=label) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SourceError("snapshot", spec.source_id, "bad_response", f"cannot be read ({reason})", file=label) from None


def read_series(directory: Path, spec: SeriesSpec, today: dt.date | None = None) -> pd.Series:
    """Read one catalogue series from a snapshot folder, normalised to the data contract.

    Rows dated after ``today`` (default: the real today) are data errors. Raises
    ``SourceError`` (source "snapshot", naming the file) with kind "missing" when the file
    is absent, "empty" when it holds no usable value and "bad_response" when it is not the
    expected table. (``SnapshotUpstream`` reads share counts through one parsed
    ``SharesFile`` instead of re-reading it per company.)
    """
    today = today or dt.date.today()
    if spec.source == "yahoo_shares":
        return SharesFile(snapshot_path(directory, spec), SHARES_FILE.as_posix(), lambda: today).series(
            spec.source_id, spec.key
        )
    path = snapshot_path(directory, spec)
    label = f"{spec.source}/{path.name}"
    try:
        series = _parse_file(path, spec, today)
    except FileNotFoundError:
        raise SourceError("snapshot", spec.source_id, "missing", file=label) from None
    except EmptyTable as exc:
        raise SourceError("snapshot", spec.source_id, "empty", f"is empty ({exc})", file=label) from None
    except ValueError as exc:
        raise SourceError("snapshot", spec.source_id, "bad_response", f"is {exc}", file=label) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise SourceError("snapshot", spec.source_id, "bad_response", f"cannot be read ({reason})", file=label) from None
    if series.empty:
        raise SourceError("snapshot", spec.source_id, "empty", _why_no_values(spec, series), file=label)
    return series


def _parse_file(path: Path, spec: SeriesSpec, today: dt.date) -> pd.Series:
    body = path.read_bytes()
    if spec.source == "yahoo":
        return parse_yahoo_csv(body, spec.key, positive=spec.positive_only, latest=today)
    if spec.source == "sec":
        return ttm_eps_from_body(body, spec.source_id, spec.key, latest=today)
    return parse_fredgraph_csv(body, spec.key, latest=today)


def _why_no_values(spec: SeriesSpec, series: pd.Series) -> str:
    column = {"yahoo": "Close", "sec": "TTM EPS"}.get(spec.source, "value")
    dropped = dropped_rows(series)
    if dropped:
        return f"is empty (no usable {column}: {dropped:,} rows are data errors)"
    return f"is empty (every {column} is blank)"


def snapshot_as_of(directory: Path, today: dt.date | None = None) -> dt.date | None:
    """The snapshot's reference date: the latest last date among its Yahoo catalogue series,
    read and cleaned like any load (rows after ``today`` dropped, order and duplicates
    normalised; a file that cannot be read is skipped). None if no file gives a date.

    Reads each Yahoo file whole: ~0.1 s for the ~60 files of the shared snapshot.
    """
    last_dates = []
    for spec in STATIC_SERIES:
        if spec.source != "yahoo":
            continue
        try:
            last_dates.append(read_series(directory, spec, today).index[-1].date())
        except SourceError:
            continue
    return max(last_dates) if last_dates else None


def write_snapshot(directory: Path, specs: tuple[SeriesSpec, ...], series: dict[str, pd.Series],
                   bodies: dict[str, bytes] | None = None) -> list[Path]:
    """Write every series of ``specs`` found in ``series`` into a snapshot folder in its
    source's layout (all share counts into the one tidy file); rows of ``RAW_BODY_SOURCES``
    are written from ``bodies`` (key -> the provider's body as received) instead, byte for
    byte. Returns the files written."""
    directory = Path(directory)
    written = []
    counts = {}
    bodies = bodies or {}
    for spec in specs:
        if spec.source in RAW_BODY_SOURCES:
            if spec.key in bodies:
                written.append(_write_bytes(snapshot_path(directory, spec), bodies[spec.key]))
            continue
        if spec.key not in series:
            continue
        if spec.source == "yahoo_shares":
            counts[spec.source_id] = series[spec.key]
            continue
        written.append(_write_text(snapshot_path(directory, spec), _layout_text(spec, series[spec.key])))
    if counts:
        written.append(_write_text(directory / SHARES_FILE, shares_csv_text(counts)))
    return written


def _layout_text(spec: SeriesSpec, series: pd.Series) -> str:
    return yahoo_csv_text(series) if spec.source == "yahoo" else fredgraph_csv_text(series, spec.source_id)


def _write_text(path: Path, text: str) -> Path:
    return _write_bytes(path, text.encode("utf-8"))


def _write_bytes(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path

