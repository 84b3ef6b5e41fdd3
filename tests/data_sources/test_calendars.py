"""The shipped release calendar (data/calendars/releases.csv) against the verified reference in
../shared/data/events (read here at test time), the reader's refusals, the FRED extension and
the stale warning."""

from __future__ import annotations

import pandas as pd
import pytest

from data_sources.calendars import (
    CALENDAR_FILE,
    CALENDAR_RELEASES,
    MAX_RELEASE_GAP_DAYS,
    calendar_health,
    calendar_warnings,
    extend_with_release_dates,
    read_calendar,
    read_calendars,
)
from tests.conftest import REFERENCE_CALENDARS, SNAPSHOT_AS_OF
from tests.data_sources.conftest import snapshot_copy
from tests.data_sources.test_cli import run_cli

# Shutdowns (lapses in appropriations) and the months their delayed releases came out in.
SHUTDOWN_WINDOWS = (("2013-10-01", "2013-12-31"), ("2019-01-01", "2019-04-30"), ("2025-10-01", "2026-02-28"))


def reference(release: str) -> pd.DataFrame:
    """The reference file, read with plain pandas as strings."""
    return pd.read_csv(REFERENCE_CALENDARS[release], dtype=str)


def shipped(release: str) -> pd.DataFrame:
    """One release's rows of the shipped file, read with plain pandas as strings (not through
    read_calendar), in the reference's column order."""
    rows = pd.read_csv(CALENDAR_FILE, dtype=str)
    return rows.loc[rows["release"] == release, ["date", "reference_month"]].reset_index(drop=True)


def calendar(*rows: tuple[str, str]) -> pd.DataFrame:
    """A hand-built calendar in read_calendar's shape from (date, reference month) pairs."""
    dates, months = zip(*rows) if rows else ((), ())
    return pd.DataFrame({"date": pd.to_datetime(list(dates)),
                         "reference_month": pd.PeriodIndex(list(months), freq="M")})


# -- the shipped files ----------------------------------------------------------------------


@pytest.mark.parametrize("release", CALENDAR_RELEASES)
def test_shipped_calendar_equals_the_reference_row_for_row(release):
    expected = reference(release)[["date", "reference_month"]]
    assert len(expected) > 250
    assert shipped(release)[["date", "reference_month"]].equals(expected)
    read = read_calendar(release)
    as_text = pd.DataFrame({"date": read["date"].dt.strftime("%Y-%m-%d"),
                            "reference_month": read["reference_month"].astype(str)})
    assert as_text.equals(expected)


def test_the_shipped_file_holds_exactly_the_four_releases():
    assert set(REFERENCE_CALENDARS) == set(CALENDAR_RELEASES)
    assert sorted(pd.read_csv(CALENDAR_FILE, dtype=str)["release"].unique()) == sorted(CALENDAR_RELEASES)
    assert sum(len(reference(r)) for r in CALENDAR_RELEASES) == len(pd.read_csv(CALENDAR_FILE))


@pytest.mark.parametrize("release", CALENDAR_RELEASES)
def test_shipped_calendar_is_ordered_unique_and_after_its_months(release):
    rows = shipped(release)
    dates = pd.to_datetime(rows["date"], format="%Y-%m-%d")
    month_ends = pd.to_datetime(rows["reference_month"], format="%Y-%m") + pd.offsets.MonthEnd(0)
    assert dates.is_monotonic_increasing and dates.is_unique
    assert rows["reference_month"].is_unique
    assert rows["reference_month"].tolist() == sorted(rows["reference_month"])
    assert (dates > month_ends).all()


def test_read_calendar_types():
    cal = read_calendar("cpi")
    assert list(cal.columns) == ["date", "reference_month"]
    assert pd.api.types.is_datetime64_dtype(cal["date"]) and cal["date"].dt.tz is None
    assert cal["reference_month"].dtype == pd.PeriodDtype("M")


def months_of(release: str) -> set[str]:
    return set(reference(release)["reference_month"])


def release_of(release: str, month: str) -> str:
    rows = reference(release)
    return rows.loc[rows["reference_month"] == month, "date"].item()


