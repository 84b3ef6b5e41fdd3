"""Every page in a real browser on the snapshot, in light and dark, and the sector drill-down click."""

from __future__ import annotations

import re

import pytest

from components.routes import PAGES
from data_sources.catalogue import SECTOR_KEYS
from tests.conftest import REPO
from tools.server import wait_for_charts
from tools.screenshots import page_url

pytestmark = pytest.mark.browser
PAGE_PATHS = [path for path, _ in PAGES if (REPO / path).is_file()]
VIEWPORT = {"width": 1400, "height": 900}
MIN_TEXT_CONTRAST = 0.4  # |luminance(chart text) - luminance(page background)|, 0..1
# Per chart: title, axis types, and per trace its name, point count and first/last x and y
# (from Plotly's decoded ``_fullData``): enough to tell two views apart, small to compare.
# Streamlit's front end wraps a figure's title in <b>…</b> each time it re-themes it, in place, so
# a chart a rerun left alone reads "<b><b>title" where a fresh load reads "<b>title": compare the
# words only.
FIGURES_JS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(p => ({
    title: p._fullLayout.title.text.replace(/<\\/?b>/g, ''), ytype: p._fullLayout.yaxis.type,
    traces: p._fullData.map(t => ({name: t.name, n: t.x ? t.x.length : 0,
        x0: t.x && t.x.length ? String(t.x[0]) : null, xn: t.x && t.x.length ? String(t.x[t.x.length - 1]) : null,
        y0: t.y && t.y.length ? Number(t.y[0]) : null, yn: t.y && t.y.length ? Number(t.y[t.y.length - 1]) : null})),
}))"""


def open_page(browser, url: str, color_scheme: str = "light"):
    """A page in a new browser context (nothing shared with other pages), charts drawn,
    with every dialog recorded in ``page.dialogs``."""
    context = browser.new_context(viewport=VIEWPORT, color_scheme=color_scheme)
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    wait_for_charts(page)
    return page


SETTLE_POLL_MS, SETTLE_TIMEOUT_MS = 400, 15000


def figures(page) -> list[dict]:
    """Summary of every chart on the page, once two reads in a row agree (after a rerun the old
    figures stay drawn for a moment before Plotly gets the new ones)."""
    previous = page.evaluate(FIGURES_JS)
    for _ in range(SETTLE_TIMEOUT_MS // SETTLE_POLL_MS):
        page.wait_for_timeout(SETTLE_POLL_MS)
        current = page.evaluate(FIGURES_JS)
        if current == previous:
            return current
        previous = current
    raise AssertionError("the charts kept changing")


def assert_clean(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    assert page.dialogs == []


def luminance(css_colour: str) -> float:
    """Relative luminance (0 black .. 1 white) of ``rgb(...)``/``rgba(...)``/``#rrggbb``."""
    if css_colour.startswith("#"):
        channels = [int(css_colour[i:i + 2], 16) for i in (1, 3, 5)]
    else:
        channels = [float(v) for v in re.findall(r"[\d.]+", css_colour)[:3]]
    r, g, b = (c / 255 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGE_PATHS)
def test_every_page_draws_all_charts_in_light_and_dark(browser, app_url, path, scheme):
    page = open_page(browser, page_url(app_url, path), scheme)
    try:
        charts = page.locator('[data-testid="stPlotlyChart"]').count()
        assert charts >= 1 and page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= charts
        assert_clean(page)
        assert page.locator('[data-testid="stSidebar"] a').count() == len(PAGE_PATHS)
        background = page.evaluate(
            "getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor")
        assert (luminance(background) < 0.5) == (scheme == "dark")  # the app follows the system theme
        for text in page.evaluate("Array.from(document.querySelectorAll('.js-plotly-plot'))"
                                  ".map(p => p._fullLayout.font.color)"):
            assert abs(luminance(text) - luminance(background)) > MIN_TEXT_CONTRAST, (text, background)
    finally:
        page.context.close()


def test_sector_bar_click_drills_down_and_lands_in_the_url(page, app_url):
    page.goto(f"{app_url}/sp500-hybrid")
    wait_for_charts(page)
    bars = page.locator('[data-testid="stPlotlyChart"]', has_text="Which sectors beat SPY")
    bars.scroll_into_view_if_needed()
    first_bar = bars.locator(".bars .point path").first
    first_bar.click(force=True)
    page.wait_for_url("**sector=*", timeout=30000)
    wait_for_charts(page)
    sector = page.url.split("sector=")[1].split("&")[0]
    assert sector in SECTOR_KEYS
    drill_title = f"{sector.upper()} / SPY"  # the drill-down's relative-strength trace
    assert page.locator('[data-testid="stPlotlyChart"]', has_text=drill_title).count() == 1
    # The link alone reopens the drill-down in a fresh page.
    fresh = page.context.new_page()
    fresh.goto(page.url)
    wait_for_charts(fresh)
    assert fresh.locator('[data-testid="stPlotlyChart"]', has_text=drill_title).count() == 1


def test_without_a_click_there_is_no_drill_down(page, app_url):
    page.goto(f"{app_url}/sp500-hybrid")
    wait_for_charts(page)
    assert page.locator('[data-testid="stPlotlyChart"]', has_text="/ SPY").count() == 0


def test_a_company_bar_click_opens_its_earnings_drill_down_from_the_link(page, app_url):
    """The "Earned or re-rated?" bars: a click on a company's EPS bar puts ``company=`` in the URL and
    opens its price-vs-earnings chart; the link alone reopens it."""
    page.goto(f"{app_url}/sp500-hybrid")
    wait_for_charts(page)
    bars = page.locator('[data-testid="stPlotlyChart"]', has_text="Earned or re-rated?")
    bars.scroll_into_view_if_needed()
    bars.locator(".bars .point path").first.click(force=True)  # a company's EPS bar
    page.wait_for_url("**company=*", timeout=30000)
    wait_for_charts(page)
    company = page.url.split("company=")[1].split("&")[0]
    assert company in ("aapl", "msft", "nvda", "amzn", "googl")  # the five with SEC filings in the snapshot
    drill = f"{company.upper()}: price vs earnings"
    assert page.locator('[data-testid="stPlotlyChart"]', has_text=drill).count() == 1
    fresh = page.context.new_page()
    fresh.goto(page.url)
    wait_for_charts(fresh)
    assert fresh.locator('[data-testid="stPlotlyChart"]', has_text=drill).count() == 1
