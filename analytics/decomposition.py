"""S&P 500 hybrid decomposition (ANALYTICS.md, "S&P 500 hybrid decomposition").

Mega-cap contributions from approximate market-cap weights, the "other 493" return, the
part of a window's return explained by Treasury yields, and each mega cap's price move split
into earnings growth and multiple change. Returns are decimals unless a name says percent
(``_pct``); yield changes are in basis points (bp).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics import transforms
from analytics.breadth import BETA_STEP_BP, PERCENT

REST = "rest"
# A jump between consecutive reported share counts at least this large is a stock split
# (the largest buyback or issuance quarter of a mega cap moves the count a few percent).
SPLIT_RATIO_THRESHOLD = 1.5
# OLS of returns on intercept + two yield changes: at least one more observation than
# parameters is needed for a residual (and an R²) to exist.
RATE_REGRESSORS = 3
# The three parts of an earnings-vs-multiple split, in percent log points.
SPLIT_PARTS = ("price_pct", "eps_pct", "multiple_pct")
SHARES_COLUMNS = ("symbol", "date", "shares")


def contributions(
    returns: pd.DataFrame, weights: pd.DataFrame, index_return: pd.Series | None = None
) -> pd.DataFrame:
    """Per-member contributions to the index return: c_{i,t} = w_{i,t−1} · r_{i,t}.

    ``returns``: simple daily returns of the members (decimals), one column per member.
    ``weights``: each member's index weight at the close of each date (decimals, e.g.
    from ``index_weights``); the function lags them one period itself, so pass weights
    dated at the close they describe. Only dates and columns present in both are used;
    the first date has NaN contributions (no earlier weight).
    With ``index_return`` (simple daily return of the index, decimals) a column ``rest``
    = r_index,t − Σ_i c_{i,t} = w_rest,t−1 · r_rest,t is added, so every row sums to the
    index return exactly. NaN in any member's return or weight makes that member's
    contribution NaN and ``rest`` NaN on that date. Empty input gives an empty frame.
    Units: decimal return points of the index.
    """
    lagged, member_returns = _lagged_weights(returns, weights)
    out = lagged * member_returns
    if index_return is not None:
        total = index_return.reindex(out.index).astype(float)
        out[REST] = total - out.sum(axis=1, min_count=len(out.columns))
    return out


def _lagged_weights(returns: pd.DataFrame, weights: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(w_{i,t−1}, r_{i,t}) on the dates and members that returns and weights share."""
    members = returns.columns.intersection(weights.columns)
    dates = returns.index.intersection(weights.index)
    return weights.loc[dates, members].astype(float).shift(1), returns.loc[dates, members].astype(float)


def rest_return(returns: pd.DataFrame, weights: pd.DataFrame, index_return: pd.Series) -> pd.Series:
    """Return of the index without the members ("other 493"), simple daily, decimals.

    r_rest,t = (r_index,t − Σ_i w_{i,t−1} r_{i,t}) / (1 − Σ_i w_{i,t−1}), weights lagged
    one period as in ``contributions``. NaN where any input is NaN, on the first date,
    and where the members' weights sum to 1 (no rest). Empty input gives an empty Series.
    """
    parts = contributions(returns, weights, index_return)
    lagged, _ = _lagged_weights(returns, weights)
    rest_weight = 1.0 - lagged.sum(axis=1, min_count=len(lagged.columns))
    return (parts[REST] / rest_weight.where(rest_weight != 0)).rename("rest_return")


def window_contributions(parts: pd.DataFrame, index_return: pd.Series) -> pd.Series:
    """Aggregate daily contributions over a window so they sum to the window's total return.

    Pass the rows of the window only: the first row is the first day's return. Each day's
    contribution is scaled by the index's growth from the window start to the previous
    close, C_i = Σ_t G_{t−1} · c_{i,t}, G_{t−1} = Π_{s<t}(1 + r_index,s) (G = 1 on the first
    day). C_i is then the part's gain per 1 invested in the index at the start, and since
    Σ_i c_{i,t} = r_index,t (with the ``rest`` column), Σ_i C_i = Π_t(1 + r_index,t) − 1
    exactly (telescoping sum). Units: decimals of the window's total return. Rows with a
    NaN index return are dropped first; a NaN contribution inside the window makes that
    part NaN. Empty input gives zeros (an empty window earns nothing).
    """
    total = index_return.reindex(parts.index).astype(float)
    keep = total.notna()
    total, parts = total[keep], parts.loc[keep]
    growth_before = (1.0 + total).cumprod().shift(1).fillna(1.0)
    return parts.mul(growth_before, axis=0).sum(axis=0).where(parts.notna().all(axis=0))


