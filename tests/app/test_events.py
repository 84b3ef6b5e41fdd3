"""The Macro days page (``/events``) on the real snapshot, through Streamlit's AppTest.

Numbers on the page are derived again here with plain numpy/pandas: the prices and the 2-year
yield from the snapshot CSVs (``../shared/data/snapshot``), the announcement days from the
verified reference calendars (``../shared/data/events``), the formulas from ANALYTICS.md
("Macro days"): the moves are differences between consecutive days on which ^GSPC, ^RUT and
DGS2 all have a value; an announcement counts on the first such day on or after it; β is
10 × the OLS slope of the % log return on the bp change in the 2-year yield, with a 95%
interval from the HC3 standard error and the normal quantile.
"""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.views import events as ev
from tests.app.conftest import (APP, assert_clean, by_title, common, fred, markdown_tables, trace, trace_values,
                                yahoo)
from tests.conftest import EVENTS_DIR, REFERENCE_CALENDARS, SNAPSHOT_AS_OF, SNAPSHOT_DIR

PAGE = "pages/5_events.py"
TODAY = pd.Timestamp(SNAPSHOT_AS_OF)
WINDOW_START = TODAY - pd.DateOffset(years=3)  # the default window: last 3Y
Z_95 = 1.959963984540054  # two-sided 95% quantile of the standard normal
# Intermeeting liquidity statements (the reference files them as unscheduled): no rate decision.
LIQUIDITY_STATEMENTS = pd.to_datetime(["2007-08-10", "2008-03-11"])
RELEASE_FILES = {"CPI": "cpi", "Jobs": "employment", "PCE": "pio"}
TYPES = ("All macro", "FOMC", "CPI", "Jobs", "PCE")
SINGLE = ("FOMC", "CPI", "Jobs", "PCE")
CUSTOM_START, CUSTOM_END = dt.date(2022, 1, 1), dt.date(2026, 8, 21)
FOMC_DAY, CPI_DAY, NOT_AN_EVENT = "2024-09-18", "2024-09-11", "2024-09-19"
WINDOW_DAYS = 10  # the drill-down: this many common days either side of the event
INVALID = "Ignored an invalid value for '{}' in the link."


# --- The same numbers in plain numpy/pandas ----------------------------------------------------


@functools.cache
def levels() -> pd.DataFrame:
    """S&P 500, Russell 2000 and the 2-year yield (%) on the days all three have a value."""
    return common(yahoo("^GSPC"), yahoo("^RUT"), fred("DGS2")).set_axis(["spx", "rut", "t_2y"], axis=1)


@functools.cache
def moves() -> pd.DataFrame:
    """Close-to-close moves between consecutive common days: log returns in %, Δ2y in bp."""
    lv = levels()
    out = pd.DataFrame({"spx": np.log(lv["spx"]).diff() * 100, "rut": np.log(lv["rut"]).diff() * 100,
                        "bp": lv["t_2y"].diff() * 100}).iloc[1:]
    out["rel"] = out["rut"] - out["spx"]
    return out


def on_common_days(announced) -> pd.DatetimeIndex:
    """Each announcement's first common day on or after it (earlier than the data: dropped)."""
    days = levels().index
    announced = pd.DatetimeIndex(announced)
    position = days.searchsorted(announced[announced >= days[0]])
    return pd.DatetimeIndex(sorted(set(days[position[position < len(days)]])))


@functools.cache
def event_days() -> dict[str, pd.DatetimeIndex]:
    """Event days by type, from the reference calendars (FOMC: decisions only)."""
    fomc = pd.read_csv(EVENTS_DIR / "fomc.csv", parse_dates=["date"])["date"]
    found = {"FOMC": on_common_days(fomc[~fomc.isin(LIQUIDITY_STATEMENTS)])}
    for kind, release in RELEASE_FILES.items():
        found[kind] = on_common_days(pd.read_csv(REFERENCE_CALENDARS[release], parse_dates=["date"])["date"])
    found["All macro"] = functools.reduce(pd.DatetimeIndex.union, (found[k] for k in SINGLE))
    return found


def in_window(days: pd.DatetimeIndex, start, end) -> pd.DatetimeIndex:
    return days[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))]


def label_of(day: pd.Timestamp) -> str:
    return ", ".join(kind for kind in SINGLE if day in event_days()[kind])


def fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """(β per +10 bp, 95% low, 95% high, correlation) of y on x, HC3 standard error."""
    n = len(x)
    dx, dy = x - x.mean(), y - y.mean()
    sxx = dx @ dx
    slope = (dx @ dy) / sxx
    residual = dy - slope * dx
    leverage = 1 / n + dx**2 / sxx
    se = np.sqrt(np.sum(dx**2 * residual**2 / (1 - leverage) ** 2)) / sxx
    beta, half = 10 * slope, Z_95 * 10 * se
    return beta, beta - half, beta + half, float(np.corrcoef(x, y)[0, 1])


def expected_table(start, end) -> pd.DataFrame:
    """The β table, one row per event type and one for the days without macro news."""
    days = {kind: in_window(event_days()[kind], start, end) for kind in TYPES}
    days["Other days"] = in_window(moves().index, start, end).difference(event_days()["All macro"])
    rows = {}
    for kind, on in days.items():
        m = moves().loc[on]
        beta, low, high, corr = fit(m["bp"].to_numpy(), m["spx"].to_numpy())
        rows[kind] = {"n": len(m), "beta_spx": beta, "ci_low": low, "ci_high": high, "corr": corr,
                      "beta_rut": fit(m["bp"].to_numpy(), m["rut"].to_numpy())[0],
                      "beta_rel": fit(m["bp"].to_numpy(), m["rel"].to_numpy())[0],
                      "mean_abs_rate_bp": m["bp"].abs().mean(), "mean_abs_return_pct": m["spx"].abs().mean()}
    return pd.DataFrame.from_dict(rows, orient="index")


