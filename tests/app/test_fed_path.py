"""The Fed path page on the real snapshot, through Streamlit's AppTest.

Numbers on the page are derived again here with plain pandas from the snapshot CSVs
(``../shared/data/snapshot``) and the formulas of ANALYTICS.md ("Fed path"), and must match.
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.rates import METHOD_CRUDE, METHOD_FUTURES, R_STAR_DEFAULT, U_STAR_DEFAULT
from data_sources.catalogue import catalogue
from tests.app.conftest import (as_series, assert_clean, by_title, figures, fred, markdown_table_with, markdown_tables,
                                open_once, trace, trace_values)
from tests.conftest import SNAPSHOT_AS_OF, SNAPSHOT_DIR

PAGE = "pages/1_fed-path.py"
TODAY = pd.Timestamp(SNAPSHOT_AS_OF)
WINDOW_START = pd.Timestamp("2023-08-21")  # the default window: last 3Y
PCE_LAG = pd.Timedelta(days=60)  # analytics.inflation.real_policy_rate / taylor_gap: known 60 days after its date
# FOMC statement days after the snapshot that the futures strip (to January 2028) covers (ANALYTICS.md).
MEETINGS_AHEAD = ["2026-09-16", "2026-10-28", "2026-12-09", "2027-01-27", "2027-03-17", "2027-04-28",
                  "2027-06-09", "2027-07-28", "2027-09-15", "2027-10-27", "2027-12-08"]
# NBER recessions, peak month to trough month (ANALYTICS.md), shaded from the first to the last day.
RECESSIONS = [("1948-11", "1949-10"), ("1953-07", "1954-05"), ("1957-08", "1958-04"), ("1960-04", "1961-02"),
              ("1969-12", "1970-11"), ("1973-11", "1975-03"), ("1980-01", "1980-07"), ("1981-07", "1982-11"),
              ("1990-07", "1991-03"), ("2001-03", "2001-11"), ("2007-12", "2009-06"), ("2020-02", "2020-04")]

# Lines are named by their catalogue label (the page's legend for a loaded series).
LABELS = {spec.key: spec.label for spec in catalogue(SNAPSHOT_AS_OF)}


@pytest.fixture
def fed(run_page):
    return run_page(PAGE)


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> AppTest:
    """The page as first opened, for tests that only read it (tests that click run their own)."""
    return open_once(tmp_path_factory, PAGE)


# --- The same numbers in plain pandas on the snapshot CSVs ---------------------------------


def implied(contract: str, day=TODAY) -> float:
    """Implied average rate of a fed funds contract (100 − its last price on or before ``day``)."""
    frame = pd.read_csv(SNAPSHOT_DIR / "yahoo" / f"ZQ{contract}.CBT.csv", index_col="Date", parse_dates=True)
    return 100.0 - float(frame["Close"].dropna().loc[:pd.Timestamp(day)].iloc[-1])


def on_or_before(series: pd.Series, day) -> float:
    known = series.dropna().loc[: pd.Timestamp(day)]
    return float(known.iloc[-1]) if len(known) else np.nan


def months_earlier(series: pd.Series, months: int) -> pd.Series:
    shifted = series.copy()
    shifted.index = shifted.index + pd.DateOffset(months=months)
    return shifted[~shifted.index.duplicated()].reindex(series.index)


def core_pce_yoy() -> pd.Series:
    level = fred("PCEPILFE")
    return ((level / months_earlier(level, 12) - 1) * 100).dropna()


def taylor(r_star: float = 1.0, u_star: float = 4.2) -> pd.Series:
    """i = r* + π + 0.5(π − 2) + 0.5·2(u* − u), months with both inputs."""
    pi, u = core_pce_yoy(), fred("UNRATE")
    return (r_star + pi + 0.5 * (pi - 2) + 0.5 * 2 * (u_star - u)).dropna()


def sahm() -> pd.Series:
    unrate = fred("UNRATE")
    average = unrate.resample("MS").mean().rolling(3, min_periods=2).mean()
    return (average - average.shift(1).rolling(12, min_periods=1).min()).reindex(unrate.index)


def dec_2027_end(day=TODAY) -> float:
    """FedWatch end rate of the 8 Dec 2027 meeting: November 2027 has no meeting, so the start is
    its implied average; N = 31, M = 8: end = (31·r_Dec − 8·r_Nov)/23."""
    return (31 * implied("Z27", day) - 8 * implied("X27", day)) / 23


def september_2026() -> tuple[float, float, float]:
    """(start, end, P(hike)) of the 16 Sep 2026 meeting: start = August's implied average (no August
    meeting), end = (N/(N−M))·(r_Sep − (M/N)·start) with N = 30, M = 16; the move in 25 bp steps
    k = (end − start)/0.25 splits between ⌊k⌋ and ⌈k⌉ by its fractional part."""
    start = implied("Q26")
    end = 30 / 14 * (implied("U26") - 16 / 30 * start)
    k = (end - start) / 0.25
    return start, end, k - math.floor(k)


def bp_words(value_pp: float) -> str:
    bp = round(value_pp * 100)
    return f"{abs(bp)} bp {'above' if bp > 0 else 'below' if bp < 0 else 'level with'}"


# --- Tests ------------------------------------------------------------------------------------

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


def test_renders_clean_with_every_panel(page):
    titles = [f["layout"]["title"]["text"] for f in figures(page)]
    for words in ("against the Fed's target range", "after each meeting", "curve inverted", "Sahm rule",
                  "relative to the Taylor rule"):
        assert any(words in t for t in titles), (words, titles)
    assert len(titles) == CHARTS_OUTSIDE_TABS + len(TAB_GROUPS)
    assert [t.label for t in page.tabs] == [label for group in TAB_GROUPS.values() for label in group]


@pytest.mark.parametrize("group", TAB_GROUPS)
def test_only_the_open_tab_of_each_group_is_computed_and_drawn(fed, group):
    tabs = TAB_GROUPS[group]
    for label, words in tabs.items():
        titles = [f["layout"]["title"]["text"] for f in figures(open_tab(fed, group, label))]
        assert_clean(fed)
        shown = [w for w in tabs.values() if w and any(w in t for t in titles)]
        assert shown == ([words] if words else []), (label, titles)
        assert len(titles) == CHARTS_OUTSIDE_TABS + len(TAB_GROUPS) - (words is None)
    at = open_tab(fed, "labour", "Openings")
    notes = " ".join(n.value for n in [*at.info, *at.warning])
    assert "Openings per unemployed is not" in notes and "Unemployed persons (UNEMPLOY)" in notes


def test_yields_tab_series_end_on_snapshot_dates_with_their_last_values(fed, page):
    fig = by_title(open_tab(fed, "curve", "Yields"), "short and long Treasury yields")
    readings = []
    for key, series_id in (("t_3m", "DGS3MO"), ("t_2y", "DGS2"), ("t_10y", "DGS10")):
        series, name = fred(series_id), LABELS[key]
        plotted = as_series(trace(fig, name))
        assert plotted.index[-1] == series.index[-1], name
        assert np.allclose(plotted.to_numpy(), series.reindex(plotted.index).to_numpy(), atol=1e-12), name
        readings.append(f"{name} is {series.iloc[-1]:.2f}% ({series.index[-1]:%b %Y})")
    assert any(m.value == " · ".join(readings) + "." for m in page.markdown)


def test_taylor_rule_and_gap_are_derived_from_core_pce_unrate_and_effr(fed):
    """Rule on every plotted month = the formula on PCEPILFE and UNRATE; gap on every plotted day
    = EFFR − the rule of the latest month dated at least 60 days earlier."""
    rule_fig = by_title(fed, "relative to the Taylor rule")
    rule = as_series(trace(rule_fig, "Taylor rule"))
    expected_rule = taylor()
    assert rule.index[-1] == expected_rule.index[-1] == pd.Timestamp("2026-06-01")
    assert np.allclose(rule.to_numpy(), expected_rule.reindex(rule.index).to_numpy(), atol=1e-9)
    effr = fred("EFFR")
    policy = as_series(trace(rule_fig, LABELS["effr"]))
    assert np.allclose(policy.to_numpy(), effr.reindex(policy.index).to_numpy(), atol=1e-12)
    gap = as_series(trace(by_title(open_tab(fed, "taylor", "Gap"), "tighter (above 0)"), "Policy rate − rule"))
    expected_gap = pd.Series([effr[d] - on_or_before(expected_rule, d - PCE_LAG) for d in gap.index], gap.index)
    assert list(gap.index) == list(effr.loc[WINDOW_START:].index)
    assert np.allclose(gap.to_numpy(), expected_gap.to_numpy(), atol=1e-9)
    takeaway = next(m.value for m in fed.markdown if m.value.startswith("With r* = "))
    stance = "tighter" if gap.iloc[-1] > 0 else "looser"
    assert takeaway == (f"With r* = 1.00% and u* = 4.20%, the rule gives {expected_rule.iloc[-1]:.2f}% (Jun 2026); "
                        f"policy is {abs(expected_gap.iloc[-1]):.2f} pp {stance} than the rule.")
    metrics = {m.label: m.value for m in fed.metric}
    assert metrics[f"Taylor gap · {effr.index[-1]:%Y-%m-%d}"] == f"{expected_gap.iloc[-1]:+.2f} pp"


def test_labour_summary_gives_each_latest_reading(page):
    summary = next(m.value for m in page.markdown if m.value.startswith("Latest: unemployment"))
    unrate, payems, icsa = fred("UNRATE"), fred("PAYEMS"), fred("ICSA")
    payrolls = ((payems - months_earlier(payems, 3)) / 3).dropna()
    last_four = icsa.iloc[-4:]
    assert last_four.index[-1] - last_four.index[0] == pd.Timedelta(weeks=3)  # four consecutive weeks
    assert summary == (
        f"Latest: unemployment is {unrate.iloc[-1]:,.1f}% ({unrate.index[-1]:%b %Y}); "
        f"payroll growth (3-month average) is {payrolls.iloc[-1]:,.0f}k jobs a month ({payrolls.index[-1]:%b %Y}); "
        f"initial claims (4-week average) is {last_four.mean():,.0f} a week ({icsa.index[-1]:%b %Y})."
    )


def test_policy_band_chart_series_and_fomc_decisions(page):
    fig = by_title(page, "against the Fed's target range")
    series_ids = {"fed_target_lower": "DFEDTARL", "fed_target_upper": "DFEDTARU", "effr": "EFFR", "t_2y": "DGS2",
                  "t_10y": "DGS10"}
    for key, series_id in series_ids.items():
        name = LABELS[key]
        series, plotted = fred(series_id), as_series(trace(fig, name))
        assert plotted.index[-1] == series.index[-1], name
        assert np.allclose(plotted.to_numpy(), series.reindex(plotted.index).to_numpy(), atol=1e-12), name
    assert fig["layout"]["yaxis"]["title"]["text"] == "Percent"
    assert trace(fig, LABELS["fed_target_upper"])["fill"] == "tonexty"
    assert trace(fig, LABELS["fed_target_lower"])["showlegend"] is False
    # Each decision: the upper bound the day after the statement minus the statement day's.
    upper = fred("DFEDTARU")
    calendar = pd.to_datetime(["2025-01-29", "2025-03-19", "2025-05-07", "2025-06-18", "2025-07-30", "2025-09-17",
                               "2025-10-29", "2025-12-10", "2026-01-28", "2026-03-18", "2026-04-29", "2026-06-17",
                               "2026-07-29"])  # statement days up to the data's last upper bound
    moves = {day: on_or_before(upper, day + pd.Timedelta(days=1)) - on_or_before(upper, day) for day in calendar}
    expected = {"FOMC: cut": [d for d, m in moves.items() if m < 0],
                "FOMC: hold": [d for d, m in moves.items() if m == 0]}
    decisions = {t["name"]: t for t in fig["data"] if t["name"].startswith("FOMC: ")}
    assert set(decisions) == {"FOMC: cut", "FOMC: hold"}  # no hike in 2025-2026
    for name, days in expected.items():
        assert list(pd.to_datetime(trace_values(decisions[name], "x"))) == days, name
        after = [on_or_before(upper, d + pd.Timedelta(days=1)) for d in days]
        assert trace_values(decisions[name], "y").astype(float).tolist() == after, name
    assert expected["FOMC: cut"] == list(pd.to_datetime(["2025-09-17", "2025-10-29", "2025-12-10"]))
    assert "%" in trace(fig, LABELS["effr"])["hovertemplate"]
    lower, top = fred("DFEDTARL").iloc[-1], upper.iloc[-1]
    effr, y2 = fred("EFFR").iloc[-1], fred("DGS2").iloc[-1]
    assert any(m.value == f"The target range is {lower:.2f}–{top:.2f}%; EFFR trades at {effr:.2f}%; the "
               f"2-year yield ({y2:.2f}%) is {bp_words(y2 - top)} the top of the band." for m in page.markdown)


def test_cuts_priced_headline_is_the_futures_strip_a_year_out(page):
    """Cuts over 12 months = (today's implied rate − the rate after 28 Jul 2027, the last meeting in
    365 days)/0.25. Today's = August 2026's implied average; 28 Jul 2027 is 3 days before month end,
    so its end rate is August 2027's implied average (FedWatch practice for late meetings)."""
    cuts = (implied("Q26") - implied("Q27")) / 0.25
    metric = next(m for m in page.metric if m.label.startswith("Cuts priced"))
    assert metric.value == f"{cuts:+.1f}" == "-1.8"
    sentence = f"**Markets price {-cuts:.1f} hikes, not cuts, over the next 12 months (method: {METHOD_FUTURES}).**"
    assert sentence in [m.value for m in page.markdown]


