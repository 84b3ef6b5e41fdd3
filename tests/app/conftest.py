"""AppTest fixtures: the real app on the real snapshot, with a fresh cache per test."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, SNAPSHOT_DIR

APP = str(REPO / "app.py")


@pytest.fixture
def app_env(monkeypatch, tmp_path):
    """Snapshot mode with a private cache folder; Streamlit's caches cleared around the test."""
    monkeypatch.setenv("DASH_SNAPSHOT", str(SNAPSHOT_DIR))
    monkeypatch.setenv("DASH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("FRED_API_KEY", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield tmp_path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def run_page(app_env):
    """Run a page (``None`` = overview, or ``"pages/1_fed-path.py"``) with URL params."""

    def run(page: str | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        return at

    return run


def figures(at: AppTest) -> list[dict]:
    """Every Plotly figure on the page as a dict (the JSON the browser receives)."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def trace_values(trace: dict, axis: str) -> np.ndarray:
    """Decode a trace's x or y: plain list, or Plotly's base64 typed array."""
    value = trace[axis]
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def assert_clean(at: AppTest) -> None:
    """No exception element and no error alert on the page."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def by_title(at: AppTest, words: str) -> dict:
    """The one figure whose title contains ``words``."""
    (fig,) = [f for f in figures(at) if words in f["layout"]["title"]["text"]]
    return fig


def trace(fig: dict, name: str) -> dict:
    """The one trace of ``fig`` named ``name``."""
    (found,) = [t for t in fig["data"] if t.get("name") == name]
    return found


def last_x(tr: dict) -> pd.Timestamp:
    """The latest x (date) a trace plots."""
    return pd.to_datetime(trace_values(tr, "x")).max()
