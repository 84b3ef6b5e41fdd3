"""Macro days (``/events``) in a real browser: clicking an event point of the scatter, or a row
of the latest days' table, opens that day's drill-down and puts the day in the URL."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.app.test_events import WINDOW_START, event_days, in_window
from tests.conftest import SNAPSHOT_AS_OF
from tools.server import wait_for_charts

pytestmark = pytest.mark.browser
SCATTER_TITLE = "S&P 500 vs the 2-year yield on FOMC days"

# The event trace's point farthest (in screen pixels) from every other thing a click could hit:
# the other event points and the two fitted lines (the faint cloud of other days does not take
# clicks: hoverinfo "skip"). Returns its date (customdata[0]) and its position in the viewport.
ISOLATED_EVENT_POINT_JS = """(title) => {
    const gd = Array.from(document.querySelectorAll('.js-plotly-plot'))
        .find(p => p._fullLayout.title.text.includes(title));
    const box = gd.querySelector('.main-svg').getBoundingClientRect();
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const px = x => box.left + xa._offset + xa.l2p(x), py = y => box.top + ya._offset + ya.l2p(y);
    const events = gd._fullData.find(t => t.mode === 'markers' && t.customdata);
    const points = Array.from(events.x, (x, i) => ({day: events.customdata[i][0], x: px(x), y: py(events.y[i])}));
    const others = [];
    gd._fullData.filter(t => t.mode === 'lines').forEach(t => {
        for (let s = 0; s <= 200; s++) {  // the segment between the line's two ends, sampled
            const f = s / 200;
            others.push({x: px(t.x[0] + f * (t.x[1] - t.x[0])), y: py(t.y[0] + f * (t.y[1] - t.y[0]))});
        }
    });
    let best = null;
    for (const p of points) {
        const near = Math.min(...points.filter(q => q !== p).concat(others).map(q => Math.hypot(q.x - p.x, q.y - p.y)));
        if (!best || near > best.near) best = {...p, near};
    }
    return best;
}"""


def test_clicking_an_event_point_opens_its_drill_down(page, app_url):
    page.goto(f"{app_url}/events?type=FOMC&range=3Y")
    wait_for_charts(page)
    assert "event=" not in page.url
    assert page.locator('[data-testid="stHeading"]', has_text=re.compile(r"^\d{4}-\d{2}-\d{2}: ")).count() == 0
    scatter = page.locator('[data-testid="stPlotlyChart"]', has_text=SCATTER_TITLE)
    scatter.scroll_into_view_if_needed()
    point = page.evaluate(ISOLATED_EVENT_POINT_JS, SCATTER_TITLE)
    assert point["near"] > 8  # px: nothing else within a marker's reach
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(rf"event={point['day']}"), timeout=30000)
    wait_for_charts(page)
    day = pd.Timestamp(point["day"])
    assert day in in_window(event_days()["FOMC"], WINDOW_START, pd.Timestamp(SNAPSHOT_AS_OF))
    heading = page.locator('[data-testid="stHeading"]', has_text=f"{point['day']}: ")
    heading.first.wait_for(timeout=30000)
    assert "FOMC" in heading.first.inner_text()
    assert page.locator('[data-testid="stPlotlyChart"]', has_text=f"10 trading days around {point['day']}").count() == 1
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "type=FOMC" in page.url


GRID_ROW_PX = 35  # Streamlit's data grid: header and rows are this tall; the first column selects a row


def test_opening_the_latest_days_table_and_clicking_a_row_opens_that_day(page, app_url):
    """The table is closed at first (no data grid); opening it puts ``latest=true`` in the URL,
    and clicking the second row opens the second-latest FOMC day of the window."""
    page.goto(f"{app_url}/events?type=FOMC&range=3Y")
    wait_for_charts(page)
    assert page.locator('[data-testid="stDataFrame"]').count() == 0
    page.locator('[data-testid="stExpander"] summary', has_text="The latest 20 FOMC days").click()
    page.wait_for_url(re.compile(r"latest=true"), timeout=30000)
    grid = page.locator('[data-testid="stDataFrame"]')
    grid.wait_for(timeout=30000)
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the grid draws on a canvas after it is attached
    box = grid.bounding_box()
    page.mouse.click(box["x"] + GRID_ROW_PX / 2, box["y"] + GRID_ROW_PX * 2.5)  # the second data row
    expected = in_window(event_days()["FOMC"], WINDOW_START, pd.Timestamp(SNAPSHOT_AS_OF))[-2]
    page.wait_for_url(re.compile(rf"event={expected:%Y-%m-%d}"), timeout=30000)
    wait_for_charts(page)
    heading = page.locator('[data-testid="stHeading"]', has_text=f"{expected:%Y-%m-%d}: FOMC")
    heading.first.wait_for(timeout=30000)
    assert page.locator('[data-testid="stException"]').count() == 0
