"""The only place that loads data for pages, remembers loads in memory, and turns load
problems into page-level banners.

``load(keys)`` returns the data layer's ``LoadResult`` (series + provenance). A load whose
every series came back fresh is remembered for ``LOADER_TTL_S`` per server process; a load
with a failure (a stale copy served, a series missing) only for the rest of the store's own
hold-back of that series (``FAILURE_BACKOFF_S``): the first run after it asks the store, which
asks the upstream, so a transient failure clears as soon as it can. A cold load shows a
progress bar (n of N series, which source is slow) instead of a bare spinner.

Banners here are the page-wide ones: no data at all, a rejected FRED key, a store problem,
and copies shown after a failed refresh. A series that is missing altogether is named by the
panels that need it (``panels.available``), once per page. We remember our own loads
instead of using ``st.cache_data`` because a cached function cannot update a progress bar
while it runs, and because a hit then needs no copy of the data (pandas copy-on-write keeps
the shared series safe from callers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections import OrderedDict, defaultdict

import pandas as pd
import streamlit as st

from components.views.events import EVENT_KEYS, EventStudy, announcements, event_study
from components.views.market import BILL_TENORS, MarketPath, market_path, market_path_keys
from components.views.overview import PointInTime, Scorecard, parse_as_of, point_in_time, score_all, today_and_history
from data_sources.cache import LoadResult, Provenance, SeriesStore, default_store
from data_sources.calendars import (
    FRED_RELEASE_IDS,
    RELEASE_NAMES,
    extend_with_release_dates,
    read_calendars,
    read_fomc,
)
from data_sources.catalogue import STATIC_BY_KEY, SeriesSpec
from data_sources.errors import SourceError, source_name

log = logging.getLogger(__name__)

LOADER_TTL_S = 15 * 60  # in-memory copy per server; the Parquet store below has its own TTLs
MEMO_ENTRIES = 256  # distinct key sets remembered per server (a page asks for a handful)
NO_DATA_HELP = (
    "No data yet: the sources could not be reached and there is no cached copy. "
    "Check the network and reload, or run offline on a snapshot folder: "
    "`DASH_SNAPSHOT=path/to/snapshot streamlit run app.py` (see the README)."
)
KEY_REJECTED_HELP = (
    "FRED rejected the API key, so FRED data comes from the keyless download instead; "
    "everything still works. Check FRED_API_KEY in your secrets or environment."
)
NO_SNAPSHOT_DATA_HELP = (
    "No data yet: the snapshot folder named by DASH_SNAPSHOT has no usable files for these series. "
    "Check that the path points to a snapshot (it holds yahoo/ and fred/ folders), or record "
    "one where a network is available: `python -m data_sources snapshot OUT_DIR`."
)


@st.cache_resource(show_spinner=False)
def store() -> SeriesStore:
    """One series store per server process (its thread pool and single-flight are shared)."""
    return default_store()


class LoadMemo:
    """Loads by key set, each kept for the time it was given; at most ``entries`` of them
    (least recently used dropped first). Thread-safe: every session's script thread uses it."""

    def __init__(self, entries: int = MEMO_ENTRIES, clock=time.monotonic):
        self.entries, self.clock = entries, clock
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, ...], tuple[float, LoadResult]] = OrderedDict()

    def get(self, keys: tuple[str, ...]) -> LoadResult | None:
        with self._lock:
            item = self._items.get(keys)
            if item is None or item[0] <= self.clock():
                self._items.pop(keys, None)
                return None
            self._items.move_to_end(keys)
            return item[1]

    def put(self, keys: tuple[str, ...], result: LoadResult, ttl_s: float) -> None:
        """Remember ``result`` for ``ttl_s`` seconds (not at all when ``ttl_s`` is 0)."""
        if ttl_s <= 0:
            return
        with self._lock:
            self._items[keys] = (self.clock() + ttl_s, result)
            self._items.move_to_end(keys)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)


def memo_ttl(result: LoadResult, retry_in: float) -> float:
    """How long a load may be remembered: ``LOADER_TTL_S`` when every series came back fresh;
    with a failure only until the store would ask the upstream again (``retry_in`` seconds,
    the rest of its hold-back), so a transient failure clears on the first run after it."""
    return retry_in if result.failures() else LOADER_TTL_S


@st.cache_resource(show_spinner=False)
def memo() -> LoadMemo:
    """The server's memory of successful loads (cleared with ``st.cache_resource.clear()``)."""
    return LoadMemo()


