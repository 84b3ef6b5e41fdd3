"""The series store: Parquet cache per series over a live or snapshot upstream.

Layer 1 of DESIGN.md's two caches (no Streamlit here). Each series' full history is kept in
one Parquet file, written atomically, refreshed when older than a TTL that fits its
frequency. A failed refresh returns the old copy marked stale with the error; failures and
empty results are never written, and neither is a history shorter than the copy we have
(kind "shrank"). Cold loads fan out over a bounded thread pool, concurrent callers asking
for the same series share one upstream request, and a caller can follow the fetches
(``load(keys, progress=...)``).

The store (folder or bucket) failing is not the data failing: a fetched series is served
even when it cannot be kept, an unreachable store is a cache miss, and either way
``LoadResult.store_problem`` says so in one sentence. After the store could not be reached
it is left alone for ``STORE_BREAK_S``, so one load does not wait on it once per series.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
import hashlib
import logging
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Protocol

import pandas as pd
import platformdirs
import pyarrow as pa
import pyarrow.parquet as pq

from data_sources import sec, storage, yahoo
from data_sources.catalogue import Frequency, SeriesSpec, Source, catalogue
from data_sources.contract import check_contract, data_error_note, dropped_rows
from data_sources.deadline import RateLimiter
from data_sources.errors import SOURCE_NAMES, ErrorKind, SourceError, StoreError
from data_sources.fred import FredClient
from data_sources.shares import SHARES_ENV, SHARES_FILE, SharesFile
from data_sources.snapshot import read_raw_body, read_series, snapshot_as_of

log = logging.getLogger(__name__)

HOUR_S = 3600.0
TTL_S: dict[Frequency, float] = {
    "daily": 3 * HOUR_S,
    "weekly": 12 * HOUR_S,
    "monthly": 24 * HOUR_S,
    # Share counts and SEC EPS change once a quarter; a day old is fresh enough (and keeps
    # SEC EDGAR at one request per company per day).
    "quarterly": 24 * HOUR_S,
}
MAX_WORKERS = 8
LOAD_TIMEOUT_S = 90.0
STALE_FACTOR = 2  # a series older than twice its TTL makes ``status`` fail
FAILURE_BACKOFF_S = 60.0  # a series that just failed is not asked again for this long
STORE_BREAK_S = 30.0  # a store that could not be reached is not asked again for this long
STORE_CHECK_INTERVAL_S = 30.0  # ``load`` reuses ``store_check``'s answer for this long
# A refresh may not shrink history: a fresh copy ending earlier than the stored one, or
# with fewer than SHRINK_MIN_FRACTION of its rows (when it has SHRINK_MIN_ROWS or more:
# short histories such as a new futures contract legitimately change a lot), is refused.
SHRINK_MIN_FRACTION = 0.9
SHRINK_MIN_ROWS = 20
APP_NAME = "market-narrative-dashboard"
SNAPSHOT_ENV = "DASH_SNAPSHOT"

# What a store problem means for the person looking at the page (after its cause).
NOT_KEPT = "data is shown but not kept, so every visit refetches it."
NOT_READ = "nothing is read from it or kept in it, so every visit refetches the data."
NOT_SERVED = "this replica has no data to show until it can read the store."


@dataclass(frozen=True)
class Provenance:
    """Where one loaded series came from and how fresh it is.

    ``note``: what the page should add about the data itself, e.g. "2 rows dropped as data
    errors (...)"; None when there is nothing to say.
    """

    key: str
    source: Source
    source_id: str
    label: str
    units: str
    frequency: Frequency
    first_obs: dt.date | None = None
    last_obs: dt.date | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = False
    error: str | None = None
    error_kind: ErrorKind | None = None
    note: str | None = None

    @property
    def status(self) -> str:
        """"ok", "stale" (old copy, refresh failed) or "failed" (no data at all)."""
        if self.last_obs is None:
            return "failed"
        return "stale" if self.stale else "ok"


@dataclass
class LoadResult:
    """Series by key (only those with data), provenance for every key asked for, and what
    is wrong with the data store, if anything (one sentence; the data may still be fine)."""

    series: dict[str, pd.Series] = field(default_factory=dict)
    provenance: dict[str, Provenance] = field(default_factory=dict)
    store_problem: str | None = None

    def frame(self, keys: Iterable[str] | None = None) -> pd.DataFrame:
        """Wide frame of the loaded series (outer join on dates; no filling)."""
        chosen = [k for k in (self.series if keys is None else keys) if k in self.series]
        if not chosen:
            return pd.DataFrame(index=pd.DatetimeIndex([], name="date"))
        return pd.concat([self.series[k] for k in chosen], axis=1, sort=True)

    def merged(self, other: "LoadResult") -> "LoadResult":
        """This load and ``other`` together (``other`` wins for a key both hold)."""
        return LoadResult({**self.series, **other.series}, {**self.provenance, **other.provenance},
                          self.store_problem or other.store_problem)

    def failures(self) -> list[Provenance]:
        """Provenance of every series whose last refresh failed (stale or no data)."""
        return [p for p in self.provenance.values() if p.error]


@dataclass(frozen=True)
class Entry:
    """One series as stored: the data, when it was fetched (epoch seconds) and the note
    about rows dropped as data errors (None when there were none)."""

    series: pd.Series
    fetched_at: float
    note: str | None = None


class Upstream(Protocol):
    """Where fresh data comes from: the live APIs or a snapshot folder."""

    namespace: str

    def fetch(self, spec: SeriesSpec) -> pd.Series: ...

    def as_of(self) -> dt.date: ...

    def source_of(self, spec: SeriesSpec) -> str:
        """The source errors and progress name for ``spec`` (a key of ``SOURCE_NAMES``)."""
        ...

    def raw_body(self, spec: SeriesSpec) -> bytes:
        """The provider's own body for a row whose snapshot file is that body (SEC rows:
        companyfacts JSON), for ``snapshot`` to record; ``SourceError`` when it cannot be had."""
        ...


class LiveUpstream:
    """Yahoo Finance, FRED and SEC EDGAR over the network."""

    namespace = "live"

    def __init__(self, yahoo_session=None, fred: FredClient | None = None, sec_session=None,
                 sec_limiter: RateLimiter | None = None):
        self.yahoo_session = yahoo_session
        self.fred = fred or FredClient()
        self.sec_session = sec_session  # None: a new curl_cffi session per request
        self.sec_limiter = sec_limiter or sec.SHARED_LIMITER

    def fetch(self, spec: SeriesSpec) -> pd.Series:
        if spec.source == "yahoo":
            return yahoo.fetch_close(spec.source_id, spec.key, session=self.yahoo_session, positive=spec.positive_only)
        if spec.source == "yahoo_shares":
            return yahoo.fetch_shares(spec.source_id, spec.key, session=self.yahoo_session)
        if spec.source == "sec":
            return sec.fetch_ttm_eps(spec, session=self.sec_session, limiter=self.sec_limiter)
        return self.fred.fetch(spec.source_id, spec.key)

    def raw_body(self, spec: SeriesSpec) -> bytes:
        return sec.fetch_companyfacts(spec.cik, spec.source_id, session=self.sec_session, limiter=self.sec_limiter)

    def as_of(self) -> dt.date:
        return dt.date.today()

    def source_of(self, spec: SeriesSpec) -> str:
        return spec.source


class SnapshotUpstream:
    """A snapshot folder; never opens a socket. Its reference date is its latest market date
    (``snapshot_as_of``, rows after ``today()`` ignored).

    Share counts come from the folder's ``shares/shares_outstanding.csv``, or from
    ``shares_file`` when given (``DASH_SHARES``: for snapshots recorded without counts),
    parsed once per upstream.
    """

    def __init__(self, directory: Path, shares_file: Path | None = None,
                 today: Callable[[], dt.date] = dt.date.today):
        self.directory = Path(directory).resolve()
        shares_path = Path(shares_file).resolve() if shares_file else self.directory / SHARES_FILE
        identity = f"{self.directory}|{shares_path}"
        self.namespace = f"snapshot-{hashlib.sha1(identity.encode()).hexdigest()[:10]}"
        self._today = today
        label = str(shares_file) if shares_file else SHARES_FILE.as_posix()
        self._shares = SharesFile(shares_path, label, today)
        self._as_of = snapshot_as_of(self.directory, today()) or today()

    def fetch(self, spec: SeriesSpec) -> pd.Series:
        if spec.source == "yahoo_shares":
            return self._shares.series(spec.source_id, spec.key)
        return read_series(self.directory, spec, self._today())

    def as_of(self) -> dt.date:
        return self._as_of

    def source_of(self, spec: SeriesSpec) -> str:
        return "snapshot"

    def raw_body(self, spec: SeriesSpec) -> bytes:
        return read_raw_body(self.directory, spec)


class StoreHealth:
    """What went wrong with the data store lately, shared by every load of one store.

    Counts problems (so a load can tell whether any happened while it ran) and keeps the last
    one as a sentence. After the store could not be reached the circuit is open for
    ``STORE_BREAK_S``: ``broken()`` then returns that error and callers skip the store
    (skipping records the problem again, without extending the break).
    """

    def __init__(self, clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._count = 0
        self._last: str | None = None
        self._broken: tuple[float, StoreError] | None = None

    def mark(self) -> int:
        """A marker for ``since``: how many problems were recorded so far."""
        return self._count

    def record(self, error: StoreError, consequence: str) -> None:
        """Note ``error`` and what it means for the page; open the circuit if unreachable."""
        with self._lock:
            self._count += 1
            self._last = f"{error.message}: {consequence}"
            if error.unreachable and self.broken() is None:
                self._broken = (self.clock() + STORE_BREAK_S, error)

    def since(self, mark: int) -> str | None:
        """The last problem, if any was recorded after ``mark``."""
        return self._last if self._count > mark else None

    def broken(self) -> StoreError | None:
        """A copy of the error that opened the circuit, while it is open."""
        broken = self._broken
        if broken is None or self.clock() >= broken[0]:
            return None
        error = broken[1]
        return StoreError(error.location, error.problem, error.reason, error.unreachable)


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
        self.location = storage.as_location(cache_dir)
        self.where = storage.display(self.location)  # how messages name the store
        self.root = storage.join(self.location, upstream.namespace)
        self.clock = clock
        self.health = StoreHealth(clock)
        self._pool = cf.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="series-fetch")
        # Stored copies are read in parallel too (a remote store answers in tens of ms per
        # file), by their own threads so that they never wait behind slow fetches.
        self._readers = cf.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="series-read")
        self._lock = threading.Lock()
        self._inflight: dict[str, cf.Future] = {}
        self._recent_failures: dict[str, tuple[float, SourceError]] = {}
        self._checked: tuple[float, str | None] | None = None

    # -- public -------------------------------------------------------------------------
    def as_of(self) -> dt.date:
        """The date the data is as of: today live, the snapshot's date offline."""
        return self.upstream.as_of()

    def specs(self) -> tuple[SeriesSpec, ...]:
        """The catalogue for this store's reference date."""
        return catalogue(self.as_of())

    def store_check(self) -> str | None:
        """What is wrong with the store location right now, as one sentence, or None: a file
        where the folder should be, a folder that cannot be written (not checked on a
        read-only replica), an unknown protocol, a bucket missing or out of reach.
        Bounded by ``storage.STORE_TIMEOUT_S``; a failure is also recorded in ``health``."""
        error = storage.check(self.root, self.where, writable=not self.read_only)
        if error is None:
            return None
        consequence = self._consequence(error)
        self.health.record(error, consequence)
        return f"{error.message}: {consequence}"

    def load(self, keys: Iterable[str], progress: Callable[[int, int, str | None], None] | None = None) -> LoadResult:
        """Load ``keys``: fresh cache entries as they are, the rest refreshed in parallel.

        ``progress(done, total, waiting)``, if given, is called in this thread while fetches
        run: once with ``done=0`` before waiting, then each time one or more finish;
        ``total`` counts fetches only, ``waiting`` names the source with the most fetches
        still pending ("FRED", "Yahoo Finance", "the snapshot"...) or is None. Not called
        when every series is fresh in the store.
        """
        by_key = {s.key: s for s in self.specs()}
        wanted = [_catalogue_row(by_key, key) for key in dict.fromkeys(keys)]
        mark = self.health.mark()
        check_problem = self._recent_check()
        result = LoadResult()
        pending: dict[str, tuple[cf.Future, Entry | None]] = {}
        for spec, stored in zip(wanted, self._readers.map(self._stored, wanted)):
            if self.read_only:
                self._serve_stored(result, spec, stored)
            elif isinstance(stored, Entry) and self._is_fresh(spec, stored):
                self._accept(result, spec, stored)
            else:
                pending[spec.key] = (self._submit(spec), stored if isinstance(stored, Entry) else None)
        done = self._wait({future: by_key[key] for key, (future, _) in pending.items()}, progress)
        for key, (future, cached) in pending.items():
            spec = by_key[key]
            if future in done and future.exception() is None:
                self._accept(result, spec, future.result())
                continue
            error = future.exception() if future in done else self._error(spec, "timeout")
            self._reject(result, spec, cached, error)
        result.store_problem = check_problem or self.health.since(mark)
        return result

    def health_problems(self, result: LoadResult) -> list[str]:
        """Why this store is unhealthy: a required series with no data, a refresh refused
        because it would shrink history, a store problem, or (live) a series older than
        twice its TTL. Optional series (``SeriesSpec.required`` False) may be missing."""
        problems = []
        frozen = self.upstream.namespace.startswith("snapshot")
        required = {s.key: s.required for s in self.specs()}
        for p in result.provenance.values():
            if p.error_kind == "shrank":
                problems.append(f"{p.key}: {p.error}")
            elif p.status == "failed" and required.get(p.key, True):
                problems.append(f"{p.key}: no data ({p.error})")
            elif p.fetched_at and not frozen and self._age_s(p) > STALE_FACTOR * TTL_S[p.frequency]:
                problems.append(f"{p.key}: last refreshed {p.fetched_at:%Y-%m-%d %H:%M} UTC")
        if result.store_problem:
            problems.append(f"store: {result.store_problem}")
        return problems

    def entry_path(self, spec: SeriesSpec) -> storage.Location:
        """The Parquet file of one series: ``<cache>/<namespace>/<source>/<id>.parquet``."""
        return storage.join(self.root, spec.source, f"{safe_name(spec.source_id)}.parquet")

    # -- waiting ------------------------------------------------------------------------
    def _wait(self, fetching: dict[cf.Future, SeriesSpec], progress) -> set[cf.Future]:
        """Wait up to ``LOAD_TIMEOUT_S`` for ``fetching``, reporting to ``progress``; the done ones."""
        done: set[cf.Future] = set()
        waiting = set(fetching)
        if not waiting:
            return done
        deadline = time.monotonic() + LOAD_TIMEOUT_S
        if progress:
            progress(0, len(fetching), self._busiest(waiting, fetching))
        while waiting:
            finished, waiting = cf.wait(waiting, timeout=max(0.0, deadline - time.monotonic()),
                                        return_when=cf.FIRST_COMPLETED)
            if not finished:
                break  # out of time: the rest count as timeouts
            done |= finished
            if progress:
                progress(len(done), len(fetching), self._busiest(waiting, fetching))
        return done

    def _busiest(self, waiting: set[cf.Future], fetching: dict[cf.Future, SeriesSpec]) -> str | None:
        """The source, in words, with the most fetches in ``waiting`` (None when none)."""
        sources = Counter(self.upstream.source_of(fetching[f]) for f in waiting)
        return SOURCE_NAMES.get(sources.most_common(1)[0][0]) if sources else None

    # -- the store ----------------------------------------------------------------------
    def _recent_check(self) -> str | None:
        """``store_check()``, run again when its answer is older than ``STORE_CHECK_INTERVAL_S``."""
        checked = self._checked
        if checked is None or self.clock() - checked[0] >= STORE_CHECK_INTERVAL_S:
            checked = self._checked = (self.clock(), self.store_check())
        return checked[1]

    def _consequence(self, error: StoreError) -> str:
        if self.read_only:
            return NOT_SERVED
        return NOT_KEPT if error.problem == "cannot be written" else NOT_READ

    def _use_store(self, call):
        """``call()`` unless the circuit is open; a store failure (or the open circuit's
        error) is recorded in ``health`` and raised."""
        error = self.health.broken()
        if error is None:
            try:
                return call()
            except StoreError as exc:
                error = exc
        self.health.record(error, self._consequence(error))
        raise error

    def _read_entry(self, spec: SeriesSpec) -> Entry | None:
        """The stored entry; None if absent or unusable (too large, corrupt, breaking the
        contract). ``StoreError`` if the store fails or is being left alone after failing."""
        try:
            data = self._use_store(lambda: storage.read_bytes(self.entry_path(spec), self.where))
        except storage.EntryTooLarge as exc:
            log.warning("ignoring cache file for %s: %s, larger than any series", spec.key, exc)
            return None
        return None if data is None else _decode_entry(spec, data)

    def _stored(self, spec: SeriesSpec) -> Entry | StoreError | None:
        """The stored entry, None, or the store's failure as a value (for ``map``)."""
        try:
            return self._read_entry(spec)
        except StoreError as exc:
            return exc

    def _cached(self, spec: SeriesSpec) -> Entry | None:
        """The stored entry, or None (absent, unusable, or the store failing: a miss)."""
        try:
            return self._read_entry(spec)
        except StoreError:
            return None

    def _keep(self, spec: SeriesSpec, entry: Entry) -> None:
        """Write ``entry``; a store failure is recorded, never raised (the data is fine)."""
        data = _encode_entry(entry)
        try:
            self._use_store(lambda: storage.write_atomic(self.entry_path(spec), data, self.where))
        except StoreError:
            pass

    def _is_fresh(self, spec: SeriesSpec, entry: Entry) -> bool:
        return self.clock() - entry.fetched_at < TTL_S[spec.frequency]

    def _age_s(self, provenance: Provenance) -> float:
        return self.clock() - provenance.fetched_at.timestamp()

    def _serve_stored(self, result: LoadResult, spec: SeriesSpec, stored: Entry | StoreError | None) -> None:
        """Read-only replica: whatever the shared store holds, however old (the refresher's job)."""
        if isinstance(stored, Entry):
            self._accept(result, spec, stored)
        else:
            error = stored if isinstance(stored, StoreError) else self._error(spec, "not_in_store")
            result.provenance[spec.key] = _provenance(spec, None, error)

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

    def retry_in(self, keys: Iterable[str]) -> float:
        """Seconds until the store asks the upstream again for the first of ``keys`` it holds
        back after a failure (``FAILURE_BACKOFF_S`` from the failure); 0 when none is held."""
        now = self.clock()
        waits = [FAILURE_BACKOFF_S - (now - self._recent_failures[key][0])
                 for key in keys if key in self._recent_failures]
        return max(0.0, min(waits)) if waits else 0.0

    def _refresh(self, spec: SeriesSpec) -> Entry:
        cached = self._cached(spec)  # another caller may have refreshed it meanwhile
        if cached is not None and self._is_fresh(spec, cached):
            return cached
        failed = self._recent_failures.get(spec.key)
        if failed and self.clock() - failed[0] < FAILURE_BACKOFF_S:
            raise failed[1]
        try:
            series = self._fetch(spec)
            self._refuse_shrinking(spec, series, cached)
        except SourceError as exc:
            self._recent_failures[spec.key] = (self.clock(), exc)
            log.warning("refresh failed: %s", exc.message)
            raise
        self._recent_failures.pop(spec.key, None)
        entry = Entry(_plain(series), self.clock(), data_error_note(dropped_rows(series)))
        self._keep(spec, entry)
        return entry

    def _fetch(self, spec: SeriesSpec) -> pd.Series:
        """``upstream.fetch``; an empty result or an untyped library failure is a SourceError."""
        try:
            series = self.upstream.fetch(spec)
        except SourceError:
            raise
        except Exception as exc:  # a library failing in a way its provider does not type
            log.error("unexpected failure fetching %s: %s", spec.key, type(exc).__name__)
            raise self._error(spec, "bad_response", type(exc).__name__) from None
        if series.empty:
            raise self._error(spec, "empty")
        return series

    def _refuse_shrinking(self, spec: SeriesSpec, fresh: pd.Series, cached: Entry | None) -> None:
        """SourceError "shrank" if ``fresh`` ends before ``cached`` or has far fewer rows."""
        if cached is None:
            return
        old = cached.series
        ends_earlier = fresh.index[-1] < old.index[-1]
        fewer = len(old) >= SHRINK_MIN_ROWS and len(fresh) < SHRINK_MIN_FRACTION * len(old)
        if ends_earlier or fewer:
            raise self._error(
                spec, "shrank",
                f"{len(fresh):,} rows to {fresh.index[-1]:%Y-%m-%d} vs {len(old):,} to {old.index[-1]:%Y-%m-%d}; "
                "kept the old copy",
            )

    def _error(self, spec: SeriesSpec, kind: ErrorKind, detail: str = "") -> SourceError:
        return SourceError(self.upstream.source_of(spec), spec.source_id, kind, detail)

    # -- results ------------------------------------------------------------------------
    def _accept(self, result: LoadResult, spec: SeriesSpec, entry: Entry, error: SourceError | None = None):
        result.series[spec.key] = entry.series
        result.provenance[spec.key] = _provenance(spec, entry, error)

    def _reject(self, result: LoadResult, spec: SeriesSpec, cached: Entry | None, error: BaseException) -> None:
        if not isinstance(error, SourceError):  # a bug of ours: say so, never crash the page
            log.error("unexpected failure loading %s: %r", spec.key, error)
            error = self._error(spec, "bad_response", type(error).__name__)
        if cached is not None:
            self._accept(result, spec, cached, error=error)
        else:
            result.provenance[spec.key] = _provenance(spec, None, error)


