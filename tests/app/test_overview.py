"""The overview (narrative scorecard) on the real snapshot, through Streamlit's AppTest."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import pandas as pd
import pytest

from analytics.claims import STATUSES
from tests.app.conftest import assert_clean, by_title, figures, trace_values
from tests.conftest import SHARED_DATA, SNAPSHOT_AS_OF, snapshot_series

SHARES_CSV = SHARED_DATA / "shares" / "shares_outstanding.csv"
BADGE = re.compile(r":(\w+)-badge\[:material/\w+: ([^\]]+)\]")
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CARDS = 8
VERDICT = re.compile(r"(\d+) of (\d+) claims supported")
RS_OPEN = "overview.rs_open"  # the key of the expander holding the Russell 2000 vs S&P 500 chart
VERDICT_WORDS = {"mixed": "mixed", "not supported": "not", "no data": "no data"}


@pytest.fixture(autouse=True)
def share_counts(monkeypatch):
    """Offline share counts, so the S&P 500 hybrid claim is scored (see the sp500 page tests)."""
    monkeypatch.setenv("DASH_SHARES", str(SHARES_CSV))


def statuses(at) -> list[str]:
    """The status chip of every card, in card order."""
    found = [BADGE.search(m.value) for m in at.markdown]
    return [match.group(2).lower() for match in found if match]


def evidence_lines(at) -> list[str]:
    """Each card's evidence line (the paragraph after its title, in the markdown after its badge)."""
    values = [m.value for m in at.markdown]
    return [values[i + 1].split("\n\n", 1)[1] for i, v in enumerate(values) if BADGE.search(v)]


def evidence_links(at) -> list:
    return [link.proto for link in at.get("page_link") if link.proto.label.startswith("Evidence")]


def sparklines(at) -> list[dict]:
    return [f for f in figures(at) if not f["layout"].get("title", {}).get("text")]


def test_eight_cards_with_statuses_and_a_matching_verdict(run_page):
    at = run_page()
    assert_clean(at)
    found = statuses(at)
    assert len(found) == CARDS
    assert set(found) <= set(STATUSES)
    (verdict,) = [s.value for s in at.subheader]
    supported, total = map(int, VERDICT.search(verdict).groups())
    assert (supported, total) == (found.count("supported"), CARDS)
    for status, word in VERDICT_WORDS.items():
        count = found.count(status)
        assert (f"{count} {word}" in verdict) == (count > 0), verdict
    assert any(c.value == f"Scored on the data as of {SNAPSHOT_AS_OF}." for c in at.caption)


def test_cards_show_dated_evidence_rule_sparkline_and_link(run_page):
    at = run_page()
    lines = evidence_lines(at)
    assert len(lines) == CARDS
    assert all(DATE.search(line) or line.startswith("Missing:") for line in lines)
    assert sum(c.value.startswith("Line: ") and "\n\nRule: " in c.value for c in at.caption) == CARDS
    spark = sparklines(at)
    assert len(spark) == CARDS
    for fig in spark:
        assert fig["layout"]["height"] <= 80
        assert fig["layout"]["xaxis"]["visible"] is False and fig["layout"]["yaxis"]["visible"] is False
    links = evidence_links(at)
    assert [link.page for link in links] == ["fed-path"] * 3 + ["small-caps"] * 3 + ["sp500-hybrid", "inflation"]
    params = [parse_qs(link.query_string) for link in links]
    assert params[4] == {"beta_window": ["63"]}
    assert params[6] == {"sector_window": ["3M"]}
    assert params[7]["measure"] == ["Core PCE"] and params[7]["transform"] == ["YoY"]


def test_today_matches_the_snapshot(run_page):
    at = run_page()
    lines = evidence_lines(at)
    # Futures price hikes on the snapshot: claim 1 is not supported, dated on the futures' last day.
    assert statuses(at)[0] == "not supported"
    assert "-1.8 (2026-08-21)" in lines[0]
    assert max(pd.Timestamp(d) for line in lines for d in DATE.findall(line)) == pd.Timestamp(SNAPSHOT_AS_OF)


