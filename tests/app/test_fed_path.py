"""The Fed path page on the real snapshot, through Streamlit's AppTest."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from analytics.rates import METHOD_FORWARDS, METHOD_FUTURES, PCE_RELEASE_LAG_DAYS, R_STAR_DEFAULT
from tests.app.conftest import assert_clean, by_title, figures, last_x, trace, trace_values
from tests.conftest import SNAPSHOT_DIR, snapshot_series

PAGE = "pages/1_fed-path.py"


@pytest.fixture
def fed(run_page):
    return run_page(PAGE)


# Each URL-bound tab group on the page: {tab label: words in the title of the chart it draws}.
TAB_GROUPS = {
    "futures": {"Probabilities": "after each meeting", "Path": "expected policy path"},
    "curve": {"Spreads": "curve inverted", "Yields": "short and long Treasury yields"},
    "labour": {"Sahm rule": "Sahm rule", "Unemployment": "unemployment", "Payrolls": "hiring", "Claims": "layoffs",
               "Openings": None},  # not in the snapshot: a note instead of a chart
    "taylor": {"Rule": "relative to the Taylor rule", "Gap": "tighter (above 0)"},
}
CHARTS_OUTSIDE_TABS = 1  # the policy band


def open_tab(at, group: str, label: str):
    """Open tab ``label`` of ``group`` (what a click, or ``group=label`` in the link, does) and rerun."""
    at.session_state[group] = label
    return at.run()


def open_labour_tab(at, label: str):
    return open_tab(at, "labour", label)


def test_renders_clean_with_every_panel(fed):
    assert_clean(fed)
    titles = [f["layout"]["title"]["text"] for f in figures(fed)]
    for words in ("against the Fed's target range", "after each meeting", "curve inverted", "Sahm rule",
                  "relative to the Taylor rule"):
        assert any(words in t for t in titles), (words, titles)
    assert len(titles) == CHARTS_OUTSIDE_TABS + len(TAB_GROUPS)
    assert [t.label for t in fed.tabs] == [label for group in TAB_GROUPS.values() for label in group]


@pytest.mark.parametrize("group", TAB_GROUPS)
def test_only_the_open_tab_of_each_group_is_computed_and_drawn(fed, group):
    tabs = TAB_GROUPS[group]
    for label, words in tabs.items():
        titles = [f["layout"]["title"]["text"] for f in figures(open_tab(fed, group, label))]
        assert_clean(fed)
        shown = [w for w in tabs.values() if w and any(w in t for t in titles)]
        assert shown == ([words] if words else []), (label, titles)
        assert len(titles) == CHARTS_OUTSIDE_TABS + len(TAB_GROUPS) - (words is None)
    info = " ".join(i.value for i in open_tab(fed, "labour", "Openings").info)
    assert "Openings per unemployed is not available" in info and "Unemployed persons" in info


def test_yields_tab_series_end_on_snapshot_dates(fed):
    fig = by_title(open_tab(fed, "curve", "Yields"), "short and long Treasury yields")
    for name, key in (("3-month Treasury", "t_3m"), ("2-year Treasury", "t_2y"), ("10-year Treasury", "t_10y")):
        assert last_x(trace(fig, name)) == snapshot_series(key).dropna().index.max(), name


def test_taylor_gap_tab_is_policy_rate_minus_the_rule_known_that_day(fed):
    rule_fig = by_title(fed, "relative to the Taylor rule")
    rule = trace(rule_fig, "Taylor rule")
    policy = next(t for t in rule_fig["data"] if t["name"] in ("Effective fed funds rate", "Fed funds rate (DFF)"))
    gap_fig = by_title(open_tab(fed, "taylor", "Gap"), "tighter (above 0)")
    gap = trace(gap_fig, "Policy rate − rule")
    rule_s = pd.Series(trace_values(rule, "y").astype(float), pd.to_datetime(trace_values(rule, "x")))
    policy_s = pd.Series(trace_values(policy, "y").astype(float), pd.to_datetime(trace_values(policy, "x")))
    gap_s = pd.Series(trace_values(gap, "y").astype(float), pd.to_datetime(trace_values(gap, "x")))
    common = gap_s.dropna().index.intersection(policy_s.index)
    assert len(common) > 100
    # The rule trace starts at the window's start; earlier days have no plotted rule to check against.
    known_rule = pd.Series([rule_s.asof(day - pd.Timedelta(days=PCE_RELEASE_LAG_DAYS)) for day in common], common)
    checked = known_rule.dropna().index
    assert len(checked) > 100
    assert np.allclose(gap_s[checked], policy_s[checked] - known_rule[checked])


def test_labour_summary_gives_each_latest_reading(fed):
    summary = next(m.value for m in fed.markdown if m.value.startswith("Latest: unemployment"))
    unrate = snapshot_series("unrate").dropna()
    assert f"unemployment is {unrate.iloc[-1]:,.1f}% ({unrate.index[-1]:%b %Y})" in summary
    assert "payroll growth (3-month average) is" in summary and "initial claims (4-week average) is" in summary


def test_policy_band_chart_series_end_on_snapshot_dates(fed):
    fig = by_title(fed, "against the Fed's target range")
    names = {
        "Target range, lower bound": "fed_target_lower", "Target range, upper bound": "fed_target_upper",
        "Effective fed funds rate": "effr", "2-year Treasury": "t_2y", "10-year Treasury": "t_10y",
    }
    for name, key in names.items():
        assert last_x(trace(fig, name)) == snapshot_series(key).dropna().index.max(), name
    assert fig["layout"]["yaxis"]["title"]["text"] == "Percent"
    assert trace(fig, "Target range, upper bound")["fill"] == "tonexty"
    assert trace(fig, "Target range, lower bound")["showlegend"] is False
    decisions = [t for t in fig["data"] if t["name"].startswith("FOMC: ")]
    assert {t["name"] for t in decisions} <= {"FOMC: cut", "FOMC: hold", "FOMC: hike"}
    marked = pd.to_datetime(np.concatenate([trace_values(t, "x") for t in decisions]))
    assert pd.Timestamp("2025-12-10") in marked and pd.Timestamp("2026-07-29") in marked
    assert "%" in trace(fig, "Effective fed funds rate")["hovertemplate"]


def test_cuts_priced_headline_says_hikes(fed):
    metric = next(m for m in fed.metric if m.label.startswith("Cuts priced"))
    assert float(metric.value) < 0
    sentences = " ".join(m.value for m in fed.markdown)
    assert "hikes, not cuts" in sentences and METHOD_FUTURES in sentences


def test_implied_path_table_and_probabilities_sum_to_one(fed):
    table = next(d.value for d in fed.dataframe if "P(hold)" in d.value.columns)
    assert len(table) > 0
    sums = table[["P(cut)", "P(hold)", "P(hike)"]].sum(axis=1)
    assert np.allclose(sums, 1.0)
    fig = by_title(fed, "after each meeting")
    stacked = sum(trace_values(t, "y").astype(float) for t in fig["data"])
    assert np.allclose(stacked, 1.0)
    assert len(stacked) == len(table)
    assert "Probability" in fig["layout"]["yaxis"]["title"]["text"]
    assert "as of 2026-08-21" in fig["layout"]["title"]["text"]


def test_path_moved_overlays_one_week_and_says_month_is_missing(fed):
    fig = by_title(open_tab(fed, "futures", "Path"), "expected policy path")
    names = [t["name"] for t in fig["data"]]
    assert names == ["Now (2026-08-21)", "1 week earlier (2026-08-14)"]
    assert any("No 1 month earlier comparison" in i.value for i in fed.info)
    assert "percent" in fig["layout"]["yaxis"]["title"]["text"]


def test_curve_spreads_shade_inversions_and_count_days(fed):
    fig = by_title(fed, "curve inverted")
    for name, key in (("10y − 2y", "spread_10y2y"), ("10y − 3m", "spread_10y3m")):
        assert last_x(trace(fig, name)) == snapshot_series(key).dropna().index.max()
    shaded = trace(fig, "10y − 3m inverted")
    assert shaded["fill"] == "tozeroy"
    shaded_y = trace_values(shaded, "y").astype(float)
    assert shaded_y.max() == 0 and shaded_y.min() < 0
    assert any("inverted on" in m.value and "days" in m.value for m in fed.markdown)
    assert fig["layout"]["yaxis"]["title"]["text"] == "Percentage points"


def test_labour_charts(fed):
    sahm = by_title(fed, "Sahm rule")
    assert last_x(trace(sahm, "Sahm rule (FRED real time)")) == snapshot_series("sahm_realtime").dropna().index.max()
    assert last_x(trace(sahm, "Sahm rule (ours)")) == snapshot_series("unrate").dropna().index.max()
    assert any(s.get("y0") == 0.5 for s in sahm["layout"]["shapes"])
    unrate = by_title(open_labour_tab(fed, "Unemployment"), "unemployment")
    assert last_x(trace(unrate, "Unemployment rate")) == snapshot_series("unrate").dropna().index.max()
    claims = by_title(open_labour_tab(fed, "Claims"), "layoffs")
    assert claims["layout"]["yaxis"]["title"]["text"] == "Persons per week"
    payrolls = by_title(open_labour_tab(fed, "Payrolls"), "hiring")
    assert "Thousands" in payrolls["layout"]["yaxis"]["title"]["text"]


def test_long_window_shades_recessions(run_page):
    at = run_page(PAGE)
    # The shared sidebar's bound "range" does not survive AppTest's switch_page; set the widget.
    at.session_state["range"] = "Max"
    open_labour_tab(at, "Unemployment")
    assert_clean(at)
    assert "all history" in by_title(at, "unemployment")["layout"]["title"]["text"]
    unrate = by_title(at, "unemployment")
    assert any(s.get("type") == "rect" for s in unrate["layout"]["shapes"])
    short = by_title(open_labour_tab(run_page(PAGE), "Unemployment"), "unemployment")
    assert not any(s.get("type") == "rect" for s in short["layout"].get("shapes", []))


def taylor_line(at) -> np.ndarray:
    fig = by_title(at, "Taylor rule")
    return trace_values(trace(fig, "Taylor rule"), "y").astype(float)


def test_rstar_in_url_moves_taylor_line_by_exactly_the_difference(run_page, fed):
    moved = run_page(PAGE, rstar="2")
    assert_clean(moved)
    shift = taylor_line(moved) - taylor_line(fed)
    assert np.array_equal(np.isnan(taylor_line(moved)), np.isnan(taylor_line(fed)))  # same breaks in the line
    assert np.allclose(shift[~np.isnan(shift)], 2.0 - R_STAR_DEFAULT)
    assert any("r* = 2.00%" in m.value for m in moved.markdown)


def test_ustar_in_url_changes_the_rule(run_page, fed):
    moved = run_page(PAGE, ustar="5")
    assert not np.allclose(taylor_line(moved), taylor_line(fed), equal_nan=True)


@pytest.mark.parametrize("params", [{"rstar": "abc"}, {"ustar": "99"}, {"rstar": "<img src=x onerror=alert(1)>"}])
def test_invalid_taylor_param_falls_back_with_note(run_page, fed, params):
    at = run_page(PAGE, **params)
    assert_clean(at)
    (name,) = params
    assert any(f"Ignored an invalid value for '{name}'" in i.value for i in at.info)
    assert np.allclose(taylor_line(at), taylor_line(fed), equal_nan=True)
    assert all("onerror" not in m.value for m in at.markdown)


def test_without_futures_the_fallback_is_named(run_page, tmp_path, monkeypatch):
    snapshot = tmp_path / "no-futures"
    (snapshot / "yahoo").mkdir(parents=True)
    (snapshot / "fred").symlink_to(SNAPSHOT_DIR / "fred")
    shutil.copy(SNAPSHOT_DIR / "yahoo" / "^GSPC.csv", snapshot / "yahoo")  # the as-of date comes from market files
    monkeypatch.setenv("DASH_SNAPSHOT", str(snapshot))
    at = run_page(PAGE)
    assert not at.exception, [e.value for e in at.exception]
    info = " ".join(i.value for i in at.info)
    assert "Fed funds futures are not available" in info
    sentences = " ".join(m.value for m in at.markdown)
    # DGS6MO and DGS1 are not in the snapshot but DGS1MO and DGS3MO are: the bill-forward fallback.
    assert f"method: {METHOD_FORWARDS}" in sentences
    assert not any("after each meeting" in f["layout"]["title"]["text"] for f in figures(at))
