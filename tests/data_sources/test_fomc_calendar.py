"""The shipped FOMC calendar (data/calendars/fomc.csv) against the verified reference in
../shared/data/events (read here at test time), the typed-in FedWatch meetings, the reader's
refusals and the stale warning."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.calendar import FOMC_MEETINGS
from data_sources.calendars import (
    FOMC_FILE,
    FOMC_KINDS,
    FOMC_LOOKAHEAD_MONTHS,
    calendar_warnings,
    fomc_health,
    read_fomc,
)
from tests.conftest import EVENTS_DIR, REPO, SNAPSHOT_AS_OF

# NOTES.md: "Included by rule ... 2007-08-10 and 2008-03-11" (liquidity statements, not rate moves).
LIQUIDITY_DAYS = ["2007-08-10", "2008-03-11"]
# NOTES.md: the 2020-03-15 decision was announced on a Sunday.
SUNDAY_ANNOUNCEMENT = "2020-03-15"


def reference() -> pd.DataFrame:
    """The reference file, read with plain pandas as strings (its ``source`` column dropped)."""
    return pd.read_csv(EVENTS_DIR / "fomc.csv", dtype=str)[["date", "kind"]]


def shipped() -> pd.DataFrame:
    """The shipped file, read with plain pandas as strings (not through read_fomc)."""
    return pd.read_csv(FOMC_FILE, dtype=str)


def fomc(*rows: tuple[str, str]) -> pd.DataFrame:
    """A hand-built calendar in read_fomc's shape from (date, kind) pairs."""
    dates, kinds = zip(*rows) if rows else ((), ())
    return pd.DataFrame({"date": pd.to_datetime(list(dates)), "kind": pd.Series(list(kinds), dtype=str)})


# -- the shipped file -----------------------------------------------------------------------


def test_shipped_file_equals_the_reference_row_for_row_with_liquidity_mapped_back():
    expected, rows = reference(), shipped()
    assert len(expected) > 280
    assert list(rows.columns) == ["date", "kind"]
    # Rows added after the reference's last date (a refresh) are outside what it can check.
    in_span = rows[rows["date"] <= expected["date"].iloc[-1]].reset_index(drop=True)
    assert in_span["date"].equals(expected["date"])
    assert in_span["kind"].replace("liquidity", "unscheduled").equals(expected["kind"])
    assert rows.loc[rows["kind"] == "liquidity", "date"].tolist() == LIQUIDITY_DAYS
    assert set(expected.loc[expected["date"].isin(LIQUIDITY_DAYS), "kind"]) == {"unscheduled"}


def test_read_fomc_gives_the_shipped_rows_typed():
    read, rows = read_fomc(), shipped()
    assert list(read.columns) == ["date", "kind"]
    assert isinstance(read.index, pd.RangeIndex) and read.index.equals(pd.RangeIndex(len(rows)))
    assert pd.api.types.is_datetime64_dtype(read["date"]) and read["date"].dt.tz is None
    assert read["date"].dt.strftime("%Y-%m-%d").tolist() == rows["date"].tolist()
    assert read["kind"].tolist() == rows["kind"].tolist()
    assert all(isinstance(kind, str) for kind in read["kind"])


def test_shipped_file_is_plain_utf8_with_newline_line_ends():
    data = FOMC_FILE.read_bytes()
    assert data.decode("utf-8").startswith("date,kind\n") and data.endswith(b"\n")
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf") and b"\n\n" not in data


def test_shipped_file_integrity():
    rows = shipped()
    dates = pd.to_datetime(rows["date"], format="%Y-%m-%d")
    assert dates.is_monotonic_increasing and dates.is_unique
    assert set(rows["kind"]) == set(FOMC_KINDS)
    weekend = rows.loc[dates.dt.day_of_week >= 5, "date"].tolist()
    assert weekend == [SUNDAY_ANNOUNCEMENT]
    assert pd.Timestamp(SUNDAY_ANNOUNCEMENT).day_name() == "Sunday"
    scheduled = dates[rows["kind"] == "scheduled"]
    per_year = scheduled.dt.year.value_counts()
    # NOTES.md: the March 17-18, 2020 meeting did not take place, so 2020 has 7 scheduled rows.
    assert per_year[2020] == 7
    assert "2020-03-18" not in set(rows["date"])
    assert set(per_year.drop(2020)) == {8}


