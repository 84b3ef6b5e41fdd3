"""A snapshot recorded with ``python -m data_sources snapshot`` replays the S&P 500 page with
its mega-cap weights: share counts are recorded like every other series and served back."""

from __future__ import annotations

import json

import streamlit as st
from streamlit.testing.v1 import AppTest

from data_sources.__main__ import main
from tests.app.conftest import APP
from tests.conftest import SNAPSHOT_DIR

SP500 = "pages/3_sp500-hybrid.py"
MEGA_CHART = "sp500-hybrid.mega"


def mega_cap_chart(monkeypatch, snapshot, cache) -> dict:
    """The S&P 500 page's mega-cap waterfall when the app replays ``snapshot``."""
    monkeypatch.setenv("DASH_SNAPSHOT", str(snapshot))
    monkeypatch.setenv("DASH_CACHE_DIR", str(cache))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page(SP500)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (chart,) = [c for c in at.get("plotly_chart") if c.key == MEGA_CHART]
    return json.loads(chart.proto.spec)


def test_a_recorded_snapshot_replays_the_sp500_page_with_weights(monkeypatch, tmp_path):
    monkeypatch.delenv("DASH_SHARES", raising=False)
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    monkeypatch.setenv("DASH_SNAPSHOT", str(SNAPSHOT_DIR))
    monkeypatch.setenv("DASH_CACHE_DIR", str(tmp_path / "record-cache"))
    recorded = tmp_path / "recorded"
    assert main(["snapshot", str(recorded)]) == 0
    assert (recorded / "shares" / "shares_outstanding.csv").is_file()

    original = mega_cap_chart(monkeypatch, SNAPSHOT_DIR, tmp_path / "cache-original")
    replayed = mega_cap_chart(monkeypatch, recorded, tmp_path / "cache-replayed")
    assert replayed["data"] == original["data"]
    bars = original["data"][0]
    assert list(bars["x"])[:7] == ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA"]
    st.cache_data.clear()
    st.cache_resource.clear()
