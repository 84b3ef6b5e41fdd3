"""Release calendars: the day each month of a monthly FRED series was first published, and the
days the FOMC announced a policy decision.

The shipped file ``data/calendars/releases.csv`` (see the README beside it) dates the BLS/BEA
releases behind the catalogue's monthly series, one row per release and month; analytics turns them into publication dates per observation
(``analytics.calendar.publication_dates``). Weekly claims have no file: they follow a rule.
``data/calendars/fomc.csv`` lists the FOMC statement days since 1994 and the scheduled ones
still to come, one row per announcement day, for the "Macro days" event study (``read_fomc``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pandas as pd

CALENDAR_FILE = Path(__file__).resolve().parent.parent / "data" / "calendars" / "releases.csv"
FOMC_FILE = Path(__file__).resolve().parent.parent / "data" / "calendars" / "fomc.csv"

Release = Literal["cpi", "employment", "pio", "jolts", "claims"]

# The releases the file dates (weekly claims follow a rule instead).
CALENDAR_RELEASES: tuple[str, ...] = ("cpi", "employment", "pio", "jolts")

RELEASE_NAMES: dict[str, str] = {
    "cpi": "CPI",
    "employment": "Employment Situation",
    "pio": "Personal Income and Outlays",
    "jolts": "JOLTS",
}

# FRED's release ids (``fred/release/dates?release_id=...``) of the file-backed releases.
FRED_RELEASE_IDS: dict[str, int] = {"cpi": 10, "employment": 50, "pio": 54, "jolts": 192}

# The longest wait between two consecutive releases in the shipped calendars outside the
# 2013, 2018-19 and 2025 shutdowns is 42 days (PCE 2019-12-20 -> 2020-01-31 and
# 2024-12-20 -> 2025-01-31; JOLTS 2012-05-08 -> 2012-06-19 and 2019-11-05 -> 2019-12-17).
# 45 days is past every normal gap, so the warning never fires while the next release is
# merely not due yet, and it fires about two weeks after a release the calendar missed (the
# usual gap is 28-35 days). Shutdown gaps (43-76 days) may warn too: harmless, the lag estimate
# is conservative.
MAX_RELEASE_GAP_DAYS = 45

# What an FOMC row is: a statement after a scheduled meeting, an intermeeting policy action, or
# one of the two intermeeting liquidity statements (2007-08-10, 2008-03-11), which are not rate
# decisions and which the event study leaves out by default.
FOMC_KINDS: tuple[str, ...] = ("scheduled", "unscheduled", "liquidity")

# The Fed publishes each year's meeting schedule well ahead (the tentative 2027 dates were out
# in January 2026), and meetings are at most about eight weeks apart (the longest gap in the
# shipped file is 58 days). Six months with no meeting in the file therefore means the file was
# not refreshed with the Fed's new schedule, never that the FOMC is between meetings.
FOMC_LOOKAHEAD_MONTHS = 6

# An FOMC date as written in the file: exactly YYYY-MM-DD (strptime alone also takes 2020-1-5).
_FOMC_DATE = r"\d{4}-\d{2}-\d{2}"


def read_calendars(path: Path = CALENDAR_FILE) -> dict[str, pd.DataFrame]:
    """Every release's calendar in the shipped file (columns ``release,reference_month,date``),
    by release name in ``CALENDAR_RELEASES`` order; each frame has columns ``date`` (tz-naive
    datetime64, the US Eastern release day) and ``reference_month`` (Period[M], the latest month
    first published that day), one row per release, sorted by date.

    Raises ``ValueError`` naming the file and the fault when a column is missing, a date or
    month does not parse, a release has no rows, or within one release dates are duplicated or
    out of order, a reference month appears twice or goes backwards, or a release falls on or
    before the last day of its own reference month. A missing file raises ``FileNotFoundError``.
    """
    path = Path(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"release", "date", "reference_month"} - set(raw.columns)
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
    try:
        dates = pd.to_datetime(raw["date"], format="%Y-%m-%d")
        months = pd.to_datetime(raw["reference_month"], format="%Y-%m").dt.to_period("M")
    except ValueError as exc:
        raise ValueError(f"{path.name}: unreadable date or reference month ({exc})") from None
    calendars = {}
    for release in CALENDAR_RELEASES:
        rows = (raw["release"] == release).to_numpy()
        calendar = pd.DataFrame({"date": dates[rows], "reference_month": months[rows]}).reset_index(drop=True)
        fault = "no rows" if calendar.empty else calendar_fault(calendar)
        if fault:
            raise ValueError(f"{path.name} ({release}): {fault}")
        calendars[release] = calendar
    return calendars


def read_calendar(release: Release, path: Path = CALENDAR_FILE) -> pd.DataFrame:
    """The shipped calendar of one release (see ``read_calendars``)."""
    if release not in CALENDAR_RELEASES:
        raise ValueError(f"no calendar for release {release!r} (known: {', '.join(CALENDAR_RELEASES)})")
    return read_calendars(path)[release]


def calendar_fault(calendar: pd.DataFrame) -> str | None:
    """What is wrong with a parsed calendar (see ``read_calendar``): the first fault, with the
    first release it concerns, or None."""
    dates, months = calendar["date"], calendar["reference_month"]
    month_number = months.dt.year * 12 + months.dt.month
    checks = (
        (dates.duplicated(), "duplicate release date"),
        (dates.diff() < pd.Timedelta(0), "release dates out of order"),
        (month_number.duplicated(), "duplicate reference month"),
        (month_number.diff() < 0, "reference month earlier than the previous release's"),
        (dates < (months + 1).dt.start_time, "release on or before the end of its reference month"),
    )
    for bad, fault in checks:
        if bad.any():
            row = calendar[bad.to_numpy()].iloc[0]
            return f"{fault}: first at {row['date']:%Y-%m-%d} (reference month {row['reference_month']})"
    return None


def extend_with_release_dates(calendar: pd.DataFrame, release_dates, today) -> tuple[pd.DataFrame, list[pd.Timestamp]]:
    """``calendar`` extended with FRED's release dates, and the scheduled dates still to come.

    ``release_dates`` are the dates FRED's ``release/dates`` endpoint lists for the release
    (past and scheduled, any order, duplicates ignored); it gives no reference months.
    Assumption: every release after the shipped calendar's last one first publishes exactly
    one new month, so the dates after ``calendar``'s last date and on or before ``today`` are
    appended as the consecutive months after its last reference month. Shutdown merges and
    skipped months are only known from the shipped file; a release day that adds no month
    (e.g. BEA's 2025-12-23 "Data Update", CPI seasonal-factor days) would shift the months of
    every later appended row, so refresh the shipped file when one appears.

    Returns ``(extended calendar, future dates)``: the calendar in ``read_calendar``'s shape,
    and the dates after ``today``, ascending, as ``pd.Timestamp``. An empty ``calendar``
    raises ``ValueError``.
    """
    if calendar.empty:
        raise ValueError("an empty calendar cannot be extended: no month to count from")
    today = pd.Timestamp(today)
    dates = pd.DatetimeIndex(pd.to_datetime(list(release_dates))).unique().sort_values()
    last_date, last_month = calendar["date"].iloc[-1], calendar["reference_month"].iloc[-1]
    new = dates[(dates > last_date) & (dates <= today)]
    appended = pd.DataFrame({
        "date": new,
        "reference_month": pd.Series([last_month + step for step in range(1, len(new) + 1)], dtype="period[M]"),
    })
    extended = pd.concat([calendar, appended], ignore_index=True)
    return extended, list(dates[dates > today])


def calendar_health(
    release: Release, calendar: pd.DataFrame, today, max_gap_days: int = MAX_RELEASE_GAP_DAYS
) -> str | None:
    """One sentence when ``calendar``'s last release is more than ``max_gap_days`` days before
    ``today``, so a newer month should have been released and is not in it; None when healthy.

    ``MAX_RELEASE_GAP_DAYS`` (45) is past the longest normal gap between two releases (42
    days), so a calendar is called stale only when it has missed a release, not while the next
    one is still due. As-of views keep working: they estimate later publication dates by lag.
    """
    today = pd.Timestamp(today)
    name = RELEASE_NAMES.get(release, release)
    if calendar.empty:
        return f"the {name} release calendar is empty, so as-of views estimate every publication date by lag"
    last = calendar.iloc[-1]
    age_days = (today - last["date"]).days
    if age_days <= max_gap_days:
        return None
    return (
        f"the {name} release calendar ends with the {last['reference_month']:%B %Y} release of "
        f"{last['date']:%Y-%m-%d}, {age_days} days before {today:%Y-%m-%d}, so a newer month should have "
        f"been released; as-of views after {last['date']:%Y-%m-%d} estimate publication dates by lag"
    )


def read_fomc(path: Path = FOMC_FILE) -> pd.DataFrame:
    """The FOMC statement days in the shipped file (columns ``date,kind``): a frame with columns
    ``date`` (tz-naive datetime64, the US Eastern day the decision was announced) and ``kind``
    (str, one of ``FOMC_KINDS``), one row per announcement day, sorted by date, RangeIndex.
    Other columns in the file are ignored.

    Raises ``ValueError`` naming the file, the fault and the first offending row (its line in
    the file) when a column is missing, the file has no rows, a row has more fields than the
    header, a date is not ``YYYY-MM-DD`` or no such day (a blank line is an unreadable date), a
    kind is not in ``FOMC_KINDS``, or dates are duplicated or out of order. A missing file
    raises ``FileNotFoundError``.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.EmptyDataError, pd.errors.ParserError) as exc:
        raise ValueError(f"{path.name}: not a CSV file with a header line ({exc})") from None
    if not isinstance(raw.index, pd.RangeIndex):  # pandas makes the extra leading fields an index
        raise ValueError(f"{path.name}: more fields than the header: first at line 2")
    missing = {"date", "kind"} - set(raw.columns)
    if missing:
        raise ValueError(f"{path.name}: missing column(s) {', '.join(sorted(missing))}")
    if raw.empty:
        raise ValueError(f"{path.name}: no rows")
    dates = pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce")
    checks = (
        (dates.isna() | ~raw["date"].str.fullmatch(_FOMC_DATE), "unreadable date (not YYYY-MM-DD)"),
        (~raw["kind"].isin(FOMC_KINDS), f"unknown kind (known: {', '.join(FOMC_KINDS)})"),
        (dates.duplicated(), "duplicate date"),
        (dates.diff() < pd.Timedelta(0), "dates out of order"),
    )
    for bad, fault in checks:
        if bad.any():
            first = int(bad.to_numpy().argmax())
            row = raw.iloc[first]
            # Line 1 is the header, so data row ``first`` (from 0) is on line first + 2.
            raise ValueError(f"{path.name}: {fault}: first at line {first + 2} ({row['date']},{row['kind']})")
    return pd.DataFrame({"date": dates, "kind": raw["kind"]}).reset_index(drop=True)