def data_as_of() -> dt.date:
    """The reference date of the data: today live, the snapshot's date offline."""
    return store().as_of()


def specs() -> dict[str, SeriesSpec]:
    """Catalogue rows by key for the current reference date."""
    return {s.key: s for s in store().specs()}


# --- One banner per problem per page run ---------------------------------------------------------
# Per script-run thread, reset by ``begin_page`` (``page_frame`` calls it first).
_PAGE = threading.local()
NO_DATA_TOPIC = "no-data"


def begin_page() -> None:
    """Start a page run with nothing announced yet."""
    _PAGE.announced = set()


def _announced() -> set[str]:
    if not hasattr(_PAGE, "announced"):  # a run that did not go through page_frame (a test)
        begin_page()
    return _PAGE.announced


def first_mention(topic: str) -> bool:
    """True the first time ``topic`` comes up in this page run (then it is marked said)."""
    announced = _announced()
    if topic in announced:
        return False
    announced.add(topic)
    return True


def no_data_said() -> bool:
    """Whether this run already said that no data could be loaded at all."""
    return NO_DATA_TOPIC in _announced()


def load(keys) -> LoadResult:
    """Load catalogue ``keys`` (remembered in memory when clean) and show the page-wide banners."""
    wanted = list(dict.fromkeys(keys))
    key_set = tuple(sorted(wanted))
    loaded = memo().get(key_set)
    if loaded is None:
        loaded = _load_with_progress(key_set)
        failed = [p.key for p in loaded.failures()]
        memo().put(key_set, loaded, memo_ttl(loaded, store().retry_in(failed)))
    result = LoadResult(
        series={k: loaded.series[k] for k in wanted if k in loaded.series},
        provenance={k: loaded.provenance[k] for k in wanted if k in loaded.provenance},
        store_problem=loaded.store_problem,
    )
    show_problems(result)
    return result


def load_market(as_of: dt.date) -> tuple[LoadResult, MarketPath]:
    """The series of the market-implied path and the path itself; the bills of its fallback
    are loaded only when futures give no path (most of the time they are not needed)."""
    result = load(market_path_keys(as_of))
    market = section(market_path, result, as_of)
    if market.path.empty:
        result = result.merged(load(BILL_TENORS))
        market = section(market_path, result, as_of)
    return result, market


def _load_with_progress(keys: tuple[str, ...]) -> LoadResult:
    """``store().load(keys)`` with a progress bar while series are fetched (none when every
    series is fresh in the store); the bar is removed when the load is done."""
    bar = None

    def report(done: int, total: int, waiting: str | None) -> None:
        nonlocal bar
        bar = bar or st.empty()
        slow = f" · waiting on {waiting}" if waiting else ""
        bar.progress(done / total if total else 1.0, text=f"Loading data: {done} of {total} series{slow}…")

    result = store().load(keys, progress=report)
    if bar is not None:
        bar.empty()
    return result


def snapshot_mode() -> bool:
    """True when the data comes from a snapshot folder (``DASH_SNAPSHOT``), not the network."""
    return store().upstream.namespace.startswith("snapshot")


def fred_key_rejected() -> bool:
    """True once FRED has refused the configured API key in this server process."""
    fred = getattr(store().upstream, "fred", None)
    return bool(fred is not None and fred.key_rejected)


def show_problems(result: LoadResult) -> None:
    """Page-wide banners, each at most once per page run; never a traceback, URL or key."""
    if fred_key_rejected() and first_mention("key-rejected"):
        st.warning(KEY_REJECTED_HELP, icon=":material/key_off:")
    if result.store_problem and first_mention(f"store:{result.store_problem}"):
        st.warning(f"{result.store_problem} Everything else still works.", icon=":material/database:")
    failures = result.failures()
    if failures and not result.series:
        if first_mention(NO_DATA_TOPIC):
            st.info(NO_SNAPSHOT_DATA_HELP if snapshot_mode() else NO_DATA_HELP, icon=":material/cloud_off:")
        return
    stale = [p for p in failures if p.stale and first_mention(f"stale:{p.key}")]
    by_kind: dict[tuple[str, str], list[Provenance]] = defaultdict(list)
    for p in stale:
        by_kind[(p.source, p.error_kind or "")].append(p)
    for (source, kind), items in by_kind.items():
        st.warning(stale_message(source, kind, items), icon=":material/warning:")


