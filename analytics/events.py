"""Macro days: the event study (ANALYTICS.md, "Macro days").

On the days the cost of capital is repriced by scheduled news (FOMC statements, CPI, the jobs
report, PCE), does the 2-year yield move, and do stocks move against it? An event's trading day
is the first trading day on or after its announcement; the reaction is the OLS slope of the
day's stock return on the day's change in the 2-year yield, over the event days:

    r_t = a + b·Δy_t + e_t,  r in % (close-to-close log return × 100), Δy in bp (close to close)
    β per +10 bp = 10·b (% per +10 bp),  ρ = corr(r, Δy)

The 95% interval is β ± 1.96·SE with White's HC3 heteroskedasticity-robust standard error
(MacKinnon and White, 1985): event days are few and some are huge (March 2020), so each squared
residual is inflated by its leverage, SE² = Σ (x_i − x̄)² e_i² / (1 − h_i)² / (Σ (x_i − x̄)²)²,
h_i = 1/n + (x_i − x̄)² / Σ (x_j − x̄)². The normal quantile (not Student's t) is used: with the
windows here (n ≥ ``MIN_EVENTS``) the two differ by under 4%.

Reference magnitude: Bernanke and Kuttner (2005), an unexpected 25 bp cut lifts the S&P 500 by
about 1%, i.e. β ≈ −0.4% per +10 bp (``REFERENCE_BETA_PER_10BP``). Their surprise is a futures
move, not the whole 2-year move, so the two are comparable in sign and order of magnitude only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.breadth import BETA_STEP_BP
from analytics.transforms import BP_PER_PERCENTAGE_POINT, PERCENT, change_bp, log_returns

Z_95 = 1.959963984540054  # two-sided 95% quantile of the standard normal
MIN_EVENTS = 10  # fewer event days than this give no β: one outlier would decide it
# Bernanke and Kuttner (2005): +1% for a 25 bp surprise cut, in % per +10 bp.
REFERENCE_CUT_BP, REFERENCE_GAIN_PCT = 25.0, 1.0
REFERENCE_BETA_PER_10BP = -REFERENCE_GAIN_PCT / REFERENCE_CUT_BP * BETA_STEP_BP
ROLLING_YEARS = 3  # rolling windows: about 24 FOMC, 36 CPI and 36 jobs days each
WINDOW_TRADING_DAYS = 10  # an event's drill-down: this many trading days before and after
INTERVAL_METHOD = "HC3-robust standard error, normal 95% quantile"


def event_trading_days(announcements, trading_days) -> pd.DatetimeIndex:
    """The trading day each announcement lands on: the first of ``trading_days`` on or after it.

    A weekend or holiday announcement maps to the next trading day (the Sunday 2020-03-15
    decision to Monday 2020-03-16). An announcement before the first trading day in view is
    dropped, not moved (its reaction happened before the data starts), and so is one after the
    last. Several announcements on one trading day give it once. Times of day are ignored.
    Returns a sorted, unique, tz-naive ``DatetimeIndex`` named ``date``; empty when nothing maps.
    """
    days = pd.DatetimeIndex(trading_days).normalize().unique().sort_values()
    news = pd.DatetimeIndex(pd.to_datetime(list(announcements))).normalize()
    if days.empty or news.empty:
        return pd.DatetimeIndex([], name="date")
    news = news[news >= days[0]]
    position = days.searchsorted(news, side="left")
    mapped = days[position[position < len(days)]]
    return pd.DatetimeIndex(mapped.unique().sort_values(), name="date")


def daily_moves(level: pd.Series, yield_pct: pd.Series) -> pd.DataFrame:
    """Close-to-close moves on the days both series have a value: ``return_pct`` = 100·Δln
    ``level`` (%) and ``change_bp`` = 100·Δ ``yield_pct`` (bp, the yield in percent).

    Both are differenced on the common days only, so a bond-market holiday never pairs a
    one-day return with a two-day yield change. The first common day is dropped (no change).
    """
    both = pd.concat([level.rename("level"), yield_pct.rename("yield")], axis=1).dropna()
    moves = pd.DataFrame({
        "return_pct": log_returns(both["level"]) * PERCENT,
        "change_bp": change_bp(both["yield"]),
    })
    return moves.iloc[1:].rename_axis("date")


@dataclass(frozen=True)
class Reaction:
    """How an asset reacted to the 2-year yield on a set of days (see the module docstring).

    ``beta_per_10bp``: % per +10 bp; ``ci_low``/``ci_high``: its 95% interval
    (``INTERVAL_METHOD``); ``corr``: Pearson correlation; ``n``: days where both moves are
    known; ``mean_abs_rate_bp``/``mean_abs_return_pct``: the average size of the moves. NaN
    (and the count) when fewer than ``MIN_EVENTS`` days or no variation in the yield.
    """

    beta_per_10bp: float
    corr: float
    n: int
    ci_low: float
    ci_high: float
    mean_abs_rate_bp: float
    mean_abs_return_pct: float

    @property
    def significant(self) -> bool:
        """Whether the 95% interval excludes zero."""
        return bool(self.ci_high < 0 or self.ci_low > 0)


def _fit(x: np.ndarray, y: np.ndarray, min_n: int = MIN_EVENTS) -> tuple[float, ...]:
    """(β per 10 bp, ρ, n, ci_low, ci_high, mean |x|, mean |y|) of y on x (no NaN in either)."""
    n = len(x)
    sizes = (float(np.mean(np.abs(x))), float(np.mean(np.abs(y)))) if n else (np.nan, np.nan)
    dx = x - x.mean() if n else x
    sxx = float(dx @ dx) if n else 0.0
    if n < min_n or sxx == 0.0:
        return (np.nan, np.nan, n, np.nan, np.nan, *sizes)
    dy = y - y.mean()
    slope = float(dx @ dy) / sxx
    residual = dy - slope * dx
    syy = float(dy @ dy)
    corr = float(dx @ dy) / np.sqrt(sxx * syy) if syy > 0 else np.nan
    leverage = 1.0 / n + dx**2 / sxx
    with np.errstate(divide="ignore", invalid="ignore"):  # h = 1 (one point alone off a line): SE infinite
        se = np.sqrt(np.sum(dx**2 * residual**2 / (1.0 - leverage) ** 2)) / sxx
    beta, half = slope * BETA_STEP_BP, Z_95 * se * BETA_STEP_BP
    return (beta, corr, n, beta - half, beta + half, *sizes)


def _pairs(asset_return_pct: pd.Series, rate_change_bp: pd.Series, days) -> pd.DataFrame:
    """The days of ``days`` where both moves are known, as columns ``y`` and ``x``."""
    frame = pd.concat([asset_return_pct.rename("y"), rate_change_bp.rename("x")], axis=1)
    frame = frame.reindex(pd.DatetimeIndex(days).intersection(frame.index))
    return frame.dropna().sort_index()


def reaction(asset_return_pct: pd.Series, rate_change_bp: pd.Series, days) -> Reaction:
    """The reaction of ``asset_return_pct`` (% per day) to ``rate_change_bp`` (bp per day) on
    ``days`` (any dates; those where either move is missing are skipped): OLS with intercept,
    β per +10 bp = slope × 10, HC3-robust 95% interval (module docstring)."""
    pairs = _pairs(asset_return_pct, rate_change_bp, days)
    return Reaction(*_fit(pairs["x"].to_numpy(), pairs["y"].to_numpy()))


REACTION_COLUMNS = ("beta_per_10bp", "corr", "n", "ci_low", "ci_high", "mean_abs_rate_bp", "mean_abs_return_pct")


def rolling_reaction(asset_return_pct: pd.Series, rate_change_bp: pd.Series, days, ends,
                     years: int = ROLLING_YEARS, min_n: int = MIN_EVENTS) -> pd.DataFrame:
    """``reaction`` over the days of ``days`` in each trailing window (end − ``years``, end],
    one row per date of ``ends`` (columns ``REACTION_COLUMNS``). A window with fewer than
    ``min_n`` usable days gives NaN β, ρ and interval (its ``n`` is still counted). Only days
    on or before each end enter its window, so a row never sees later moves."""
    pairs = _pairs(asset_return_pct, rate_change_bp, days)
    x, y, when = pairs["x"].to_numpy(), pairs["y"].to_numpy(), pairs.index
    ends = pd.DatetimeIndex(ends)
    hi = when.searchsorted(ends, side="right")
    lo = when.searchsorted(ends - pd.DateOffset(years=years), side="right")
    rows = [_fit(x[a:b], y[a:b], min_n) for a, b in zip(lo, hi)]
    return pd.DataFrame(rows, index=ends.rename("date"), columns=list(REACTION_COLUMNS)).astype({"n": int})


def event_window(levels: pd.DataFrame, day, trading_days: int = WINDOW_TRADING_DAYS) -> pd.DataFrame:
    """``levels`` (rows = trading days) from ``trading_days`` rows before ``day`` to as many
    after (fewer at the ends of the data), with a column ``offset`` = trading days from ``day``
    (0 = the event). ``day`` must be a row of ``levels``, else the result is empty."""
    day = pd.Timestamp(day)
    if day not in levels.index:
        return levels.iloc[0:0].assign(offset=pd.Series(dtype=int))
    at = levels.index.get_loc(day)
    lo, hi = max(at - trading_days, 0), min(at + trading_days + 1, len(levels))
    return levels.iloc[lo:hi].assign(offset=np.arange(lo - at, hi - at))


def yield_change_bp(levels_pct: pd.Series, base_day) -> pd.Series:
    """A yield (percent) as its change from ``base_day``'s value, in bp."""
    return (levels_pct - levels_pct.loc[pd.Timestamp(base_day)]) * BP_PER_PERCENTAGE_POINT