def test_fedwatch_meetings_are_the_files_scheduled_rows_for_2025_to_2027():
    rows = read_fomc()
    scheduled = rows.loc[(rows["kind"] == "scheduled") & rows["date"].dt.year.between(2025, 2027), "date"]
    assert list(FOMC_MEETINGS) == list(scheduled)
    # and both agree with the reference, read independently
    expected = reference()
    expected = expected[(expected["kind"] == "scheduled") & expected["date"].str[:4].isin(["2025", "2026", "2027"])]
    assert [f"{m:%Y-%m-%d}" for m in FOMC_MEETINGS] == expected["date"].tolist()


# -- read_fomc refuses a broken file ---------------------------------------------------------

GOOD = ["date,kind", "2020-01-29,scheduled", "2020-03-03,unscheduled", "2020-03-15,unscheduled"]


@pytest.mark.parametrize(("lines", "fault"), [
    (["date,type", *GOOD[1:]], "missing column(s) kind"),
    (["day,kind", *GOOD[1:]], "missing column(s) date"),
    ([*GOOD, "2020-13-01,scheduled"], "unreadable date (not YYYY-MM-DD): first at line 5 (2020-13-01,scheduled)"),
    ([*GOOD, "2020-4-29,scheduled"], "unreadable date (not YYYY-MM-DD): first at line 5 (2020-4-29,scheduled)"),
    ([GOOD[0], "2020-02-30,scheduled", *GOOD[1:]], "unreadable date (not YYYY-MM-DD): first at line 2"),
    ([*GOOD, "2020-04-29,rate"],
     "unknown kind (known: scheduled, unscheduled, liquidity): first at line 5 (2020-04-29,rate)"),
    ([*GOOD, "2020-04-29,Scheduled"], "unknown kind (known: scheduled, unscheduled, liquidity): first at line 5"),
    ([*GOOD, "2020-03-15,scheduled"], "duplicate date: first at line 5 (2020-03-15,scheduled)"),
    ([GOOD[0], GOOD[1], GOOD[3], GOOD[2]], "dates out of order: first at line 4 (2020-03-03,unscheduled)"),
    ([GOOD[0]], "no rows"),
])
def test_read_fomc_rejects_a_broken_file(tmp_path, lines, fault):
    (tmp_path / "fomc.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match=r"^fomc\.csv: ") as info:
        read_fomc(tmp_path / "fomc.csv")
    assert fault in str(info.value)


@pytest.mark.parametrize(("text", "fault"), [
    ("", "not a CSV file with a header line"),
    ("date,kind\n2020-01-29,scheduled,x\n", "more fields than the header: first at line 2"),
    ("date,kind\n2020-01-29,scheduled\n2020-03-03,unscheduled,x\n", "not a CSV file with a header line"),
    ("date,kind\n2020-01-29,scheduled\n\n2020-03-03,unscheduled\n",
     "unreadable date (not YYYY-MM-DD): first at line 3"),
])
def test_read_fomc_rejects_a_malformed_csv(tmp_path, text, fault):
    (tmp_path / "fomc.csv").write_text(text)
    with pytest.raises(ValueError, match=r"^fomc\.csv: ") as info:
        read_fomc(tmp_path / "fomc.csv")
    assert fault in str(info.value)


def test_read_fomc_accepts_a_good_file_and_ignores_extra_columns(tmp_path):
    (tmp_path / "fomc.csv").write_text("\n".join(GOOD) + "\n")
    expected = fomc(("2020-01-29", "scheduled"), ("2020-03-03", "unscheduled"), ("2020-03-15", "unscheduled"))
    pd.testing.assert_frame_equal(read_fomc(tmp_path / "fomc.csv"), expected, check_dtype=False)
    (tmp_path / "sourced.csv").write_text("date,kind,source\n2007-08-10,liquidity,a;b\n2008-03-11,liquidity,c\n")
    assert read_fomc(tmp_path / "sourced.csv")["kind"].tolist() == ["liquidity", "liquidity"]


def test_read_fomc_raises_file_not_found_naming_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"fomc\.csv"):
        read_fomc(tmp_path / "fomc.csv")


# -- the stale warning -----------------------------------------------------------------------


def test_lookahead_is_far_past_every_gap_between_meetings():
    """Six months without a meeting can only mean the file was not refreshed."""
    dates = pd.to_datetime(reference()["date"])
    longest = dates.diff().max()
    assert longest <= pd.Timedelta(days=62)  # at most about eight weeks apart
    shortest_lookahead = pd.Timestamp("2026-08-31") + pd.DateOffset(months=FOMC_LOOKAHEAD_MONTHS)  # Feb 28
    assert longest < shortest_lookahead - pd.Timestamp("2026-08-31")


