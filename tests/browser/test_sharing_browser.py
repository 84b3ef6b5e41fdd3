"""Shared links in a real browser: a view set by clicking reopens identically from its URL in a
new context, the "Share" box shows that URL, navigation keeps the date range, the CSV holds
the plotted data up to the as-of date, and hostile URL values never execute."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, quote, urlsplit

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.controls import SHARED_PARAMS
from tests.browser.test_pages_browser import FIGURES_JS, PAGE_PATHS, assert_clean, figures, open_page
from tests.conftest import REPO, SNAPSHOT_DIR
from tools.server import wait_for_charts
from tools.screenshots import page_url

pytestmark = pytest.mark.browser
PAGES = [path for path in PAGE_PATHS if path != "app.py"]
WIDGET_TYPES = ("toggle", "number_input", "slider", "button_group", "date_input", "text_input", "selectbox")
# Parameters AppTest cannot list among the widgets: ones a page reads from the URL without a
# widget of its own, and bound tabs and expanders (AppTest's carry no key).
URL_ONLY_PARAMS = {"pages/1_fed-path.py": ("futures", "curve", "labour", "taylor", "meetings"),
                   "pages/2_small-caps.py": ("log",), "pages/3_sp500-hybrid.py": ("sector", "company", "pe"),
                   "pages/5_events.py": ("event", "latest")}
LONG_VALUE_CHARS = 10_000
HOSTILE_VALUES = {"img": "<img src=x onerror=alert(1)>", "javascript": "javascript:alert(1)", "nul": "\x00"}
NEVER_ECHOED = ("onerror", "<img", "javascript", "%00", "A" * 100)


@pytest.fixture(scope="module")
def page_params(tmp_path_factory) -> dict[str, list[str]]:
    """Every URL parameter each page knows: its widgets' keys (read by running the page in
    AppTest on the snapshot), the shared date parameters, and the URL-only ones."""
    found = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASH_SNAPSHOT", str(SNAPSHOT_DIR))
        mp.setenv("DASH_CACHE_DIR", str(tmp_path_factory.mktemp("apptest-cache")))
        for path in PAGES:
            st.cache_data.clear()
            at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
            at.run()
            at.switch_page(path)
            at.run()
            keys = {w.key for kind in WIDGET_TYPES for w in at.get(kind) if w.key}
            found[path] = sorted(keys | set(SHARED_PARAMS) | set(URL_ONLY_PARAMS.get(path, ())))
    st.cache_data.clear()
    return found


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def share_link(page) -> str:
    """The URL in the sidebar's "Share" popover."""
    page.get_by_role("button", name="Share").click()
    box = page.locator('[data-testid="stPopoverBody"] code')
    box.wait_for()
    text = box.inner_text().strip()
    page.keyboard.press("Escape")
    return text


def button(page, area: str, text: str):
    """The segmented-control button reading exactly ``text`` in the sidebar or the main area."""
    return page.locator(f'[data-testid="{area}"] [data-testid="stButtonGroup"] button').filter(
        has_text=re.compile(f"^{re.escape(text)}$"))


CHANGE_POLL_MS, CHANGE_TIMEOUT_MS = 250, 30000


