"""FAULTS.md through the real app: AppTest in LIVE mode, with only the wire faked.

No DASH_SNAPSHOT: the app builds its real ``SeriesStore`` over a real ``LiveUpstream``. The
one seam is how that upstream's transports are wired: ``data_sources.cache.default_upstream``
returns ``LiveUpstream(yahoo_session=<FakeYahooSession>, fred=<FredClient with fast backoff>)``,
and FRED's two transports (``data_sources.fred._http_get``, ``fredapi.fred.urlopen``) are
the fakes of ``tools.fakes``. yfinance, fredapi, our parsing, the store, the loaders and the
pages all run for real. Bodies are real recordings: every Yahoo symbol gets one real chart
body and every FRED id one real fredgraph.csv file (not that series' own history; only the
shape of the data matters here).

Every app test also checks FAULTS.md's common row: no exception element, no traceback text
anywhere on the page, and (with a key set) the FRED key in no element, log line or exception.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
import tomllib
import urllib.error

import fredapi.fred
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import yfinance as yf
from curl_cffi.requests import exceptions as curl_errors
from streamlit.testing.v1 import AppTest
from yfinance.data import YfData

import data_sources.cache
import data_sources.fred
from analytics.inflation import real_policy_rate
from analytics.transforms import asof_align
from components.loaders import NO_DATA_HELP
from data_sources.cache import LiveUpstream, SeriesStore
from data_sources.catalogue import catalogue
from tests.app.conftest import figures, trace_values
from tests.conftest import REPO
from tests.data_sources.conftest import (  # noqa: F401  (offline, fred_key: fixtures used here)
    FakeClock,
    fast_fred_client,
    fred_key,
    offline,
)
from tools.fakes import (
    FakeFredApi,
    FakeFredGraph,
    FakeYahooSession,
    chart_body,
    fred_error_body,
    fredgraph_csv,
)

PAGES = (None, "pages/1_fed-path.py", "pages/2_small-caps.py", "pages/3_sp500-hybrid.py", "pages/4_inflation.py")
FED_PATH, SMALL_CAPS, SP500, INFLATION = PAGES[1:]
TODAY = dt.date.today()  # LiveUpstream.as_of(): the catalogue's futures strip depends on it
YAHOO_IDS = sorted({s.source_id for s in catalogue(TODAY) if s.source == "yahoo"})
FRED_IDS = sorted({s.source_id for s in catalogue(TODAY) if s.source == "fred"})
# One real recorded chart (a year of daily bars, 2021-02 .. 2022-01) for every symbol.
EQUITY_CHART = chart_body("historical-via-chart-MSFT-dividends-2021-02-01-to-2022-01-31.csv.json")
# A real fredgraph.csv per FRED id: a recording of the same kind of quantity where there is one.
FRED_STAND_IN = {"UNRATE": "UNRATE", "PAYEMS": "PAYEMS", "SAHMREALTIME": "SAHMREALTIME", "ICSA": "PAYEMS",
                 "EFFR": "FEDFUNDS", "DFF": "FEDFUNDS", "DFEDTARL": "FEDFUNDS", "DFEDTARU": "FEDFUNDS",
                 "DGS1MO": "TB3MS", "DGS3MO": "TB3MS", "DGS6MO": "TB3MS", "CPIAUCSL": "PAYEMS",
                 "CPILFESL": "PAYEMS", "PCEPI": "PAYEMS", "PCEPILFE": "PAYEMS", "BAMLH0A0HYM2": "VIXCLS"}
FRED_BODIES = {series_id: fredgraph_csv(FRED_STAND_IN.get(series_id, "GS10")) for series_id in FRED_IDS}
TRACEBACK_MARKERS = ("Traceback (most recent call last)", 'File "/')
HOLD_BACK_S = 10.0  # the store's hold-back after a failure, shortened for the transient-failure test


# -- the fake network under the app ---------------------------------------------------------


class Wire:
    """The transports the live upstream talks to; tests change them before running the app."""

    def __init__(self):
        self.yahoo = FakeYahooSession({symbol: EQUITY_CHART for symbol in YAHOO_IDS})
        self.fredgraph = FakeFredGraph(FRED_BODIES)
        self.fred_api = FakeFredApi()
        self.fred = fast_fred_client()

    def upstream(self) -> LiveUpstream:
        return LiveUpstream(yahoo_session=self.yahoo, fred=self.fred)


class OfflineYahooSession(FakeYahooSession):
    """Every Yahoo request fails as with no network (curl_cffi's own ConnectionError)."""

    def request(self, method, url, params=None, **kwargs):
        self._count("offline")
        raise curl_errors.ConnectionError("Failed to connect: network is unreachable")


def offline_http_get(url: str, timeout: float):
    """fredgraph.csv with no network: urllib's URLError, as ``urlopen`` raises it."""
    raise urllib.error.URLError(OSError(101, "Network is unreachable"))


@pytest.fixture
def wire(offline, app_env, monkeypatch, caplog):
    """Live mode: ``app_env`` (private cache folder, Streamlit caches cleared) without its
    DASH_SNAPSHOT, and the live upstream's transports replaced by the fakes of a ``Wire``."""
    monkeypatch.delenv("DASH_SNAPSHOT")
    caplog.set_level(logging.INFO)
    fake = Wire()
    monkeypatch.setattr(data_sources.cache, "default_upstream", fake.upstream)
    monkeypatch.setattr(data_sources.fred, "_http_get", lambda url, timeout: fake.fredgraph(url, timeout))
    monkeypatch.setattr(fredapi.fred, "urlopen", lambda url, *a, **kw: fake.fred_api(url, *a, **kw))
    yield fake
    for hanging in (fake.fredgraph, fake.fred_api):
        if hasattr(hanging, "release"):
            hanging.release()


def all_history(at: AppTest) -> AppTest:
    """Pick the "Max" range (the recorded Yahoo charts end in 2022) and rerun. Sets the widget:
    the bound ``range`` does not survive AppTest's switch_page."""
    at.session_state["range"] = "Max"
    return at.run()


def page_texts(at: AppTest) -> list[str]:
    """Everything the page would send to a browser, as text: the element tree's repr and
    every element's proto (values, markdown, captions, labels, chart specs, code boxes)."""
    texts = [repr(at._tree)]
    stack = [at._tree]
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        proto = getattr(node, "proto", None)
        if proto is not None:
            texts.append(str(proto))
    return texts


def alerts(at: AppTest) -> str:
    """The text of every info, warning and error box, joined."""
    return "\n".join(a.value for a in (*at.info, *at.warning, *at.error))


def assert_survived(at: AppTest, caplog, key: str | None = None) -> None:
    """FAULTS.md's common row: no exception, no traceback on screen, the key nowhere."""
    assert not at.exception, [e.value for e in at.exception]
    texts = page_texts(at)
    for marker in TRACEBACK_MARKERS:
        assert not any(marker in t for t in texts), marker
    if key:
        assert not any(key in t for t in texts), "FRED key on the page"
        assert key not in caplog.text, "FRED key in the logs"


def traced_figures(at: AppTest, words: str) -> list[dict]:
    """Figures whose title contains ``words`` and that plot at least one point."""
    found = [f for f in figures(at) if words in f["layout"]["title"]["text"]]
    return [f for f in found if any(len(trace_values(t, "y")) for t in f["data"] if "y" in t)]


def store_files(tmp_path, source: str) -> list:
    """Parquet entries the store wrote for ``source`` (live namespace)."""
    return sorted((tmp_path / "cache" / "live" / source).glob("*.parquet"))


# -- Yahoo throttling ---------------------------------------------------------------------------


def test_yahoo_429_cold_cache_banner_fred_panels_work_nothing_cached(wire, run_page, tmp_path, caplog):
    wire.yahoo = FakeYahooSession({symbol: 429 for symbol in YAHOO_IDS})
    at = run_page(FED_PATH)
    assert_survived(at, caplog)
    banners = [w.value for w in at.warning if "Yahoo" in w.value]
    assert banners and all("throttling" in b for b in banners), alerts(at)
    assert traced_figures(at, "Treasury yields"), "FRED curve chart lost its traces"
    assert traced_figures(at, "Sahm rule")
    assert store_files(tmp_path, "yahoo") == [] and store_files(tmp_path, "fred")
    assert wire.yahoo.calls  # the app really asked Yahoo


def test_yahoo_429_warm_cache_shows_old_data_with_refresh_failed(wire, run_page, tmp_path, caplog):
    old_fetch = FakeClock(dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.timezone.utc).timestamp())
    warm = SeriesStore(wire.upstream(), tmp_path / "cache", clock=old_fetch)
    loaded = warm.load(["rut", "spx"])  # test setup: a successful refresh long ago
    assert set(loaded.series) == {"rut", "spx"}
    wire.yahoo = FakeYahooSession({symbol: 429 for symbol in YAHOO_IDS})
    at = all_history(run_page(SMALL_CAPS))
    assert_survived(at, caplog)
    warnings = " ".join(w.value for w in at.warning)
    assert "throttling" in warnings
    assert "Showing the copy fetched 2026-01-05 09:30 UTC" in warnings and "the refresh failed" in warnings
    (fig,) = traced_figures(at, "Are small caps beating large caps?")
    x = pd.to_datetime(trace_values(fig["data"][0], "x"))
    assert x.max() == loaded.series["rut"].index.max()
    assert any("refresh failed, older copy shown" in c.value for c in at.caption)
    assert wire.yahoo.chart_calls("^RUT") >= 1  # the stale copy was really refreshed, and failed