def test_implied_path_table_rows_follow_the_fedwatch_formula(page, run_page):
    assert not markdown_tables(page)  # the table opens on demand (or from the link), the bars show the same
    table = markdown_table_with(run_page(PAGE, meetings="true"), "P(hold)")
    assert list(table["Meeting"]) == MEETINGS_AHEAD
    rows = table.set_index("Meeting")
    start, end, p_hike = september_2026()
    first = rows.loc["2026-09-16"]
    assert first["Expected rate (%)"] == f"{end:.3f}"
    assert first["Change vs now (bp)"] == f"{(end - start) * 100:+.1f}"
    assert (first["P(cut)"], first["P(hold)"], first["P(hike)"]) == (f"{0:.1%}", f"{1 - p_hike:.1%}", f"{p_hike:.1%}")
    # Late meetings (fewer than 5 days after the statement) read the next month's implied average.
    assert rows.loc["2026-10-28", "Expected rate (%)"] == f"{implied('X26'):.3f}"
    assert rows.loc["2027-07-28", "Expected rate (%)"] == f"{implied('Q27'):.3f}"
    assert rows.loc["2027-12-08", "Expected rate (%)"] == f"{dec_2027_end():.3f}"
    shown = table[["P(cut)", "P(hold)", "P(hike)"]].apply(lambda column: column.str.rstrip("%").astype(float))
    assert np.allclose(shown.sum(axis=1), 100.0, atol=0.15)  # three shares, each rounded to 0.05 pp
    fig = by_title(page, "after each meeting")
    stacked = sum(trace_values(t, "y").astype(float) for t in fig["data"])
    assert np.allclose(stacked, 1.0) and len(stacked) == len(MEETINGS_AHEAD)
    # After September alone: the current 3.50–3.75 range with P(hold), one 25 bp hike with P(hike).
    bars = {t["name"]: trace_values(t, "y").astype(float) for t in fig["data"]}
    assert bars["3.50–3.75%"][0] == pytest.approx(1 - p_hike, abs=1e-9)
    assert bars["3.75–4.00%"][0] == pytest.approx(p_hike, abs=1e-9)
    assert "Probability" in fig["layout"]["yaxis"]["title"]["text"]
    assert "as of 2026-08-21" in fig["layout"]["title"]["text"]
    today_rate, last_end = implied("Q26"), dec_2027_end()
    odds = ", ".join(f"{p:.0%} {word}" for p, word in ((1 - p_hike, "hold"), (p_hike, "hike")))
    assert any(m.value == f"For 16 Sep 2026 futures price {odds}; by Dec 2027 the expected rate is {last_end:.2f}%, "
               f"{bp_words(last_end - today_rate)} today's {today_rate:.2f}%." for m in page.markdown)


