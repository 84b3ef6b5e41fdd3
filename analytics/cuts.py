"""The one rule for "cuts priced" (ANALYTICS.md): when does a number of 25 bp cuts priced
count as the market pricing cuts, hikes, or no clear move?

Used by the Fed path headline, the inflation page's "too loose" flag and the scorecard's
claim 1, so the three never disagree. Half a 25 bp move is the smallest amount a futures
strip prices with conviction; fewer cuts (or hikes) than that read as no clear move.
"""

from __future__ import annotations

CUTS_PRICED_MIN = 0.5  # 25 bp moves, either way
PRICES_CUTS, PRICES_NO_CLEAR_MOVE, PRICES_HIKES = "cuts", "no clear move", "hikes"


def priced_move(cuts: float) -> str:
    """What ``cuts`` (25 bp cuts priced; negative = hikes) says under the one rule:
    ``PRICES_CUTS`` when cuts > ``CUTS_PRICED_MIN``, ``PRICES_HIKES`` when cuts <
    −``CUTS_PRICED_MIN``, else ``PRICES_NO_CLEAR_MOVE`` (also for NaN)."""
    if cuts > CUTS_PRICED_MIN:
        return PRICES_CUTS
    if cuts < -CUTS_PRICED_MIN:
        return PRICES_HIKES
    return PRICES_NO_CLEAR_MOVE