# -- one bad series among good ones ----------------------------------------------------------------


BAD_YAHOO_ANSWERS = {
    "unknown-symbol": 404,  # Yahoo's real "No data found, symbol may be delisted" body
    "html": b"<!doctype html><html><head><title>Yahoo</title></head><body>Will be right back</body></html>",
    "truncated-json": EQUITY_CHART[:200],
    "no-bars": chart_body("chart-AAPL-2025-02-01-to-2025-02-02-includePrePost-false-interval-1m.json"),
}
SMALL_CAP_NEIGHBOURS = ("rut", "spx", "iwm", "arkk", "spy", "hy_spread")  # loaded beside IJR


@pytest.mark.parametrize("answer", BAD_YAHOO_ANSWERS.values(), ids=BAD_YAHOO_ANSWERS)
def test_one_bad_symbol_is_named_never_cached_and_the_others_plot(wire, run_page, tmp_path, answer, caplog):
    wire.yahoo.charts["IJR"] = answer
    at = all_history(run_page(SMALL_CAPS))
    assert_survived(at, caplog)
    (message,) = [w.value for w in at.warning if "iShares S&P 600 ETF" in w.value]
    assert "(IJR): Yahoo Finance" in message
    others = [s.label for s in catalogue(TODAY) if s.key in SMALL_CAP_NEIGHBOURS]
    assert len(others) == len(SMALL_CAP_NEIGHBOURS) and not any(label in message for label in others)
    assert traced_figures(at, "Are small caps beating large caps?")
    assert traced_figures(at, "below its all-time high")
    cached = {path.stem for path in store_files(tmp_path, "yahoo")}
    assert "IJR" not in cached and {"_RUT", "_GSPC", "IWM"} <= cached