def test_path_moved_overlays_one_week_and_says_month_is_missing(fed):
    fig = by_title(open_tab(fed, "futures", "Path"), "expected policy path")
    names = [t["name"] for t in fig["data"]]
    assert names == ["Now (2026-08-21)", "1 week earlier (2026-08-14)"]
    week_earlier = pd.Timestamp("2026-08-14")
    for tr, day in zip(fig["data"], (TODAY, week_earlier)):
        path = as_series(tr)
        assert [f"{d:%Y-%m-%d}" for d in path.index] == MEETINGS_AHEAD
        assert path["2027-12-08"] == pytest.approx(dec_2027_end(day), abs=1e-9)
        assert path["2027-07-28"] == pytest.approx(implied("Q27", day), abs=1e-9)
    moved = dec_2027_end() - dec_2027_end(week_earlier)
    assert any(m.value == f"For Dec 2027 the expected rate is now {bp_words(moved)} the path 1 week earlier "
               "(2026-08-14)." for m in fed.markdown)
    assert any("No 1 month earlier comparison" in i.value for i in fed.info)
    assert "percent" in fig["layout"]["yaxis"]["title"]["text"]


def test_curve_spreads_shade_inversions_and_count_days(page):
    fig = by_title(page, "curve inverted")
    parts = []
    for key, series_id in (("spread_10y2y", "T10Y2Y"), ("spread_10y3m", "T10Y3M")):
        spread, name = fred(series_id).loc[WINDOW_START:], LABELS[key]
        line = as_series(trace(fig, name))
        assert line.index[-1] == spread.index[-1]
        assert np.allclose(line.to_numpy(), spread.reindex(line.index).to_numpy(), atol=1e-12)
        shaded = as_series(trace(fig, f"{name} inverted"))
        assert np.allclose(shaded.to_numpy(), spread.clip(upper=0).reindex(shaded.index).to_numpy(), atol=1e-12)
        parts.append(f"{name} {spread.iloc[-1]:+.2f} pp, inverted on {(spread < 0).sum()} of {len(spread)} days")
    assert trace(fig, f"{LABELS['spread_10y3m']} inverted")["fill"] == "tozeroy"
    assert any(m.value == "In this window: " + "; ".join(parts) + "." for m in page.markdown)
    assert fig["layout"]["yaxis"]["title"]["text"] == "Percentage points"


