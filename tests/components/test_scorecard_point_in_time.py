"""The scorecard's promise: as of any day D it reads exactly what it would read if the data held
nothing published after D.

Each day D is scored twice with the real view code (``components.views.overview``):
- on the full snapshot, where the app itself decides what was public on D (shipped release
  calendars, ``analytics.calendar.publication_dates``);
- on a copy with every observation not yet published on D removed beforehand, the removal
  decided here, independently, from the verified reference calendars in ../shared/data/events
  with plain pandas (a monthly observation is published with the first release whose reference
  month is its month or later; weekly claims on the Thursday after the week-ending Saturday;
  daily data on its own date).
Both sides know the same macro announcement days (claim 9), built as the app builds them
(``views.events.announcements`` of the shipped FOMC and release calendars): they are public in
advance, so only the market data behind the event study is cut.
Share counts are first put on today's split basis (``tests.app.conftest.split_adjusted``, the
known split dates), because Yahoo's prices are already adjusted for every later split: the data
are "as revised since", and a split changes the unit of a count, not what was known.
Every status and every reading (the evidence line, with its dates) must be equal. The history
grid, which scores all month-ends at once, must agree with the cards of each month-end.

Days: every seventh month-end since 2000 plus the release days (and their eves) around the
2025 shutdown, when publication lags were longest and months were merged.
"""

from __future__ import annotations

import datetime as dt
import functools

import pandas as pd
import pytest

from components.views import events as ev
from components.views import overview as ov
from data_sources.calendars import read_calendars, read_fomc
from data_sources.cache import LoadResult
from data_sources.catalogue import STATIC_BY_KEY
from data_sources.errors import SourceError
from tests.app.conftest import split_adjusted
from tests.conftest import REFERENCE_CALENDARS, SNAPSHOT_AS_OF, snapshot_series

SHUTDOWN_DAYS = ("2025-12-04", "2025-12-05", "2025-12-15", "2025-12-16", "2026-01-08", "2026-01-09",
                 "2026-01-21", "2026-01-22", "2026-02-19", "2026-02-20", "2026-07-30", "2026-07-31")
LAST_REFERENCE_DAY = pd.Timestamp("2026-08-04")  # no later day: a calendar ends with releases up to here
MACRO = 9  # the claim scored on macro announcement days


def days_to_check() -> list[pd.Timestamp]:
    ends = pd.date_range("2000-01-31", "2026-07-31", freq="ME")[::7]
    return sorted({*ends, *pd.to_datetime(SHUTDOWN_DAYS)})


@functools.cache
def full_data():
    """Every series the scorecard reads, from the snapshot (absent files left out); share
    counts on today's split basis."""
    series = {}
    for key in ov.score_keys(SNAPSHOT_AS_OF):
        spec = STATIC_BY_KEY.get(key)
        try:
            series[key] = (split_adjusted(spec.source_id).rename(key).rename_axis("date")
                           if spec is not None and spec.source == "yahoo_shares" else snapshot_series(key))
        except SourceError:  # a file the snapshot does not have (the 6-month and 1-year bills)
            continue
    return LoadResult(series=series)


@functools.cache
def reference_calendar(release: str) -> pd.DataFrame:
    frame = pd.read_csv(REFERENCE_CALENDARS[release], dtype=str)
    return pd.DataFrame({"date": pd.to_datetime(frame["date"]),
                         "month": pd.PeriodIndex(frame["reference_month"], freq="M")})


def published_on(release: str, dates: pd.DatetimeIndex) -> pd.Series:
    """Publication day of each observation by the reference calendar (NaT beyond it)."""
    if release == "claims":
        return pd.Series(dates + pd.Timedelta(days=5), index=dates)
    calendar = reference_calendar(release)
    first = calendar["month"].min()
    out = []
    for month in dates.to_period("M"):
        later = calendar.loc[calendar["month"] >= month, "date"]
        out.append(calendar["date"].iloc[0] if month < first else (later.min() if len(later) else pd.NaT))
    return pd.Series(pd.DatetimeIndex(out), index=dates)


def truncated(day: pd.Timestamp) -> ov.LoadResult:
    """The snapshot with everything not yet published on ``day`` removed."""
    series = {}
    for key, values in full_data().series.items():
        spec = STATIC_BY_KEY.get(key)
        if spec is not None and spec.release is not None:
            public = published_on(spec.release, values.index)
            kept = values[public.notna().to_numpy() & (public <= day).to_numpy()]
        else:
            kept = values.loc[:day]
        if not kept.dropna().empty:
            series[key] = kept
    return LoadResult(series=series)