def _catalogue_row(by_key: dict[str, SeriesSpec], key: str) -> SeriesSpec:
    if key not in by_key:
        raise KeyError(f"{key!r} is not in the catalogue")
    return by_key[key]


def _plain(series: pd.Series) -> pd.Series:
    """``series`` without the attrs the parsers put on it (their count is in the note now)."""
    plain = series.copy(deep=False)
    plain.attrs = {}
    return plain


def _encode_entry(entry: Entry) -> bytes:
    """The Parquet file of an entry: one ``value`` column on the ``date`` index; fetched_at
    and the note in the file's metadata."""
    table = pa.Table.from_pandas(entry.series.rename("value").to_frame())
    metadata = {**(table.schema.metadata or {}), b"fetched_at": repr(entry.fetched_at).encode()}
    if entry.note:
        metadata[b"note"] = entry.note.encode()
    buffer = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata(metadata), buffer)
    return buffer.getvalue().to_pybytes()


def _decode_entry(spec: SeriesSpec, data: bytes) -> Entry | None:
    """The entry in a Parquet file, or None if the file is unreadable or breaks the contract."""
    try:
        table = pq.read_table(pa.BufferReader(data))
        metadata = table.schema.metadata
        fetched_at = float(metadata[b"fetched_at"])
        note = metadata[b"note"].decode() if b"note" in metadata else None
        series = table.to_pandas()["value"].rename(spec.key)
    except Exception as exc:  # any unreadable file is a cache miss, never a crash
        log.warning("ignoring unreadable cache file for %s (%s)", spec.key, type(exc).__name__)
        return None
    if check_contract(series) or series.empty:
        log.warning("ignoring cache file for %s that breaks the data contract", spec.key)
        return None
    return Entry(series, fetched_at, note)