def window_total_return(index_return: pd.Series) -> float:
    """Compounded total return of a window of simple daily returns: Π(1 + r_t) − 1.

    NaN returns are skipped; an empty window gives 0. Units: decimals.
    """
    return float((1.0 + index_return.dropna().astype(float)).prod() - 1.0)


def split_adjusted_shares(shares: pd.DataFrame) -> pd.DataFrame:
    """Reported share counts put on the basis of the latest count (split-adjusted).

    ``shares`` is tidy (symbol, date, shares) as reported, not split-adjusted. Per symbol,
    sorted by date: a ratio q = s_t / s_{t−1} ≥ 1.5 between consecutive counts is a
    forward split of round(q):1, a ratio ≤ 1/1.5 a reverse split of 1:round(1/q).
    Each count is multiplied by the product of the split factors that occur after it, so
    every count is on the basis of the symbol's latest count (the basis of split-adjusted
    prices downloaded after it). Rows with NaN shares or dates are dropped; if one symbol
    has two counts on one date, the later row in the input wins. Returns the same columns
    plus ``split_factor`` (the multiplier applied), sorted by symbol and date.
    """
    tidy = shares.loc[:, list(SHARES_COLUMNS)].dropna().copy()
    tidy["date"] = pd.to_datetime(tidy["date"])
    tidy["shares"] = tidy["shares"].astype(float)
    tidy = tidy.drop_duplicates(["symbol", "date"], keep="last").sort_values(["symbol", "date"])
    ratio = tidy["shares"] / tidy.groupby("symbol")["shares"].shift(1)
    forward = np.where(ratio >= SPLIT_RATIO_THRESHOLD, np.round(ratio), 1.0)
    reverse = np.where(ratio <= 1.0 / SPLIT_RATIO_THRESHOLD, 1.0 / np.round(1.0 / ratio), 1.0)
    tidy["jump"] = forward * reverse
    # Product of the jumps strictly after each row = the row's factor to the latest basis.
    later = tidy.iloc[::-1].groupby("symbol")["jump"].cumprod().iloc[::-1]
    tidy["split_factor"] = later / tidy["jump"]
    tidy["shares"] = tidy["shares"] * tidy["split_factor"]
    return tidy.drop(columns="jump").reset_index(drop=True)


def shares_as_of(shares: pd.DataFrame, dates: pd.DatetimeIndex, columns: pd.Index) -> pd.DataFrame:
    """Split-adjusted share counts as of each date, wide (dates × ``columns``).

    Each count is used from its own date on until the next count (as-of join, no
    look-ahead: before a symbol's first count the value is NaN). The filing lag after
    the count's date is not modelled. Columns are matched to ``symbol`` case-insensitively
    (catalogue key "aapl" ↔ symbol "AAPL"); a column without counts is all NaN.
    """
    adjusted = split_adjusted_shares(shares)
    adjusted["key"] = adjusted["symbol"].str.lower()
    wide = adjusted.pivot(index="date", columns="key", values="shares")
    empty = pd.Series(dtype=float, index=pd.DatetimeIndex([]))
    return pd.DataFrame(
        {column: transforms.asof_align(dates, wide.get(str(column).lower(), empty)) for column in columns},
        index=dates,
    )


def market_caps(prices: pd.DataFrame, shares: pd.DataFrame) -> pd.DataFrame:
    """Approximate market capitalisation: mcap_{i,t} = P_{i,t} · S_{i,t} (USD).

    ``prices``: wide split-adjusted closes (columns = catalogue keys or symbols).
    ``shares``: tidy reported counts (symbol, date, shares) as in
    shares/shares_outstanding.csv; they are split-adjusted with ``split_adjusted_shares``
    and as-of joined with ``shares_as_of`` (a count applies from its date on, never
    before). Approximations: full (not float-adjusted) capitalisation; some counts are
    quarterly weighted averages, not point counts; split- and dividend-adjusted closes
    understate past raw prices by the dividends paid since. NaN where the price or an
    earlier count is missing. Empty input gives an empty frame.
    """
    counts = shares_as_of(shares, prices.index, prices.columns)
    return prices.astype(float) * counts