def stale_message(source: str, kind: str, items: list[Provenance]) -> str:
    """A short sentence for old copies of one source shown after a failed refresh of one kind."""
    name = source_name(source)
    labels = ", ".join(sorted(p.label for p in items)[:6]) + ("…" if len(items) > 6 else "")
    head = (f"{name} is throttling requests, try again later." if kind == "rate_limited"
            else f"{name} could not be refreshed ({kind.replace('_', ' ') or 'error'}).")
    last = min(p.fetched_at for p in items).strftime("%Y-%m-%d %H:%M UTC")
    return f"{head} Showing the copy fetched {last} for: {labels}; the refresh failed."


# --- Point in time: release calendars and ALFRED first releases -----------------------------------

CALENDAR_TTL_S = 12 * 3600  # FRED's release dates and first releases change a few times a month


def _live_fred():
    """The live FRED client when a key is set and not rejected (None offline or keyless)."""
    fred = getattr(store().upstream, "fred", None)
    return fred if fred is not None and fred.api_key and not fred.key_rejected else None


@st.cache_resource(show_spinner=False, ttl=CALENDAR_TTL_S)
def release_schedule(today: dt.date) -> tuple[dict[str, pd.DataFrame], dict[str, list[pd.Timestamp]]]:
    """The shipped release calendars by release name and the scheduled release days after
    ``today``; with a FRED key both come from FRED's release dates too (a calendar FRED cannot
    give stays as shipped, with no scheduled days)."""
    fred = _live_fred()
    calendars, upcoming = {}, {}
    for release, calendar in read_calendars().items():
        if fred is not None:
            try:
                calendar, upcoming[release] = extend_with_release_dates(
                    calendar, fred.release_dates(FRED_RELEASE_IDS[release]), today)
            except SourceError as exc:
                log.warning("release dates of %s not refreshed: %s", release, exc)
        calendars[release] = calendar
    return calendars, upcoming


def next_releases(today: dt.date) -> list[str]:
    """'CPI 2026-12-10' per release FRED has scheduled after ``today`` (empty without a key)."""
    upcoming = release_schedule(today)[1]
    return [f"{RELEASE_NAMES[release]} {min(days):%Y-%m-%d}" for release, days in upcoming.items() if days]


def calendars(today: dt.date) -> dict[str, pd.DataFrame]:
    """The release calendars as of ``today`` (``release_schedule``)."""
    return release_schedule(today)[0]


@st.cache_resource(show_spinner=False, ttl=CALENDAR_TTL_S)
def _announcements(today: dt.date) -> tuple[dict[str, pd.DatetimeIndex], str | None]:
    try:
        fomc, problem = read_fomc(), None
    except (OSError, ValueError) as exc:
        log.error("FOMC calendar not read: %s", exc)
        fomc = pd.DataFrame({"date": pd.DatetimeIndex([]), "kind": pd.Series([], dtype=str)})
        problem = "The FOMC calendar (data/calendars/fomc.csv) could not be read, so FOMC days are left out."
    return announcements(fomc, calendars(today)), problem


def macro_announcements(today: dt.date) -> dict[str, pd.DatetimeIndex]:
    """Announcement days by event type (``views.events.announcements``): the shipped FOMC
    calendar and the release calendars (with a FRED key, extended by FRED's release dates).
    A calendar that cannot be read leaves its type empty, with one banner saying so."""
    days, problem = _announcements(today)
    if problem and first_mention("fomc-calendar"):
        st.warning(f"{problem} The CPI, jobs and PCE days still work; reinstall the app to restore the file.",
                   icon=":material/event_busy:")
    return days


@st.cache_resource(show_spinner=False, ttl=LOADER_TTL_S, max_entries=8)
def _event_study(_loaded: LoadResult, today: dt.date, data_id: str) -> EventStudy:
    return event_study(*(_loaded.series.get(k) for k in EVENT_KEYS), _announcements(today)[0])


def load_event_study(loaded: LoadResult, today: dt.date) -> EventStudy:
    """``views.events.event_study`` on ``loaded`` (which holds ``STUDY_KEYS``) and the macro
    announcement days (``macro_announcements``, whose banner it shows), once per data."""
    macro_announcements(today)
    return event_study_of(loaded, today)


def event_study_of(loaded: LoadResult, today: dt.date) -> EventStudy:
    """``load_event_study`` without its banner, for page sections (which make no ``st.*`` calls)."""
    return _event_study(loaded, today, fingerprint(loaded))