BAD_FRED_ANSWERS = {"hang": "hang", "throttled": 429, "server-error": 503,
                    "html": (200, b"<html><body>Service Unavailable</body></html>")}


@pytest.mark.parametrize("answer", BAD_FRED_ANSWERS.values(), ids=BAD_FRED_ANSWERS)
def test_one_bad_fred_series_is_named_and_the_rest_renders(wire, run_page, tmp_path, answer, caplog):
    wire.fredgraph.answers["DGS10"] = answer  # a hang lasts until our 0.5 s timeout
    at = run_page(FED_PATH)
    assert_survived(at, caplog)
    (message,) = [w.value for w in at.warning if "10-year Treasury yield (DGS10): FRED" in w.value]
    assert traced_figures(at, "Treasury yields") and traced_figures(at, "Sahm rule")
    cached = {path.stem for path in store_files(tmp_path, "fred")}
    assert "DGS10" not in cached and "DGS2" in cached


# -- a transient failure is not remembered past the store's hold-back ---------------------------


def test_a_transient_failure_is_retried_as_soon_as_the_hold_back_ends(wire, run_page, monkeypatch, caplog):
    """A failed load is remembered only for the rest of the store's hold-back of the failed
    series: within it neither the store nor FRED is asked again; the first run after it asks
    FRED once, and the chart is back. (The hold-back is shortened to a few seconds here.)"""
    monkeypatch.setattr(data_sources.cache, "FAILURE_BACKOFF_S", HOLD_BACK_S)
    real = wire.fredgraph.answers["DGS10"]
    wire.fredgraph.answers["DGS10"] = 503
    at = run_page()  # the overview first (it does not read DGS10), then the Fed path, timed
    at.switch_page(FED_PATH)
    started = time.monotonic()  # FRED fails, and the hold-back starts, after this
    at.run()
    failed_by = time.monotonic()  # ... and before this
    assert_survived(at, caplog)
    assert any("(DGS10): FRED" in w.value for w in at.warning)
    asked = wire.fredgraph.calls["DGS10"]
    wire.fredgraph.answers["DGS10"] = real  # FRED is back

    at.run()  # within the hold-back: the failure is still what the page shows, FRED is not asked
    assert time.monotonic() - started < HOLD_BACK_S, "the machine was too slow to rerun within the hold-back"
    assert wire.fredgraph.calls["DGS10"] == asked
    assert any("(DGS10)" in w.value for w in at.warning)

    time.sleep(max(0.0, failed_by + HOLD_BACK_S + 0.2 - time.monotonic()))  # the hold-back is over
    at.run()
    assert wire.fredgraph.calls["DGS10"] == asked + 1
    assert not any("(DGS10)" in w.value for w in at.warning)
    (fig,) = traced_figures(at, "Where do EFFR and Treasury yields sit")
    assert "10-year Treasury yield" in [t["name"] for t in fig["data"]]

    at.run()  # now clean: remembered, so neither the store's Parquet nor FRED is asked again
    assert wire.fredgraph.calls["DGS10"] == asked + 1