def test_labour_charts(fed):
    sahm_fig = by_title(fed, "Sahm rule")
    realtime = as_series(trace(sahm_fig, LABELS["sahm_realtime"]))
    ours = as_series(trace(sahm_fig, "Sahm rule (ours)"))
    fred_sahm, expected = fred("SAHMREALTIME"), sahm()
    assert ours.index[-1] == expected.dropna().index[-1]
    assert np.allclose(ours.to_numpy(), expected.reindex(ours.index).to_numpy(), atol=1e-12)
    assert np.allclose(realtime.to_numpy(), fred_sahm.reindex(realtime.index).to_numpy(), atol=1e-12)
    assert realtime.index[-1] == fred_sahm.index[-1]
    last = expected.dropna()
    side = "at or above" if last.iloc[-1] >= 0.5 else "below"
    assert any(m.value == f"The Sahm indicator is {last.iloc[-1]:,.2f} pp ({last.index[-1]:%b %Y}), {side} the 0.50 pp "
               f"recession trigger; FRED's real-time reading was {fred_sahm.iloc[-1]:.2f} pp in "
               f"{fred_sahm.index[-1]:%b %Y}." for m in fed.markdown)
    assert any(s.get("y0") == 0.5 for s in sahm_fig["layout"]["shapes"])
    unrate = as_series(trace(by_title(open_labour_tab(fed, "Unemployment"), "unemployment"), LABELS["unrate"]))
    assert np.allclose(unrate.to_numpy(), fred("UNRATE").reindex(unrate.index).to_numpy())
    assert unrate.index[-1] == fred("UNRATE").index[-1]
    claims = by_title(open_labour_tab(fed, "Claims"), "layoffs")
    assert claims["layout"]["yaxis"]["title"]["text"] == "Persons per week"
    icsa = fred("ICSA")
    claims_avg = as_series(claims["data"][0])
    expected_avg = icsa.rolling("28D", min_periods=4).mean()
    assert np.allclose(claims_avg.to_numpy(), expected_avg.reindex(claims_avg.index).to_numpy())
    payrolls = by_title(open_labour_tab(fed, "Payrolls"), "hiring")
    assert "Thousands" in payrolls["layout"]["yaxis"]["title"]["text"]
    payems = fred("PAYEMS")
    expected_pay = ((payems - months_earlier(payems, 3)) / 3).dropna()
    plotted_pay = as_series(payrolls["data"][0])
    assert np.allclose(plotted_pay.to_numpy(), expected_pay.reindex(plotted_pay.index).to_numpy())


