"""Dated facts the analytics need: FOMC statement days and NBER recessions (ANALYTICS.md).

Both are typed in from ANALYTICS.md ("Fed path" and "Recessions"); nothing here is fetched.
"""

from __future__ import annotations

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
