"""Breadth and relative strength (ANALYTICS.md, "Small-cap barometer" and "S&P 500 hybrid").

Pure functions on pandas objects. Prices are levels (index points or adjusted closes);
returns are decimals unless a name or docstring says percent (%), percentage points (pp)
or basis points (bp). Every function aligns its inputs on the dates they share and never
fills gaps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import transforms

PERCENT = 100.0
# Rolling windows in trading days (observations), named as the pages label them.
WINDOWS = {"1M": 21, "3M": 63, "12M": 252}
BETA_WINDOWS = {"3M": WINDOWS["3M"], "12M": WINDOWS["12M"]}
# Rate betas are shown per 10 bp move in the yield.
BETA_STEP_BP = 10.0
# Rotation baskets, as catalogue keys.
CYCLICALS = ("xli", "xlf", "xle", "xlb", "xly")
DEFENSIVES = ("xlu", "xlp", "xlv")


def _aligned(*series: pd.Series) -> pd.DataFrame:
    """Columns 0..k-1 on the dates where every input has a value (inner join, NaN dropped)."""
    columns = [s.astype(float) for s in series]
    frame = pd.concat(columns, axis=1, join="inner", keys=range(len(series)), sort=True)
    return frame.dropna(how="any")


def relative_strength(asset: pd.Series, benchmark: pd.Series, base: float = 100.0) -> pd.Series:
    """Relative strength RS_t = base · (A_t / B_t) / (A_t0 / B_t0).

    A = asset level, B = benchmark level, t0 = first date both have a value. Only common
    non-NaN dates are kept, so RS starts at exactly ``base``; a rising line means the asset
    outperforms. Units: index points (base at t0). Empty input or no common date gives an
    empty float Series.
    """
    pair = _aligned(asset, benchmark)
    ratio = (pair[0] / pair[1]).rename("relative_strength")
    return transforms.rebase(ratio, base)


def rolling_beta(y: pd.Series, x: pd.Series, window: int) -> pd.DataFrame:
    """Trailing OLS slope of y on x (with intercept) over ``window`` observations.

    beta_t = cov(y, x) / var(x), corr_t = cov(y, x) / (sd(y)·sd(x)), both over the
    ``window`` common observations ending at t. Units: beta is in y-units per x-unit (e.g.
    decimal log return per bp); corr is unitless. Only dates where both x and y are
    non-NaN are used (the index is those dates). ``n`` is the number of observations in the
    trailing window (capped at ``window``); beta and corr are NaN while n < window and
    where x does not vary. Empty input gives an empty frame with the three columns.
    """
    pair = _aligned(y, x)
    yy, xx = pair[0], pair[1]
    var_x = xx.rolling(window, min_periods=window).var()
    beta = yy.rolling(window, min_periods=window).cov(xx) / var_x.where(var_x > 0)
    corr = yy.rolling(window, min_periods=window).corr(xx)
    n = xx.rolling(window, min_periods=1).count()
    out = pd.DataFrame({"beta": beta, "corr": corr.where(var_x > 0), "n": n}, index=pair.index)
    out.index.name = y.index.name
    return out


def relative_rate_beta(
    asset: pd.Series, benchmark: pd.Series, yield_pct: pd.Series, window: int
) -> pd.DataFrame:
    """Rolling sensitivity of relative performance to yield changes.

    y_t = Δln(A_t / B_t) (decimal log return), x_t = Δyield_t in bp (yield in percent),
    both differenced on the dates where all three levels exist (so a holiday in one source
    never stretches a change over two days). Returns ``rolling_beta(y, x, window)`` plus
    ``beta_per_10bp_pct`` = beta · 10 · 100: the relative return in % per +10 bp.
    Empty input or no common dates gives an empty frame.
    """
    levels = _aligned(asset, benchmark, yield_pct)
    rel = transforms.log_returns(levels[0] / levels[1])
    d_bp = transforms.change_bp(levels[2])
    out = rolling_beta(rel, d_bp, window)
    out["beta_per_10bp_pct"] = out["beta"] * BETA_STEP_BP * PERCENT
    return out


def drawdown_from_high(price: pd.Series) -> pd.Series:
    """Percent below the running all-time high: DD_t = (P_t / max_{s≤t} P_s − 1) · 100.

    Sign convention: 0 at a high, negative below it (−20 = 20% below the high). The high
    is the maximum of the series as given (its first value onwards), not of any earlier
    history. NaN values stay NaN and do not reset the high. Empty input gives an empty
    float Series.
    """
    level = price.astype(float)
    return ((level / level.cummax() - 1.0) * PERCENT).rename("drawdown_pct")


def record_highs(price: pd.Series) -> pd.Series:
    """Boolean Series: True where the close is a new all-time high, P_t > max_{s<t} P_s.

    The first observation is not a record (there is nothing before it to beat); ties
    with the previous high are not records. NaN closes are False. ``price[record_highs(
    price)].index`` gives the dates. At every True, ``drawdown_from_high`` is 0.
    Empty input gives an empty bool Series.
    """
    level = price.astype(float)
    previous_high = level.cummax().ffill().shift(1)
    return (level > previous_high).rename("record_high")


def trailing_return_pct(price: pd.Series, window: int) -> float:
    """Return over the last ``window`` observations in %: (P_T / P_{T−window} − 1) · 100.

    NaN values are dropped first; NaN if fewer than window + 1 values remain.
    """
    level = price.dropna().astype(float)
    if len(level) <= window:
        return np.nan
    return (level.iloc[-1] / level.iloc[-1 - window] - 1.0) * PERCENT


def sector_scoreboard(prices: pd.DataFrame, benchmark: pd.Series, window: int) -> pd.DataFrame:
    """Per-sector return over the last ``window`` trading days and its excess over a benchmark.

    For each column i, on the dates it shares with the benchmark B (ending at their last
    common date): return_pct = (P_T / P_{T−window} − 1)·100, benchmark_pct the same for B
    on those dates, relative_pp = return_pct − benchmark_pct, beats = relative_pp > 0.
    Columns: return_pct (%), benchmark_pct (%), relative_pp (pp), beats (bool),
    start / end (dates of the two closes compared). Rows are sorted by relative_pp,
    best first; a sector with fewer than window + 1 common observations has NaN
    returns, beats False, and sorts last. Empty ``prices`` gives an empty frame.
    Use ``sectors_beating`` for the "N of M beat the benchmark" count.
    """
    rows = {}
    for key in prices.columns:
        pair = _aligned(prices[key], benchmark)
        enough = len(pair) > window
        start = pair.index[-1 - window] if enough else pd.NaT
        end = pair.index[-1] if enough else pd.NaT
        own, bench = (trailing_return_pct(pair[c], window) for c in (0, 1))
        rows[key] = {"return_pct": own, "benchmark_pct": bench, "relative_pp": own - bench,
                     "start": start, "end": end}
    board = pd.DataFrame.from_dict(rows, orient="index",
                                   columns=["return_pct", "benchmark_pct", "relative_pp", "start", "end"])
    board["beats"] = board["relative_pp"] > 0
    board = board[["return_pct", "benchmark_pct", "relative_pp", "beats", "start", "end"]]
    return board.sort_values("relative_pp", ascending=False, na_position="last")


def sectors_beating(board: pd.DataFrame) -> tuple[int, int]:
    """(N, M) from a ``sector_scoreboard``: N sectors beat the benchmark out of M with data."""
    has_data = board["relative_pp"].notna()
    return int(board.loc[has_data, "beats"].sum()), int(has_data.sum())


def equal_weight_basket(
    prices: pd.DataFrame, members: tuple[str, ...] | list[str], base: float = 100.0
) -> pd.Series:
    """Equal-weight basket, rebalanced daily: L_t = base · Π_{s≤t} (1 + mean_i r_{i,s}).

    r_{i,s} = P_{i,s} / P_{i,s−1} − 1 (simple returns: the average of simple returns is what
    an equal-weight portfolio actually earns; an average of log returns would not be).
    Only dates where every member has a price are used, so the basket's composition never
    changes. Units: index points, ``base`` on the first common date. Empty input or no
    common date gives an empty float Series.
    """
    levels = prices[list(members)].astype(float).dropna(how="any")
    # The first row has no return: the basket starts there at ``base``.
    daily = levels.pct_change().mean(axis=1).fillna(0.0)
    return ((1.0 + daily).cumprod() * base).rename("basket")


def cyclicals_vs_defensives(
    prices: pd.DataFrame,
    cyclicals: tuple[str, ...] = CYCLICALS,
    defensives: tuple[str, ...] = DEFENSIVES,
) -> pd.Series:
    """Relative strength of the cyclical basket vs the defensive basket, 100 at the start.

    RS_t = 100 · (C_t / C_t0) / (D_t / D_t0), C and D = ``equal_weight_basket`` of the
    cyclical (default XLI XLF XLE XLB XLY) and defensive (XLU XLP XLV) columns of ``prices``,
    each on the dates all its members trade, then compared on their common dates. Rising =
    cyclicals lead. Empty input gives an empty float Series.
    """
    return relative_strength(equal_weight_basket(prices, cyclicals), equal_weight_basket(prices, defensives))


def cap_minus_equal(cap: pd.Series, equal: pd.Series, windows: dict[str, int] = WINDOWS) -> pd.DataFrame:
    """Cap-weight vs equal-weight breadth gauge (e.g. SPY vs RSP).

    Column ``ln_ratio_pct`` = 100 · [ln(C_t / E_t) − ln(C_t0 / E_t0)]: cumulative cap-weight
    minus equal-weight log return since the first common date, in percent log points
    (0 at the start; rising = narrow, mega-cap-led market). One column per window label
    (e.g. "1M", "3M", "12M" for 21/63/252 trading days):
    (C_t / C_{t−w} − 1)·100 − (E_t / E_{t−w} − 1)·100 in pp, NaN for the first w rows.
    Only common non-NaN dates are used. Empty input gives an empty frame.
    """
    pair = _aligned(cap, equal)
    log_ratio = np.log(pair[0] / pair[1])
    out = pd.DataFrame({"ln_ratio_pct": (log_ratio - log_ratio.iloc[:1].sum()) * PERCENT}, index=pair.index)
    for label, w in windows.items():
        growth = pair / pair.shift(w) - 1.0
        out[label] = (growth[0] - growth[1]) * PERCENT
    out.index.name = cap.index.name
    return out
