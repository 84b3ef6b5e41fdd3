"""Data preparation for the Small-cap barometer and S&P 500 hybrid pages (no layout).

Picks, aligns and clips loaded series so the pages only wire: each ``*_view`` returns the
exact frame a chart plots (also its CSV), the dates it covers and a one-line takeaway
computed from that data. Formulas live in ``analytics``; what is here is choosing inputs,
windows and words.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.breadth import (
    BETA_STEP_BP,
    BETA_WINDOWS,
    CYCLICALS,
    DEFENSIVES,
    WINDOWS,
    cap_minus_equal,
    cyclicals_vs_defensives,
    drawdown_from_high,
    record_highs,
    relative_rate_beta,
    relative_strength,
    sector_scoreboard,
    sectors_beating,
    trailing_return_pct,
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
from analytics.rates import (
    FAR_FUTURE_PROFITS,
    NEAR_TERM_GROWTH,
    NEAR_TERM_PROFITS,
    cut_gain,
    gordon_duration,
    present_value,
)
from analytics.transforms import BP_PER_PERCENTAGE_POINT, PERCENT, change_bp, log_returns, rebase
from components.controls import DateWindow
from components.loaders import specs
from data_sources.cache import LoadResult
from data_sources.shares import SHARES_ENV, ShareCounts, load_share_counts

# Anchor of the mega-cap weights: the S&P 500's total market cap on one published date.
# Sum of the full (not float-adjusted) market caps of the 503 constituents on 2024-12-13,
# Polygon.io snapshot in github dougdesigner/mags data/market_data.json
# (``sp500_details.total_market_cap``; ../shared/data/shares/other/mags_market_data_2024-12-13.json).
SP500_TOTAL_MCAP_USD = 56_560_392_349_612.0
SP500_TOTAL_MCAP_DATE = dt.date(2024, 12, 13)
WEIGHTS_APPROXIMATION = (
    "Weights ≈ price × shares outstanding ÷ S&P 500 total cap, the total scaled from its "
    f"{SP500_TOTAL_MCAP_DATE:%Y-%m-%d} value (503 constituents, Polygon) by the index level. "
    "Full caps, not the index's float-adjusted weights; adjusted closes include dividends, "
    "^GSPC does not (the gap lands in “Other 493”)."
)
SHARES_HELP = (
    f"Share counts are needed for market-cap weights. Live, they come from Yahoo Finance; offline, "
    f"from shares/shares_outstanding.csv in the snapshot folder, or from the tidy CSV named by "
    f"{SHARES_ENV} (e.g. `{SHARES_ENV}=../shared/data/shares/shares_outstanding.csv`)."
)
OTHERS_LABEL = "Other 493"
INDEX_LABEL = "S&P 500"

RECENT = "3M"  # "what it means now": the recent stretch every takeaway compares with
RECENT_OBS = WINDOWS[RECENT]
EQUAL_TOLERANCE_PCT = 0.05  # moves smaller than this (in % or pp) read as "flat"
MIN_TOTAL_FOR_SHARE_PCT = 0.5  # below this index return a "share of the return" means little
LOW_R2 = 0.2  # below this, yields explain little of the daily moves
# A window whose first usable day is later than this after its requested start says so.
LATE_START = pd.Timedelta(days=7)

# Duration lab: discount rate (percent) and cut sizes (bp) a person can choose.
RATE_MIN, RATE_MAX, RATE_DEFAULT, RATE_STEP = 4.0, 12.0, 8.0, 0.25
CUT_CHOICES_BP = ("25", "50", "100")
GORDON_GROWTH_PCT = NEAR_TERM_GROWTH * PERCENT  # the mature firm's growth, for D = 1/(r − g)
NEAR_TERM_LABEL = "Near-term profits (mature firm)"
FAR_FUTURE_LABEL = "Far-future profits (growth firm)"

ROTATION_WINDOWS = tuple(WINDOWS)
ROTATION_DEFAULT = RECENT
BETA_WINDOW_CHOICES = tuple(str(w) for w in BETA_WINDOWS.values())
BETA_WINDOW_DEFAULT = BETA_WINDOW_CHOICES[0]


@dataclass(frozen=True)
class View:
    """What one chart shows: its frame (also the CSV), the dates covered and a takeaway."""

    frame: pd.DataFrame
    takeaway: str
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None

    @property
    def empty(self) -> bool:
        return self.frame.dropna(how="all").empty


EMPTY = View(pd.DataFrame(), "Not enough data in this date range.")


def no_data(available: pd.DataFrame | pd.Series) -> View:
    """The empty view, saying where the chart's data ends when it ends before the range."""
    if len(available) == 0:
        return EMPTY
    return View(pd.DataFrame(), f"Not enough data in this date range: this chart's data ends {_day(available.index[-1])}.")


