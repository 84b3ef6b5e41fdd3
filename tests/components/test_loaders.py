"""The page layer's memory of loads: clean loads for LOADER_TTL_S, failed ones only for the
rest of the store's hold-back (``components.loaders.memo_ttl``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from components.loaders import LOADER_TTL_S, LoadMemo, memo_ttl
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
