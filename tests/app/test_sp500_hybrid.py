"""The S&P 500 hybrid page on the real snapshot, through Streamlit's AppTest."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from data_sources.catalogue import SECTOR_KEYS
from tests.app.conftest import assert_clean, by_title, figures, last_x, trace_values
from tests.conftest import SHARED_DATA, snapshot_series

PAGE = "pages/3_sp500-hybrid.py"
SHARES_CSV = SHARED_DATA / "shares" / "shares_outstanding.csv"
MEGA_SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA"]


def title_dates(fig: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = re.findall(r"\d{4}-\d{2}-\d{2}", fig["layout"]["title"]["text"])
    return pd.Timestamp(start), pd.Timestamp(end)


@pytest.fixture
def with_shares(monkeypatch):
    monkeypatch.setenv("DASH_SHARES", str(SHARES_CSV))


@pytest.fixture
def page(run_page, with_shares):
    at = run_page(PAGE)
    assert_clean(at)
    return at


def test_breadth_chart_ends_on_the_last_common_date(page):
    fig = by_title(page, "Is cap weight beating equal weight?")
    names = [t["name"] for t in fig["data"]]
    assert names == ["SPY (cap weight)", "RSP (equal weight)", "1M gap", "3M gap", "12M gap"]
    # RSP stops earlier than SPY in the snapshot: the comparison ends with RSP.
    for t in fig["data"][:2]:
        assert trace_values(t, "y")[0] == pytest.approx(100.0)
        assert last_x(t) == snapshot_series("rsp").index.max()
    assert fig["layout"]["yaxis2"]["title"]["text"] == "Cap minus equal, pp"
    assert any("Yahoo Finance (SPY, RSP) · as of 2026-07-31" in c.value for c in page.caption)


def test_mega_cap_contributions_sum_to_the_index_return(page):
    fig = by_title(page, "Who delivered the S&P 500's return")
    (bars,) = fig["data"]
    x, y = list(trace_values(bars, "x")), trace_values(bars, "y")
    assert x == [*MEGA_SYMBOLS, "Other 493", "S&P 500"]
    assert bars["measure"][-1] == "total"
    assert y[:-1].sum() == pytest.approx(y[-1], abs=1e-9)
    start, end = title_dates(fig)
    spx = snapshot_series("spx")
    assert y[-1] == pytest.approx((spx[end] / spx[start] - 1) * 100, abs=1e-9)
    assert end == snapshot_series("aapl").index.max()  # mega caps end before the index
    note = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "Full caps" in note and "2024-12-13" in note and "shares_outstanding.csv" in note
    assert any("as of 2026-07-31" in c.value and "^GSPC" in c.value for c in page.caption)


def test_sector_bars_carry_their_keys_and_the_count(page):
    fig = by_title(page, "Which sectors beat SPY over the last 3M?")
    (bars,) = fig["data"]
    keys = [c[0] for c in bars["customdata"]]
    assert sorted(keys) == sorted(SECTOR_KEYS)
    beating = int((trace_values(bars, "y") > 0).sum())
    assert any(m.value.startswith(f"{beating} of 11 sectors beat SPY over the last 3M") for m in page.markdown)
    assert "pp" in fig["layout"]["yaxis"]["title"]["text"]
    assert not [f for f in figures(page) if "beating SPY?" in f["layout"]["title"]["text"]]


def test_sector_in_the_url_opens_its_drill_down(run_page, with_shares):
    at = run_page(PAGE, sector="xle", sector_window="12M")
    assert_clean(at)
    fig = by_title(at, "Is Energy sector (SPDR XLE) beating SPY?")
    names = [t["name"] for t in fig["data"]]
    assert names == ["Energy sector (SPDR XLE)", "SPY", "XLE / SPY"]
    assert last_x(fig["data"][0]) == snapshot_series("xle").index.max()
    assert "last 12M" in by_title(at, "Which sectors beat SPY")["layout"]["title"]["text"]


def test_cyclicals_vs_defensives(page):
    fig = by_title(page, "Are cyclicals beating defensives?")
    (line,) = fig["data"]
    assert trace_values(line, "y")[0] == pytest.approx(100.0)
    assert last_x(line) == snapshot_series("xli").index.max()


def test_rate_share_parts_add_up(page):
    fig = by_title(page, "How much of RSP's return came with 10-year yield moves?")
    (bars,) = fig["data"]
    y = trace_values(bars, "y")
    assert y[:-1].sum() == pytest.approx(y[-1], abs=1e-9)
    start, end = title_dates(fig)
    rsp = snapshot_series("rsp")
    assert end == rsp.index.max()
    assert y[-1] == pytest.approx(np.log(rsp[end] / rsp[start]) * 100, abs=1e-9)
    labels = {m.label: m.value for m in page.metric}
    assert "R² of daily returns on yields" in labels
    assert 0 <= float(labels["R² of daily returns on yields"]) <= 1


def test_invalid_params_fall_back_with_notes(run_page, with_shares):
    at = run_page(PAGE, sector="<script>", sector_window="5Y")
    assert_clean(at)
    infos = " ".join(i.value for i in at.info)
    assert "Ignored an invalid value for 'sector'" in infos
    assert "Ignored an invalid value for 'sector_window'" in infos
    assert "<script>" not in infos
    assert by_title(at, "Which sectors beat SPY over the last 3M?")
    assert not [f for f in figures(at) if "beating SPY?" in f["layout"]["title"]["text"]]


def test_without_share_counts_the_rest_still_works(run_page, monkeypatch):
    monkeypatch.delenv("DASH_SHARES", raising=False)
    at = run_page(PAGE)
    assert_clean(at)
    assert any("DASH_SHARES" in i.value and "share counts" in i.value.lower() for i in at.info)
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert not [t for t in titles if "Who delivered" in t]
    assert len(titles) == 4  # breadth, sectors, cyclicals, rate share