@functools.cache
def shipped_calendars() -> dict:
    return read_calendars()


@functools.cache
def shipped_announcements() -> dict[str, pd.DatetimeIndex]:
    """The macro announcement days by type, as the app builds them (``loaders._announcements``)."""
    return ev.announcements(read_fomc(), shipped_calendars())


@functools.cache
def full_point_in_time() -> ov.PointInTime:
    return ov.point_in_time(full_data(), shipped_calendars(), announced=shipped_announcements())


def scored(data: ov.LoadResult, pit: ov.PointInTime, day: pd.Timestamp) -> list[tuple]:
    card = ov.score_all(data, SNAPSHOT_AS_OF, day.date(), pit)
    return [(s.result.number, s.result.status, s.result.evidence, s.result.checks) for s in card.claims]


@pytest.mark.parametrize("day", days_to_check(), ids=lambda d: f"{d:%Y-%m-%d}")
def test_a_day_reads_the_same_on_full_and_on_published_only_data(day):
    assert day <= LAST_REFERENCE_DAY
    cut = truncated(day)
    on_full = scored(full_data(), full_point_in_time(), day)
    on_cut = scored(cut, ov.point_in_time(cut, shipped_calendars(), announced=shipped_announcements()), day)
    number, status = on_full[MACRO - 1][:2]
    assert number == MACRO and status != "no data"  # scored on both sides, so the comparison is not vacuous
    assert on_full == on_cut


def test_the_check_can_fail_when_unpublished_data_leaks():
    """Control: the same comparison with publication dates ignored (the old "cut by the
    observation's date") does NOT hold on a day when December data was not yet out."""
    day = pd.Timestamp("2026-01-08")
    naive = ov.PointInTime(full_data(), {}, ov.BASIS_CALENDARS, shipped_announcements())
    cut = truncated(day)
    assert scored(full_data(), naive, day) != scored(
        cut, ov.point_in_time(cut, shipped_calendars(), announced=shipped_announcements()), day)


def test_the_history_grid_agrees_with_the_cards_of_each_month_end():
    grid = ov.verdict_history(full_point_in_time(), SNAPSHOT_AS_OF)
    for day in pd.date_range("2003-01-31", "2026-07-31", freq="ME")[::11]:
        card = ov.score_all(full_data(), SNAPSHOT_AS_OF, day.date(), full_point_in_time())
        assert grid[day].tolist() == [s.result.status for s in card.claims], f"{day:%Y-%m-%d}"


def test_as_of_2025_12_31_reads_what_was_public_then():
    """December unemployment (2026-01-09) and October–December core PCE (2026-01-22, 2026-02-20)
    were not out on 2025-12-31: the card reads November's 4.5% and September's core PCE YoY."""
    card = ov.score_all(full_data(), SNAPSHOT_AS_OF, dt.date(2025, 12, 31), full_point_in_time())
    labour, inflation = card.claims[2].result, card.claims[7].result
    unrate = full_data().series["unrate"]
    core = full_data().series["core_pce"]
    sept_yoy = (core.loc["2025-09-01"] / core.loc["2024-09-01"] - 1) * 100
    assert labour.readings[0].as_of == dt.date(2025, 11, 1)
    assert labour.readings[0].value == unrate.loc["2025-11-01"] == 4.5
    assert inflation.readings[0].as_of == dt.date(2025, 9, 1)
    assert inflation.readings[0].value == pytest.approx(sept_yoy)
    assert card.label.startswith("Data published by 2025-12-31, as revised since")


def test_todays_cards_from_the_history_pass_equal_the_cards_scored_alone():
    """The page takes today's cards from the history's single pass (publication dates capped at
    the data's date): they must equal today's cards scored on their own, reading by reading
    (given the same point-in-time data, whose announcement days claim 9 needs)."""
    pit = ov.point_in_time(full_data(), shipped_calendars(), today=SNAPSHOT_AS_OF, announced=shipped_announcements())
    card, grid = ov.today_and_history(full_data(), SNAPSHOT_AS_OF, pit)
    assert card.claims[MACRO - 1].result.status != "no data"
    alone = ov.score_all(full_data(), SNAPSHOT_AS_OF, None, pit)
    assert [s.result for s in card.claims] == [s.result for s in alone.claims]
    assert (card.verdict, card.summary, card.label) == (alone.verdict, alone.summary, alone.label)
    assert grid[pd.Timestamp(SNAPSHOT_AS_OF)].tolist() == [s.result.status for s in alone.claims]
    assert grid.iloc[:, :-1].equals(ov.verdict_history(pit, SNAPSHOT_AS_OF).iloc[:, :-1])