def test_shutdown_facts_as_the_notes_say():
    assert "2025-10" not in months_of("cpi") and "2025-10" not in set(shipped("cpi")["reference_month"])
    assert "2025-10" not in months_of("employment")
    assert release_of("employment", "2025-11") == "2025-12-16"
    assert "2025-10" not in months_of("pio")
    assert release_of("pio", "2025-11") == "2026-01-22"
    assert "2019-02" not in months_of("pio") and release_of("pio", "2019-03") == "2019-04-29"
    assert "2025-09" not in months_of("jolts") and release_of("jolts", "2025-10") == "2025-12-09"


def test_the_stale_threshold_is_past_every_normal_gap():
    """No gap between two consecutive releases outside the shutdowns reaches the threshold,
    so a healthy calendar is never called stale while its next release is merely due."""
    gaps = []
    for release in CALENDAR_RELEASES:
        dates = pd.to_datetime(reference(release)["date"])
        in_shutdown = pd.Series(False, index=dates.index)
        for start, end in SHUTDOWN_WINDOWS:
            in_shutdown |= dates.between(start, end)
        gaps += dates.diff().dt.days[~in_shutdown].dropna().tolist()
    assert max(gaps) == 42 < MAX_RELEASE_GAP_DAYS


# -- read_calendar refuses a broken file -----------------------------------------------------

GOOD = ["release,reference_month,date", *(f"{r},2020-01,2020-02-14" for r in ("employment", "pio", "jolts")),
        "cpi,2020-01,2020-02-14", "cpi,2020-02,2020-03-13", "cpi,2020-03,2020-04-10"]
HEAD, OTHERS, (JAN, FEB, MAR) = GOOD[0], GOOD[1:4], GOOD[4:]