def with_missing_bars(body: bytes, positions) -> bytes:
    """A real chart body with every price of the bars at ``positions`` set to null, which is
    how Yahoo's chart API sends a bar it has no trade for."""
    chart = json.loads(body)
    result = chart["chart"]["result"][0]
    columns = [*result["indicators"]["quote"][0].values(), result["indicators"]["adjclose"][0]["adjclose"]]
    for column in columns:
        for position in positions:
            column[position] = None
    return json.dumps(chart).encode()


def bar_dates(body: bytes, positions) -> pd.DatetimeIndex:
    """The exchange-local dates of the bars at ``positions`` of a chart body."""
    result = json.loads(body)["chart"]["result"][0]
    stamps = pd.to_datetime([result["timestamp"][p] for p in positions], unit="s", utc=True)
    return stamps.tz_convert(result["meta"]["exchangeTimezoneName"]).tz_localize(None).normalize()


def test_nan_last_bar_is_dropped_and_a_mid_series_gap_stays_visible_on_the_chart(wire, run_page, caplog):
    gap, last = range(100, 105), -1
    wire.yahoo.charts["^RUT"] = with_missing_bars(EQUITY_CHART, [*gap, last])
    at = all_history(run_page(SMALL_CAPS))
    assert_survived(at, caplog)
    assert not [w.value for w in at.warning if "Russell 2000" in w.value]  # missing bars are not a failure
    (fig,) = traced_figures(at, "Are small caps beating large caps?")
    russell, sp500 = (next(t for t in fig["data"] if t["name"] == name) for name in ("Russell 2000", "S&P 500"))
    assert russell.get("connectgaps") is not True
    x = pd.to_datetime(trace_values(russell, "x"))
    y = pd.Series(trace_values(russell, "y").astype(float), x)
    gap_days, last_day = bar_dates(EQUITY_CHART, gap), bar_dates(EQUITY_CHART, [last])[0]
    assert not y.reindex(gap_days).notna().any()  # nothing was filled in for the missing bars
    values = y.dropna()
    before_gap = values.index[values.index < gap_days[0]].max()
    inside_gap = y[(y.index > before_gap) & (y.index <= gap_days[-1])]
    assert len(inside_gap) == 1 and inside_gap.isna().all()  # the line breaks there instead of bridging it
    assert values.index.max() < last_day  # the NaN last bar is not plotted as a value
    assert pd.to_datetime(trace_values(sp500, "x")).max() == values.index.max()  # RS: common dates only
    assert y.dropna().index.is_unique and y.dropna().index.is_monotonic_increasing


