"""View of the S&P 500 hybrid page's "Earned or re-rated?" panel: each mega cap's price move
split into TTM earnings growth and P/E change (``analytics.decomposition.earnings_vs_multiple``),
the seven together (cap-weighted), trailing P/E through time and one company's drill-down.

EPS comes from the companies' own filings (SEC companyfacts, ``data_sources.sec``), each TTM
value indexed by the date it was first filed, so a window's ends use only what was filed by
then. A company without SEC data is left out and named. Data in, views out: no loading, no
drawing, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.claims import EARNED_BAND_PP
from analytics.decomposition import (
    SPLIT_PARTS,
    cap_weighted_split,
    earnings_vs_multiple,
    last_known,
    market_caps,
)
from components.controls import DateWindow
from components.views.common import EMPTY, View, day_text, symbols
from data_sources.cache import LoadResult
from data_sources.catalogue import (
    FISCAL_YEAR_ENDS,
    MEGA_CAP_KEYS,
    SHARE_COUNT_KEYS,
    STATIC_BY_KEY,
    TTM_EPS_KEYS,
    Key,
    ttm_eps_key,
)
from data_sources.sec import SEC_USER_AGENT_ENV

# Needed for any split: the closes. The share counts weigh the cap-weighted total only, and a
# company's TTM EPS its own split: without them that part is left out and named.
PRICE_KEYS = MEGA_CAP_KEYS
WEIGHT_KEYS = SHARE_COUNT_KEYS
EPS_KEYS = TTM_EPS_KEYS
PANEL_KEYS = (*PRICE_KEYS, *WEIGHT_KEYS, *EPS_KEYS, Key.t_2y)
TOGETHER_LABEL = "Mega caps, cap-weighted"
SPLIT_COLUMNS = (*SPLIT_PARTS, "eps_start", "eps_end", "pe_start", "pe_end", "start_cap_share_pct")
# A TTM EPS filed longer than this before the window's end is stale: a quarter (~91 days) plus
# the 40-day 10-Q deadline of large filers, with slack; a newer filing is missing from the data.
STALE_FILING = pd.Timedelta(days=140)
CAP_LOOKBACK_ROWS = 10  # closes before the start searched for a cap (a holiday week at most)


@dataclass(frozen=True)
class EarningsView:
    """The split per company and together (``frame``: one row per company label with SEC data,
    then ``TOGETHER_LABEL``; columns ``key``, ``SPLIT_COLUMNS``, ``eps_filed`` (when the end's
    TTM EPS was filed) and ``reason``), trailing P/E per company over the window (``pe``), a
    takeaway, the keys without SEC data (``missing``) and the closes the window runs between."""

    frame: pd.DataFrame
    pe: pd.DataFrame
    takeaway: str
    missing: tuple[str, ...]
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None

    @property
    def empty(self) -> bool:
        return self.frame.empty


def with_eps(ttm: Mapping[str, pd.Series]) -> list[str]:
    """The mega-cap price keys whose TTM EPS loaded with data, in catalogue order."""
    return [k for k in MEGA_CAP_KEYS if len(ttm.get(ttm_eps_key(k), ())) > 0]


def split_start(window: DateWindow, prices: pd.DataFrame, ttm: Mapping[str, pd.Series]) -> pd.Timestamp:
    """Where the window's split starts: its start (the first close for "Max"), moved later to the
    first date any company had filed a TTM EPS, so that at least one split is defined."""
    start = pd.Timestamp(window.start) if window.start else prices.dropna(how="all").index[0]
    first_filed = min(series.dropna().index[0] for series in ttm.values())
    return max(start, first_filed)


def trailing_pe(price: pd.Series, ttm: pd.Series) -> pd.Series:
    """P/E_t = close_t / TTM EPS known by t (the last value filed on or before t); NaN where that
    EPS is missing or not positive (a P/E of a loss is undefined)."""
    closes = price.dropna()
    eps, _ = last_known(ttm, closes.index)
    return pd.Series(np.where(eps > 0, closes.to_numpy() / np.where(eps > 0, eps, 1.0), np.nan), index=closes.index)


def earned_words(eps_pct: float, multiple_pct: float) -> str:
    """For a rise (price = eps + multiple > 0): "mostly earned" when EPS growth beats the P/E
    change by ``EARNED_BAND_PP`` or more, "mostly re-rated" the other way round, else "earned and
    re-rated about equally". A fall has no gains to call either: "a fall", with what drove it."""
    if eps_pct + multiple_pct <= 0:
        driver = "earnings and the multiple both fell" if eps_pct < 0 and multiple_pct < 0 else (
            "a lower multiple, though earnings grew" if eps_pct >= 0 else "lower earnings, though the multiple rose")
        return f"a fall ({driver})"
    gap = eps_pct - multiple_pct
    if gap >= EARNED_BAND_PP:
        return "mostly earned"
    if gap <= -EARNED_BAND_PP:
        return "mostly re-rated"
    return "earned and re-rated about equally"