@pytest.mark.parametrize(("lines", "fault"), [
    ([HEAD, *OTHERS, JAN, MAR, FEB], "(cpi): release dates out of order: first at 2020-03-13"),
    ([*GOOD, "cpi,2020-04,2020-04-10"], "(cpi): duplicate release date: first at 2020-04-10"),
    ([*GOOD, "cpi,2020-03,2020-05-08"], "(cpi): duplicate reference month: first at 2020-05-08"),
    ([HEAD, *OTHERS, JAN, MAR, "cpi,2020-02,2020-05-08"],
     "(cpi): reference month earlier than the previous release's: first at 2020-05-08"),
    ([*GOOD, "cpi,2020-04,2020-04-30"], "(cpi): release on or before the end of its reference month: first at 2020-04-30"),
    ([*GOOD, "cpi,2020-04,2020-13-01"], "unreadable date or reference month"),
    ([*GOOD, "cpi,April,2020-05-08"], "unreadable date or reference month"),
    ([HEAD, *OTHERS], "(cpi): no rows"),
    (["release,reference_month,day", "cpi,2020-01,2020-02-14"], "missing column(s) date"),
])
def test_read_calendar_rejects_a_broken_file(tmp_path, lines, fault):
    (tmp_path / "releases.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"^releases\.csv") as info:
        read_calendar("cpi", tmp_path / "releases.csv")
    assert fault in str(info.value)


def test_read_calendar_accepts_the_good_file_and_knows_no_claims_file(tmp_path):
    (tmp_path / "releases.csv").write_text("\n".join(GOOD) + "\n")
    assert read_calendar("cpi", tmp_path / "releases.csv").equals(
        calendar(("2020-02-14", "2020-01"), ("2020-03-13", "2020-02"), ("2020-04-10", "2020-03")))
    assert list(read_calendars(tmp_path / "releases.csv")) == list(CALENDAR_RELEASES)
    with pytest.raises(ValueError, match="no calendar for release 'claims'"):
        read_calendar("claims")


# -- extending with FRED's release dates -----------------------------------------------------


def test_extend_appends_past_dates_as_consecutive_months_and_returns_the_future():
    shipped_cal = calendar(("2026-07-14", "2026-06"), ("2026-08-12", "2026-07"))
    fred_dates = ["2026-10-14", "2026-07-14", "2026-09-11", "2026-11-10", "2026-09-11", "2026-08-12"]
    extended, future = extend_with_release_dates(shipped_cal, fred_dates, "2026-10-20")
    assert extended.equals(calendar(("2026-07-14", "2026-06"), ("2026-08-12", "2026-07"),
                                    ("2026-09-11", "2026-08"), ("2026-10-14", "2026-09")))
    assert future == [pd.Timestamp("2026-11-10")]


def test_extend_with_nothing_new_keeps_the_calendar():
    shipped_cal = calendar(("2026-08-12", "2026-07"))
    extended, future = extend_with_release_dates(shipped_cal, [], "2026-08-21")
    assert extended.equals(shipped_cal) and future == []
    extended, future = extend_with_release_dates(shipped_cal, ["2026-08-12", "2026-09-11"], "2026-09-11")
    assert extended["reference_month"].astype(str).tolist() == ["2026-07", "2026-08"] and future == []
    with pytest.raises(ValueError):
        extend_with_release_dates(calendar(), ["2026-09-11"], "2026-09-30")


# -- the stale warning -----------------------------------------------------------------------


def test_calendar_health_on_hand_built_calendars():
    cal = calendar(("2026-07-14", "2026-06"), ("2026-08-12", "2026-07"))
    assert calendar_health("cpi", cal, "2026-08-12") is None
    assert calendar_health("cpi", cal, "2026-09-26") is None  # 45 days: the next may just be due
    warning = calendar_health("cpi", cal, "2026-09-27")  # 46 days
    assert warning == ("the CPI release calendar ends with the July 2026 release of 2026-08-12, 46 days before "
                       "2026-09-27, so a newer month should have been released; as-of views after 2026-08-12 "
                       "estimate publication dates by lag")
    assert calendar_health("jolts", cal, "2026-09-27", max_gap_days=60) is None
    assert "empty" in calendar_health("pio", calendar(), "2026-09-27")


def test_shipped_calendars_are_healthy_at_the_snapshot_date_and_stale_later():
    assert calendar_warnings(SNAPSHOT_AS_OF) == []
    later = pd.Timestamp(SNAPSHOT_AS_OF) + pd.Timedelta(days=90)
    warnings = calendar_warnings(later)
    assert len(warnings) == len(CALENDAR_RELEASES)
    for release, warning in zip(CALENDAR_RELEASES, warnings):
        last = reference(release)["date"].iloc[-1]
        assert warning == calendar_health(release, read_calendar(release), later)
        assert f"release of {last}," in warning and f"as-of views after {last} estimate" in warning


def test_a_missing_calendar_file_is_a_warning(tmp_path):
    (warning,) = calendar_warnings(SNAPSHOT_AS_OF, tmp_path / "releases.csv")
    assert warning.startswith("the release calendars cannot be read")


def test_status_is_quiet_about_healthy_calendars(tmp_path):
    status = run_cli("status", snapshot=snapshot_copy(tmp_path / "snap"), cache_dir=tmp_path / "cache")
    assert status.returncode == 0, status.stderr
    assert "calendar warning" not in status.stderr


def test_status_warns_about_stale_calendars_and_still_exits_0(tmp_path):
    """A snapshot whose market data run to 2026-10-30: every shipped calendar is stale then."""
    snapshot = snapshot_copy(tmp_path / "snap", copied=("yahoo/^GSPC.csv",))
    gspc = snapshot / "yahoo" / "^GSPC.csv"
    last_row = gspc.read_text().rstrip("\n").rsplit("\n", 1)[-1]
    gspc.write_text(gspc.read_text() + "2026-10-30" + last_row[len("2026-08-21"):] + "\n")
    status = run_cli("status", snapshot=snapshot, cache_dir=tmp_path / "cache")
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("as of 2026-10-30")
    warned = [line for line in status.stderr.splitlines() if line.startswith("calendar warning: ")]
    assert warned == [f"calendar warning: {w}" for w in calendar_warnings("2026-10-30")]
    assert len(warned) == len(CALENDAR_RELEASES)
    assert "unhealthy" not in status.stderr
