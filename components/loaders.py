"""The only place with Streamlit caching, and the only place load errors become banners.

``load(keys)`` returns the data layer's ``LoadResult`` (series + provenance) and shows one
short, specific message per kind of problem: what failed, what still works, what to do.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import streamlit as st

from data_sources.cache import LoadResult, SeriesStore, default_store
from data_sources.catalogue import SeriesSpec

LOADER_TTL_S = 15 * 60  # in-memory copy per server; the Parquet store below has its own TTLs
SOURCE_NAMES = {"yahoo": "Yahoo Finance", "fred": "FRED"}
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
    "No data yet: the snapshot folder named by DASH_SNAPSHOT has no files for these series. "
    "Check that the path points to a snapshot (it holds yahoo/ and fred/ folders), or record "
    "one where a network is available: `python -m data_sources snapshot OUT_DIR`."
)


@st.cache_resource(show_spinner=False)
def store() -> SeriesStore:
    """One series store per server process (its thread pool and single-flight are shared)."""
    return default_store()


@st.cache_data(ttl=LOADER_TTL_S, show_spinner=False, max_entries=256)
def _cached_load(keys: tuple[str, ...]) -> LoadResult:
    return store().load(keys)


def data_as_of() -> dt.date:
    """The reference date of the data: today live, the snapshot's date offline."""
    return store().as_of()


def specs() -> dict[str, SeriesSpec]:
    """Catalogue rows by key for the current reference date."""
    return {s.key: s for s in store().specs()}


def load(keys, *, quiet: bool = False) -> LoadResult:
    """Load catalogue ``keys`` (cached in memory) and show banners for what failed."""
    wanted = list(dict.fromkeys(keys))
    with st.spinner("Loading data…"):
        cached = _cached_load(tuple(sorted(wanted)))  # one cache entry per set of keys
    result = LoadResult(
        series={k: cached.series[k] for k in wanted if k in cached.series},
        provenance={k: cached.provenance[k] for k in wanted if k in cached.provenance},
    )
    if not quiet:
        show_problems(result)
    return result


def fred_key_rejected() -> bool:
    """True once FRED has refused the configured API key in this server process."""
    fred = getattr(store().upstream, "fred", None)
    return bool(fred is not None and fred.key_rejected)


def show_problems(result: LoadResult) -> None:
    """One banner per kind of failure; never a traceback, never a URL or key."""
    if fred_key_rejected():
        st.warning(KEY_REJECTED_HELP, icon=":material/key_off:")
    failures = result.failures()
    if not failures:
        return
    if not result.series:
        offline = all(p.error_kind == "missing" for p in failures)
        st.info(NO_SNAPSHOT_DATA_HELP if offline else NO_DATA_HELP, icon=":material/cloud_off:")
        return
    by_kind: dict[tuple[str, str], list] = defaultdict(list)
    for p in failures:
        by_kind[(p.source, p.error_kind or "")].append(p)
    for (source, kind), items in by_kind.items():
        st.warning(problem_message(source, kind, items), icon=":material/warning:")


def problem_message(source: str, kind: str, items: list) -> str:
    """A short sentence for a group of failed series of one source and kind."""
    name = SOURCE_NAMES.get(source, source)
    labels = ", ".join(sorted(p.label for p in items)[:6]) + ("…" if len(items) > 6 else "")
    stale = [p for p in items if p.stale]
    if kind == "rate_limited":
        head = f"{name} is throttling requests, try again later."
    elif kind == "missing":
        head = "The snapshot folder has no file for some series."
    else:
        head = f"{name} could not be refreshed ({kind.replace('_', ' ') or 'error'})."
    if stale:
        last = min(p.fetched_at for p in stale).strftime("%Y-%m-%d %H:%M UTC")
        tail = f" Showing the copy fetched {last} for: {labels}; the refresh failed."
    else:
        tail = f" Not shown: {labels}. Everything else on this page still works."
    return head + tail
