"""Sections that open on demand from the link (URL-bound expanders: the overview's verdict
history, the Fed path's meeting table, the S&P page's trailing P/E, Macro days' latest days):
a value other than true/false is ignored with a note, as for every other parameter
(FAULTS.md, "URL params"), and the section stays closed."""

from __future__ import annotations

import pytest

from tests.app.conftest import assert_clean

SECTIONS = [(None, "history", "Verdict history"),
            ("pages/1_fed-path.py", "meetings", "Meeting by meeting"),
            ("pages/3_sp500-hybrid.py", "pe", "Trailing P/E"),
            ("pages/5_events.py", "latest", "The latest 20 All macro days")]


def expander(at, label: str):
    (found,) = [e for e in at.expander if e.label.startswith(label)]
    return found


@pytest.mark.parametrize("page, key, label", SECTIONS, ids=[key for _, key, _ in SECTIONS])
def test_an_invalid_value_leaves_the_section_closed_with_a_note(run_page, page, key, label):
    at = run_page(page, **{key: "yes"})
    assert_clean(at)
    assert f"Ignored an invalid value for '{key}' in the link." in [i.value for i in at.info]
    assert not expander(at, label).children


@pytest.mark.parametrize("page, key, label", SECTIONS, ids=[key for _, key, _ in SECTIONS])
def test_true_in_any_case_opens_the_section_without_a_note(run_page, page, key, label):
    at = run_page(page, **{key: "TRUE"})
    assert_clean(at)
    assert not [i.value for i in at.info if "Ignored an invalid value" in i.value]
    assert expander(at, label).children