def earnings_view(prices: pd.DataFrame, ttm: Mapping[str, pd.Series], shares: pd.DataFrame,
                  window: DateWindow) -> EarningsView:
    """Each mega cap with SEC data: price move = TTM EPS growth + P/E change (percent log points)
    from the last close on or before ``split_start`` to the last on or before the window's end,
    and the cap-weighted average of the companies with a defined split (weights: market caps at
    the start, ``market_caps`` of closes × share counts). ``ttm``: loaded series by EPS key. A
    company with EPS but no closes in ``prices`` is left out (the page names its missing price)."""
    missing = tuple(k for k in MEGA_CAP_KEYS if k not in with_eps(ttm))
    members = [k for k in with_eps(ttm) if k in prices.columns and prices[k].notna().any()]
    if not members:
        return EarningsView(pd.DataFrame(), pd.DataFrame(), "No company has both SEC earnings and prices loaded.",
                            missing)
    eps = {k: ttm[ttm_eps_key(k)] for k in members}
    start, end = split_start(window, prices[members], eps), pd.Timestamp(window.end)
    if start >= end:
        return EarningsView(pd.DataFrame(), pd.DataFrame(), EMPTY.takeaway, missing)
    splits = {k: earnings_vs_multiple(prices[k], eps[k], start, end) for k in members}
    caps = market_caps(prices[members].loc[:start].iloc[-CAP_LOOKBACK_ROWS:], shares).ffill()
    start_caps = caps.iloc[-1] if len(caps) else pd.Series(np.nan, index=members)
    together = cap_weighted_split(splits, start_caps)
    names = symbols(members)
    total_cap = start_caps.where(start_caps > 0).sum()
    filed = {k: last_known(eps[k], [end])[1][0] for k in members}
    rows = {
        names[k]: [k, s.price_pct, s.eps_pct, s.multiple_pct, s.eps_start, s.eps_end, s.pe_start, s.pe_end,
                   100 * start_caps[k] / total_cap if total_cap > 0 else np.nan, filed[k], s.reason]
        for k, s in splits.items()
    }
    rows[TOGETHER_LABEL] = ["", together.price_pct, together.eps_pct, together.multiple_pct, *[np.nan] * 4,
                            100 * together.covered, pd.NaT, ""]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=["key", *SPLIT_COLUMNS, "eps_filed", "reason"])
    frame.index.name = "company"
    ends = [s.end for s in splits.values() if s.end is not None]
    starts = [s.start for s in splits.values() if s.start is not None]
    first, last = (min(starts), max(ends)) if starts and ends else (None, None)
    if first is None or first >= last:
        return EarningsView(pd.DataFrame(), pd.DataFrame(), EMPTY.takeaway, missing)
    pe = pd.DataFrame({names[k]: trailing_pe(prices[k].loc[start:end], eps[k]) for k in members})
    takeaway = earnings_takeaway(frame, together.left_out, names, first, last, int(start_caps.gt(0).sum()))
    return EarningsView(frame, pe, takeaway, missing, first, last)


def earnings_takeaway(frame: pd.DataFrame, left_out: tuple[str, ...], names: dict[str, str],
                      start: pd.Timestamp, end: pd.Timestamp, with_caps: int) -> str:
    """The cap-weighted answer in numbers, the most earned and most re-rated company among those
    that rose, why any company has no split, and which filings are dated. ``with_caps``: how
    many companies had a share count (a cap) at the start."""
    together = frame.loc[TOGETHER_LABEL]
    defined = frame.drop(TOGETHER_LABEL).dropna(subset=["eps_pct"])
    rows = len(frame) - 1
    whose = "their starting cap" if with_caps == rows else f"the starting cap of the {with_caps} with a share count"
    parts = []
    if len(defined) and np.isnan(together["price_pct"]):
        parts.append("Each company's split is below; the cap-weighted total needs their share counts.")
    elif len(defined):
        parts.append(
            f"From {day_text(start)} to {day_text(end)} the mega caps with SEC filings moved "
            f"{together['price_pct']:+.1f} log points (cap-weighted, {together['start_cap_share_pct']:.0f}% of {whose}): "
            f"earnings {together['eps_pct']:+.1f}, P/E {together['multiple_pct']:+.1f}, so the move was "
            f"**{earned_words(together['eps_pct'], together['multiple_pct'])}**."
        )
        rose = defined[defined["price_pct"] > 0]
        if len(rose):
            gap = rose["eps_pct"] - rose["multiple_pct"]
            most_earned, most_rerated = gap.idxmax(), gap.idxmin()
            parts.append(
                f"Of those that rose, most earned: {most_earned} (EPS {rose.loc[most_earned, 'eps_pct']:+.1f}, P/E "
                f"{rose.loc[most_earned, 'multiple_pct']:+.1f}); most re-rated: {most_rerated} (EPS "
                f"{rose.loc[most_rerated, 'eps_pct']:+.1f}, P/E {rose.loc[most_rerated, 'multiple_pct']:+.1f})."
            )
    for key in left_out:
        reason = frame.loc[names[key], "reason"] or "no share count at the start, so no weight in the total."
        parts.append(f"{names[key]}: {reason}")
    filed = pd.to_datetime(frame["eps_filed"]).dropna()
    stale = filed[end - filed > STALE_FILING]
    if len(stale):
        latest = ", ".join(f"{name} {day_text(day)}" for name, day in stale.items())
        parts.append(f"Latest TTM EPS filed: {latest}, more than {STALE_FILING.days} days before the end, so a newer "
                     "quarter is missing from this data and the earnings part is dated.")
    return " ".join(parts)


