"""URL value validation and the date window rules (pure parts of components/controls.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from components.controls import (
    CUSTOM,
    DEFAULT_PRESET,
    EARLIEST_DATE,
    months_before,
    parse_choice,
    parse_date,
    parse_float,
    resolve_window,
)

AS_OF = dt.date(2026, 8, 21)


@pytest.mark.parametrize(
    "raw, expected",
    [("2024-02-29", dt.date(2024, 2, 29)), ("2024-13-45", None), ("2023-02-29", None), ("", None),
     (None, None), ("2024-01-01%00", None), ("<img src=x onerror=alert(1)>", None), ("9" * 10_000, None)],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw, expected",
    [("1.5", 1.5), ("-0.25", -0.25), ("7", None), ("1e3", None), ("nan", None), ("inf", None), ("", None), ("1.2.3", None)],
)
def test_parse_float_within_bounds(raw, expected):
    assert parse_float(raw, -2.0, 5.0) == expected


def test_parse_choice_is_an_allowlist():
    assert parse_choice("1Y", ("1Y", "3Y")) == "1Y"
    assert parse_choice("1y", ("1Y", "3Y")) is None
    assert parse_choice("javascript:alert(1)", ("1Y",)) is None


def test_months_before_clamps_to_month_end():
    assert months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 8, 21), 36) == dt.date(2023, 8, 21)
    assert months_before(dt.date(2026, 1, 15), 13) == dt.date(2024, 12, 15)


def test_presets():
    assert resolve_window("1M", None, None, AS_OF).start == dt.date(2026, 7, 21)
    assert resolve_window("YTD", None, None, AS_OF).start == dt.date(2026, 1, 1)
    assert resolve_window("Max", None, None, AS_OF).start is None
    unknown = resolve_window("bogus", None, None, AS_OF)
    assert unknown.label == f"last {DEFAULT_PRESET}" and unknown.end == AS_OF


def test_custom_window_swaps_and_clamps_with_notes():
    swapped = resolve_window(CUSTOM, dt.date(2026, 6, 30), dt.date(2024, 1, 2), AS_OF)
    assert (swapped.start, swapped.end) == (dt.date(2024, 1, 2), dt.date(2026, 6, 30))
    assert any("swapped" in n for n in swapped.notes)
    future = resolve_window(CUSTOM, dt.date(2025, 1, 1), dt.date(2030, 1, 1), AS_OF)
    assert future.end == AS_OF and future.notes
    ancient = resolve_window(CUSTOM, dt.date(1850, 1, 1), dt.date(2000, 1, 1), AS_OF)
    assert ancient.start == EARLIEST_DATE and ancient.notes


def test_window_clip_includes_both_ends():
    frame = pd.Series(range(5), index=pd.date_range("2026-08-17", periods=5, name="date"))
    window = resolve_window(CUSTOM, dt.date(2026, 8, 18), dt.date(2026, 8, 20), AS_OF)
    assert list(window.clip(frame)) == [1, 2, 3]


def tabs_page():
    """A page with two URL-bound tabs whose panels write which one ran."""
    import streamlit as st

    from components.controls import tabs_control

    opened = tabs_control("view", {"Levels": lambda: st.write("ran Levels"), "Changes": lambda: st.write("ran Changes")})
    st.write(f"open: {opened}")


@pytest.mark.parametrize("link, opened, noted", [
    (None, "Levels", False),
    ("Changes", "Changes", False),
    ("<img src=x onerror=alert(1)>", "Levels", True),
    (["junk", "Changes"], "Changes", False),  # repeated key: the last value is the one used
    (["Changes", "junk"], "Levels", True),
], ids=["default", "chosen", "hostile", "repeated-valid-last", "repeated-junk-last"])
def test_tabs_control_runs_only_the_open_panel_and_notes_bad_links(link, opened, noted):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(tabs_page)
    if link is not None:
        at.query_params["view"] = link
    at.run()
    texts = [m.value for m in at.markdown]
    assert texts == [f"ran {opened}", f"open: {opened}"]
    assert [t.label for t in at.tabs] == ["Levels", "Changes"]
    assert any("Ignored an invalid value for 'view'" in i.value for i in at.info) == noted
    assert not any("onerror" in i.value for i in at.info)