def index_weights(
    mcaps: pd.DataFrame, index_level: pd.Series, anchor_total_mcap: float, anchor_date,
    anchor_level: float | None = None,
) -> pd.DataFrame:
    """Index weights from market caps and an anchored index total: w_{i,t} = mcap_{i,t} / T_t.

    T_t = anchor_total_mcap · L_t / L_anchor, L = index level. Approximation: a
    cap-weighted index level is total (float-adjusted) market cap / divisor, and the
    divisor changes only with membership and share changes, so between nearby dates total
    cap ∝ index level; the error grows with the distance from the anchor date. The anchor
    must be a published total (e.g. the sum of the S&P 500 constituents' caps on a date),
    passed in by the caller. L_anchor is the level on ``anchor_date`` or, if that is not a
    trading day in ``index_level``, the last level before it (ValueError if none), unless
    ``anchor_level`` gives it: then the weights on a date depend only on data up to that date,
    which as-of views need (the anchor is a published fact, not a reading of the loaded data).
    Weights are decimals, on the dates ``mcaps`` and ``index_level`` share; NaN where a
    market cap is NaN. Empty input gives an empty frame.
    """
    level = index_level.dropna().astype(float)
    if anchor_level is None:
        before = level.loc[: pd.Timestamp(anchor_date)]
        if before.empty:
            raise ValueError(f"no index level on or before the anchor date {anchor_date}")
        anchor_level = before.iloc[-1]
    total = anchor_total_mcap * level / anchor_level
    dates = mcaps.index.intersection(total.index)
    return mcaps.loc[dates].astype(float).div(total.loc[dates], axis=0)


@dataclass(frozen=True)
class RateShare:
    """Result of ``rate_share``; every number is NaN when the window is too short."""

    n: int
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    alpha: float  # intercept, decimal return per day
    beta_nominal_bp: float  # decimal return per +1 bp in the nominal 10y yield
    beta_real_bp: float  # decimal return per +1 bp in the 10y real (TIPS) yield
    beta_nominal_10bp_pct: float  # % return per +10 bp
    beta_real_10bp_pct: float
    r2: float
    total_return_pct: float  # 100 · Σ r_t (percent log points with log returns)
    d_nominal_bp: float  # total change over the window, bp
    d_real_bp: float
    explained_pct: float  # 100 · Σ_k β_k · ΔY_k
    rate_share: float  # explained / total (unitless; NaN if total is 0)


def rate_share(returns: pd.Series, d_nominal: pd.Series, d_real: pd.Series, window: int) -> RateShare:
    """Part of a window's return explained by Treasury yields (nominal and real 10y).

    OLS over the last ``window`` common observations: r_t = α + β_N·ΔN_t + β_R·ΔR_t + ε_t,
    r = daily return (decimals; pass log returns so Σ r_t is the window's total log return,
    for simple returns use np.log1p first), ΔN = ΔDGS10 and ΔR = ΔDFII10 in bp; solved with
    numpy lstsq. R² = 1 − SSR/SST. Total = Σ r_t; explained = β_N·ΣΔN_t + β_R·ΣΔR_t;
    rate_share = explained / total (a signed ratio: > 1 or < 0 when yields explain more
    than, or against, the move). Inputs are aligned on common dates with NaN dropped, so
    build all three from levels aligned first (a stock return on a bond-market holiday
    would otherwise be dropped rather than folded into the next day's return).
    Too short (fewer than ``window`` common observations, or ``window`` ≤ 3, the number
    of parameters): all numbers NaN, ``n`` = observations available.
    """
    frame = pd.concat([returns, d_nominal, d_real], axis=1, join="inner", sort=True).dropna().astype(float)
    if len(frame) < window or window <= RATE_REGRESSORS:
        nan = np.nan
        return RateShare(len(frame), None, None, *([nan] * 11))
    frame = frame.iloc[-window:]
    y = frame.iloc[:, 0].to_numpy()
    design = np.column_stack([np.ones(window), frame.iloc[:, 1].to_numpy(), frame.iloc[:, 2].to_numpy()])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ coef
    sst = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float(residual @ residual) / sst if sst > 0 else np.nan
    d_nom, d_real_total = float(frame.iloc[:, 1].sum()), float(frame.iloc[:, 2].sum())
    total = float(y.sum())
    explained = coef[1] * d_nom + coef[2] * d_real_total
    step = BETA_STEP_BP * PERCENT
    return RateShare(
        n=window,
        start=frame.index[0],
        end=frame.index[-1],
        alpha=float(coef[0]),
        beta_nominal_bp=float(coef[1]),
        beta_real_bp=float(coef[2]),
        beta_nominal_10bp_pct=float(coef[1] * step),
        beta_real_10bp_pct=float(coef[2] * step),
        r2=r2,
        total_return_pct=total * PERCENT,
        d_nominal_bp=d_nom,
        d_real_bp=d_real_total,
        explained_pct=float(explained) * PERCENT,
        rate_share=float(explained / total) if total != 0 else np.nan,
    )


