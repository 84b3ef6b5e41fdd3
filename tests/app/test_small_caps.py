"""The Small-cap barometer page on the real snapshot, through Streamlit's AppTest."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analytics.rates import FAR_FUTURE_PROFITS, NEAR_TERM_PROFITS, cut_gain
from tests.app.conftest import assert_clean, by_title, figures, last_x, trace, trace_values
from tests.conftest import snapshot_series

PAGE = "pages/2_small-caps.py"


@pytest.fixture
def page(run_page):
    at = run_page(PAGE)
    assert_clean(at)
    return at


def test_relative_strength_chart_ends_on_the_snapshot_dates(page):
    fig = by_title(page, "Are small caps beating large caps?")
    for name, key in (("Russell 2000", "rut"), ("S&P 500", "spx")):
        t = trace(fig, name)
        assert trace_values(t, "y")[0] == pytest.approx(100.0)
        assert last_x(t) == snapshot_series(key).index.max()
    rs = trace(fig, "Russell 2000 / S&P 500")
    assert trace_values(rs, "y")[0] == pytest.approx(100.0)
    assert fig["layout"]["yaxis"]["title"]["text"] == "Index, start = 100"
    assert fig["layout"]["yaxis"]["type"] == "linear"
    captions = [c.value for c in page.caption]
    assert any("Yahoo Finance (^RUT, ^GSPC) · as of 2026-08-21" in c for c in captions)


def test_log_toggle_from_the_url(run_page):
    at = run_page(PAGE, log="true")
    assert_clean(at)
    assert by_title(at, "Are small caps beating large caps?")["layout"]["yaxis"]["type"] == "log"


def test_drawdown_is_zero_at_every_record_marker(page):
    fig = by_title(page, "below its all-time high")
    line = trace(fig, "Russell 2000: distance from high")
    assert last_x(line) == snapshot_series("rut").index.max()
    assert (trace_values(line, "y") <= 0).all()
    records = pd.to_datetime(trace_values(trace(fig, "New record close"), "x"))
    rut = snapshot_series("rut")
    assert len(records) > 0
    assert all(rut.loc[d] == rut.loc[:d].max() for d in records)
    assert "%" in fig["layout"]["yaxis"]["title"]["text"]


def test_rate_beta_chart_and_scatter_agree(page):
    fig = by_title(page, "per +10 bp in the 2-year yield")
    beta_63 = trace(fig, "β, 63-day")
    # The regression ends on the last date all three inputs share: DGS2's last date.
    assert last_x(beta_63) == snapshot_series("t_2y").index.max()
    assert "% per +10 bp" in fig["layout"]["yaxis"]["title"]["text"]
    scatter = by_title(page, "Daily moves: 2-year yield")
    assert "(last 63 trading days)" in scatter["layout"]["title"]["text"]
    points = trace(scatter, "Trading days")
    assert len(trace_values(points, "x")) == 63
    fit = trace(scatter, "OLS fit")
    x, y = trace_values(fit, "x"), trace_values(fit, "y")
    slope_per_10bp = (y[-1] - y[0]) / (x[-1] - x[0]) * 10
    assert slope_per_10bp == pytest.approx(trace_values(beta_63, "y")[-1], rel=1e-9)
    assert "bp" in scatter["layout"]["xaxis"]["title"]["text"]
    assert "%" in scatter["layout"]["yaxis"]["title"]["text"]


def test_beta_window_from_the_url(run_page):
    at = run_page(PAGE, beta_window="252")
    assert_clean(at)
    scatter = by_title(at, "Daily moves: 2-year yield")
    assert "(last 252 trading days)" in scatter["layout"]["title"]["text"]
    assert len(trace_values(trace(scatter, "Trading days"), "x")) == 252


def test_speculation_gauge_ends_where_each_series_ends(page):
    fig = by_title(page, "money-losing small caps")
    assert last_x(trace(fig, "IWM / IJR (unprofitable vs profitable)")) == snapshot_series("ijr").index.max()
    assert last_x(trace(fig, "High-yield spread")) == snapshot_series("hy_spread").index.max()
    takeaway = [m.value for m in page.markdown if m.value.startswith("Over the last 3M, IWM/IJR")]
    assert len(takeaway) == 1 and "2026-07-31" in takeaway[0] and "2026-08-20" in takeaway[0]


def test_duration_lab_follows_the_url(run_page):
    at = run_page(PAGE, rate="6.5", cut="100")
    assert_clean(at)
    fig = by_title(at, "Who gains more from a 100 bp cut at 6.50%?")
    bars = trace_values(fig["data"][0], "y")
    assert bars == pytest.approx([cut_gain(NEAR_TERM_PROFITS, 6.5, 100), cut_gain(FAR_FUTURE_PROFITS, 6.5, 100)])
    assert bars[1] > bars[0]  # the far-future firm is the long-duration asset
    assert "Gordon duration" in " ".join(m.label for m in at.metric)


def test_invalid_params_fall_back_with_notes(run_page):
    at = run_page(PAGE, log="maybe", beta_window="64", rate="1e9", cut="30")
    assert_clean(at)
    infos = " ".join(i.value for i in at.info)
    for name in ("log", "beta_window", "rate", "cut"):
        assert f"Ignored an invalid value for '{name}'" in infos
    assert "(last 63 trading days)" in by_title(at, "Daily moves")["layout"]["title"]["text"]
    assert figures(at)[-1]["layout"]["title"]["text"] == "Who gains more from a 25 bp cut at 8.00%?"
    assert np.isfinite(trace_values(figures(at)[-1]["data"][0], "y")).all()
