"""View of the S&P 500 hybrid page (``/sp500-hybrid``): data in (already loaded), views out.

Cap weight vs equal weight, the mega caps' contribution (weights from prices and the share
counts the store serves as ordinary series), sector rotation and its drill-down, and the
part of the equal-weight return that moved with yields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.breadth import (
    CYCLICALS,
    DEFENSIVES,
    WINDOWS,
    cap_minus_equal,
    cyclicals_vs_defensives,
    relative_strength,
    sector_scoreboard,
    sectors_beating,
)
from analytics.decomposition import (
    REST,
    RateShare,
    contributions,
    index_weights,
    market_caps,
    rate_share,
    rest_return,
    window_contributions,
    window_total_return,
)
from analytics.transforms import PERCENT, change_bp, log_returns, rebase
from components.controls import DateWindow
from components.views.common import (
    EMPTY,
    RECENT,
    View,
    day_text,
    direction,
    no_data,
    on_common_dates,
    recent_change,
    sentence_start,
    signed,
    span_words,
    symbols,
)
from data_sources.cache import LoadResult
from data_sources.catalogue import Key, MEGA_CAP_KEYS, SECTOR_KEYS, SHARE_COUNT_KEYS

# Anchor of the mega-cap weights: the S&P 500's total market cap on one published date.
# Sum of the full (not float-adjusted) market caps of the 503 constituents on 2024-12-13,
# Polygon.io snapshot in github dougdesigner/mags data/market_data.json
# (``sp500_details.total_market_cap``; ../shared/data/shares/other/mags_market_data_2024-12-13.json).
SP500_TOTAL_MCAP_USD = 56_560_392_349_612.0
SP500_TOTAL_MCAP_DATE = dt.date(2024, 12, 13)
SP500_ANCHOR_LEVEL = 6051.09  # ^GSPC close on SP500_TOTAL_MCAP_DATE (Yahoo), the total's own index level
WEIGHTS_APPROXIMATION = (
    "Weights ≈ price × shares outstanding ÷ S&P 500 total cap, the total scaled from its "
    f"{SP500_TOTAL_MCAP_DATE:%Y-%m-%d} value (503 constituents, Polygon) by the index level. "
    "Full caps, not the index's float-adjusted weights; adjusted closes include dividends, "
    "^GSPC does not (the gap lands in “Other 493”)."
)
OTHERS_LABEL = "Other 493"
INDEX_LABEL = "S&P 500"
BREADTH_KEYS = (Key.spy, Key.rsp)
MEGA_KEYS = (*MEGA_CAP_KEYS, Key.spx, *SHARE_COUNT_KEYS)
ROTATION_KEYS = (*SECTOR_KEYS, Key.spy)
BASKET_KEYS = (*CYCLICALS, *DEFENSIVES)
RATE_KEYS = (Key.rsp, Key.t_10y, Key.real_10y)
MIN_TOTAL_FOR_SHARE_PCT = 0.5  # below this index return a "share of the return" means little
LOW_R2 = 0.2  # below this, yields explain little of the daily moves
# A window whose first usable day is later than this after its requested start says so.
LATE_START = pd.Timedelta(days=7)
ROTATION_WINDOWS = tuple(WINDOWS)
ROTATION_DEFAULT = RECENT


def share_counts(result: LoadResult) -> pd.DataFrame:
    """The mega caps' loaded share counts as the tidy (symbol, date, shares) frame
    ``analytics.decomposition.market_caps`` reads; symbol = the catalogue key ("aapl")."""
    frames = [
        pd.DataFrame({"symbol": key, "date": result.series[count].index, "shares": result.series[count].to_numpy()})
        for key, count in zip(MEGA_CAP_KEYS, SHARE_COUNT_KEYS) if count in result.series
    ]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["symbol", "date", "shares"])


def gap_column(label: str) -> str:
    """Column of the rolling cap-minus-equal gap over ``label`` (a ``WINDOWS`` key), in pp."""
    return f"gap_{label}_pp"


def breadth_view(cap: pd.Series, equal: pd.Series, window: DateWindow) -> View:
    """SPY and RSP rebased (100 at the window start) and the rolling 1/3/12-month gap (pp)."""
    gauge = cap_minus_equal(cap, equal).drop(columns="ln_ratio_pct")
    full = on_common_dates(cap, equal)
    pair = window.clip(full)
    if len(pair) < 2:
        return no_data(full)
    frame = rebase(pair).join(gauge.rename(columns=gap_column), how="left")
    total_gap = frame[cap.name].iloc[-1] - frame[equal.name].iloc[-1]
    recent = frame[gap_column(RECENT)].iloc[-1]
    state = direction(recent, "narrowing (mega caps lead)", "broadening (the average stock leads)", "steady")
    takeaway = (
        f"{sentence_start(span_words(window))} cap weight returned {frame[cap.name].iloc[-1] - 100:+.1f}% and equal weight "
        f"{frame[equal.name].iloc[-1] - 100:+.1f}% ({total_gap:+.1f} pp); the {RECENT} gap on "
        f"{day_text(frame.index[-1])} is {signed(recent, ' pp')}: the rally is {state}."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


def daily_contributions(prices: pd.DataFrame, index_level: pd.Series, shares: pd.DataFrame,
                        members: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.Series]:
    """The members' daily contributions to the index (``contributions`` with the ``rest``
    column, rows with every part known), their simple returns, index weights (anchored on the
    S&P 500's total market cap) and the index's simple return, on the dates all trade."""
    common = on_common_dates(*(prices[k] for k in members), index_level)
    caps = market_caps(common[members], shares)
    weights = index_weights(caps, index_level, SP500_TOTAL_MCAP_USD, SP500_TOTAL_MCAP_DATE, SP500_ANCHOR_LEVEL)
    returns = common[members].pct_change()
    index_return = common[index_level.name].pct_change()
    return contributions(returns, weights, index_return).dropna(), returns, weights, index_return


def mega_cap_view(prices: pd.DataFrame, index_level: pd.Series, shares: pd.DataFrame,
                  labels: dict[str, str], window: DateWindow) -> View:
    """Contribution of each mega cap and of the rest to the index return over the window.

    Rows: one per mega cap (in ``labels`` order), ``OTHERS_LABEL``, ``INDEX_LABEL`` (the
    total). Columns: ``contribution_pp`` (percentage points of the index return; the parts
    sum to the total), ``weight_start_pct`` (weight at the close before the window) and
    ``return_pct`` (own compounded return over the window). The window starts no earlier
    than the first day with a count for every mega cap.
    """
    members = list(labels)
    level = index_level.dropna()
    if level.loc[: pd.Timestamp(SP500_TOTAL_MCAP_DATE)].empty:
        return View(pd.DataFrame(), "The mega-cap weights are anchored on the S&P 500's total market cap of "
                    f"{SP500_TOTAL_MCAP_DATE:%Y-%m-%d}, but the S&P 500 data starts after it"
                    f"{f' ({day_text(level.index[0])})' if len(level) else ''}.")
    known, returns, weights, index_return = daily_contributions(prices, index_level, shares, members)
    usable = window.clip(known)
    if len(usable) < 2:
        return no_data(known)
    # Like the rebased charts, the window runs from the close of its first day to its last:
    # the first day is the base, its close weights are the ones the next day's return uses.
    base, parts = usable.index[0], usable.iloc[1:]
    dates = parts.index
    summed = window_contributions(parts, index_return)
    total = window_total_return(index_return.loc[dates])
    before = weights.loc[base]
    own = [window_total_return(returns.loc[dates, k]) for k in members]
    rest = window_total_return(rest_return(returns, weights, index_return).loc[dates])
    frame = pd.DataFrame(
        {
            "contribution_pp": [*summed[members], summed[REST], total],
            "weight_start_pct": [*before[members], 1.0 - before[members].sum(), 1.0],
            "return_pct": [*own, rest, total],
        },
        index=pd.Index([*(labels[k] for k in members), OTHERS_LABEL, INDEX_LABEL], name="part"),
    ) * PERCENT
    mega_pp = frame["contribution_pp"].iloc[: len(members)].sum()
    total_pct = total * PERCENT
    share = (
        f" — {mega_pp / total_pct:.0%} of it" if abs(total_pct) >= MIN_TOTAL_FOR_SHARE_PCT else ""
    )
    late = window.start is not None and base - pd.Timestamp(window.start) > LATE_START
    starts = f" (share counts for all seven start {day_text(base)})" if late else ""
    takeaway = (
        f"From {day_text(base)} to {day_text(dates[-1])} the S&P 500 returned {total_pct:+.1f}%; the seven "
        f"mega caps contributed {mega_pp:+.1f} pp{share}, the other 493 "
        f"{frame.loc[OTHERS_LABEL, 'contribution_pp']:+.1f} pp{starts}."
    )
    return View(frame, takeaway, base, dates[-1])


def rotation_view(sectors: pd.DataFrame, benchmark: pd.Series, label: str, names: dict[str, str]) -> View:
    """Each sector's return minus SPY's over the last ``WINDOWS[label]`` trading days (pp)."""
    board = sector_scoreboard(sectors, benchmark, WINDOWS[label]).dropna(subset=["relative_pp"])
    if board.empty:
        return EMPTY
    board.index.name = "sector"
    board.insert(0, "name", [names[k] for k in board.index])
    beating, with_data = sectors_beating(board)
    best, worst = board.index[0], board.index[-1]
    takeaway = (
        f"{beating} of {with_data} sectors beat SPY over the last {label} (to {day_text(board['end'].max())}); "
        f"best {names[best]}, {signed(board.loc[best, 'relative_pp'], ' pp')}; "
        f"worst {names[worst]}, {signed(board.loc[worst, 'relative_pp'], ' pp')}."
    )
    return View(board, takeaway, board["start"].min(), board["end"].max())


def baskets_label() -> str:
    """"Cyclicals (XLI …) / defensives (XLU …)", from the baskets' catalogue symbols."""
    cyclical, defensive = (" ".join(symbols(keys).values()) for keys in (CYCLICALS, DEFENSIVES))
    return f"Cyclicals ({cyclical}) / defensives ({defensive})"


def cyclicals_view(sectors: pd.DataFrame, window: DateWindow) -> View:
    """Cyclicals (XLI XLF XLE XLB XLY) vs defensives (XLU XLP XLV), 100 at the window start."""
    baskets = sectors[list(BASKET_KEYS)]
    frame = cyclicals_vs_defensives(window.clip(baskets)).to_frame("cyclicals_vs_defensives")
    if len(frame) < 2:
        return no_data(baskets.dropna())
    change = frame.iloc[-1, 0] - 100.0
    recent = recent_change(cyclicals_vs_defensives(baskets), window)
    leader = direction(change, "cyclicals led", "defensives led", "neither basket led")
    takeaway = (
        f"{sentence_start(span_words(window))} {leader} ({signed(change)}); over the last {RECENT} the ratio moved "
        f"{signed(recent)}, to {day_text(frame.index[-1])}."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


def sector_drill_view(sector: pd.Series, benchmark: pd.Series, name: str, window: DateWindow) -> View:
    """One sector and SPY rebased to 100 at the window start, and their relative strength."""
    full = on_common_dates(sector, benchmark)
    pair = window.clip(full)
    if len(pair) < 2:
        return no_data(full)
    frame = rebase(pair)
    frame["rs"] = relative_strength(pair.iloc[:, 0], pair.iloc[:, 1])
    change = frame["rs"].iloc[-1] - 100.0
    verb = direction(change, "beat", "lagged", "matched")
    takeaway = (
        f"{name} {verb} SPY {span_words(window)}: {frame.iloc[-1, 0] - 100:+.1f}% vs {frame.iloc[-1, 1] - 100:+.1f}% "
        f"(RS {signed(change)}), to {day_text(frame.index[-1])}."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


@dataclass(frozen=True)
class RateShareView:
    """``rate_share`` on the window, the bars it draws, and a takeaway."""

    fit: RateShare
    frame: pd.DataFrame  # rows: total and its parts, column contribution_pct
    takeaway: str
    start: pd.Timestamp  # the close the window's returns run from


def rate_share_view(equal: pd.Series, nominal: pd.Series, real: pd.Series, window: DateWindow) -> RateShareView | None:
    """OLS of RSP daily log returns on ΔDGS10 and ΔDFII10 (bp) over the window's days.

    The three levels are aligned on common dates first, then differenced, so a return over
    a bond-market holiday folds into the next common day (the ``rate_share`` docstring).
    The returns run from the window's first common close to its last, like the rebased charts.
    """
    levels = window.clip(on_common_dates(equal, nominal, real))
    daily = pd.DataFrame({
        "r": log_returns(levels.iloc[:, 0]),
        "d_nominal_bp": change_bp(levels.iloc[:, 1]),
        "d_real_bp": change_bp(levels.iloc[:, 2]),
    }).dropna()
    fit = rate_share(daily["r"], daily["d_nominal_bp"], daily["d_real_bp"], len(daily))
    if fit.start is None:
        return None
    start = levels.index[0]  # the base close: the first return runs from it
    nominal_pp = fit.beta_nominal_bp * fit.d_nominal_bp * PERCENT
    real_pp = fit.beta_real_bp * fit.d_real_bp * PERCENT
    frame = pd.DataFrame(
        {"contribution_pct": [nominal_pp, real_pp, fit.total_return_pct - fit.explained_pct, fit.total_return_pct],
         "yield_change_bp": [fit.d_nominal_bp, fit.d_real_bp, np.nan, np.nan]},
        index=pd.Index([f"10y nominal yield ({fit.d_nominal_bp:+.0f} bp)", f"10y real yield ({fit.d_real_bp:+.0f} bp)",
                        "Not explained by yields", "RSP log return"], name="part"),
    )
    fitness = "yields explain little of the daily moves" if fit.r2 < LOW_R2 else "yields explain a fair part of the daily moves"
    takeaway = (
        f"From {day_text(start)} to {day_text(fit.end)} RSP returned {fit.total_return_pct:+.1f}% (log); the 10-year "
        f"nominal and real yield moves account for {fit.explained_pct:+.1f} pp, a rate share of "
        f"{fit.rate_share:.0%} (R² {fit.r2:.2f}: {fitness})."
    )
    return RateShareView(fit, frame, takeaway, start)
