"""``panels.markdown_table``: small read-only tables as Markdown, written out by hand here."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from components.panels import markdown_table


def test_numbers_are_formatted_and_right_aligned_text_left():
    frame = pd.DataFrame({"Condition": ["Core PCE above", "5y5y above"], "Reading": [2.886, 2.2449],
                          "Change (bp)": [-12.5, 3.0]})
    assert markdown_table(frame, {"Reading": "{:.2f}", "Change (bp)": "{:+.1f}"}) == (
        "| Condition | Reading | Change (bp) |\n"
        "|---|---:|---:|\n"
        "| Core PCE above | 2.89 | -12.5 |\n"
        "| 5y5y above | 2.24 | +3.0 |"
    )


def test_missing_values_booleans_and_dates_read_as_words():
    frame = pd.DataFrame({"Meeting": [dt.date(2026, 9, 16), dt.date(2026, 10, 28)], "Met": [True, False],
                          "P(cut)": [np.nan, 0.25]})
    assert markdown_table(frame, {"P(cut)": "{:.1%}"}).splitlines()[2:] == [
        "| 2026-09-16 | Yes | – |",
        "| 2026-10-28 | No | 25.0% |",
    ]


def test_markup_in_labels_is_shown_as_written():
    """A bar would end the cell, a dollar start LaTeX, a star italics: all are escaped."""
    frame = pd.DataFrame({"Mean |Δ2y|, bp": [1.0]}, index=pd.Index(["r* > $5 _x_"], name="Type"))
    assert markdown_table(frame, {"Mean |Δ2y|, bp": "{:.2f}"}, hide_index=False) == (
        "| Type | Mean \\|Δ2y\\|, bp |\n"
        "|---|---:|\n"
        "| r\\* \\> \\$5 \\_x\\_ | 1.00 |"
    )