def fomc_health(fomc: pd.DataFrame, today, months: int = FOMC_LOOKAHEAD_MONTHS) -> str | None:
    """One sentence when ``fomc`` (``read_fomc``'s shape) has no meeting of any kind in the
    ``months`` months after ``today``, i.e. none in (today, today + months], so the Fed's newer
    schedule is missing from the file; None when healthy.

    A meeting on ``today`` itself does not count (it is held, not ahead); one exactly ``months``
    calendar months later does. ``FOMC_LOOKAHEAD_MONTHS`` (6) is far past the longest gap
    between two meetings (about eight weeks). The sentence names the file's last meeting, or,
    when the file does list a later one (``today`` before its first row, or a hole in the file),
    that next meeting. An empty frame is a sentence too.
    """
    today = pd.Timestamp(today).normalize()
    if fomc.empty:
        return "the FOMC calendar is empty, so add the Fed's schedule to data/calendars/fomc.csv"
    horizon = today + pd.DateOffset(months=months)
    dates = fomc["date"]
    if ((dates > today) & (dates <= horizon)).any():
        return None
    later = dates[dates > horizon]
    if not later.empty:
        return (
            f"the FOMC calendar has no meeting in the {months} months after {today:%Y-%m-%d} (the next it "
            f"lists is {later.min():%Y-%m-%d}), so check data/calendars/fomc.csv against the Fed's calendar"
        )
    return (
        f"the FOMC calendar has no meeting in the {months} months after {today:%Y-%m-%d} (its last is "
        f"{dates.max():%Y-%m-%d}), so add the Fed's new schedule to data/calendars/fomc.csv"
    )


def calendar_warnings(today, path: Path = CALENDAR_FILE, fomc_path: Path = FOMC_FILE) -> list[str]:
    """``calendar_health`` of every shipped release calendar and ``fomc_health`` of the FOMC
    calendar, judged at ``today``; one sentence instead for a file that is missing or broken.
    An empty list when all are healthy."""
    try:
        calendars = read_calendars(path)
    except (OSError, ValueError) as exc:
        warnings = [f"the release calendars cannot be read ({exc})"]
    else:
        warnings = [w for release, calendar in calendars.items() if (w := calendar_health(release, calendar, today))]
    try:
        fomc = read_fomc(fomc_path)
    except (OSError, ValueError) as exc:
        warnings.append(f"the FOMC calendar cannot be read ({exc})")
    else:
        if (warning := fomc_health(fomc, today)) is not None:
            warnings.append(warning)
    return warnings