def has_all(result: LoadResult, keys) -> bool:
    """Whether every one of ``keys`` loaded with data (the load shows banners for the rest)."""
    return all(k in result.series for k in keys)


def view_of(result: LoadResult, keys, build, *args, missing=EMPTY):
    """``build(*series of keys, *args)`` when every key loaded, else ``missing``."""
    return build(*series_of(result, keys), *args) if has_all(result, keys) else missing


def series_of(result: LoadResult, keys) -> tuple[pd.Series, ...]:
    """The loaded series of ``keys``, in that order."""
    return tuple(result.series[k] for k in keys)


def _day(stamp) -> str:
    return f"{pd.Timestamp(stamp):%Y-%m-%d}"


def _span(window: DateWindow) -> str:
    """The window in words: "over the last 3Y", "over all history", "over 2024-01-02 to ..."."""
    return f"over the {window.label}" if window.label.startswith("last") else f"over {window.label}"


def _sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def _signed(value: float, unit: str = "%", digits: int = 1) -> str:
    return f"{value:+.{digits}f}{unit}" if not math.isnan(value) else "n/a"


def _direction(value: float, up: str, down: str, flat: str) -> str:
    if math.isnan(value) or abs(value) < EQUAL_TOLERANCE_PCT:
        return flat
    return up if value > 0 else down


def _common(*series: pd.Series) -> pd.DataFrame:
    """The series side by side on the dates where all have a value."""
    return pd.concat(series, axis=1, join="inner", sort=True).dropna()


def _window_view(frame: pd.DataFrame, window: DateWindow) -> pd.DataFrame:
    return window.clip(frame).dropna(how="all")


def _recent_change(level: pd.Series, window: DateWindow) -> float:
    """% change of ``level`` over the last ``RECENT`` months up to the window's end (full
    history, so a short window still gets its reading)."""
    return trailing_return_pct(level.loc[: pd.Timestamp(window.end)], RECENT_OBS)


def symbols(keys) -> dict[str, str]:
    """Catalogue key -> the source's symbol (``xle`` -> ``XLE``), for short chart labels."""
    catalogue = specs()
    return {k: catalogue[k].source_id for k in keys}


def labels(keys) -> dict[str, str]:
    """Catalogue key -> its label (``xle`` -> ``Energy sector (SPDR XLE)``)."""
    catalogue = specs()
    return {k: catalogue[k].label for k in keys}


def share_counts(keys) -> ShareCounts:
    """Share counts of the catalogue ``keys`` (see ``data_sources.shares``); never raises."""
    return load_share_counts(tuple(symbols(keys).values()))


# --- Small caps: relative strength and records ------------------------------------------


