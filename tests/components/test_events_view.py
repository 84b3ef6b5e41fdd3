"""The Macro days view's own pieces on hand-built inputs (components/views/events.py)."""

from __future__ import annotations

import pandas as pd

from components.views import events as ev
from components.views.market import contract_months
from data_sources.cache import LoadResult

DAYS = pd.bdate_range("2026-09-01", "2026-09-30")


def _strip(prices_by_day: dict[str, float]) -> tuple[LoadResult, dict[str, pd.Period]]:
    """A flat futures strip from September 2026 (every contract at the same price each day) and
    a 4.00–4.25% target band."""
    months = contract_months(pd.Timestamp("2026-09-16"))
    index = pd.DatetimeIndex(list(prices_by_day))
    series = {key: pd.Series(list(prices_by_day.values()), index=index, name=key) for key in months}
    band = pd.DatetimeIndex(["2026-01-01"])
    series["fed_target_lower"] = pd.Series([4.00], index=band)
    series["fed_target_upper"] = pd.Series([4.25], index=band)
    return LoadResult(series), months


MEETINGS = pd.to_datetime(["2026-09-16", "2026-10-28", "2026-12-09", "2027-01-27", "2027-03-17", "2027-04-28",
                           "2027-06-09", "2027-07-28", "2027-09-15"])


def test_the_futures_path_change_on_an_fomc_day_by_hand():
    # Flat strip: every month's average rate is 100 − price, so every meeting ends there. The
    # day before, 4.10% everywhere; on the day, 3.85%: the 12-month-out rate fell 25 bp.
    result, months = _strip({"2026-09-15": 95.90, "2026-09-16": 96.15})
    text = ev.path_change_sentence(result, months, "2026-09-16", pd.Timestamp("2026-09-15"), MEETINGS)
    assert text == ("Fed funds futures (FedWatch): the expected policy rate 12 months out went from 4.10% to 3.85% "
                    "(-25 bp) on the day.")


def test_no_futures_path_when_the_strip_misses_a_day_or_the_meeting_month():
    result, months = _strip({"2026-09-16": 96.15})
    text = ev.path_change_sentence(result, months, "2026-09-16", pd.Timestamp("2026-09-15"), MEETINGS)
    assert text == ("No FedWatch path for this meeting: the fed funds futures loaded are the contracts from Sep 2026 "
                    "on (prices from 2026-09-16 to 2026-09-16).")
    result, months = _strip({"2026-07-28": 95.90, "2026-07-29": 96.15})
    earlier = ev.path_change_sentence(result, months, "2026-07-29", pd.Timestamp("2026-07-28"), MEETINGS)
    assert earlier.startswith("No FedWatch path for this meeting")


def _study(days: dict[str, list[str]]) -> ev.EventStudy:
    level = pd.Series(range(100, 100 + len(DAYS)), index=DAYS, dtype=float)
    announced = {kind: pd.DatetimeIndex(pd.to_datetime(dates)) for kind, dates in days.items()}
    return ev.event_study(level, level * 2, level / 100, announced)


def test_labels_join_every_type_announced_that_day_in_a_fixed_order():
    study = _study({ev.FOMC: ["2026-09-16"], ev.CPI: ["2026-09-11", "2026-09-16"], ev.JOBS: ["2026-09-05"],
                    ev.PCE: []})
    # 5 September is a Saturday: the jobs report counts on Monday the 7th.
    assert study.labels.to_dict() == {pd.Timestamp("2026-09-07"): "Jobs", pd.Timestamp("2026-09-11"): "CPI",
                                      pd.Timestamp("2026-09-16"): "FOMC, CPI"}
    assert ev.event_label(study, "2026-09-16") == "FOMC, CPI" and ev.event_label(study, "2026-09-17") == ""
    assert list(study.other_days()) == [d for d in study.moves.index if d not in study.labels.index]


def test_coming_up_names_the_next_fomc_day_and_freds_schedule():
    announced = {ev.FOMC: pd.DatetimeIndex(MEETINGS)}
    assert ev.coming_up(announced, "2026-09-16", []) == "Next macro days: FOMC 2026-10-28."
    assert ev.coming_up(announced, "2026-09-01", ["CPI 2026-09-11"]) == \
        "Next macro days: FOMC 2026-09-16; CPI 2026-09-11 (FRED's schedule)."
    assert ev.coming_up(announced, "2027-09-15", []) == ""
