"""The Inflation tension page on the real snapshot, through Streamlit's AppTest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.inflation import PolicyFlagThresholds
from analytics.rates import METHOD_FUTURES
from tests.app.conftest import assert_clean, by_title, figures, last_x, trace, trace_values
# Figure lookups shared with the Fed path tests (candidates for tests/app/conftest.py).
from tests.conftest import snapshot_series

PAGE = "pages/4_inflation.py"
MEASURE_NAMES = {"CPI": "cpi", "Core CPI": "core_cpi", "PCE": "pce", "Core PCE": "core_pce"}


def flag_table(at) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Met" in d.value.columns)


@pytest.fixture
def page(run_page):
    return run_page(PAGE)


def test_renders_clean_with_every_panel(page):
    assert_clean(page)
    titles = [f["layout"]["title"]["text"] for f in figures(page)]
    assert len(titles) == 3
    for words in ("Is inflation back to 2%", "expect inflation", "restrictive after inflation"):
        assert any(words in t for t in titles), (words, titles)
    labels = [m.label for m in page.metric]
    assert any(label.startswith("Core PCE, YoY · 2026-06-01") for label in labels)


def test_inflation_chart_defaults_to_all_four_yoy(page):
    fig = by_title(page, "Is inflation back to 2%")
    assert "year over year" in fig["layout"]["title"]["text"]
    for name, key in MEASURE_NAMES.items():
        assert last_x(trace(fig, name)) == snapshot_series(key).dropna().index.max()
    assert "Percent" in fig["layout"]["yaxis"]["title"]["text"]
    assert any(s.get("y0") == 2.0 for s in fig["layout"]["shapes"])
    assert "%" in trace(fig, "CPI")["hovertemplate"]


def test_transform_in_url_changes_the_chart(run_page, page):
    yoy = trace(by_title(page, "Is inflation back to 2%"), "Core PCE")
    at = run_page(PAGE, transform="3m")
    assert_clean(at)
    fig = by_title(at, "Is inflation back to 2%")
    assert "3-month annualised" in fig["layout"]["title"]["text"]
    three = trace(fig, "Core PCE")
    assert not np.allclose(trace_values(three, "y")[-3:], trace_values(yoy, "y")[-3:])


def test_measure_in_url_selects_series(run_page):
    at = run_page(PAGE, measure="Core PCE")
    assert_clean(at)
    fig = by_title(at, "Is inflation back to 2%")
    assert [t["name"] for t in fig["data"]] == ["Core PCE"]


@pytest.mark.parametrize("name, value", [("measure", "<img src=x onerror=alert(1)>"), ("transform", "12m"),
                                         ("tight_pce", "abc"), ("loose_5y5y", "1e9")])
def test_invalid_param_falls_back_with_note(run_page, name, value):
    at = run_page(PAGE, **{name: value})
    assert_clean(at)
    assert any(f"Ignored an invalid value for '{name}'" in i.value for i in at.info)
    assert all("onerror" not in m.value for m in at.markdown)
    fig = by_title(at, "Is inflation back to 2%")
    assert "year over year" in fig["layout"]["title"]["text"]
    assert len(fig["data"]) == len(MEASURE_NAMES)


def test_breakevens_and_5y5y(page):
    fig = by_title(page, "expect inflation")
    for name, key in (("5-year breakeven", "breakeven_5y"), ("10-year breakeven", "breakeven_10y")):
        assert last_x(trace(fig, name)) == snapshot_series(key).dropna().index.max()
    fwd = trace(fig, "5y5y forward")
    assert last_x(fwd) == min(snapshot_series("breakeven_5y").dropna().index.max(),
                              snapshot_series("breakeven_10y").dropna().index.max())
    assert fig["layout"]["yaxis"]["title"]["text"] == "Percent"


def test_real_policy_rate_is_effr_minus_core_pce(page):
    fig = by_title(page, "restrictive after inflation")
    real = trace(fig, "Real policy rate (EFFR − core PCE YoY)")
    assert last_x(real) == snapshot_series("effr").dropna().index.max()
    effr = trace(fig, "Effective fed funds rate")
    assert trace_values(real, "y")[-1] < trace_values(effr, "y")[-1]


def test_flags_show_inputs_thresholds_and_reading(page):
    table = flag_table(page)
    assert list(table["Flag"].unique()) == ["Too tight", "Too loose"]
    defaults = PolicyFlagThresholds()
    pce_hot = table[table["Condition"].str.startswith("3-month annualised core PCE above")].iloc[0]
    assert pce_hot["Threshold"] == defaults.loose_core_pce_3m_above
    cuts = table[table["Condition"].str.startswith("Cuts priced")].iloc[0]
    assert cuts["Reading"] < 0 and not cuts["Met"]  # futures price hikes on the snapshot
    reading = " ".join(a.value for a in [*page.success, *page.warning])
    assert "Too tight:" in reading and "Too loose:" in reading
    assert any(METHOD_FUTURES in c.value for c in page.caption)


def test_threshold_in_url_flips_a_condition(run_page, page):
    before = flag_table(page)
    at = run_page(PAGE, loose_pce="2")
    assert_clean(at)
    after = flag_table(at)
    row = after["Condition"].str.startswith("3-month annualised core PCE above")
    assert after.loc[row, "Threshold"].iloc[0] == 2.0
    assert bool(after.loc[row, "Met"].iloc[0]) != bool(before.loc[row, "Met"].iloc[0])
