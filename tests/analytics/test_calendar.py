"""FOMC calendar and NBER recessions: the typed-in facts and the range helpers."""

import pandas as pd
import pytest

from analytics.calendar import FOMC_MEETINGS, NBER_RECESSIONS, meetings_after, recessions_between


def test_fomc_calendar_shape():
    assert len(FOMC_MEETINGS) == 24
    assert list(FOMC_MEETINGS) == sorted(FOMC_MEETINGS)
    assert {m.year for m in FOMC_MEETINGS} == {2025, 2026, 2027}
    assert all(sum(m.year == y for m in FOMC_MEETINGS) == 8 for y in (2025, 2026, 2027))
    assert {m.day_name() for m in FOMC_MEETINGS} == {"Wednesday"}  # statement day: 2nd day
    assert pd.Timestamp("2026-09-16") in FOMC_MEETINGS and pd.Timestamp("2027-06-09") in FOMC_MEETINGS


def test_meetings_after_is_strict():
    after = meetings_after("2026-09-16")
    assert after[0] == pd.Timestamp("2026-10-28")
    assert meetings_after("2026-08-21")[0] == pd.Timestamp("2026-09-16")
    assert meetings_after("2028-01-01") == []
    with pytest.raises(ValueError):
        meetings_after(pd.NaT)


def test_recessions_between():
    assert len(NBER_RECESSIONS) == 12
    spans = recessions_between("2000-01-01", "2010-12-31")
    assert spans == [
        (pd.Timestamp("2001-03-01"), pd.Timestamp("2001-11-30")),
        (pd.Timestamp("2007-12-01"), pd.Timestamp("2009-06-30")),
    ]
    # Overlap counts even at one end; none in a quiet stretch; reversed range → none.
    assert recessions_between("2009-06-15", "2012-01-01") == [spans[1]]
    assert recessions_between("2010-01-01", "2019-12-31") == []
    assert recessions_between("2010-01-01", "2000-01-01") == []
    assert len(recessions_between("1900-01-01", "2030-01-01")) == 12