def test_shipped_fomc_is_healthy_at_the_snapshot_date():
    assert fomc_health(read_fomc(), SNAPSHOT_AS_OF) is None
    assert fomc_health(read_fomc(), "2026-08-21") is None


def test_shipped_fomc_warns_once_its_last_meeting_is_today_or_past():
    rows = read_fomc()
    last = shipped()["date"].iloc[-1]  # plain pandas, not read_fomc
    day_before = f"{pd.Timestamp(last) - pd.Timedelta(days=1):%Y-%m-%d}"
    assert fomc_health(rows, day_before) is None  # the last meeting is still ahead
    assert fomc_health(rows, last) == (
        f"the FOMC calendar has no meeting in the 6 months after {last} (its last is {last}), "
        "so add the Fed's new schedule to data/calendars/fomc.csv"
    )
    warning = fomc_health(rows, pd.Timestamp(last) + pd.Timedelta(days=1))
    assert warning is not None and f"(its last is {last})" in warning


def test_fomc_health_boundaries_on_hand_built_calendars():
    today = "2026-03-15"
    assert fomc_health(fomc(("2026-09-15", "scheduled")), today) is None  # exactly 6 months later: counts
    assert fomc_health(fomc(("2026-03-16", "liquidity")), today) is None  # any kind counts
    assert fomc_health(fomc(("2026-03-15", "scheduled")), today) is not None  # on today: held, not ahead
    late = fomc_health(fomc(("2026-01-28", "scheduled"), ("2026-09-16", "scheduled")), today)
    assert late == ("the FOMC calendar has no meeting in the 6 months after 2026-03-15 (the next it lists is "
                    "2026-09-16), so check data/calendars/fomc.csv against the Fed's calendar")
    assert fomc_health(fomc(("2026-09-16", "scheduled")), today, months=7) is None
    assert fomc_health(fomc(("2026-08-28", "scheduled")), "2026-02-28") is None  # Feb 28 + 6 months = Aug 28
    assert fomc_health(fomc(("2026-08-29", "scheduled")), "2026-02-28") is not None
    assert fomc_health(fomc(("2026-03-16", "scheduled")), "2026-03-15 18:30") is None  # the day, not the hour
    empty = fomc_health(fomc(), today)
    assert empty is not None and "empty" in empty and "data/calendars/fomc.csv" in empty


# -- calendar_warnings ----------------------------------------------------------------------


def test_calendar_warnings_include_the_fomc_sentence_when_stale(tmp_path):
    (tmp_path / "fomc.csv").write_text("date,kind\n2026-01-28,scheduled\n2026-03-18,scheduled\n")
    warnings = calendar_warnings(SNAPSHOT_AS_OF, fomc_path=tmp_path / "fomc.csv")
    assert warnings == ["the FOMC calendar has no meeting in the 6 months after 2026-08-21 (its last is "
                        "2026-03-18), so add the Fed's new schedule to data/calendars/fomc.csv"]
    assert calendar_warnings(SNAPSHOT_AS_OF) == []  # the shipped files are healthy then


def test_calendar_warnings_at_the_end_of_the_shipped_fomc_file():
    last = shipped()["date"].iloc[-1]
    warnings = calendar_warnings(last)
    assert warnings[-1] == fomc_health(read_fomc(), last)
    assert f"(its last is {last})" in warnings[-1]
    assert len(warnings) == 5  # the four release calendars are long stale by then too


def test_a_broken_or_missing_fomc_file_is_a_warning(tmp_path):
    (tmp_path / "fomc.csv").write_text("date,kind\n2026-09-16,rate\n")
    (warning,) = calendar_warnings(SNAPSHOT_AS_OF, fomc_path=tmp_path / "fomc.csv")
    assert warning.startswith("the FOMC calendar cannot be read (fomc.csv: unknown kind")
    (warning,) = calendar_warnings(SNAPSHOT_AS_OF, fomc_path=tmp_path / "missing.csv")
    assert warning.startswith("the FOMC calendar cannot be read (") and "missing.csv" in warning
    both = calendar_warnings(SNAPSHOT_AS_OF, path=tmp_path / "releases.csv", fomc_path=tmp_path / "missing.csv")
    assert [w.split(" (")[0] for w in both] == ["the release calendars cannot be read",
                                                 "the FOMC calendar cannot be read"]
    assert FOMC_FILE == REPO / "data" / "calendars" / "fomc.csv"
