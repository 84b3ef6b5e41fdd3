"""The narrative scorecard in a real browser: cards, as-of links that reproduce, evidence links."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tools.server import wait_for_charts

pytestmark = pytest.mark.browser

CARDS = 9
# Longest first: "not supported" also ends with "supported".
STATUS_WORDS = ("not supported", "no data", "supported", "mixed")


def statuses(page) -> list[str]:
    """Each card's status chip, in card order (the chip's text is its icon name + the status)."""
    texts = page.locator('[data-testid="stMain"] span.stMarkdownBadge').all_inner_texts()
    return [next(word for word in STATUS_WORDS if text.strip().lower().endswith(word)) for text in texts]


def evidence_links(page):
    return page.locator('[data-testid="stMain"] [data-testid="stPageLink"] a', has_text="Evidence:")


def test_overview_shows_eight_cards(page, app_url):
    page.goto(f"{app_url}/")
    assert wait_for_charts(page) >= CARDS  # one sparkline per card
    assert page.locator('[data-testid="stException"]').count() == 0
    assert len(statuses(page)) == CARDS
    assert evidence_links(page).count() == CARDS
    verdict = page.locator('[data-testid="stMain"] h3').first.inner_text()
    assert re.match(rf"\d+ of {CARDS} claims supported", verdict)
    assert page.get_by_text("Scored on the data as of 2026-08-21.").is_visible()


def test_asof_link_shows_label_and_reproduces_in_a_new_context(page, app_url, browser):
    url = f"{app_url}/?asof=2025-12-31"
    page.goto(url)
    wait_for_charts(page)
    assert page.get_by_text("Data published by 2025-12-31, as revised since", exact=False).is_visible()
    first = statuses(page)
    assert len(first) == CARDS
    assert "asof=2025-12-31" in page.url
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        other = context.new_page()
        other.goto(url)
        wait_for_charts(other)
        assert statuses(other) == first
        assert other.get_by_text("Data published by 2025-12-31", exact=False).first.is_visible()
    finally:
        context.close()


def test_evidence_link_opens_its_page_with_preset_params(page, app_url):
    page.goto(f"{app_url}/?range=1Y")
    wait_for_charts(page)
    link = evidence_links(page).nth(4)  # claim 5: small caps' rate sensitivity
    assert "Small-cap barometer" in link.inner_text()
    href = link.get_attribute("href")
    assert "beta_window=63" in href and "range=1Y" in href  # the shared range rides along, as in the sidebar
    link.click()
    # Bound widgets drop values equal to their default from the URL (63 days is the page's default).
    page.wait_for_url(re.compile(r"/small-caps"), timeout=30000)
    wait_for_charts(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Over the 63 trading days", exact=False).first.is_visible()


def test_asof_evidence_link_opens_the_preset_view(page, app_url):
    page.goto(f"{app_url}/?asof=2025-12-31")
    wait_for_charts(page)
    link = evidence_links(page).nth(7)  # claim 8: inflation, core PCE year over year
    assert "Inflation tension" in link.inner_text()
    assert "measure=Core+PCE" in link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(r"/inflation\?"), timeout=30000)
    wait_for_charts(page)
    assert "measure=Core+PCE" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Year over year: Core PCE", exact=False).first.is_visible()


def test_clicking_a_sparkline_point_rescores_as_of_that_date(page, app_url):
    page.goto(f"{app_url}/")
    wait_for_charts(page)
    assert "asof=" not in page.url
    labour_card_line = page.locator('[data-testid="stPlotlyChart"]').nth(2)  # claim 3, monthly points
    labour_card_line.scroll_into_view_if_needed()
    labour_card_line.locator(".scatterlayer .points path").first.click(force=True)
    page.wait_for_url(re.compile(r"asof=\d{4}-\d{2}-\d{2}"), timeout=30000)
    wait_for_charts(page)
    picked = re.search(r"asof=(\d{4}-\d{2}-\d{2})", page.url).group(1)
    assert picked < "2026-08-21"
    assert page.get_by_text(f"Data published by {picked}", exact=False).first.is_visible()


def test_clicking_a_history_cell_opens_the_scorecard_as_of_that_month_end(page, app_url):
    """A real click on the verdict grid (its invisible per-cell markers make cells selectable),
    opened by its link (``history=true``): the URL gets that month-end, the cards are rescored and
    the grid, still open, marks the day."""
    page.goto(f"{app_url}/?history=true")
    charts = wait_for_charts(page)
    grid = page.locator('[data-testid="stPlotlyChart"]').nth(charts - 1)  # the last chart: the history
    grid.scroll_into_view_if_needed()
    plot = grid.locator(".nsewdrag").first.bounding_box()
    page.mouse.click(plot["x"] + plot["width"] * 0.9, plot["y"] + plot["height"] * 0.1)  # claim 1, recent years
    page.wait_for_url(re.compile(r"asof=\d{4}-\d{2}-\d{2}"), timeout=30000)
    wait_for_charts(page)
    picked = pd.Timestamp(re.search(r"asof=(\d{4}-\d{2}-\d{2})", page.url).group(1))
    assert picked == picked + pd.offsets.MonthEnd(0) and picked.year >= 2020  # a month-end cell
    assert page.get_by_text(f"Data published by {picked:%Y-%m-%d}", exact=False).first.is_visible()
    assert len(statuses(page)) == CARDS and "history=true" in page.url
    assert page.locator('[data-testid="stPlotlyChart"]').count() == charts  # the grid is still drawn
    assert page.locator('[data-testid="stException"]').count() == 0