# --- The page -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def open_page(tmp_path_factory):
    """Open the page with URL ``params`` on the snapshot. One private cache folder and one warm
    Streamlit cache for the module (every run reads the same snapshot), cleared around it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASH_SNAPSHOT", str(SNAPSHOT_DIR))
        mp.setenv("DASH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.delenv("FRED_API_KEY", raising=False)
        st.cache_data.clear()
        st.cache_resource.clear()

        def run(**params) -> AppTest:
            at = AppTest.from_file(APP, default_timeout=60)
            for name, value in params.items():
                at.query_params[name] = value
            at.run()
            at.switch_page(PAGE)
            return at.run()

        yield run
        st.cache_data.clear()
        st.cache_resource.clear()


def custom_window(at: AppTest, start: dt.date, end: dt.date) -> AppTest:
    """Pick the custom range ``start``..``end`` in the sidebar (the bound ``range`` does not
    survive AppTest's switch_page, so the widgets are set as a person would)."""
    at.session_state["range"] = "Custom"
    at.run()
    at.session_state["start"], at.session_state["end"] = start, end
    return at.run()


def beta_table(at: AppTest) -> pd.DataFrame:
    """The page's β table as shown (text cells, event types as the index), with the view's
    column names."""
    labels = list(ev.TABLE_COLUMNS.values())
    (shown,) = [t for t in markdown_tables(at) if list(t.columns)[1:] == labels]
    shown = shown.set_index(shown.columns[0])
    return shown.rename(columns={label: column for column, label in ev.TABLE_COLUMNS.items()})


def shown_as(column: str, value: float) -> str:
    """How the page writes ``value`` in ``column``: counts whole, means plain, the rest signed."""
    return f"{value:.0f}" if column == "n" else f"{value:.2f}" if column.startswith("mean") else f"{value:+.2f}"


def assert_table(shown: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(shown.index) == [*TYPES, "Other days"]
    for column in expected.columns:
        assert list(shown[column]) == [shown_as(column, v) for v in expected[column]], column


def notes(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def has_futures_sentence(at: AppTest) -> bool:
    return any("FedWatch" in m.value for m in at.markdown)


def plotted(tr: dict) -> pd.Series:
    return pd.Series(trace_values(tr, "y").astype(float), pd.to_datetime(trace_values(tr, "x")))


# --- Tests --------------------------------------------------------------------------------------


def test_reference_calendar_facts_the_tests_rely_on():
    """The days picked below are what the tests say they are (checked on the reference files)."""
    days = event_days()
    assert pd.Timestamp(FOMC_DAY) in days["FOMC"]
    assert pd.Timestamp(CPI_DAY) in days["CPI"] and pd.Timestamp(CPI_DAY) not in days["FOMC"]
    assert pd.Timestamp(NOT_AN_EVENT) in levels().index and pd.Timestamp(NOT_AN_EVENT) not in days["All macro"]
    assert pd.Timestamp("2020-03-15").dayofweek == 6 and pd.Timestamp("2020-03-16") in days["FOMC"]


def test_beta_table_equals_an_independent_computation_on_a_custom_range(open_page):
    at = custom_window(open_page(), CUSTOM_START, CUSTOM_END)
    assert_clean(at)
    expected = expected_table(CUSTOM_START, CUSTOM_END)
    assert_table(beta_table(at), expected)
    macro = expected.loc["All macro"]
    answer = (f"S&P 500 {macro['beta_spx']:+.2f}% per +10 bp (95% interval {macro['ci_low']:+.2f} to "
              f"{macro['ci_high']:+.2f}, correlation {macro['corr']:+.2f}, {int(macro['n'])} days)")
    assert any(m.value.startswith(f"Over {CUSTOM_START} to {CUSTOM_END}, ") and answer in m.value for m in at.markdown)
    scatter = by_title(at, "vs the 2-year yield on")
    assert f"({CUSTOM_START} to {CUSTOM_END})" in scatter["layout"]["title"]["text"]


def test_beta_table_over_all_history(open_page):
    """All history: the 1994-2008 FOMC days count, the two liquidity statements do not."""
    at = open_page()
    at.session_state["range"] = "Max"
    at = at.run()
    assert_clean(at)
    assert_table(beta_table(at), expected_table(levels().index[0], TODAY))


@pytest.mark.parametrize("kind", TYPES)
def test_each_event_type_plots_its_event_days_in_the_window(open_page, kind):
    at = open_page(type=kind)
    assert_clean(at)
    fig = by_title(at, f"S&P 500 vs the 2-year yield on {kind} days (last 3Y)")
    events = trace(fig, f"{kind} days")
    expected = in_window(event_days()[kind], WINDOW_START, TODAY)
    assert len(trace_values(events, "x")) == len(expected) > 0
    assert [row[0] for row in events["customdata"]] == list(expected.strftime("%Y-%m-%d"))
    assert [row[1] for row in events["customdata"]] == [label_of(day) for day in expected]
    assert np.allclose(trace_values(events, "x"), moves().loc[expected, "bp"], rtol=1e-12, atol=1e-9)
    assert np.allclose(trace_values(events, "y"), moves().loc[expected, "spx"], rtol=1e-12, atol=1e-12)
    others = trace(fig, "Other trading days")
    assert len(trace_values(others, "x")) == len(in_window(moves().index, WINDOW_START, TODAY)) - len(expected)


def test_fomc_drill_down_shows_the_window_around_the_day_and_the_futures_sentence(open_page):
    at = open_page(type="FOMC", event=FOMC_DAY)
    assert_clean(at)
    assert f"{FOMC_DAY}: FOMC" in subheaders(at)
    lv = levels()
    at_day = lv.index.get_loc(pd.Timestamp(FOMC_DAY))
    around, before = lv.iloc[at_day - WINDOW_DAYS: at_day + WINDOW_DAYS + 1], lv.index[at_day - 1]
    fig = by_title(at, f"10 trading days around {FOMC_DAY}")
    for name, expected in (("S&P 500", around["spx"] / lv.loc[before, "spx"] * 100),
                           ("Russell 2000", around["rut"] / lv.loc[before, "rut"] * 100),
                           ("2-year yield", (around["t_2y"] - lv.loc[before, "t_2y"]) * 100)):
        line = plotted(trace(fig, name))
        assert list(line.index) == list(around.index), name
        assert np.allclose(line.to_numpy(), expected.to_numpy(), rtol=1e-12, atol=1e-9), name
    assert trace(fig, "2-year yield")["yaxis"] != trace(fig, "S&P 500")["yaxis"]  # its own panel
    sentences = [m.value for m in at.markdown if "FedWatch" in m.value]
    # The snapshot's futures strip starts in the as-of month, long after this meeting.
    assert len(sentences) == 1 and sentences[0].startswith("No FedWatch path for this meeting:"), sentences
    assert not notes(at)


def test_a_cpi_day_drill_down_has_no_futures_sentence(open_page):
    at = open_page(type="CPI", event=CPI_DAY)
    assert_clean(at)
    assert f"{CPI_DAY}: CPI" in subheaders(at)
    assert by_title(at, f"10 trading days around {CPI_DAY}")
    assert not has_futures_sentence(at)


@pytest.mark.parametrize("value", [NOT_AN_EVENT, "garbage"])
def test_an_event_that_is_not_an_event_day_falls_back_with_a_note(open_page, value):
    at = open_page(event=value)
    assert_clean(at)
    assert INVALID.format("event") in notes(at)
    assert not subheaders(at)
    assert not [f for f in (c.proto.spec for c in at.get("plotly_chart")) if "trading days around" in f]
    assert not has_futures_sentence(at)
    assert any("Click a point of the scatter" in c.value for c in at.caption)


def test_the_sunday_2020_decision_opens_on_monday(open_page):
    at = open_page(event="2020-03-16")
    assert_clean(at)
    assert not notes(at)
    (title,) = [s for s in subheaders(at) if s.startswith("2020-03-16: ")]
    assert "FOMC" in title.split(": ", 1)[1]
    assert by_title(at, "10 trading days around 2020-03-16")


def test_asset_from_the_link_plots_russell_returns(open_page):
    at = open_page(asset="Russell 2000")
    assert_clean(at)
    fig = by_title(at, "Russell 2000 vs the 2-year yield on All macro days (last 3Y)")
    shown = in_window(moves().index, WINDOW_START, TODAY)
    macro = in_window(event_days()["All macro"], WINDOW_START, TODAY)
    assert np.allclose(trace_values(trace(fig, "All macro days"), "y"), moves().loc[macro, "rut"],
                       rtol=1e-12, atol=1e-12)
    assert np.allclose(trace_values(trace(fig, "Other trading days"), "y"),
                       moves().loc[shown.difference(macro), "rut"], rtol=1e-12, atol=1e-12)
    assert by_title(at, "Russell 2000: β per +10 bp in the 2-year yield, rolling 3 years")


@pytest.mark.parametrize("roll, years", [(None, 3), ("5Y", 5)])
def test_rolling_chart_follows_the_roll_parameter(open_page, roll, years):
    at = open_page(**({"roll": roll} if roll else {}))
    assert_clean(at)
    fig = by_title(at, f"S&P 500: β per +10 bp in the 2-year yield, rolling {years} years (last 3Y)")
    shown = in_window(moves().index, WINDOW_START, TODAY)
    month_ends = shown.to_series().groupby(shown.to_period("M")).max()
    line = plotted(trace(fig, "All macro"))
    assert list(line.index) == list(month_ends)
    end = month_ends.iloc[-1]
    days = event_days()["All macro"]
    last = moves().loc[days[(days > end - pd.DateOffset(years=years)) & (days <= end)]]
    assert line.iloc[-1] == pytest.approx(fit(last["bp"].to_numpy(), last["spx"].to_numpy())[0], rel=1e-9)


def test_invalid_control_values_fall_back_with_notes(open_page):
    at = open_page(type="Bonds", asset="Gold", roll="7Y")
    assert_clean(at)
    for name in ("type", "asset", "roll"):
        assert INVALID.format(name) in notes(at), notes(at)
    assert not any(word in text for text in notes(at) for word in ("Bonds", "Gold", "7Y"))
    assert any(m.value.startswith("Over the last 3Y, ") for m in at.markdown)  # the preset as written
    assert by_title(at, "S&P 500 vs the 2-year yield on All macro days (last 3Y)")
    assert by_title(at, "S&P 500: β per +10 bp in the 2-year yield, rolling 3 years (last 3Y)")


@pytest.mark.parametrize("kind", ["FOMC", "All macro"])
def test_latest_days_table_opens_on_demand_with_each_days_moves(open_page, kind):
    """Closed by default (no data grid to load); ``latest=true`` opens it: the latest 20 days of
    the type in the window, newest first, with what was announced and the day's moves."""
    closed = open_page(type=kind)
    assert_clean(closed)
    assert not closed.dataframe and not closed.expander[0].proto.expanded
    at = open_page(type=kind, latest="true")
    assert_clean(at)
    (table,) = [d.value for d in at.dataframe]
    expected = in_window(event_days()[kind], WINDOW_START, TODAY)[-20:][::-1]
    assert list(table.index) == list(expected)
    assert list(table["Events"]) == [label_of(day) for day in expected]
    for column, move in (("Δ2y, bp", "bp"), ("S&P 500, %", "spx"), ("Russell 2000, %", "rut"),
                         ("Russell − S&P, pp", "rel")):
        assert np.allclose(table[column].to_numpy(), moves().loc[expected, move].to_numpy(), rtol=1e-12, atol=1e-9)
    assert len(at.get("download_button")) == len(closed.get("download_button")) + 1  # the table's CSV
