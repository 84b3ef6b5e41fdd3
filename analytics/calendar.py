"""Dated facts the analytics need: FOMC statement days and NBER recessions (ANALYTICS.md),
and the publication date of each macro observation (ANALYTICS.md, "Point in time").

FOMC days and recessions are typed in from ANALYTICS.md ("Fed path" and "Recessions"); nothing
here is fetched. Release calendars come in as frames (``data_sources.calendars.read_calendar``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def _days(year: int, month_days: tuple[tuple[int, int], ...]) -> tuple[pd.Timestamp, ...]:
    return tuple(pd.Timestamp(year, month, day) for month, day in month_days)


# Statement day (the second day of each two-day meeting). The new target range takes
# effect the day AFTER this date, which is what the FedWatch day count relies on.
FOMC_MEETINGS: tuple[pd.Timestamp, ...] = (
    *_days(2025, ((1, 29), (3, 19), (5, 7), (6, 18), (7, 30), (9, 17), (10, 29), (12, 10))),
    *_days(2026, ((1, 28), (3, 18), (4, 29), (6, 17), (7, 29), (9, 16), (10, 28), (12, 9))),
    *_days(2027, ((1, 27), (3, 17), (4, 28), (6, 9), (7, 28), (9, 15), (10, 27), (12, 8))),
)

# NBER business-cycle peak -> trough months (both inclusive when shaded).
NBER_RECESSIONS: tuple[tuple[pd.Period, pd.Period], ...] = tuple(
    (pd.Period(peak, "M"), pd.Period(trough, "M"))
    for peak, trough in (
        ("1948-11", "1949-10"), ("1953-07", "1954-05"), ("1957-08", "1958-04"),
        ("1960-04", "1961-02"), ("1969-12", "1970-11"), ("1973-11", "1975-03"),
        ("1980-01", "1980-07"), ("1981-07", "1982-11"), ("1990-07", "1991-03"),
        ("2001-03", "2001-11"), ("2007-12", "2009-06"), ("2020-02", "2020-04"),
    )
)


def meetings_after(as_of, meetings=FOMC_MEETINGS) -> list[pd.Timestamp]:
    """FOMC statement days strictly after ``as_of``, ascending.

    A meeting ON ``as_of`` counts as held (the decision is public that afternoon). Empty
    list when none remain in the calendar (it ends with 2027). ``as_of`` is anything
    ``pd.Timestamp`` accepts; NaT raises ``ValueError``.
    """
    as_of = pd.Timestamp(as_of)
    if pd.isna(as_of):
        raise ValueError("as_of must be a date, got NaT")
    return sorted(pd.Timestamp(m) for m in meetings if pd.Timestamp(m) > as_of)


def recessions_between(start, end) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """NBER recessions that overlap the date range [start, end], for shading a chart.

    Each span runs from the first day of the peak month to the last day of the trough
    month (both months shaded), as ``(pd.Timestamp, pd.Timestamp)``, oldest first, not
    clipped to the range. A range that overlaps none (or start > end) gives an empty list;
    NaT in either bound raises ``ValueError``.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if pd.isna(start) or pd.isna(end):
        raise ValueError("start and end must be dates, got NaT")
    spans = [(peak.start_time, trough.end_time.normalize()) for peak, trough in NBER_RECESSIONS]
    return [(lo, hi) for lo, hi in spans if lo <= end and hi >= start]


# Publication dates ---------------------------------------------------------------------------

# FRED dates a weekly claims (ICSA) observation by its week-ending Saturday; DOL publishes it
# the Thursday after (moved to the Wednesday before Thanksgiving: one day late at worst here).
CLAIMS_LAG_DAYS = 5
# How far back from a calendar's last release the lag estimate looks (``estimated_lag``).
LAG_WINDOW_YEARS = 5


def estimated_lag(calendar: pd.DataFrame, years: int = LAG_WINDOW_YEARS) -> pd.Timedelta:
    """The longest lag (release date - first day of the reference month) among the releases of
    the last ``years`` years of ``calendar`` (frame with ``date`` and ``reference_month``).

    The longest, not the typical, lag: an estimate must never make a month public before it
    plausibly was. Shutdown delays inside the window lengthen it. An empty calendar raises
    ``ValueError``.
    """
    if calendar.empty:
        raise ValueError("an empty release calendar gives no lag to estimate from")
    dates = pd.DatetimeIndex(calendar["date"])
    starts = pd.PeriodIndex(calendar["reference_month"], freq="M").start_time
    recent = dates > dates.max() - pd.DateOffset(years=years)
    return (dates - starts)[recent].max()