def test_as_of_rescoring_cuts_every_value_at_the_date(run_page):
    today = run_page()
    at = run_page(asof="2025-12-31")
    assert_clean(at)
    found = statuses(at)
    assert len(found) == CARDS and set(found) <= set(STATUSES)
    lines = evidence_lines(at)
    assert found != statuses(today) or lines != evidence_lines(today)
    dates = [pd.Timestamp(d) for line in lines for d in DATE.findall(line)]
    assert len(dates) >= CARDS
    assert max(dates) <= pd.Timestamp("2025-12-31")
    assert any("cut at 2025-12-31" in c.value and "revisions are not undone" in c.value for c in at.caption)
    # Every sparkline ends by the date too (the policy path is in the future by nature; none then).
    for fig in sparklines(at):
        x = pd.to_datetime(trace_values(fig["data"][0], "x"))
        assert x.max() <= pd.Timestamp("2025-12-31")
    verdict = at.subheader[0].value
    assert VERDICT.search(verdict).group(1) == str(found.count("supported"))


@pytest.mark.parametrize("raw", ["junk", "2025-13-45", "<script>alert(1)</script>"])
def test_invalid_asof_is_noted_and_today_is_scored(run_page, raw):
    at = run_page(asof=raw)
    assert_clean(at)
    assert any("Ignored an invalid value for 'asof'" in i.value for i in at.info)
    assert all("script" not in m.value for m in at.markdown)
    assert len(statuses(at)) == CARDS
    assert any(c.value == f"Scored on the data as of {SNAPSHOT_AS_OF}." for c in at.caption)


def test_asof_outside_the_range_is_clamped_with_a_note(run_page):
    at = run_page(asof="1990-06-30")
    assert_clean(at)
    assert any("moved to 2005-01-01" in i.value for i in at.info)
    assert any("cut at 2005-01-01" in c.value for c in at.caption)
    later = run_page(asof="2031-01-01")
    assert any(f"moved to {SNAPSHOT_AS_OF}" in i.value for i in later.info)
    assert any(c.value == f"Scored on the data as of {SNAPSHOT_AS_OF}." for c in later.caption)


def open_expander(at, key: str):
    """Open the lazy expander ``key`` (what a click does: its content runs on the rerun)."""
    at.session_state[key] = True
    return at.run()


def test_closed_expanders_run_nothing(run_page):
    at = run_page()
    assert {e.label for e in at.expander} == {"Data status", "Russell 2000 vs S&P 500, rebased (last 3Y)"}
    assert all(not e.children for e in at.expander)
    assert not any("Russell 2000 vs S&P 500" in f["layout"]["title"]["text"] for f in figures(at))


def test_status_table_in_expander_lists_every_catalogue_series(run_page):
    at = open_expander(run_page(), "overview.status_open")
    (expander,) = [e for e in at.expander if e.label == "Data status"]
    table = expander.dataframe[0].value
    from data_sources.catalogue import catalogue

    assert len(table) == len(catalogue(SNAPSHOT_AS_OF))
    ok = table[table["Status"] == "ok"]
    rut = ok[ok["Id"] == "^RUT"].iloc[0]
    assert str(rut["Last"]) == "2026-08-21"
    missing = table[table["Status"] == "failed"]
    assert (missing["Problem"].str.contains("no file")).all()


def test_overview_renders_rebased_chart_from_snapshot(run_page):
    at = open_expander(run_page(), RS_OPEN)
    fig = by_title(at, "Russell 2000 vs S&P 500")
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


def test_preset_in_url_sets_window_and_evidence_links_carry_it(run_page):
    at = open_expander(run_page(range="1M"), RS_OPEN)
    for link in evidence_links(at):
        assert parse_qs(link.query_string)["range"] == ["1M"]
    fig = by_title(at, "Russell 2000 vs S&P 500")
    x = pd.to_datetime(trace_values(fig["data"][0], "x"))
    assert x.min() >= pd.Timestamp("2026-07-21")
    assert "last 1M" in fig["layout"]["title"]["text"]


def test_invalid_range_param_falls_back_with_note(run_page):
    at = run_page(range="<img src=x onerror=alert(1)>")
    assert_clean(at)
    assert any("Ignored an invalid value for 'range'" in i.value for i in at.info)
    assert all("onerror" not in m.value for m in at.markdown)
    assert "last 3Y" in by_title(open_expander(at, RS_OPEN), "Russell 2000 vs S&P 500")["layout"]["title"]["text"]


def test_custom_range_swapped_and_clamped(run_page):
    at = open_expander(run_page(range="Custom", start="2026-06-30", end="2024-01-02"), RS_OPEN)
    assert_clean(at)
    fig = by_title(at, "Russell 2000 vs S&P 500")
    x = pd.to_datetime(trace_values(fig["data"][0], "x"))
    assert x.min() >= pd.Timestamp("2024-01-02") and x.max() <= pd.Timestamp("2026-06-30")
