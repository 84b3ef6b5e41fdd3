"""The Fed path page on the real snapshot, through Streamlit's AppTest."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from analytics.rates import METHOD_FORWARDS, METHOD_FUTURES, R_STAR_DEFAULT
from tests.app.conftest import assert_clean, by_title, figures, last_x, trace, trace_values
from tests.conftest import SNAPSHOT_DIR, snapshot_series

PAGE = "pages/1_fed-path.py"


@pytest.fixture
def fed(run_page):
    return run_page(PAGE)


def test_renders_clean_with_every_panel(fed):
    assert_clean(fed)
    titles = [f["layout"]["title"]["text"] for f in figures(fed)]
    for words in ("against the Fed's target range", "after each meeting", "expected policy path", "Treasury yields",
                  "curve inverted", "Sahm rule", "unemployment", "layoffs", "hiring", "Taylor rule"):
        assert any(words in t for t in titles), (words, titles)
    info = " ".join(i.value for i in fed.info)
    assert "Openings per unemployed is not available" in info and "Unemployed persons" in info


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
    fig = by_title(fed, "expected policy path")
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
    unrate = by_title(fed, "unemployment")
    assert last_x(trace(unrate, "Unemployment rate")) == snapshot_series("unrate").dropna().index.max()
    claims = by_title(fed, "layoffs")
    assert claims["layout"]["yaxis"]["title"]["text"] == "Persons per week"
    payrolls = by_title(fed, "hiring")
    assert "Thousands" in payrolls["layout"]["yaxis"]["title"]["text"]


def test_long_window_shades_recessions(run_page):
    at = run_page(PAGE)
    # The shared sidebar's bound "range" does not survive AppTest's switch_page; set the widget.
    at.session_state["range"] = "Max"
    at.run()
    assert_clean(at)
    assert "all history" in by_title(at, "unemployment")["layout"]["title"]["text"]
    unrate = by_title(at, "unemployment")
    assert any(s.get("type") == "rect" for s in unrate["layout"]["shapes"])
    short = by_title(run_page(PAGE), "unemployment")
    assert not any(s.get("type") == "rect" for s in short["layout"].get("shapes", []))


def taylor_line(at) -> np.ndarray:
    fig = by_title(at, "Taylor rule")
    return trace_values(trace(fig, "Taylor rule"), "y").astype(float)


def test_rstar_in_url_moves_taylor_line_by_exactly_the_difference(run_page, fed):
    moved = run_page(PAGE, rstar="2")
    assert_clean(moved)
    assert np.allclose(taylor_line(moved) - taylor_line(fed), 2.0 - R_STAR_DEFAULT)
    assert any("r* = 2.00%" in m.value for m in moved.markdown)


def test_ustar_in_url_changes_the_rule(run_page, fed):
    moved = run_page(PAGE, ustar="5")
    assert not np.allclose(taylor_line(moved), taylor_line(fed))


@pytest.mark.parametrize("params", [{"rstar": "abc"}, {"ustar": "99"}, {"rstar": "<img src=x onerror=alert(1)>"}])
def test_invalid_taylor_param_falls_back_with_note(run_page, fed, params):
    at = run_page(PAGE, **params)
    assert_clean(at)
    (name,) = params
    assert any(f"Ignored an invalid value for '{name}'" in i.value for i in at.info)
    assert np.allclose(taylor_line(at), taylor_line(fed))
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