def trailing_contributions(parts: pd.Series, index_return: pd.Series, starts, ends) -> pd.DataFrame:
    """``window_contributions`` of one part and the index's total return for many windows at once.

    ``parts``: a part's daily contribution c_t (decimals; e.g. the sum of the seven mega caps'
    columns of ``contributions``) on the rows of a window-able frame with no NaN; ``index_return``
    on the same rows. Window k runs from its base row b = the first row dated ≥ ``starts[k]`` to
    its end row e = the last row dated ≤ ``ends[k]``; like ``window_contributions`` the base row's
    own return is not counted. With L_t = Π_{s≤t}(1 + r_s) and S_t = Σ_{s≤t} L_{s−1}·c_s:
    part = (S_e − S_b)/L_b and total = L_e/L_b − 1, the same telescoping sums in O(1) per window.
    Columns ``part``, ``total`` (decimals), ``base`` and ``end`` (dates); NaN / NaT where the
    window holds fewer than two rows. Indexed like ``ends``.
    """
    growth = (1.0 + index_return.astype(float)).cumprod().to_numpy()
    before = np.concatenate([[1.0], growth[:-1]])
    summed = np.cumsum(before * parts.astype(float).to_numpy())
    dates = parts.index
    base = dates.searchsorted(pd.DatetimeIndex(starts), side="left")
    end = dates.searchsorted(pd.DatetimeIndex(ends), side="right") - 1
    ok = (end - base >= 1) & (base < len(dates))
    b, e = np.where(ok, base, 0), np.where(ok, end, 0)
    nat = np.datetime64("NaT")
    return pd.DataFrame({
        "part": np.where(ok, (summed[e] - summed[b]) / growth[b], np.nan) if len(dates) else np.nan,
        "total": np.where(ok, growth[e] / growth[b] - 1.0, np.nan) if len(dates) else np.nan,
        "base": np.where(ok, dates.to_numpy()[b], nat) if len(dates) else nat,
        "end": np.where(ok, dates.to_numpy()[e], nat) if len(dates) else nat,
    }, index=pd.DatetimeIndex(ends))


@dataclass(frozen=True)
class EarningsSplit:
    """Result of ``earnings_vs_multiple``: a price move split into earnings and multiple.

    Changes are percent log points (100 · Δln), so price_pct = eps_pct + multiple_pct. EPS is
    TTM diluted EPS in USD per share on today's share basis; P/E = close / TTM EPS (NaN where
    EPS ≤ 0). ``start`` / ``end`` are the dates of the closes used (None without a close).
    ``reason`` is '' when every number is defined, else a sentence the page can show.
    """

    price_pct: float
    eps_pct: float
    multiple_pct: float
    eps_start: float
    eps_end: float
    pe_start: float
    pe_end: float
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    reason: str


