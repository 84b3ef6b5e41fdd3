"""Publication dates of macro observations: release calendars (merged months, the lag
estimate outside the calendar, the running maximum), the claims Thursday rule, and the
"published by D" prefix helpers. Expected dates are worked out by hand or read from the
reference calendars in ../shared/data/events with plain pandas."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.calendar import (
    claims_publication_dates,
    estimated_lag,
    known_counts,
    lagged_publication_dates,
    published_by,
    publication_dates,
)
from data_sources.calendars import read_calendar
from tests.conftest import SHARED_DATA, snapshot_series

EVENTS = SHARED_DATA / "events"


def calendar(*rows: tuple[str, str]) -> pd.DataFrame:
    """A hand-built calendar from (release date, reference month) pairs."""
    dates, months = zip(*rows)
    return pd.DataFrame({"date": pd.to_datetime(list(dates)),
                         "reference_month": pd.PeriodIndex(list(months), freq="M")})


def month_starts(first: str, last: str) -> pd.DatetimeIndex:
    return pd.date_range(first, last, freq="MS", name="date")


def days(*dates: str) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(list(dates))


# -- hand-built calendars --------------------------------------------------------------------

# Lags (release - first day of the month): Jan 40 days (Jan 1 -> Feb 10), Feb 38 (Feb 1 ->
# Mar 10, 2020 is a leap year), Apr 34 (Apr 1 -> May 5), May 42 (May 1 -> Jun 12). March has no
# row: it came out with April on May 5.
MERGED = calendar(("2020-02-10", "2020-01"), ("2020-03-10", "2020-02"), ("2020-05-05", "2020-04"),
                  ("2020-06-12", "2020-05"))


def test_months_inside_the_calendar_take_their_release_and_a_skipped_month_the_next():
    published = publication_dates(month_starts("2020-01-01", "2020-05-01"), MERGED)
    assert list(published) == list(days("2020-02-10", "2020-03-10", "2020-05-05", "2020-05-05", "2020-06-12"))
    assert published.name == "published"


def test_months_outside_the_calendar_are_estimated_with_its_longest_lag():
    assert estimated_lag(MERGED) == pd.Timedelta(days=42)
    published = publication_dates(month_starts("2019-11-01", "2020-07-01"), MERGED)
    # Nov 1 + 42 = Dec 13; Dec 1 + 42 = Jan 12; Jun 1 + 42 = Jul 13; Jul 1 + 42 = Aug 12.
    assert published[[0, 1]].equals(days("2019-12-13", "2020-01-12"))
    assert published[[-2, -1]].equals(days("2020-07-13", "2020-08-12"))


def test_the_lag_estimate_looks_at_the_last_five_years_only():
    # The 2010 release had a 59-day lag (Jan 1 -> Mar 1): older than five years before the
    # last release, so the estimate uses 40 days (Jan 1 -> Feb 10, 2020).
    cal = calendar(("2010-03-01", "2010-01"), ("2020-02-10", "2020-01"), ("2020-03-08", "2020-02"))
    assert estimated_lag(cal) == pd.Timedelta(days=40)
    assert publication_dates(month_starts("2020-03-01", "2020-03-01"), cal)[0] == pd.Timestamp("2020-04-10")


def test_months_before_the_calendar_are_public_by_its_first_release():
    # Jan 2020 came out on Feb 5 (35 days), Feb on Apr 20 after a delay (Feb 1 + 79 days). The
    # estimate for Dec 2019, Dec 1 + 79 = Feb 18, is capped at the first release (Feb 5), which
    # published every month up to its own: January keeps its own date.
    cal = calendar(("2020-02-05", "2020-01"), ("2020-04-20", "2020-02"))
    published = publication_dates(month_starts("2019-12-01", "2020-02-01"), cal)
    assert list(published) == list(days("2020-02-05", "2020-02-05", "2020-04-20"))


def test_publication_dates_never_decrease():
    # Lags: Jan 35 days (Feb 5), Feb 29 (Mar 1), Mar 9 (Mar 10). Apr and May are beyond the
    # calendar: month start + the longest lag, 35 days -> May 6 and Jun 5.
    cal = calendar(("2020-02-05", "2020-01"), ("2020-03-01", "2020-02"), ("2020-03-10", "2020-03"))
    published = publication_dates(month_starts("2020-01-01", "2020-05-01"), cal)
    assert list(published) == list(days("2020-02-05", "2020-03-01", "2020-03-10", "2020-05-06", "2020-06-05"))
    assert published.is_monotonic_increasing


def test_publication_dates_edges():
    assert publication_dates(pd.DatetimeIndex([]), MERGED).empty
    with pytest.raises(ValueError, match="ascending"):
        publication_dates(days("2020-02-01", "2020-01-01"), MERGED)
    with pytest.raises(ValueError):
        publication_dates(days("2020-02-01"), MERGED.iloc[:0])


# -- the real calendars ----------------------------------------------------------------------


def reference(name: str) -> pd.DataFrame:
    return pd.read_csv(EVENTS / name, dtype=str)


def first_release_on_or_after(rows: pd.DataFrame, month: str) -> pd.Timestamp:
    """The reference rule in plain pandas: the earliest release of ``month`` or a later month."""
    return pd.Timestamp(rows.loc[rows["reference_month"] >= month, "date"].min())


def published_on(key: str, release: str, month_start: str) -> pd.Timestamp:
    index = snapshot_series(key).index
    return publication_dates(index, read_calendar(release))[index.get_loc(pd.Timestamp(month_start))]


def test_real_employment_situation_dates():
    payrolls = reference("payrolls_release.csv")
    expected = first_release_on_or_after(payrolls, "2025-12")
    assert expected == pd.Timestamp("2026-01-09")  # NOTES.md: LM embargo line, DRK
    assert published_on("unrate", "employment", "2025-12-01") == expected
    # No October 2025 release: October payrolls came out in the November release.
    assert published_on("payrolls", "employment", "2025-10-01") == first_release_on_or_after(payrolls, "2025-10")
    assert first_release_on_or_after(payrolls, "2025-10") == pd.Timestamp("2025-12-16")


@pytest.mark.parametrize(("month", "notes_date"), [
    ("2025-12", "2026-02-20"), ("2025-10", "2026-01-22"), ("2025-09", "2025-12-05"), ("2019-02", "2019-04-29"),
])
def test_real_core_pce_dates(month, notes_date):
    expected = first_release_on_or_after(reference("pce_release.csv"), month)
    assert expected == pd.Timestamp(notes_date)
    assert published_on("core_pce", "pio", f"{month}-01") == expected


def test_real_jolts_september_2025_came_out_with_october():
    expected = first_release_on_or_after(reference("jolts_release.csv"), "2025-09")
    assert expected == pd.Timestamp("2025-12-09")
    assert published_on("job_openings", "jolts", "2025-09-01") == expected


@pytest.mark.parametrize(("key", "release", "name"), [
    ("cpi", "cpi", "cpi_release.csv"), ("unrate", "employment", "payrolls_release.csv"),
    ("pce", "pio", "pce_release.csv"), ("job_openings", "jolts", "jolts_release.csv"),
])
def test_every_month_since_2005_follows_the_reference_rule(key, release, name):
    rows = reference(name)
    index = snapshot_series(key).index
    published = pd.Series(publication_dates(index, read_calendar(release)), index=index)
    inside = published["2005-01-01":rows["reference_month"].iloc[-1] + "-01"]
    assert len(inside) > 230
    for month_start, date in inside.items():
        assert date == first_release_on_or_after(rows, f"{month_start:%Y-%m}"), month_start


def test_months_after_the_real_calendar_are_estimated_not_early():
    rows = reference("cpi_release.csv")
    dates = pd.to_datetime(rows["date"])
    starts = pd.PeriodIndex(rows["reference_month"], freq="M").start_time
    recent = (dates > dates.iloc[-1] - pd.DateOffset(years=5)).to_numpy()
    longest = (pd.DatetimeIndex(dates) - starts)[recent].max()
    future = month_starts("2026-08-01", "2026-09-01")
    published = publication_dates(future, read_calendar("cpi"))
    assert list(published) == list(future + longest)
    assert published[0] > pd.Timestamp(rows["date"].iloc[-1])


# -- weekly claims and fixed lags ------------------------------------------------------------


def test_claims_thursday_rule_on_real_icsa_weeks():
    index = snapshot_series("claims").index
    published = claims_publication_dates(index)
    week = index.get_loc(pd.Timestamp("2026-08-01"))
    assert published[week] == pd.Timestamp("2026-08-06")  # NOTES.md: first seen Thu 2026-08-06
    assert set(index.day_name()) == {"Saturday"}
    assert set(published.day_name()) == {"Thursday"}
    assert ((published - index) == pd.Timedelta(days=5)).all()


def test_lagged_publication_dates():
    assert lagged_publication_dates(days("2020-01-31", "2020-02-29"), 3).equals(
        pd.DatetimeIndex(["2020-02-03", "2020-03-03"], name="published"))


# -- published by a day ----------------------------------------------------------------------

SERIES = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=month_starts("2020-01-01", "2020-05-01"))
PUBLISHED = days("2020-02-10", "2020-03-10", "2020-05-05", "2020-05-05", "2020-06-12")


def test_published_by_is_the_prefix_out_by_that_day():
    assert published_by(SERIES, PUBLISHED, "2020-02-09").empty
    assert published_by(SERIES, PUBLISHED, "2020-02-10").tolist() == [1.0]
    assert published_by(SERIES, PUBLISHED, "2020-05-04").tolist() == [1.0, 2.0]
    assert published_by(SERIES, PUBLISHED, pd.Timestamp("2020-05-05")).equals(SERIES.iloc[:4])
    assert published_by(SERIES, PUBLISHED, "2030-01-01").equals(SERIES)
    with pytest.raises(ValueError, match="5 observations but 4 publication dates"):
        published_by(SERIES, PUBLISHED[:4], "2020-05-05")


def test_known_counts_for_unsorted_days():
    asked = ["2020-06-12", "2020-01-01", "2020-05-05", "2020-03-09", "2020-03-10"]
    counts = known_counts(PUBLISHED, asked)
    assert isinstance(counts, np.ndarray)
    assert counts.tolist() == [5, 0, 4, 1, 2]
    assert counts.tolist() == [len(published_by(SERIES, PUBLISHED, day)) for day in asked]
    with pytest.raises(ValueError, match="non-decreasing"):
        known_counts(PUBLISHED[::-1], asked)
    with pytest.raises(ValueError, match="NaT"):
        known_counts(PUBLISHED, [pd.NaT])