def test_long_window_shades_every_recession_in_the_data(run_page):
    at = run_page(PAGE)
    # The shared sidebar's bound "range" does not survive AppTest's switch_page; set the widget.
    at.session_state["range"] = "Max"
    open_labour_tab(at, "Unemployment")
    assert_clean(at)
    unrate = by_title(at, "unemployment")
    assert "all history" in unrate["layout"]["title"]["text"]
    rects = [(pd.Timestamp(s["x0"]), pd.Timestamp(s["x1"]))
             for s in unrate["layout"]["shapes"] if s.get("type") == "rect"]
    # UNRATE starts 1948-01, before the first recession: every one is shaded, whole months.
    assert fred("UNRATE").index[0] == pd.Timestamp("1948-01-01")
    assert rects == [(pd.Period(peak, "M").start_time, pd.Period(trough, "M").end_time.normalize())
                     for peak, trough in RECESSIONS]
    short = by_title(open_labour_tab(run_page(PAGE), "Unemployment"), "unemployment")
    assert not any(s.get("type") == "rect" for s in short["layout"].get("shapes", []))  # none since 2020-04


def taylor_line(at) -> np.ndarray:
    fig = by_title(at, "Taylor rule")
    return trace_values(trace(fig, "Taylor rule"), "y").astype(float)


