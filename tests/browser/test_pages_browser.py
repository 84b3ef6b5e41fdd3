"""Every page in a real browser on the snapshot, and the sector drill-down click."""

from __future__ import annotations

import pytest

from components.frame import PAGES
from data_sources.catalogue import SECTOR_KEYS
from tests.conftest import REPO
from tests.server import wait_for_charts
from tools.screenshots import page_url

pytestmark = pytest.mark.browser
PAGE_PATHS = [path for path, _ in PAGES if (REPO / path).is_file()]


@pytest.mark.parametrize("path", PAGE_PATHS)
def test_every_page_draws_all_charts_without_errors(page, app_url, path):
    page.goto(page_url(app_url, path))
    assert wait_for_charts(page) >= 1
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0
    links = page.locator('[data-testid="stSidebar"] a')
    assert links.count() == len(PAGE_PATHS)


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