@st.cache_resource(show_spinner=False, ttl=CALENDAR_TTL_S)
def first_releases(keys: tuple[str, ...]) -> dict[str, pd.DataFrame]:
    """ALFRED first releases (value, published) of the monthly and weekly FRED ``keys``, with a
    FRED key only ({} offline or keyless). A series that fails is left out: its as-of view
    falls back to the release calendar."""
    fred = _live_fred()
    out = {}
    for key in keys if fred is not None else ():
        spec = STATIC_BY_KEY.get(key)
        if spec is None or spec.source != "fred" or spec.release is None:
            continue
        try:
            out[key] = fred.first_releases(spec.source_id)
        except SourceError as exc:
            log.warning("first releases of %s not loaded: %s", key, exc)
    return out


def fingerprint(result: LoadResult) -> str:
    """What identifies the data of a load cheaply: a digest of each series' key, length, last
    date and the time the store fetched it (a refresh that revises values changes it, so
    whatever was computed from the old copy is recomputed). A short string, because the
    caches hash their arguments on every call (a tuple of timestamps costs ~5 ms a call)."""
    fetched = {key: p.fetched_at for key, p in result.provenance.items()}
    parts = [(key, len(s), s.index[-1] if len(s) else None, fetched.get(key)) for key, s in sorted(result.series.items())]
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


@st.cache_resource(show_spinner=False, ttl=LOADER_TTL_S, max_entries=8)
def _point_in_time(_loaded: LoadResult, today: dt.date, data_id: str) -> PointInTime:
    return point_in_time(_loaded, calendars(today), first_releases(tuple(sorted(_loaded.series))), today,
                         _announcements(today)[0])


@st.cache_resource(show_spinner=False, ttl=LOADER_TTL_S, max_entries=64)
def _scorecard(_loaded: LoadResult, today: dt.date, as_of: dt.date, data_id: str) -> Scorecard:
    return score_all(_loaded, today, as_of, _point_in_time(_loaded, today, data_id))


@st.cache_resource(show_spinner=False, ttl=LOADER_TTL_S, max_entries=8)
def _today_and_grid(_loaded: LoadResult, today: dt.date, data_id: str) -> tuple[Scorecard, pd.DataFrame]:
    return today_and_history(_loaded, today, _point_in_time(_loaded, today, data_id))


# Computed once per data (``fingerprint``) and day, shared by every visitor of the server.

def load_point_in_time(loaded: LoadResult, today: dt.date) -> PointInTime:
    """``loaded`` with each monthly and weekly observation's publication date (and, with a FRED
    key, its first-release value), for as-of views and the verdict history."""
    return _point_in_time(loaded, today, fingerprint(loaded))


def scorecard(loaded: LoadResult, today: dt.date, as_of: dt.date | None) -> Scorecard:
    """``overview.score_all`` on the point-in-time data of ``loaded`` (today's: with the grid)."""
    if parse_as_of(as_of, today) is None:
        return _today_and_grid(loaded, today, fingerprint(loaded))[0]
    return _scorecard(loaded, today, as_of, fingerprint(loaded))


def verdict_grid(loaded: LoadResult, today: dt.date) -> pd.DataFrame:
    """``overview.today_and_history``'s grid; its last column is today's cards."""
    return _today_and_grid(loaded, today, fingerprint(loaded))[1]


# --- Page sections: views and finished figures, built once per data version and view ---------
SECTION_TTL_S = LOADER_TTL_S
SECTION_ENTRIES = 256  # sections × views × data versions kept per process (about 2 MB each at most)


@st.cache_resource(show_spinner=False, ttl=SECTION_TTL_S, max_entries=SECTION_ENTRIES)
def _section(name: str, data_id: str, args: tuple, _build, _loaded: LoadResult | None):
    return _build(_loaded, *args)


def section(build, loaded: LoadResult | None, *args):
    """``build(loaded, *args)``, computed once per (``build``, data version of ``loaded``, ``args``)
    in this server process and the same object returned to every session after that.

    ``build`` must be a pure function of its arguments: ``args`` are small hashable values
    holding everything else it reads (the window, the controls); it makes no ``st.*`` calls, and
    nobody may change what it returns (figures are finished inside it, ``chart_block`` only
    reads them). A warm page run then only lays out elements. ``loaded`` None: a section that
    reads no data (a model).
    """
    name = f"{build.__code__.co_filename}:{build.__qualname__}"
    return _section(name, fingerprint(loaded) if loaded is not None else "", args, build, loaded)
