"""Common transforms shared by every view (ANALYTICS.md, "Common transforms")."""

from __future__ import annotations

import numpy as np
import pandas as pd


def rebase(x: pd.Series | pd.DataFrame, base: float = 100.0) -> pd.Series | pd.DataFrame:
    """Rebase to ``base`` at the first date where every column has a value.

    Formula: y_t = base · x_t / x_{t0}, t0 = first common date (all columns non-NaN).
    Units: index points (``base`` = the value at t0). Rows before t0 are dropped so all
    lines start together. Empty input, or no common date, returns an empty object of the
    same kind. NaN inside the range stays NaN (no gap filling).
    """
    frame = x.to_frame() if isinstance(x, pd.Series) else x
    complete = frame.dropna(how="any")
    if complete.empty:
        return x.iloc[0:0].astype(float)
    start = complete.index[0]
    out = frame.loc[start:].astype(float) / complete.iloc[0].astype(float) * base
    return out.iloc[:, 0].rename(x.name) if isinstance(x, pd.Series) else out


PERCENT = 100.0  # a decimal of 1 is 100 percent
BP_PER_PERCENTAGE_POINT = 100.0
MONTHS_PER_YEAR = 12
DAYS_PER_YEAR = 365.25  # calendar days, leap years included
DAYS_PER_MONTH = DAYS_PER_YEAR / MONTHS_PER_YEAR  # 30.44: a span in days as months


def value_months_ago(x: pd.Series | pd.DataFrame, months: int) -> pd.Series | pd.DataFrame:
    """The observation dated exactly ``months`` calendar months before each date.

    Formula: out_t = x_{t − months}, matched BY DATE (``t − pd.DateOffset(months=months)``),
    never by row count, so a missing month (e.g. October 2025, not published during the
    shutdown) gives NaN instead of silently pairing the wrong months. Month-end clipping
    (31 Mar − 1 month = 28/29 Feb) can map two source dates onto one; the earlier one wins.
    Units: those of ``x``. Returned on ``x``'s index. Empty input returns an empty copy;
    NaN in the source stays NaN.
    """
    shifted = x.copy()
    shifted.index = x.index + pd.DateOffset(months=months)
    shifted = shifted[~shifted.index.duplicated(keep="first")]
    return shifted.reindex(x.index)


def annualised_pct(x: pd.Series | pd.DataFrame, months: int) -> pd.Series | pd.DataFrame:
    """k-month change of a level, annualised, in percent.

    Formula: ((x_t / x_{t−k})^(12/k) − 1)·100, with x_{t−k} the observation dated exactly k
    calendar months earlier (see ``value_months_ago``; missing → NaN). Units: percent per
    year. Empty input returns an empty float object; NaN or a missing earlier month → NaN.
    """
    if months <= 0:
        raise ValueError("months must be a positive number of calendar months")
    earlier = value_months_ago(x, months)
    return ((x / earlier) ** (MONTHS_PER_YEAR / months) - 1.0) * PERCENT


def yoy_pct(x: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Year-over-year change in percent: (x_t / x_{t−12 months} − 1)·100, matched by date.

    The 12-month case of ``annualised_pct`` (the exponent is 1). The earlier observation
    must be dated exactly 12 calendar months before; if it is missing the result is NaN.
    Empty input returns an empty float object; NaN propagates.
    """
    return annualised_pct(x, MONTHS_PER_YEAR)


def log_returns(x: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Log return between consecutive observations: r_t = ln(x_t) − ln(x_{t−1}).

    Units: natural-log points (×100 ≈ percent for small moves). Consecutive means the
    previous row, whatever its date (daily prices skip weekends). The first row is NaN;
    non-positive or NaN levels give NaN. Empty input returns an empty float object.
    """
    logs = np.log(x.where(x > 0).astype(float))
    return logs.diff()


def change_bp(x: pd.Series | pd.DataFrame) -> pd.Series | pd.DataFrame:
    """Change of a rate between consecutive observations in basis points: Δy_t·100.

    Input in percent (e.g. DGS2 = 4.19); output in bp. First row NaN; NaN propagates.
    Empty input returns an empty float object.
    """
    return x.astype(float).diff() * BP_PER_PERCENTAGE_POINT


def asof_align(target_index: pd.Index, series: pd.Series, lag_days: int = 0) -> pd.Series:
    """Value of ``series`` known on each target date, with no look-ahead.

    For each date t in ``target_index`` returns the last non-NaN observation dated on or
    before t − ``lag_days`` (calendar days), else NaN. FRED dates a monthly observation at
    the START of its month (June core PCE is ``2026-06-01``) although it is published weeks
    later, so pass a publication lag (e.g. ~60 days for PCE) when the question is "what
    could one know on that day". Units: those of ``series``. Returns a float Series on
    ``target_index`` (named like ``series``); empty target → empty Series, empty or all-NaN
    series → all NaN.
    """
    target = pd.DatetimeIndex(target_index)
    known = series.dropna()
    available_from = known.index + pd.Timedelta(days=lag_days)
    position = available_from.searchsorted(target, side="right") - 1
    out = np.full(len(target), np.nan)
    found = position >= 0
    out[found] = known.to_numpy(dtype=float)[position[found]]
    return pd.Series(out, index=target_index, name=series.name, dtype=float)