def test_corrupt_cache_file_is_ignored_and_refetched(wire, run_page, tmp_path, caplog):
    entry = tmp_path / "cache" / "live" / "yahoo" / "_RUT.parquet"
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"PAR1\x00\x00truncated")
    at = all_history(run_page(SMALL_CAPS))
    assert_survived(at, caplog)
    assert traced_figures(at, "Are small caps beating large caps?")
    assert wire.yahoo.chart_calls("^RUT") >= 1
    assert pq.read_table(entry).num_rows > 0  # rewritten whole by the refetch


# -- FRED key ---------------------------------------------------------------------------------------


def refuse_every_key(api: FakeFredApi, status: int) -> None:
    """FRED refuses the key: 400 "api_key is not registered", or 403 for every series."""
    if status == 400:
        api.valid_key = "0" * 32
    else:
        api.answers = {series_id: (status, fred_error_body(status, "Forbidden")) for series_id in FRED_IDS}


@pytest.mark.parametrize("status", [400, 403])
def test_fred_key_rejected_falls_back_to_keyless_and_never_leaks(wire, run_page, fred_key, status, caplog):
    refuse_every_key(wire.fred_api, status)
    at = run_page(INFLATION)
    assert_survived(at, caplog, fred_key)
    assert fred_key in wire.fred_api.keys_seen  # the key really went out, and was refused
    assert wire.fredgraph.total_calls() > 0  # then the keyless download served the page
    assert traced_figures(at, "Is inflation back to 2%?")
    assert traced_figures(at, "restrictive after inflation")
    assert not at.error


def test_fred_key_rejected_is_said_on_the_page(wire, run_page, fred_key, caplog):
    refuse_every_key(wire.fred_api, 400)
    at = run_page(INFLATION)
    assert_survived(at, caplog, fred_key)
    shown = " ".join(page_texts(at))
    assert "rejected the API key" in shown or "FRED key rejected" in shown


# -- offline, no cache, no snapshot -----------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES, ids=["overview", "fed-path", "small-caps", "sp500-hybrid", "inflation"])
def test_offline_with_nothing_cached_every_page_says_no_data_yet(wire, run_page, page, caplog):
    wire.yahoo = OfflineYahooSession()
    wire.fredgraph = offline_http_get
    at = run_page(page)
    assert_survived(at, caplog)
    infos = [i.value for i in at.info]
    assert NO_DATA_HELP in infos, alerts(at)
    assert "DASH_SNAPSHOT" in NO_DATA_HELP and "Check the network" in NO_DATA_HELP
    assert wire.yahoo.calls[("offline", "")] > 0


# -- an exception inside a page: a real page on a real server in tests/test_real_server.py --------


def test_project_config_hides_error_details():
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


# -- URL parameters ---------------------------------------------------------------------------------