def first_release_dates(months: pd.PeriodIndex, calendar: pd.DataFrame) -> pd.DatetimeIndex:
    """For each month, the date of the earliest release whose reference month is that month or
    later (NaT when no release is): a month skipped by a shutdown was first published with the
    next month's release (e.g. October 2025 PCE with November's, 2026-01-22)."""
    ref = pd.PeriodIndex(calendar["reference_month"], freq="M")
    by_month = pd.Series(pd.DatetimeIndex(calendar["date"]).to_numpy(), index=ref.asi8).sort_index()
    earliest_from_here = by_month.iloc[::-1].cummin().iloc[::-1]
    position = np.searchsorted(earliest_from_here.index.to_numpy(), months.asi8, side="left")
    covered = position < len(earliest_from_here)
    found = earliest_from_here.iloc[np.minimum(position, len(earliest_from_here) - 1)].to_numpy()
    return pd.DatetimeIndex(found).where(covered)


def publication_dates(index: pd.DatetimeIndex, calendar: pd.DataFrame) -> pd.DatetimeIndex:
    """The day each monthly observation was first published, from a release calendar.

    ``index``: ascending dates of the observations, each the first day of its reference month
    (FRED's convention; any day of the month works). ``calendar``: frame with ``date`` and
    ``reference_month`` (``data_sources.calendars.read_calendar``).

    Rule, per observation month M:
    - inside the calendar: the date of the first release whose reference month is M or later,
      which covers merged releases (a month with no row of its own came out with the next);
    - after the calendar's last reference month: estimated as M's first day +
      ``estimated_lag(calendar)``, the LONGEST lag of the calendar's last five years, so an
      estimate is never earlier than plausible; before its first: the same estimate, but no
      later than the calendar's first release (which published every month up to its own);
    - then the running maximum: an observation counts as usable only once it and every earlier
      one are public, which makes "published by D" a prefix of the series. This only ever
      moves a date later, never earlier.

    Returns a tz-naive ``DatetimeIndex`` named ``published``, same length as ``index``; empty
    for an empty index. An unsorted ``index`` or an empty calendar raises ``ValueError``.
    """
    index = pd.DatetimeIndex(index)
    if not index.is_monotonic_increasing:
        raise ValueError("observation dates must be ascending")
    if index.empty:
        return pd.DatetimeIndex([], name="published")
    lag = estimated_lag(calendar)
    months = index.to_period("M")
    dated = first_release_dates(months, calendar)
    first_month = pd.PeriodIndex(calendar["reference_month"], freq="M").min()
    before = months < first_month
    estimate = (months.start_time + lag).where(~before, np.minimum(months.start_time + lag, dated))
    dates = dated.where(~(dated.isna() | before), estimate)
    return pd.DatetimeIndex(np.maximum.accumulate(dates.values), name="published")


def lagged_publication_dates(index: pd.DatetimeIndex, lag_days: int) -> pd.DatetimeIndex:
    """Publication day = observation date + ``lag_days`` calendar days, for series published on
    a fixed delay. Same length as ``index``, named ``published``."""
    return pd.DatetimeIndex(pd.DatetimeIndex(index) + pd.Timedelta(days=lag_days), name="published")


def claims_publication_dates(index: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Weekly initial claims (ICSA): FRED dates each week by its week-ending Saturday and DOL
    publishes it the Thursday after, Saturday + ``CLAIMS_LAG_DAYS`` (5) days. Thanksgiving
    weeks come out a day earlier (Wednesday), so this rule is at worst one day late, never
    early; the releases cancelled by the 2025 shutdown (Thursdays 2025-10-02 .. 11-13) are not
    modelled (data/calendars/README.md)."""
    return lagged_publication_dates(index, CLAIMS_LAG_DAYS)


def known_counts(published: pd.DatetimeIndex, days) -> np.ndarray:
    """For each day in ``days`` (dates, any order), how many leading observations were
    published on or before it: ``searchsorted(published, day, side="right")``, an int array
    aligned with ``days``. ``published`` must be non-decreasing (``publication_dates`` makes it
    so), so the observations known at a day are always the first ``count`` rows. A
    decreasing ``published`` or NaT in ``days`` raises ``ValueError``."""
    published = pd.DatetimeIndex(published)
    if not published.is_monotonic_increasing:
        raise ValueError("publication dates must be non-decreasing")
    days = pd.DatetimeIndex(days)
    if days.hasnans:
        raise ValueError("days must be dates, got NaT")
    return np.searchsorted(published.as_unit("ns").to_numpy(), days.as_unit("ns").to_numpy(), side="right")


def published_by(series: pd.Series, published: pd.DatetimeIndex, day) -> pd.Series:
    """The rows of ``series`` published on or before ``day`` (a prefix of it). ``published`` is
    the publication date of each row (same length, non-decreasing); a ``day`` before the first
    publication gives an empty series. Different lengths or a NaT ``day`` raise ``ValueError``."""
    if len(series) != len(published):
        raise ValueError(f"{len(series)} observations but {len(published)} publication dates")
    return series.iloc[: int(known_counts(published, [day])[0])]