def missing_words(missing) -> str:
    """"Meta Platforms (META) and Tesla (TSLA)" for the price keys ``missing``."""
    named = [f"{STATIC_BY_KEY[k].label} ({STATIC_BY_KEY[k].source_id})" for k in missing]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " and " + named[-1]


def missing_note(result: LoadResult, missing: tuple[str, ...]) -> str:
    """What the panel lacks and why, for the companies ``missing`` (price keys) whose SEC EPS
    did not load: without ``SEC_USER_AGENT`` what to set; else each reason (a snapshot without
    their file, SEC's error), grouped. '' when nothing is missing."""
    if not missing:
        return ""
    kinds = {k: result.provenance.get(ttm_eps_key(k)) for k in missing}
    if all(p is not None and p.error_kind == "user_agent" for p in kinds.values()):
        return (f"SEC EDGAR earnings are not loaded: SEC asks every client for a contact, so set {SEC_USER_AGENT_ENV} "
                'to "Your Name you@example.com" in the app\'s secrets or environment and reload. The price '
                "panels of this page still work.")
    by_reason: dict[str, list[str]] = {}
    for key, p in kinds.items():
        by_reason.setdefault(p.error if p is not None and p.error else "not loaded", []).append(key)
    reasons = "; ".join(f"{missing_words(keys)}: {reason}" for reason, keys in by_reason.items())
    return (f"No SEC earnings for {missing_words(missing)}, so they are left out of the split and of the "
            f"cap-weighted total ({reasons}).")


def company_view(price: pd.Series, ttm: pd.Series, yield_2y: pd.Series | None, key: str,
                 start: pd.Timestamp, end: pd.Timestamp) -> View:
    """One company over the split's window: price and TTM EPS as known each day (100 at the
    first close; EPS only while positive), trailing P/E, and the 2-year yield (% , when loaded)."""
    closes = price.dropna().loc[start:end]
    if len(closes) < 2:
        return EMPTY
    eps, _ = last_known(ttm, closes.index)
    eps_index = 100 * eps / eps[0] if eps[0] > 0 else np.full(len(eps), np.nan)
    frame = pd.DataFrame({"price": 100 * closes / closes.iloc[0], "ttm_eps": np.where(eps > 0, eps_index, np.nan)},
                         index=closes.index)
    frame["pe"] = trailing_pe(closes, ttm)
    if yield_2y is not None:
        frame["t_2y"] = yield_2y.reindex(closes.index).ffill()
    symbol = STATIC_BY_KEY[key].source_id
    split = earnings_vs_multiple(price, ttm, start, end)
    filed = ttm.dropna().loc[start:end]
    filings = (f"{len(filed)} new TTM value{'s' if len(filed) != 1 else ''} filed in the window, the latest "
               f"{filed.iloc[-1]:.2f} on {day_text(filed.index[-1])}" if len(filed) else "no new TTM value filed in the window")
    numbers = (split.reason if split.reason else
               f"price {split.price_pct:+.1f} log points = earnings {split.eps_pct:+.1f} + P/E {split.multiple_pct:+.1f} "
               f"(P/E {split.pe_start:.1f} → {split.pe_end:.1f}, TTM EPS {split.eps_start:.2f} → {split.eps_end:.2f} USD), "
               f"{earned_words(split.eps_pct, split.multiple_pct)}")
    takeaway = (f"{symbol}, {day_text(closes.index[0])} to {day_text(closes.index[-1])}: {numbers}. {filings}. "
                f"Its fiscal year ends {FISCAL_YEAR_ENDS[symbol]}; TTM EPS sums its last four fiscal quarters, each "
                "counted from the day it was first filed.")
    return View(frame, takeaway, closes.index[0], closes.index[-1])