def earnings_vs_multiple(price: pd.Series, ttm_eps: pd.Series, start, end) -> EarningsSplit:
    """Split a price move into TTM earnings growth and multiple (P/E) change.

    price_pct = 100 · ln(P_end / P_start), P = the last close on or before each date;
    eps_pct = 100 · ln(E_end / E_start), E = the last TTM EPS *known* by each date (``ttm_eps``
    is indexed by the date each value became known, e.g. ``data_sources.sec.ttm_eps``), so
    nothing filed after a date is used at it; multiple_pct = price_pct − eps_pct
    = 100 · ln(PE_end / PE_start). Pass closes split-adjusted to the EPS's share basis; with
    dividend-adjusted closes (Yahoo ``auto_adjust``) price_pct is a total return and the
    dividends (under 1 % a year for these names) land in the multiple part. NaN prices and
    EPS are skipped. Undefined parts are NaN with a ``reason``, never an exception: no close on
    or before ``start`` (everything NaN); no TTM EPS known by ``start``, or TTM EPS ≤ 0 at
    either end (log and P/E undefined; price_pct is still given). ValueError if end < start.
    """
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if end < start:
        raise ValueError(f"end {end:%Y-%m-%d} is before start {start:%Y-%m-%d}")
    first_close, p_start = _last_on_or_before(price, start)
    last_close, p_end = _last_on_or_before(price, end)
    _, eps_start = _last_on_or_before(ttm_eps, start)
    _, eps_end = _last_on_or_before(ttm_eps, end)
    price_pct = PERCENT * float(np.log(p_end / p_start))
    reason = _undefined_split_reason(start, p_start, eps_start, eps_end)
    eps_pct = np.nan if reason else PERCENT * float(np.log(eps_end / eps_start))
    return EarningsSplit(
        price_pct=price_pct,
        eps_pct=eps_pct,
        multiple_pct=price_pct - eps_pct,
        eps_start=eps_start,
        eps_end=eps_end,
        pe_start=p_start / eps_start if eps_start > 0 else np.nan,
        pe_end=p_end / eps_end if eps_end > 0 else np.nan,
        start=first_close,
        end=last_close,
        reason=reason,
    )


def _last_on_or_before(series: pd.Series, date: pd.Timestamp) -> tuple[pd.Timestamp | None, float]:
    """(date, value) of the last non-NaN observation dated on or before ``date``, else (None, NaN)."""
    known = series.dropna().loc[:date]
    if known.empty:
        return None, np.nan
    return known.index[-1], float(known.iloc[-1])


def _undefined_split_reason(start: pd.Timestamp, p_start: float, eps_start: float, eps_end: float) -> str:
    """Why eps_pct and multiple_pct are NaN ('' when they are defined)."""
    if np.isnan(p_start):
        return f"No close on or before {start:%Y-%m-%d}, so the move cannot be measured."
    if np.isnan(eps_start):
        return f"No TTM EPS had been filed by {start:%Y-%m-%d}, so the earnings part is unknown."
    not_positive = [f"at the {side} ({_signed(value)})"
                    for side, value in (("start", eps_start), ("end", eps_end)) if value <= 0]
    if not_positive:
        return f"TTM EPS was not positive {' and '.join(not_positive)}, so P/E is undefined."
    return ""


def _signed(value: float) -> str:
    """A value to the cent with a typographic minus sign (−0.12)."""
    return f"{value:.2f}".replace("-", "\u2212")


@dataclass(frozen=True)
class WeightedSplit:
    """Result of ``cap_weighted_split``: percent log points; ``covered`` = share of the members'
    starting market cap that the averages include (decimal); ``left_out`` = members without a
    defined split or a starting cap."""

    price_pct: float
    eps_pct: float
    multiple_pct: float
    covered: float
    left_out: tuple[str, ...]


def cap_weighted_split(splits: Mapping[str, EarningsSplit], start_caps: pd.Series) -> WeightedSplit:
    """Cap-weighted earnings-vs-multiple split of several companies over one window.

    X = Σ_i w_i · X_i for X in (price_pct, eps_pct, multiple_pct), w_i = mcap_i,start /
    Σ_j mcap_j,start over the members i with a defined split (eps_pct not NaN) and a positive
    starting market cap (``start_caps``, USD, indexed like ``splits``' keys, e.g. from
    ``market_caps`` at the window's start). The identity price = eps + multiple carries over.
    It is the cap-weighted average of the members' log changes, not the log return of the
    basket (they differ by a convexity term that grows with the dispersion of the moves).
    Members left out are named, with the covered share of the starting cap; with none left
    every number is NaN and covered is 0.
    """
    names = list(splits)
    parts = {part: pd.DataFrame([[getattr(splits[n], part) for n in names]], columns=names, dtype=float)
             for part in SPLIT_PARTS}
    caps = pd.DataFrame([start_caps.reindex(names).astype(float).to_numpy()], columns=names)
    averaged = weighted_parts(parts, caps).iloc[0]
    used = caps.iloc[0].gt(0) & parts["eps_pct"].iloc[0].notna()
    return WeightedSplit(
        *(float(averaged[part]) for part in SPLIT_PARTS),
        covered=float(averaged["covered"]),
        left_out=tuple(name for name in names if not used[name]),
    )


