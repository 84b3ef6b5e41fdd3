"""The overview page on the real snapshot, through Streamlit's AppTest."""

from __future__ import annotations

import pandas as pd

from tests.app.conftest import assert_clean, figures, trace_values
from tests.conftest import snapshot_series


def test_overview_renders_rebased_chart_from_snapshot(run_page):
    at = run_page()
    assert_clean(at)
    (fig,) = figures(at)
    names = [t["name"] for t in fig["data"]]
    assert names == ["Russell 2000", "S&P 500"]
    for trace in fig["data"]:
        x = pd.to_datetime(trace_values(trace, "x"))
        y = trace_values(trace, "y")
        assert y[0] == 100.0
        assert x.max() == snapshot_series("rut").index.max()
    assert "start = 100" in fig["layout"]["yaxis"]["title"]["text"]
    captions = [c.value for c in at.caption]
    assert any("Yahoo Finance (^RUT, ^GSPC) · as of 2026-08-21" in c for c in captions)


def test_overview_status_table_lists_every_catalogue_series(run_page):
    at = run_page()
    table = at.dataframe[0].value
    from data_sources.catalogue import catalogue
    from tests.conftest import SNAPSHOT_AS_OF

    assert len(table) == len(catalogue(SNAPSHOT_AS_OF))
    ok = table[table["Status"] == "ok"]
    rut = ok[ok["Id"] == "^RUT"].iloc[0]
    assert str(rut["Last"]) == "2026-08-21"
    missing = table[table["Status"] == "failed"]
    assert (missing["Problem"].str.contains("no file")).all()


def test_preset_in_url_sets_window(run_page):
    at = run_page(range="1M")
    (fig,) = figures(at)
    x = pd.to_datetime(trace_values(fig["data"][0], "x"))
    assert x.min() >= pd.Timestamp("2026-07-21")
    assert "last 1M" in fig["layout"]["title"]["text"]


def test_invalid_range_param_falls_back_with_note(run_page):
    at = run_page(range="<img src=x onerror=alert(1)>")
    assert_clean(at)
    assert any("Ignored an invalid value for 'range'" in i.value for i in at.info)
    assert all("onerror" not in m.value for m in at.markdown)
    (fig,) = figures(at)
    assert "last 3Y" in fig["layout"]["title"]["text"]


def test_custom_range_swapped_and_clamped(run_page):
    at = run_page(range="Custom", start="2026-06-30", end="2024-01-02")
    assert_clean(at)
    (fig,) = figures(at)
    x = pd.to_datetime(trace_values(fig["data"][0], "x"))
    assert x.min() >= pd.Timestamp("2024-01-02") and x.max() <= pd.Timestamp("2026-06-30")