def _provenance(spec: SeriesSpec, entry: Entry | None, error: SourceError | StoreError | None) -> Provenance:
    series = entry.series if entry is not None else None
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
        fetched_at=dt.datetime.fromtimestamp(entry.fetched_at, dt.timezone.utc) if entry is not None else None,
        stale=error is not None and has_data,
        error=error.message if error else None,
        error_kind=error.kind if error else None,
        note=entry.note if entry is not None else None,
    )


def safe_name(source_id: str) -> str:
    """A file name for a source id (``^GSPC`` -> ``_GSPC``); letters, digits and ``-_.=`` kept."""
    return "".join(c if c.isalnum() or c in "-_.=" else "_" for c in source_id)


def default_cache_dir() -> storage.Location:
    """``DASH_CACHE_DIR`` if set (a folder or an fsspec URL such as ``s3://bucket/prefix``),
    else the per-user cache folder. ``SeriesStore.store_check`` says what is wrong with it."""
    return storage.as_location(os.environ.get("DASH_CACHE_DIR") or platformdirs.user_cache_dir(APP_NAME))


def default_upstream() -> Upstream:
    """``DASH_SNAPSHOT=DIR`` replays that folder (share counts from ``DASH_SHARES=FILE`` if
    set, else from the folder's own shares file); otherwise the live sources."""
    snapshot = os.environ.get(SNAPSHOT_ENV, "").strip()
    if not snapshot:
        return LiveUpstream()
    shares = os.environ.get(SHARES_ENV, "").strip()
    return SnapshotUpstream(Path(snapshot), Path(shares) if shares else None)


def read_only_from_env() -> bool:
    """``DASH_READ_ONLY=1`` (or true/yes): this process is a replica that reads the shared
    store and never calls Yahoo or FRED; a ``refresh`` job elsewhere keeps the store current."""
    return os.environ.get("DASH_READ_ONLY", "").strip().lower() in ("1", "true", "yes")


def default_store() -> SeriesStore:
    """The store the app and the CLI use, configured from the environment (see
    ``read_only_from_env``)."""
    return SeriesStore(default_upstream(), default_cache_dir(), read_only=read_only_from_env())