def weighted_parts(parts: Mapping[str, pd.DataFrame], caps: pd.DataFrame) -> pd.DataFrame:
    """Row by row, the cap-weighted average of each of ``SPLIT_PARTS`` (``parts``: part name ->
    rows × members, percent log points) over the members with a defined ``eps_pct`` and a
    positive cap (``caps``, USD, same shape): X_t = Σ_i w_i,t · X_i,t, w_i,t = cap_i,t / Σ_j cap_j,t
    over those members. Column ``covered``: their share of the positive caps of the row
    (decimal; 0 with none, where the parts are NaN)."""
    has_cap = caps.gt(0)
    used = caps.where(has_cap & parts["eps_pct"].notna())
    weights = used.div(used.sum(axis=1, min_count=1), axis=0)
    out = pd.DataFrame({part: parts[part].mul(weights).sum(axis=1, min_count=1) for part in SPLIT_PARTS})
    covered = used.sum(axis=1) / caps.where(has_cap).sum(axis=1)
    out["covered"] = covered.fillna(0.0)
    return out


def last_known(series: pd.Series, dates) -> tuple[np.ndarray, np.ndarray]:
    """(values, dates) of the last non-NaN observation of ``series`` dated on or before each of
    ``dates`` (NaN and NaT where there is none): the vector form of a look-up "as known then"."""
    known = series.dropna()
    position = known.index.searchsorted(pd.DatetimeIndex(dates), side="right") - 1
    found = position >= 0
    take = np.maximum(position, 0)
    values = np.where(found, known.to_numpy(dtype=float)[take], np.nan) if len(known) else np.full(len(found), np.nan)
    stamps = (np.where(found, known.index.to_numpy()[take], np.datetime64("NaT")) if len(known)
              else np.full(len(found), np.datetime64("NaT")))
    return values, stamps


def trailing_earnings_split(prices: pd.DataFrame, ttm_eps: Mapping[str, pd.Series], caps: pd.DataFrame,
                            starts, ends) -> pd.DataFrame:
    """``earnings_vs_multiple`` of each member and ``cap_weighted_split`` over them, for many
    windows at once (``starts[k]`` to ``ends[k]``), as the two would give window by window.

    ``prices``: closes, one column per member of ``ttm_eps`` (TTM EPS indexed by the date each
    value became known); ``caps``: market caps (USD) with the same columns, read at each start.
    Returns, indexed by ``ends``: the ``SPLIT_PARTS`` (cap-weighted, percent log points),
    ``covered`` (decimal), ``members`` (how many are averaged: a defined split and a positive
    cap) and ``end`` (the last
    close used, the latest over the members).
    """
    members = list(ttm_eps)
    columns = {part: {} for part in SPLIT_PARTS}
    weights, last = {}, {}
    for name in members:
        p_start, _ = last_known(prices[name], starts)
        p_end, end_dates = last_known(prices[name], ends)
        e_start, _ = last_known(ttm_eps[name], starts)
        e_end, _ = last_known(ttm_eps[name], ends)
        price_pct = PERCENT * np.log(p_end / p_start)
        defined = (e_start > 0) & (e_end > 0) & ~np.isnan(p_start)
        with np.errstate(invalid="ignore", divide="ignore"):
            eps_pct = np.where(defined, PERCENT * np.log(np.where(defined, e_end / e_start, 1.0)), np.nan)
        columns["price_pct"][name], columns["eps_pct"][name] = price_pct, eps_pct
        columns["multiple_pct"][name] = price_pct - eps_pct
        weights[name] = last_known(caps[name], starts)[0]
        last[name] = end_dates
    index = pd.DatetimeIndex(ends)
    parts = {part: pd.DataFrame(values, index=index, columns=members) for part, values in columns.items()}
    caps_at_start = pd.DataFrame(weights, index=index, columns=members)
    out = weighted_parts(parts, caps_at_start)
    out["members"] = (parts["eps_pct"].notna() & caps_at_start.gt(0)).sum(axis=1)
    out["end"] = pd.DataFrame(last, index=index, columns=members).max(axis=1)
    return out
