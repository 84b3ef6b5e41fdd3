"""The page layer's memory of loads: clean loads for LOADER_TTL_S, failed ones only for the
rest of the store's hold-back (``components.loaders.memo_ttl``); page sections built once per
data version and view (``components.loaders.section``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from components.loaders import LOADER_TTL_S, LoadMemo, fingerprint, memo_ttl, section
from data_sources.cache import LoadResult, Provenance


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def result(error: str | None = None) -> LoadResult:
    day = dt.date(2026, 8, 21)
    provenance = Provenance("t_2y", "fred", "DGS2", "2-year Treasury yield", "percent", "daily",
                            first_obs=day, last_obs=day, error=error, error_kind="server_error" if error else None)
    series = pd.Series([4.19], index=pd.DatetimeIndex([day], name="date"), name="t_2y")
    return LoadResult({"t_2y": series}, {"t_2y": provenance})


def test_a_clean_load_is_kept_for_the_loader_ttl_and_a_failed_one_for_the_rest_of_the_hold_back():
    assert memo_ttl(result(), retry_in=0.0) == LOADER_TTL_S
    assert memo_ttl(result("FRED had a server error"), retry_in=42.5) == 42.5
    assert memo_ttl(result("FRED had a server error"), retry_in=0.0) == 0.0


def test_the_memo_forgets_an_entry_when_its_time_is_up():
    clock = Clock()
    memo = LoadMemo(clock=clock)
    clean = result()
    memo.put(("t_2y",), clean, 30.0)
    clock.now += 29.9
    assert memo.get(("t_2y",)) is clean
    clock.now += 0.1
    assert memo.get(("t_2y",)) is None


def test_a_zero_time_is_not_remembered_and_the_least_recent_entry_goes_first():
    clock = Clock()
    memo = LoadMemo(entries=2, clock=clock)
    memo.put(("a",), result(), 0.0)
    assert memo.get(("a",)) is None
    first, second, third = result(), result(), result()
    memo.put(("a",), first, 10.0)
    memo.put(("b",), second, 10.0)
    assert memo.get(("a",)) is first  # "a" is now the most recently used
    memo.put(("c",), third, 10.0)
    assert memo.get(("b",)) is None and memo.get(("a",)) is first and memo.get(("c",)) is third


# --- Page sections: built once per (builder, data version, arguments) ------------------------------

def fetched(at: dt.datetime, values=(4.19,)) -> LoadResult:
    """``result()``'s series with the given values, as fetched by the store at ``at``."""
    days = pd.bdate_range("2026-08-21", periods=len(values), name="date")
    provenance = Provenance("t_2y", "fred", "DGS2", "2-year Treasury yield", "percent", "daily",
                            first_obs=days[0].date(), last_obs=days[-1].date(), fetched_at=at)
    return LoadResult({"t_2y": pd.Series(values, index=days, name="t_2y")}, {"t_2y": provenance})


def test_fingerprint_changes_with_a_refresh_and_a_new_observation_not_with_the_object():
    noon = dt.datetime(2026, 8, 21, 12, 0)
    assert fingerprint(fetched(noon)) == fingerprint(fetched(noon))  # same data, a new load object
    assert fingerprint(fetched(noon)) != fingerprint(fetched(noon + dt.timedelta(hours=1)))  # refetched
    assert fingerprint(fetched(noon)) != fingerprint(fetched(noon, (4.19, 4.21)))  # one more day


def test_a_section_is_built_once_per_data_version_and_arguments_and_shared():
    st.cache_resource.clear()
    calls = []

    def build(loaded, window):
        calls.append((fingerprint(loaded), window))
        return {"last": float(loaded.series["t_2y"].iloc[-1]), "window": window}

    noon = dt.datetime(2026, 8, 21, 12, 0)
    first = section(build, fetched(noon), "1Y")
    assert section(build, fetched(noon), "1Y") is first  # another session, same data: the same object
    assert len(calls) == 1
    assert section(build, fetched(noon), "Max") == {"last": 4.19, "window": "Max"}
    refreshed = section(build, fetched(noon + dt.timedelta(hours=1), (4.19, 4.21)), "1Y")
    assert refreshed == {"last": 4.21, "window": "1Y"} and len(calls) == 3


def test_two_builders_with_the_same_arguments_do_not_share_an_entry():
    st.cache_resource.clear()
    noon = dt.datetime(2026, 8, 21, 12, 0)

    def first(loaded):
        return "first"

    def second(loaded):
        return "second"

    assert (section(first, fetched(noon)), section(second, fetched(noon))) == ("first", "second")