def click_and_wait(page, locator, url_part: str) -> None:
    """Click, then wait for the URL to carry ``url_part`` and for the charts to be redrawn."""
    before = page.evaluate(FIGURES_JS)
    locator.click()
    page.wait_for_url(f"**{url_part}*", timeout=CHANGE_TIMEOUT_MS)
    for _ in range(CHANGE_TIMEOUT_MS // CHANGE_POLL_MS):
        if page.evaluate(FIGURES_JS) != before:
            break
        page.wait_for_timeout(CHANGE_POLL_MS)
    wait_for_charts(page)


def set_fed_path(page):
    # The range first: a rerun it starts must not race the number input's URL update.
    click_and_wait(page, button(page, "stSidebar", "5Y"), "range=5Y")
    stepper = page.locator('[data-testid="stNumberInput"]', has_text="r*, neutral")
    click_and_wait(page, stepper.locator('[data-testid="stNumberInputStepUp"]'), "rstar=")
    click_and_wait(page, page.get_by_role("tab", name="Claims"), "labour=Claims")


def fed_path_state(page):
    r_star = page.locator('[data-testid="stNumberInput"]', has_text="r*, neutral").locator("input").input_value()
    return r_star, page.get_by_role("tab", selected=True).all_inner_texts()


def set_small_caps(page):
    click_and_wait(page, page.locator('[data-testid="stSidebar"]').get_by_text("Log scale", exact=True), "sc_log=true")


def small_caps_state(page):
    return page.get_by_role("switch", name="Log scale").is_checked()


def set_sp500(page):
    click_and_wait(page, page.locator('[data-testid="stSidebar"]').get_by_text("Rebase to 100", exact=True),
                   "sp_rebase=false")


def sp500_state(page):
    return page.get_by_role("switch", name="Rebase to 100").is_checked()


def set_inflation(page):
    click_and_wait(page, button(page, "stMain", "3m"), "transform=3m")


def inflation_state(page):
    return page.locator('[data-testid="stButtonGroup"] button[aria-checked="true"]').all_inner_texts()


def set_events(page):
    click_and_wait(page, button(page, "stMain", "CPI"), "type=CPI")
    click_and_wait(page, button(page, "stMain", "Russell 2000"), "asset=Russell")


def events_state(page):
    """The chosen event type, asset and rolling window (the main area's segmented controls)."""
    chosen = page.locator('[data-testid="stMain"] [data-testid="stButtonGroup"] button[aria-checked="true"]')
    return chosen.all_inner_texts()


ROUND_TRIPS = {
    "pages/1_fed-path.py": (set_fed_path, fed_path_state, {"range": ["5Y"], "labour": ["Claims"]}),
    "pages/2_small-caps.py": (set_small_caps, small_caps_state, {"sc_log": ["true"]}),
    "pages/3_sp500-hybrid.py": (set_sp500, sp500_state, {"sp_rebase": ["false"]}),
    "pages/4_inflation.py": (set_inflation, inflation_state, {"transform": ["3m"]}),
    "pages/5_events.py": (set_events, events_state, {"type": ["CPI"], "asset": ["Russell 2000"]}),
}


@pytest.mark.parametrize("path", PAGES)
def test_view_set_by_clicking_reopens_from_its_link_in_a_new_context(browser, app_url, path):
    set_view, state, expected = ROUND_TRIPS[path]
    page = open_page(browser, page_url(app_url, path))
    try:
        default = figures(page)
        set_view(page)
        shared, chosen, drawn = page.url, state(page), figures(page)
        assert expected.items() <= query(shared).items()
        assert drawn != default  # the click changed what is drawn
        link = share_link(page)  # the "Share" box holds the same page and parameters
        assert urlsplit(link).path == urlsplit(shared).path and query(link) == query(shared)
        other = open_page(browser, shared)
        try:
            assert state(other) == chosen
            assert figures(other) == drawn
            assert_clean(other)
        finally:
            other.context.close()
    finally:
        page.context.close()


def test_navigation_links_carry_the_date_range(page, app_url):
    page.goto(page_url(app_url, "pages/2_small-caps.py"))
    wait_for_charts(page)
    click_and_wait(page, button(page, "stSidebar", "1Y"), "range=1Y")
    page.locator('[data-testid="stSidebar"] a', has_text="Fed path").click()
    page.wait_for_url("**/fed-path?*range=1Y*", timeout=30000)
    wait_for_charts(page)
    assert "(last 1Y)" in figures(page)[0]["title"]


def test_csv_download_is_the_plotted_data_up_to_the_as_of_date(page, app_url):
    page.goto(page_url(app_url, "pages/2_small-caps.py"))
    wait_for_charts(page)
    chart = figures(page)[0]
    caption = page.locator('[data-testid="stCaptionContainer"]', has_text="Source: Yahoo Finance (^RUT, ^GSPC)").first
    as_of = caption.inner_text().split("as of ")[1][:10]
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").first.click()
    assert download.value.suggested_filename == f"russell-2000-vs-sp500-rs_{as_of}.csv"
    csv = pd.read_csv(io.StringIO(open(download.value.path()).read()), parse_dates=["date"], index_col="date")
    assert list(csv.columns) == ["rut", "spx", "rs"]
    assert f"{csv.index[-1]:%Y-%m-%d}" == as_of
    plotted = {t["name"]: t for t in chart["traces"]}
    assert len(csv) == plotted["Russell 2000"]["n"]
    assert csv["rut"].iloc[0] == pytest.approx(100.0) == plotted["Russell 2000"]["y0"]
    assert csv["rs"].iloc[-1] == pytest.approx(plotted["Russell 2000 / S&P 500"]["yn"])


def test_every_csv_button_on_a_page_downloads(page, app_url):
    """Clicked one after another, each button gives its file: a click never reruns the page, so
    it never loses the race against the rerun for its deferred file id."""
    page.goto(page_url(app_url, "pages/2_small-caps.py"))
    wait_for_charts(page)
    buttons = page.get_by_role("button", name="Download CSV")
    names = []
    for i in range(buttons.count()):
        with page.expect_download(timeout=10000) as download:
            buttons.nth(i).click()
        names.append(download.value.suggested_filename)
    assert len(names) == len(set(names)) >= 4
    assert all(name.endswith(".csv") for name in names)


def hostile_url(app_url: str, path: str, params: list[str]) -> str:
    """Every parameter of the page given every hostile value, as repeated keys; the value that
    comes first (the one a bound widget reads) rotates, and the first two parameters also
    carry a 10 kB value (two keep the URL under the server's header limit)."""
    values = list(HOSTILE_VALUES.values())
    pairs = []
    for position, name in enumerate(params):
        rotated = values[position % len(values):] + values[:position % len(values)]
        long = ["A" * LONG_VALUE_CHARS] if position < 2 else []
        pairs += [(name, value) for value in (*rotated, *long)]
    return page_url(app_url, path) + "?" + "&".join(f"{name}={quote(value, safe='')}" for name, value in pairs)


@pytest.mark.parametrize("path", PAGES)
def test_hostile_values_in_every_parameter_never_execute(browser, app_url, page_params, path):
    page = open_page(browser, hostile_url(app_url, path, page_params[path]))
    try:
        page.wait_for_timeout(300)  # a dialog would have fired by now
        assert_clean(page)
        assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= 1
        assert page.locator("img[onerror], [onerror]").count() == 0
        assert page.locator('a[href^="javascript:"]').count() == 0
        assert page.get_by_text("Ignored an invalid value for").count() >= 1
        link = share_link(page)
        assert [text for text in NEVER_ECHOED if text in link] == []
    finally:
        page.context.close()


def test_repeated_key_the_first_value_wins_and_the_url_is_rewritten(page, app_url):
    """Documented behaviour: for a widget-bound parameter given twice (``?range=1Y&range=Max``)
    Streamlit's binding uses the FIRST value and rewrites the URL to it; nothing else happens."""
    page.goto(f"{app_url}/small-caps?range=1Y&range=Max")
    wait_for_charts(page)
    titles = " ".join(f["title"] for f in figures(page))
    assert "(last 1Y)" in titles and "(last 3Y)" not in titles and "all history" not in titles
    assert query(page.url)["range"] == ["1Y"]
    assert query(share_link(page))["range"] == ["1Y"]
    assert_clean(page)
