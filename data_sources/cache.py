"""The series store: Parquet cache per series over a live or snapshot upstream.

Layer 1 of DESIGN.md's two caches (no Streamlit here). Each series' full history is kept in
one Parquet file, written atomically, refreshed when older than a TTL that fits its
frequency. A failed refresh returns the old copy marked stale with the error; failures and
empty results are never written. Cold loads fan out over a bounded thread pool, and
concurrent callers asking for the same series share one upstream request.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Protocol

import pandas as pd
import platformdirs
import pyarrow as pa
import pyarrow.parquet as pq

from data_sources.catalogue import SeriesSpec, catalogue
from data_sources.contract import check_contract
from data_sources.errors import SourceError
from data_sources.fred import FredClient
from data_sources.snapshot import read_series, snapshot_as_of
from data_sources import storage, yahoo

log = logging.getLogger(__name__)

HOUR_S = 3600.0
TTL_S = {"daily": 3 * HOUR_S, "weekly": 12 * HOUR_S, "monthly": 24 * HOUR_S}
MAX_WORKERS = 8
LOAD_TIMEOUT_S = 90.0
STALE_FACTOR = 2  # a series older than twice its TTL makes ``status`` fail
FAILURE_BACKOFF_S = 60.0  # a series that just failed is not asked again for this long
APP_NAME = "market-narrative-dashboard"


@dataclass(frozen=True)
class Provenance:
    """Where one loaded series came from and how fresh it is."""

    key: str
    source: str
    source_id: str
    label: str
    units: str
    frequency: str
    first_obs: dt.date | None = None
    last_obs: dt.date | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False
    error: str | None = None
    error_kind: str | None = None

    @property
    def status(self) -> str:
        """"ok", "stale" (old copy, refresh failed) or "failed" (no data at all)."""
        if self.last_obs is None:
            return "failed"
        return "stale" if self.stale else "ok"


@dataclass
class LoadResult:
    """Series by key (only those with data) and provenance for every key asked for."""

    series: dict[str, pd.Series] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)

    def frame(self, keys: Iterable[str] | None = None) -> pd.DataFrame:
        """Wide frame of the loaded series (outer join on dates; no filling)."""
        chosen = [k for k in (self.series if keys is None else keys) if k in self.series]
        if not chosen:
            return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
        return pd.concat([self.series[k] for k in chosen], axis=1, sort=True)

    def failures(self) -> list[Provenance]:
        """Provenance of every series whose last refresh failed (stale or no data)."""
        return [p for p in self.provenance.values() if p.error]


class Upstream(Protocol):
    """Where fresh data comes from: the live APIs or a snapshot folder."""

    namespace: str

    def fetch(self, spec: SeriesSpec) -> pd.Series: ...

    def as_of(self) -> dt.date: ...


class LiveUpstream:
    """Yahoo Finance and FRED over the network."""

    namespace = "live"

    def __init__(self, yahoo_session=None, fred: FredClient | None = None):
        self.yahoo_session = yahoo_session
        self.fred = fred or FredClient()

    def fetch(self, spec: SeriesSpec) -> pd.Series:
        if spec.source == "yahoo":
            return yahoo.fetch_close(spec.source_id, spec.key, session=self.yahoo_session)
        return self.fred.fetch(spec.source_id, spec.key)

    def as_of(self) -> dt.date:
        return dt.date.today()


class SnapshotUpstream:
    """A snapshot folder; never opens a socket. Its reference date is its latest market date."""

    def __init__(self, directory: Path):
        self.directory = Path(directory).resolve()
        digest = hashlib.sha1(str(self.directory).encode()).hexdigest()[:10]
        self.namespace = f"snapshot-{digest}"
        self._as_of = snapshot_as_of(self.directory) or dt.date.today()

    def fetch(self, spec: SeriesSpec) -> pd.Series:
        return read_series(self.directory, spec)

    def as_of(self) -> dt.date:
        return self._as_of


class SeriesStore:
    """Loads catalogue series through the Parquet cache; see the module docstring."""

    def __init__(
        self,
        upstream: Upstream,
        cache_dir: storage.Location,
        clock=time.time,
        max_workers: int = MAX_WORKERS,
        read_only: bool = False,
    ):
        self.upstream = upstream
        self.read_only = read_only  # a replica: serve the shared store, never call upstream
        self.root = storage.join(storage.as_location(cache_dir), upstream.namespace)
        self.clock = clock
        self._pool = cf.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="series-fetch")
        self._lock = threading.Lock()
        self._inflight: dict[str, cf.Future] = {}
        self._recent_failures: dict[str, tuple[float, SourceError]] = {}

    # -- public -------------------------------------------------------------------------
    def as_of(self) -> dt.date:
        """The date the data is as of: today live, the snapshot's date offline."""
        return self.upstream.as_of()

    def specs(self) -> tuple[SeriesSpec, ...]:
        """The catalogue for this store's reference date."""
        return catalogue(self.as_of())

    def load(self, keys: Iterable[str]) -> LoadResult:
        """Load ``keys``: fresh cache entries as they are, the rest refreshed in parallel."""
        by_key = {s.key: s for s in self.specs()}
        result = LoadResult()
        pending: dict[str, tuple[cf.Future, tuple | None]] = {}
        for key in dict.fromkeys(keys):
            spec = by_key.get(key)
            if spec is None:
                raise KeyError(f"{key!r} is not in the catalogue")
            cached = self._read_entry(spec)
            if self.read_only:
                self._serve_stored(result, spec, cached)
            elif cached is not None and self._is_fresh(spec, cached[1]):
                self._accept(result, spec, *cached)
            else:
                pending[key] = (self._submit(spec), cached)
        done, _ = cf.wait([f for f, _ in pending.values()], timeout=LOAD_TIMEOUT_S)
        for key, (future, cached) in pending.items():
            spec = by_key[key]
            if future in done and future.exception() is None:
                self._accept(result, spec, *future.result())
                continue
            error = future.exception() if future in done else SourceError(spec.source, spec.source_id, "timeout")
            if not isinstance(error, SourceError):
                log.error("unexpected failure loading %s: %s", key, type(error).__name__)
                error = SourceError(spec.source, spec.source_id, "bad_response", type(error).__name__)
            self._reject(result, spec, cached, error)
        return result

    def health_problems(self, result: LoadResult) -> list[str]:
        """Why this store is unhealthy: series missing, failing, or older than twice their TTL.

        A snapshot is frozen by definition: there only series it holds that fail to load
        count (a series the folder lacks is reported by ``status`` but is not a problem).
        """
        problems = []
        frozen = self.upstream.namespace.startswith("snapshot")
        for p in result.provenance.values():
            if p.status == "failed" and not (frozen and p.error_kind == "missing"):
                problems.append(f"{p.key}: no data ({p.error})")
            elif p.fetched_at and not frozen and self._age_s(p) > STALE_FACTOR * TTL_S[p.frequency]:
                problems.append(f"{p.key}: last refreshed {p.fetched_at:%Y-%m-%d %H:%M} UTC")
        return problems

    def _age_s(self, provenance: Provenance) -> float:
        return self.clock() - provenance.fetched_at.timestamp()

    def _serve_stored(self, result: LoadResult, spec: SeriesSpec, cached) -> None:
        """Read-only replica: whatever the shared store holds, however old (the refresher's job)."""
        if cached is None:
            error = SourceError(spec.source, spec.source_id, "not_in_store")
            result.provenance[spec.key] = _provenance(spec, None, None, error)
        else:
            self._accept(result, spec, *cached)

    # -- cache entries ------------------------------------------------------------------
    def entry_path(self, spec: SeriesSpec) -> storage.Location:
        """The Parquet file of one series: ``<cache>/<namespace>/<source>/<id>.parquet``."""
        return storage.join(self.root, spec.source, f"{safe_name(spec.source_id)}.parquet")

    def _read_entry(self, spec: SeriesSpec) -> tuple[pd.Series, float] | None:
        try:
            data = storage.read_bytes(self.entry_path(spec))
            if data is None:
                return None
            table = pq.read_table(pa.BufferReader(data))
            fetched_at = float(table.schema.metadata[b"fetched_at"])
            series = table.to_pandas()["value"].rename(spec.key)
        except Exception as exc:  # any unreadable file is a cache miss, never a crash
            log.warning("ignoring unreadable cache file for %s (%s)", spec.key, type(exc).__name__)
            return None
        if check_contract(series) or series.empty:
            log.warning("ignoring cache file for %s that breaks the data contract", spec.key)
            return None
        return series, fetched_at

    def _write_entry(self, spec: SeriesSpec, series: pd.Series, fetched_at: float) -> None:
        table = pa.Table.from_pandas(series.rename("value").to_frame())
        table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"fetched_at": repr(fetched_at).encode()})
        buffer = pa.BufferOutputStream()
        pq.write_table(table, buffer)
        storage.write_atomic(self.entry_path(spec), buffer.getvalue().to_pybytes())

    def _is_fresh(self, spec: SeriesSpec, fetched_at: float) -> bool:
        return self.clock() - fetched_at < TTL_S[spec.frequency]

    # -- refresh ------------------------------------------------------------------------
    def _submit(self, spec: SeriesSpec) -> cf.Future:
        """Start (or join) the one refresh of ``spec`` in flight."""
        with self._lock:
            future = self._inflight.get(spec.key)
            if future is not None:
                return future
            future = self._pool.submit(self._refresh, spec)
            self._inflight[spec.key] = future
        # Outside the lock: a future that is already done runs the callback right here.
        future.add_done_callback(lambda done, key=spec.key: self._forget(key, done))
        return future

    def _forget(self, key: str, done: cf.Future) -> None:
        with self._lock:
            if self._inflight.get(key) is done:
                del self._inflight[key]

    def _refresh(self, spec: SeriesSpec) -> tuple[pd.Series, float]:
        cached = self._read_entry(spec)  # another caller may have refreshed it meanwhile
        if cached is not None and self._is_fresh(spec, cached[1]):
            return cached
        failed = self._recent_failures.get(spec.key)
        if failed and self.clock() - failed[0] < FAILURE_BACKOFF_S:
            raise failed[1]
        try:
            series = self.upstream.fetch(spec)
            if series.empty:
                raise SourceError(spec.source, spec.source_id, "empty")
        except SourceError as exc:
            self._recent_failures[spec.key] = (self.clock(), exc)
            log.warning("refresh failed: %s", exc.message)
            raise
        self._recent_failures.pop(spec.key, None)
        fetched_at = self.clock()
        self._write_entry(spec, series, fetched_at)
        return series, fetched_at

    # -- results ------------------------------------------------------------------------
    def _accept(self, result: LoadResult, spec: SeriesSpec, series: pd.Series, fetched_at: float, error=None):
        result.series[spec.key] = series
        result.provenance[spec.key] = _provenance(spec, series, fetched_at, error)

    def _reject(self, result: LoadResult, spec: SeriesSpec, cached, error: SourceError) -> None:
        if cached is not None:
            self._accept(result, spec, *cached, error=error)
        else:
            result.provenance[spec.key] = _provenance(spec, None, None, error)


