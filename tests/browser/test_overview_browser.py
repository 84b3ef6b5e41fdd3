"""The overview in a real browser: a deep link on a fresh server draws its charts."""

from __future__ import annotations

import pytest

from tools.server import wait_for_charts

pytestmark = pytest.mark.browser


def test_overview_draws_chart_and_status(page, app_url):
    page.goto(f"{app_url}/?range=1Y")
    assert wait_for_charts(page) >= 8  # a sparkline per scored claim, and the RS chart
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Data status").is_visible()
    assert "range=1Y" in page.url


def test_hostile_param_never_executes(page, app_url):
    page.goto(f"{app_url}/?range=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E")
    wait_for_charts(page)
    assert page.dialogs == []
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Ignored an invalid value for 'range'").is_visible()
