"""AppTest fixtures: the real app on the real snapshot, with a fresh cache per test."""

from __future__ import annotations

import base64
import functools
import json
import re

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


TABLE_RULE = re.compile(r"\|(-{3}:?\|)+")


def markdown_tables(at: AppTest) -> list[pd.DataFrame]:
    """Every Markdown table on the page (``panels.static_table``), each cell as a reader sees
    it: the text between unescaped bars, Markdown's backslash escapes removed."""
    tables = []
    for block in at.markdown:
        lines = block.value.splitlines()
        if len(lines) < 2 or not lines[0].startswith("| ") or not TABLE_RULE.fullmatch(lines[1]):
            continue
        header, *rows = ([re.sub(r"\\(.)", r"\1", cell.strip()) for cell in re.split(r"(?<!\\)\|", line[1:-1])]
                         for line in (lines[0], *lines[2:]))
        tables.append(pd.DataFrame(rows, columns=header))
    return tables


def markdown_table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one Markdown table on the page that has ``column``."""
    (table,) = [t for t in markdown_tables(at) if column in t.columns]
    return table


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


def open_once(tmp_path_factory, page: str | None, **env: str) -> AppTest:
    """``page`` as first opened on the snapshot (for a module's read-only tests), with a
    private cache folder, extra environment ``env``, and Streamlit's caches cleared around it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASH_SNAPSHOT", str(SNAPSHOT_DIR))
        mp.setenv("DASH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.delenv("FRED_API_KEY", raising=False)
        for name, value in env.items():
            mp.setenv(name, value)
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=60)
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        st.cache_data.clear()
        st.cache_resource.clear()
    assert_clean(at)
    return at


# --- The snapshot's numbers in plain pandas, for tests to derive what a page must show ----------


@functools.cache
def yahoo(symbol: str) -> pd.Series:
    """A snapshot Yahoo file's Close, read with plain pandas (named by the symbol)."""
    frame = pd.read_csv(SNAPSHOT_DIR / "yahoo" / f"{symbol}.csv", index_col="Date", parse_dates=True)
    return frame["Close"].dropna().rename(symbol)


@functools.cache
def fred(series_id: str) -> pd.Series:
    """A snapshot FRED file's values, read with plain pandas."""
    frame = pd.read_csv(SNAPSHOT_DIR / "fred" / f"{series_id}.csv", index_col=0, parse_dates=True)
    return frame.iloc[:, 0].dropna()


def common(*series: pd.Series) -> pd.DataFrame:
    """The series side by side on the dates where all have a value (columns 0, 1, ...)."""
    return pd.concat(series, axis=1, join="inner", keys=range(len(series))).dropna()


def as_series(tr: dict) -> pd.Series:
    """A trace's points as a date-indexed series, the NaN line breaks dropped."""
    values = pd.Series(trace_values(tr, "y").astype(float), pd.to_datetime(trace_values(tr, "x")))
    return values.dropna()


# The mega caps' stock splits since 2020 (companies' announcements), to put reported share
# counts on the basis of today's split-adjusted prices: symbol -> ((first day after, ratio), ...).
SPLITS = {"AAPL": (("2020-08-31", 4),), "AMZN": (("2022-06-06", 20),), "GOOGL": (("2022-07-18", 20),),
          "NVDA": (("2021-07-20", 4), ("2024-06-10", 10)), "TSLA": (("2020-08-31", 5), ("2022-08-25", 3))}
SHARES_CSV = SNAPSHOT_DIR / "shares" / "shares_outstanding.csv"


def split_adjusted(symbol: str) -> pd.Series:
    """The snapshot's reported share counts of ``symbol`` times the splits that came after each."""
    counts = pd.read_csv(SHARES_CSV, parse_dates=["date"])
    counts = counts[counts["symbol"] == symbol].set_index("date")["shares"].astype(float).sort_index()
    factor = pd.Series(1.0, counts.index)
    for day, ratio in SPLITS.get(symbol, ()):
        factor[counts.index < pd.Timestamp(day)] *= ratio
    return counts * factor