def _provenance(spec: SeriesSpec, series: pd.Series | None, fetched_at: float | None, error: SourceError | None):
    has_data = series is not None and not series.empty
    return Provenance(
        key=spec.key,
        source=spec.source,
        source_id=spec.source_id,
        label=spec.label,
        units=spec.units,
        frequency=spec.frequency,
        first_obs=series.index[0].date() if has_data else None,
        last_obs=series.index[-1].date() if has_data else None,
        fetched_at=dt.datetime.fromtimestamp(fetched_at, dt.timezone.utc) if fetched_at is not None else None,
        stale=error is not None and has_data,
        error=error.message if error else None,
        error_kind=error.kind if error else None,
    )


def safe_name(source_id: str) -> str:
    """A file name for a source id (``^GSPC`` -> ``_GSPC``); letters, digits and ``-_.=`` kept."""
    return "".join(c if c.isalnum() or c in "-_.=" else "_" for c in source_id)


def default_cache_dir() -> storage.Location:
    """``DASH_CACHE_DIR`` if set (a folder or an fsspec URL such as ``s3://bucket/prefix``),
    else the per-user cache folder."""
    return storage.as_location(os.environ.get("DASH_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME))


def default_upstream() -> Upstream:
    """``DASH_SNAPSHOT=DIR`` replays that folder; otherwise the live sources."""
    snapshot = os.environ.get("DASH_SNAPSHOT", "").strip()
    return SnapshotUpstream(Path(snapshot)) if snapshot else LiveUpstream()


def read_only_from_env() -> bool:
    """``DASH_READ_ONLY=1`` (or true/yes): this process is a replica that reads the shared
    store and never calls Yahoo or FRED; a ``refresh`` job elsewhere keeps the store current."""
    return os.environ.get("DASH_READ_ONLY", "").strip().lower() in ("1", "true", "yes")


def default_store() -> SeriesStore:
    """The store the app and the CLI use, configured from the environment (see
    ``read_only_from_env``)."""
    return SeriesStore(default_upstream(), default_cache_dir(), read_only=read_only_from_env())
