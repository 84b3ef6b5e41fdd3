"""Where each page lives and what a link to it carries (no Streamlit here).

Page URLs are fixed because shared links point at them; they come from the file names in
``pages/`` (Streamlit strips the number prefix). The scorecard's evidence links name a page
and the URL values that preset it to the view a claim is scored on.
"""

from __future__ import annotations

from analytics.claims import BETA_WINDOW_OBS, LEAD_WINDOW

OVERVIEW = "app.py"
FED_PATH = "pages/1_fed-path.py"
SMALL_CAPS = "pages/2_small-caps.py"
SP500 = "pages/3_sp500-hybrid.py"
INFLATION = "pages/4_inflation.py"
EVENTS = "pages/5_events.py"
# (script path relative to the repo, label in our navigation), in menu order.
PAGES = (
    (OVERVIEW, "Overview"),
    (FED_PATH, "Fed path"),
    (SMALL_CAPS, "Small-cap barometer"),
    (SP500, "S&P 500 hybrid"),
    (INFLATION, "Inflation tension"),
    (EVENTS, "Macro days"),
)
PAGE_LABELS = dict(PAGES)
# Claim number -> (evidence page, URL values that open it on the claim's view).
CLAIM_EVIDENCE = {
    1: (FED_PATH, {}),
    2: (FED_PATH, {}),
    3: (FED_PATH, {}),
    4: (SMALL_CAPS, {}),
    5: (SMALL_CAPS, {"beta_window": str(BETA_WINDOW_OBS)}),
    6: (SMALL_CAPS, {}),
    7: (SP500, {"sector_window": LEAD_WINDOW}),
    8: (INFLATION, {"measure": "Core PCE", "transform": "YoY"}),
    9: (EVENTS, {"type": "All macro", "asset": "S&P 500", "roll": "3Y"}),
}