def notes_of(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


@pytest.mark.parametrize("params, note, never_echoed", [
    ({"utm_source": "zz-unknown-value", "zzz": "1"}, None, "zz-unknown-value"),
    ({"range": "7Y"}, "Ignored an invalid value for 'range'", "7Y"),
    ({"range": "Custom", "start": "2024-13-45"}, "Ignored an invalid value for 'start'", "2024-13-45"),
    ({"range": "Custom", "start": "2026-03-01", "end": "2024-01-02"}, "the two were swapped", None),
    ({"asof": "yesterday"}, "Ignored an invalid value for 'asof'", "yesterday"),
    ({"asof": "1850-01-01"}, "The as-of date was moved to 2000-01-01", "1850-01-01"),
    ({"asof": "2999-01-01"}, f"The as-of date was moved to {TODAY}", "2999-01-01"),
    ({"range": "Custom", "start": "1850-01-01"}, "before 1900", None),
    ({"range": "Custom", "end": "2999-01-01"}, "after the latest data", None),
], ids=["unknown-keys", "bad-preset", "bad-date", "start-after-end", "asof-junk", "asof-pre-1900",
        "asof-future", "start-pre-1900", "end-future"])
def test_overview_url_params_are_ignored_or_clamped_with_a_note(wire, run_page, params, note, never_echoed, caplog):
    at = run_page(**params)
    assert_survived(at, caplog)
    assert not at.error
    if note:
        assert note in notes_of(at), notes_of(at)
    else:
        assert "Ignored an invalid value" not in notes_of(at)
    if never_echoed:
        assert not any(never_echoed in m.value for m in (*at.markdown, *at.info, *at.caption))


@pytest.mark.parametrize("page, params", [
    (FED_PATH, {"rstar": "abc"}),
    (FED_PATH, {"ustar": "99"}),
    (FED_PATH, {"labour": "Wages"}),
    (SMALL_CAPS, {"beta_window": "1e9"}),
    (SMALL_CAPS, {"rate": "-5"}),
    (SP500, {"sector_window": "forever"}),
    (SP500, {"sector": "spy"}),
    (INFLATION, {"transform": "12m"}),
    (INFLATION, {"loose_pce": "nan"}),
], ids=["fed-rstar", "fed-ustar", "fed-labour-tab", "sc-beta-window", "sc-rate", "sp-window", "sp-sector", "infl-transform",
        "infl-threshold"])
def test_page_params_of_the_wrong_type_or_range_fall_back_with_a_note(wire, run_page, page, params, caplog):
    at = run_page(page, **params)
    assert_survived(at, caplog)
    (name,) = params
    assert f"Ignored an invalid value for '{name}'" in notes_of(at), notes_of(at)


def test_repeated_range_param_first_value_wins_and_the_url_is_rewritten(wire, run_page, caplog):
    # The behaviour tests/browser/test_sharing_browser.py documents for a real URL.
    at = run_page(range=["1Y", "Max"])
    assert_survived(at, caplog)
    assert at.segmented_control(key="range").value == "1Y"
    assert at.query_params == {"range": "1Y"}
    assert "Ignored an invalid value" not in notes_of(at)


def test_repeated_number_param_last_value_wins(wire, run_page, caplog):
    # Streamlit's number_input binding reads the LAST value, unlike segmented controls and dates.
    at = run_page(FED_PATH, rstar=["abc", "1.5"])
    assert_survived(at, caplog)
    assert at.number_input(key="rstar").value == 1.5
    assert "Ignored an invalid value for 'rstar'" not in notes_of(at)


@pytest.mark.parametrize("values, noted", [(["1Y", "junk"], False), (["junk", "1Y"], True)],
                         ids=["valid-first", "junk-first"])
def test_repeated_range_param_note_describes_the_value_used(wire, run_page, values, noted, caplog):
    at = run_page(range=values)
    assert_survived(at, caplog)
    assert ("Ignored an invalid value for 'range'" in notes_of(at)) == noted


def test_raw_param_reads_the_first_of_repeated_values():
    def script():
        import streamlit as st

        from components.controls import raw_param

        st.write(f"first={raw_param('x')} all={st.query_params.get_all('x')}")

    at = AppTest.from_function(script, default_timeout=30)
    at.query_params["x"] = ["a", "b"]
    at.run()
    assert at.markdown[0].value == "first=a all=['a', 'b']"


# -- daily + monthly: as-of alignment without look-ahead -----------------------------------------


def test_asof_align_carries_the_last_known_month_and_never_looks_ahead():
    monthly = pd.Series([1.0, 5.0], index=pd.DatetimeIndex(["2026-01-01", "2026-02-01"]), name="m")
    daily = pd.DatetimeIndex(["2026-01-31", "2026-02-01", "2026-02-20", "2026-03-10"])
    aligned = asof_align(daily, monthly)
    # Jan 31 must still read January (1.0): a forward or nearest join would give February's 5.0.
    assert aligned.tolist() == [1.0, 5.0, 5.0, 5.0]
    lagged = asof_align(daily, monthly, lag_days=31)  # January is public from Feb 1
    assert np.isnan(lagged.iloc[0]) and lagged.tolist()[1:] == [1.0, 1.0, 5.0]


def test_real_policy_rate_uses_only_inflation_published_by_that_day():
    core_pce_yoy = pd.Series([4.0, 1.0], index=pd.DatetimeIndex(["2026-03-01", "2026-04-01"]))
    effr = pd.Series([5.0, 5.0, 5.0], index=pd.DatetimeIndex(["2026-04-02", "2026-05-29", "2026-05-31"]))
    real = real_policy_rate(effr, core_pce_yoy, lag_days=60)
    # April's 1.0 is dated 04-01 but public only from 05-31; with look-ahead 04-02 would read 4.0.
    assert np.isnan(real.iloc[0])
    assert real.iloc[1:].tolist() == [1.0, 4.0]


# -- 20 concurrent sessions ------------------------------------------------------------------------


SESSION_VIEWS = (("spy", "rsp"), ("rut", "spx"), ("iwm", "ijr", "arkk", "spy"), ("xlk", "xlf", "spy"),
                 ("aapl", "msft", "nvda", "spx"))


def fresh_yfinance(tz_cache) -> None:
    """yfinance as in a new process: no shared session or crumb, an empty time-zone cache."""
    YfData._instances.clear()
    YfData.cache_get.cache_clear()
    yf.set_tz_cache_location(str(tz_cache))


def chart_calls_per_symbol(session: FakeYahooSession) -> dict[str, int]:
    return {symbol: n for (kind, symbol), n in session.calls.items() if kind == "chart"}


def test_twenty_concurrent_sessions_make_one_upstream_request_per_series(offline, tmp_path):
    views = [SESSION_VIEWS[i % len(SESSION_VIEWS)] for i in range(20)]
    keys = sorted({k for view in views for k in view})

    single = FakeYahooSession({symbol: EQUITY_CHART for symbol in YAHOO_IDS})
    SeriesStore(LiveUpstream(yahoo_session=single), tmp_path / "one").load(keys)
    baseline = chart_calls_per_symbol(single)
    assert len(baseline) == len(keys) and min(baseline.values()) >= 1  # yfinance's own count per symbol

    fresh_yfinance(tmp_path / "yf-tz-many")  # forget the time zones the first run learnt
    shared = FakeYahooSession({symbol: EQUITY_CHART for symbol in YAHOO_IDS}, latency_s=0.2)
    store = SeriesStore(LiveUpstream(yahoo_session=shared), tmp_path / "many")
    start = threading.Barrier(len(views))
    results: dict[int, object] = {}

    def session(number: int, view: tuple[str, ...]) -> None:
        start.wait()
        results[number] = store.load(view)

    threads = [threading.Thread(target=session, args=(i, view)) for i, view in enumerate(views)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert chart_calls_per_symbol(shared) == baseline
    for number, view in enumerate(views):
        assert list(results[number].series) == list(view)  # each session got its own view
        assert all(results[number].provenance[k].status == "ok" for k in view)