def relative_strength_view(small: pd.Series, large: pd.Series, window: DateWindow) -> View:
    """Both indices rebased to 100 at the window start, and RS = small / large (100 at start)."""
    full = _common(small, large)
    pair = window.clip(full)
    if len(pair) < 2:
        return no_data(full)
    frame = rebase(pair)
    frame["rs"] = relative_strength(pair[small.name], pair[large.name])
    change = frame["rs"].iloc[-1] - 100.0
    recent = _recent_change(full.iloc[:, 0] / full.iloc[:, 1], window)
    verb = _direction(change, "outperformed", "underperformed", "kept pace with")
    recent_text = _direction(recent, "gaining ground", "losing ground", "flat")
    takeaway = (
        f"Small caps {verb} large caps {_span(window)} (RS {_signed(change)}); over the last {RECENT} "
        f"RS moved {_signed(recent)} ({recent_text}), to {_day(frame.index[-1])}."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


def record_view(price: pd.Series, window: DateWindow) -> View:
    """Distance from the all-time high (of the whole history) and record closes, in the window."""
    level = price.dropna()
    if level.empty:
        return EMPTY
    frame = pd.DataFrame({"drawdown_pct": drawdown_from_high(level), "record_high": record_highs(level)})
    frame = window.clip(frame)
    if frame.empty:
        return EMPTY
    high_date = level.loc[: frame.index[-1]].idxmax()
    records = frame.index[frame["record_high"]]
    last = frame["drawdown_pct"].iloc[-1]
    where = "at a record" if last == 0 else f"{abs(last):.1f}% below its all-time high of {level[high_date]:,.0f} ({_day(high_date)})"
    latest = f", the latest on {_day(records[-1])}" if len(records) else ""
    takeaway = f"On {_day(frame.index[-1])} the Russell 2000 closed {where}; {len(records)} new record closes {_span(window)}{latest}."
    return View(frame, takeaway, frame.index[0], frame.index[-1])


# --- Small caps: rate sensitivity -----------------------------------------------------------


def beta_column(window_obs: int) -> str:
    return f"beta_{window_obs}d"


def corr_column(window_obs: int) -> str:
    return f"corr_{window_obs}d"


def rate_beta_view(small: pd.Series, large: pd.Series, yield_pct: pd.Series, window: DateWindow) -> View:
    """Rolling β (% relative return per +10 bp) and correlation for every ``BETA_WINDOWS``."""
    columns = {}
    for obs in BETA_WINDOWS.values():
        fit = relative_rate_beta(small, large, yield_pct, obs)
        columns[beta_column(obs)] = fit["beta_per_10bp_pct"]
        columns[corr_column(obs)] = fit["corr"]
    frame = _window_view(pd.DataFrame(columns), window)
    if frame.empty:
        return EMPTY
    last = frame.ffill().iloc[-1]
    parts = [
        f"{_signed(last[beta_column(obs)], '%', 2)} over {obs} days (correlation {last[corr_column(obs)]:+.2f})"
        for obs in BETA_WINDOWS.values()
    ]
    takeaway = (
        f"On {_day(frame.index[-1])}, a +{BETA_STEP_BP:.0f} bp rise in the 2-year yield came with small "
        f"caps moving {' and '.join(parts)} against large caps."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


def rate_scatter_view(small: pd.Series, large: pd.Series, yield_pct: pd.Series, window_obs: int, end) -> View:
    """The last ``window_obs`` daily pairs up to ``end``: ΔDGS2 (bp) vs Δln(small/large) (%),
    with the OLS fit line of that same window (its slope is the rolling β on ``end``)."""
    levels = _common(small, large, yield_pct).loc[: pd.Timestamp(end)]
    points = pd.DataFrame({
        "d_yield_bp": change_bp(levels.iloc[:, 2]),
        "relative_return_pct": log_returns(levels.iloc[:, 0] / levels.iloc[:, 1]) * PERCENT,
    }).dropna().iloc[-window_obs:]
    if len(points) < window_obs:
        return EMPTY
    fit = relative_rate_beta(small.loc[: levels.index[-1]], large, yield_pct, window_obs).iloc[-1]
    slope = fit["beta"] * PERCENT  # % relative return per bp
    intercept = points["relative_return_pct"].mean() - slope * points["d_yield_bp"].mean()
    points["fit_pct"] = intercept + slope * points["d_yield_bp"]
    takeaway = (
        f"Over the {window_obs} trading days to {_day(points.index[-1])}: "
        f"{_signed(fit['beta_per_10bp_pct'], '%', 2)} relative return per +{BETA_STEP_BP:.0f} bp, "
        f"correlation {fit['corr']:+.2f} (R² {fit['corr'] ** 2:.2f})."
    )
    return View(points, takeaway, points.index[0], points.index[-1])


# --- Small caps: speculation gauge ------------------------------------------------------


def speculation_view(
    unscreened: pd.Series, screened: pd.Series, spec_growth: pd.Series, benchmark: pd.Series,
    hy_spread: pd.Series, window: DateWindow,
) -> View:
    """IWM/IJR and ARKK/SPY (100 at the window start) with the high-yield spread (%), and a
    reading of the last ``RECENT`` months: ratio change and spread change to the latest data."""
    full = _common(unscreened, screened)
    pair = window.clip(full)
    if len(pair) < 2:
        return no_data(full)
    growth = window.clip(_common(spec_growth, benchmark))
    frame = pd.DataFrame({
        "iwm_ijr": relative_strength(pair.iloc[:, 0], pair.iloc[:, 1]),
        "arkk_spy": relative_strength(growth.iloc[:, 0], growth.iloc[:, 1]) if len(growth) else np.nan,
        "hy_spread_pct": window.clip(hy_spread.dropna()),
    })
    ratio = (full.iloc[:, 0] / full.iloc[:, 1]).loc[: pd.Timestamp(window.end)]
    ratio_change = _recent_change(ratio, window)
    hy = hy_spread.dropna().loc[: pd.Timestamp(window.end)]
    since = ratio.index[-1 - RECENT_OBS] if len(ratio) > RECENT_OBS else ratio.index[0]
    hy_change_bp = (hy.iloc[-1] - hy.loc[:since].iloc[-1]) * BP_PER_PERCENTAGE_POINT if not hy.loc[:since].empty else np.nan
    takeaway = (
        f"Over the last {RECENT}, IWM/IJR moved {_signed(ratio_change)} (to {_day(ratio.index[-1])}) and "
        f"the high-yield spread {_signed(hy_change_bp, ' bp', 0)} to {hy.iloc[-1]:.2f}% "
        f"(to {_day(hy.index[-1])}): {speculation_reading(ratio_change, hy_change_bp)}."
    )
    return View(frame.dropna(how="all"), takeaway, frame.index[0], frame.index[-1])


def speculation_reading(ratio_change_pct: float, spread_change_bp: float) -> str:
    """Words for the two signals: money-losing small caps leading, credit easing."""
    leading = _direction(ratio_change_pct, "up", "down", "flat")
    credit = _direction(spread_change_bp, "wider", "tighter", "flat")
    if leading == "up" and credit != "wider":
        return "unprofitable small caps lead and credit agrees, so speculation is building"
    if leading == "down" and credit != "tighter":
        return "profitable small caps lead and credit is not easing, so speculation is fading"
    if leading == "up":
        return "unprofitable small caps lead but credit spreads widen, a signal credit does not confirm"
    if leading == "down":
        return "profitable small caps lead while credit eases, a mixed signal"
    return "no clear lead between unprofitable and profitable small caps"


# --- Small caps: duration lab -----------------------------------------------------------


@dataclass(frozen=True)
class DurationLab:
    """Value change of the two stylised firms for one cut, and the Gordon duration."""

    frame: pd.DataFrame  # rows = firms; columns pv_before, pv_after, gain_pct
    duration_years: float
    gordon_gain_pct: float
    takeaway: str


def duration_lab(rate_pct: float, cut_bp: float) -> DurationLab:
    """Present values before and after a cut of ``cut_bp`` at ``rate_pct`` for both streams."""
    rows = {}
    for label, flows in ((NEAR_TERM_LABEL, NEAR_TERM_PROFITS), (FAR_FUTURE_LABEL, FAR_FUTURE_PROFITS)):
        rows[label] = {
            "pv_before": present_value(flows, rate_pct),
            "pv_after": present_value(flows, rate_pct - cut_bp / BP_PER_PERCENTAGE_POINT),
            "gain_pct": cut_gain(flows, rate_pct, cut_bp),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index.name = "firm"
    duration = gordon_duration(rate_pct, GORDON_GROWTH_PCT)
    gordon_gain = duration * cut_bp / BP_PER_PERCENTAGE_POINT  # ΔP/P ≈ −D·Δr, in %
    near, far = frame["gain_pct"]
    takeaway = (
        f"At a {rate_pct:.2f}% discount rate a {cut_bp:.0f} bp cut lifts the growth firm by {far:.1f}% "
        f"and the mature firm by {near:.1f}%: {far / near:.1f}× as much, because its profits lie further out."
    )
    return DurationLab(frame, duration, gordon_gain, takeaway)


# --- S&P 500: cap weight vs equal weight --------------------------------------------------


def gap_column(label: str) -> str:
    """Column of the rolling cap-minus-equal gap over ``label`` (a ``WINDOWS`` key), in pp."""
    return f"gap_{label}_pp"


def breadth_view(cap: pd.Series, equal: pd.Series, window: DateWindow) -> View:
    """SPY and RSP rebased (100 at the window start) and the rolling 1/3/12-month gap (pp)."""
    gauge = cap_minus_equal(cap, equal).drop(columns="ln_ratio_pct")
    full = _common(cap, equal)
    pair = window.clip(full)
    if len(pair) < 2:
        return no_data(full)
    frame = rebase(pair).join(gauge.rename(columns=gap_column), how="left")
    total_gap = frame[cap.name].iloc[-1] - frame[equal.name].iloc[-1]
    recent = frame[gap_column(RECENT)].iloc[-1]
    state = _direction(recent, "narrowing (mega caps lead)", "broadening (the average stock leads)", "steady")
    takeaway = (
        f"{_sentence_start(_span(window))} cap weight returned {frame[cap.name].iloc[-1] - 100:+.1f}% and equal weight "
        f"{frame[equal.name].iloc[-1] - 100:+.1f}% ({total_gap:+.1f} pp); the {RECENT} gap on "
        f"{_day(frame.index[-1])} is {_signed(recent, ' pp')}: the rally is {state}."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


# --- S&P 500: mega-cap contribution -----------------------------------------------------------


def mega_cap_view(prices: pd.DataFrame, index_level: pd.Series, shares: ShareCounts,
                  labels: dict[str, str], window: DateWindow) -> View:
    """Contribution of each mega cap and of the rest to the index return over the window.

    Rows: one per mega cap (in ``labels`` order), ``OTHERS_LABEL``, ``INDEX_LABEL`` (the
    total). Columns: ``contribution_pp`` (percentage points of the index return; the parts
    sum to the total), ``weight_start_pct`` (weight at the close before the window) and
    ``return_pct`` (own compounded return over the window). The window starts no earlier
    than the first day with a count for every mega cap.
    """
    members = list(labels)
    common = _common(*(prices[k] for k in members), index_level)
    caps = market_caps(common[members], shares.frame)
    weights = index_weights(caps, common[index_level.name], SP500_TOTAL_MCAP_USD, SP500_TOTAL_MCAP_DATE)
    returns = common[members].pct_change()
    index_return = common[index_level.name].pct_change()
    known = contributions(returns, weights, index_return).dropna()
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
    starts = f" (share counts for all seven start {_day(base)})" if late else ""
    takeaway = (
        f"From {_day(base)} to {_day(dates[-1])} the S&P 500 returned {total_pct:+.1f}%; the seven "
        f"mega caps contributed {mega_pp:+.1f} pp{share}, the other 493 "
        f"{frame.loc[OTHERS_LABEL, 'contribution_pp']:+.1f} pp{starts}."
    )
    return View(frame, takeaway, base, dates[-1])


# --- S&P 500: rotation --------------------------------------------------------------------


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
        f"{beating} of {with_data} sectors beat SPY over the last {label} (to {_day(board['end'].max())}); "
        f"best {names[best]}, {_signed(board.loc[best, 'relative_pp'], ' pp')}; "
        f"worst {names[worst]}, {_signed(board.loc[worst, 'relative_pp'], ' pp')}."
    )
    return View(board, takeaway, board["start"].min(), board["end"].max())


def baskets_label() -> str:
    """"Cyclicals (XLI …) / defensives (XLU …)", from the baskets' catalogue symbols."""
    cyclical, defensive = (" ".join(symbols(keys).values()) for keys in (CYCLICALS, DEFENSIVES))
    return f"Cyclicals ({cyclical}) / defensives ({defensive})"


def cyclicals_view(sectors: pd.DataFrame, window: DateWindow) -> View:
    """Cyclicals (XLI XLF XLE XLB XLY) vs defensives (XLU XLP XLV), 100 at the window start."""
    baskets = sectors[list(CYCLICALS + DEFENSIVES)]
    frame = cyclicals_vs_defensives(window.clip(baskets)).to_frame("cyclicals_vs_defensives")
    if len(frame) < 2:
        return no_data(baskets.dropna())
    change = frame.iloc[-1, 0] - 100.0
    recent = _recent_change(cyclicals_vs_defensives(baskets), window)
    leader = _direction(change, "cyclicals led", "defensives led", "neither basket led")
    takeaway = (
        f"{_sentence_start(_span(window))} {leader} ({_signed(change)}); over the last {RECENT} the ratio moved "
        f"{_signed(recent)}, to {_day(frame.index[-1])}."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


def sector_drill_view(sector: pd.Series, benchmark: pd.Series, name: str, window: DateWindow) -> View:
    """One sector and SPY rebased to 100 at the window start, and their relative strength."""
    full = _common(sector, benchmark)
    pair = window.clip(full)
    if len(pair) < 2:
        return no_data(full)
    frame = rebase(pair)
    frame["rs"] = relative_strength(pair.iloc[:, 0], pair.iloc[:, 1])
    change = frame["rs"].iloc[-1] - 100.0
    verb = _direction(change, "beat", "lagged", "matched")
    takeaway = (
        f"{name} {verb} SPY {_span(window)}: {frame.iloc[-1, 0] - 100:+.1f}% vs {frame.iloc[-1, 1] - 100:+.1f}% "
        f"(RS {_signed(change)}), to {_day(frame.index[-1])}."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


# --- S&P 500: rate-driven share of the equal-weight return ----------------------------------


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
    levels = window.clip(_common(equal, nominal, real))
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
        f"From {_day(start)} to {_day(fit.end)} RSP returned {fit.total_return_pct:+.1f}% (log); the 10-year "
        f"nominal and real yield moves account for {fit.explained_pct:+.1f} pp, a rate share of "
        f"{fit.rate_share:.0%} (R² {fit.r2:.2f}: {fitness})."
    )
    return RateShareView(fit, frame, takeaway, start)