def test_rstar_in_url_moves_taylor_line_by_exactly_the_difference(run_page, page):
    moved = run_page(PAGE, rstar="2")
    assert_clean(moved)
    shift = taylor_line(moved) - taylor_line(page)
    assert np.array_equal(np.isnan(taylor_line(moved)), np.isnan(taylor_line(page)))  # same breaks in the line
    assert np.allclose(shift[~np.isnan(shift)], 2.0 - R_STAR_DEFAULT)
    assert any("r* = 2.00%" in m.value for m in moved.markdown)


def test_ustar_in_url_moves_taylor_line_by_exactly_the_difference(run_page, page):
    """The gap term is 0.5·2·(u* − u): raising u* by Δ raises the rule by exactly 1.0·Δ on every month."""
    moved = run_page(PAGE, ustar="5")
    assert_clean(moved)
    before, after = taylor_line(page), taylor_line(moved)
    assert np.array_equal(np.isnan(after), np.isnan(before))
    known = ~np.isnan(before)
    assert known.sum() == len(taylor().loc[WINDOW_START:])
    assert np.allclose(after[known] - before[known], 1.0 * (5.0 - U_STAR_DEFAULT), rtol=0, atol=1e-12)
    rule = as_series(trace(by_title(moved, "Taylor rule"), "Taylor rule"))
    assert np.allclose(rule.to_numpy(), taylor(u_star=5.0).reindex(rule.index).to_numpy(), atol=1e-9)
    assert any("u* = 5.00%" in m.value for m in moved.markdown)


@pytest.mark.parametrize("params", [{"rstar": "abc"}, {"ustar": "99"}, {"rstar": "<img src=x onerror=alert(1)>"}])
def test_invalid_taylor_param_falls_back_with_note(run_page, page, params):
    at = run_page(PAGE, **params)
    assert_clean(at)
    (name,) = params
    assert any(f"Ignored an invalid value for '{name}'" in i.value for i in at.info)
    assert np.allclose(taylor_line(at), taylor_line(page), equal_nan=True)
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
    assert "No meeting-by-meeting path: the FedWatch method needs the fed funds futures strip" in info
    sentences = " ".join(m.value for m in at.markdown)
    # DGS6MO and DGS1 are not in the snapshot: DGS1MO and DGS3MO only give a 1m→3m forward, which
    # says nothing about a year, so the crude gauge on the last DGS2 day, EFFR on the bills' basis.
    t_2y, effr = fred("DGS2"), fred("EFFR")
    day = t_2y.index[-1]
    cuts = (effr.loc[:day].iloc[-1] * 365 / 360 - t_2y.iloc[-1]) / 0.25
    move = f"{-cuts:.1f} hikes, not cuts," if cuts < -0.5 else f"{cuts:.1f} cuts"
    assert f"Markets price {move} over the next 2 years (method: {METHOD_CRUDE})" in sentences
    assert not (SNAPSHOT_DIR / "fred" / "DGS6MO.csv").exists() and not (SNAPSHOT_DIR / "fred" / "DGS1.csv").exists()
    assert not any("after each meeting" in f["layout"]["title"]["text"] for f in figures(at))
