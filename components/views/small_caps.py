"""View of the Small-cap barometer (``/small-caps``): data in (already loaded), views out.

Each ``*_view`` returns the exact frame a chart plots (also its CSV), the dates it covers and
a one-line takeaway computed from that data. Formulas live in ``analytics``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.breadth import (
    BETA_STEP_BP,
    BETA_WINDOWS,
    drawdown_from_high,
    record_highs,
    relative_rate_beta,
    relative_strength,
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
from components.views.common import (
    EMPTY,
    RECENT,
    RECENT_OBS,
    View,
    day_text,
    direction,
    no_data,
    on_common_dates,
    recent_change,
    signed,
    span_words,
    window_rows,
)
from data_sources.catalogue import Key

INDEX_KEYS = (Key.rut, Key.spx)
RATE_KEYS = (Key.rut, Key.spx, Key.t_2y)
SPECULATION_KEYS = (Key.iwm, Key.ijr, Key.arkk, Key.spy, Key.hy_spread)
# Duration lab: discount rate (percent) and cut sizes (bp) a person can choose.
RATE_MIN, RATE_MAX, RATE_DEFAULT, RATE_STEP = 4.0, 12.0, 8.0, 0.25
CUT_CHOICES_BP = ("25", "50", "100")
GORDON_GROWTH_PCT = NEAR_TERM_GROWTH * PERCENT  # the mature firm's growth, for D = 1/(r − g)
NEAR_TERM_LABEL = "Near-term profits (mature firm)"
FAR_FUTURE_LABEL = "Far-future profits (growth firm)"
BETA_WINDOW_CHOICES = tuple(str(w) for w in BETA_WINDOWS.values())
BETA_WINDOW_DEFAULT = BETA_WINDOW_CHOICES[0]
# Names of the series this page derives (catalogue series are named by the catalogue).
DERIVED_NAMES = {
    "rs": "Russell 2000 / S&P 500",
    "iwm_ijr": "IWM / IJR (unprofitable vs profitable)",
    "arkk_spy": "ARKK / SPY (speculative growth)",
    "hy_spread_pct": "High-yield spread",
}


def relative_strength_view(small: pd.Series, large: pd.Series, window: DateWindow) -> View:
    """Both indices rebased to 100 at the window start, and RS = small / large (100 at start)."""
    full = on_common_dates(small, large)
    pair = window.clip(full)
    if len(pair) < 2:
        return no_data(full)
    frame = rebase(pair)
    frame["rs"] = relative_strength(pair[small.name], pair[large.name])
    change = frame["rs"].iloc[-1] - 100.0
    recent = recent_change(full.iloc[:, 0] / full.iloc[:, 1], window)
    verb = direction(change, "outperformed", "underperformed", "kept pace with")
    recent_text = direction(recent, "gaining ground", "losing ground", "flat")
    takeaway = (
        f"Small caps {verb} large caps {span_words(window)} (RS {signed(change)}); over the last {RECENT} "
        f"RS moved {signed(recent)} ({recent_text}), to {day_text(frame.index[-1])}."
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
    where = "at a record" if last == 0 else f"{abs(last):.1f}% below its all-time high of {level[high_date]:,.0f} ({day_text(high_date)})"
    latest = f", the latest on {day_text(records[-1])}" if len(records) else ""
    takeaway = f"On {day_text(frame.index[-1])} the Russell 2000 closed {where}; {len(records)} new record closes {span_words(window)}{latest}."
    return View(frame, takeaway, frame.index[0], frame.index[-1])


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
    frame = window_rows(pd.DataFrame(columns), window)
    if frame.empty:
        return EMPTY
    last = frame.ffill().iloc[-1]
    parts = [
        f"{signed(last[beta_column(obs)], '%', 2)} over {obs} days (correlation {last[corr_column(obs)]:+.2f})"
        for obs in BETA_WINDOWS.values()
    ]
    takeaway = (
        f"On {day_text(frame.index[-1])}, a +{BETA_STEP_BP:.0f} bp rise in the 2-year yield came with small "
        f"caps moving {' and '.join(parts)} against large caps."
    )
    return View(frame, takeaway, frame.index[0], frame.index[-1])


def rate_scatter_view(small: pd.Series, large: pd.Series, yield_pct: pd.Series, window_obs: int, end) -> View:
    """The last ``window_obs`` daily pairs up to ``end``: ΔDGS2 (bp) vs Δln(small/large) (%),
    with the OLS fit line of that same window (its slope is the rolling β on ``end``)."""
    levels = on_common_dates(small, large, yield_pct).loc[: pd.Timestamp(end)]
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
        f"Over the {window_obs} trading days to {day_text(points.index[-1])}: "
        f"{signed(fit['beta_per_10bp_pct'], '%', 2)} relative return per +{BETA_STEP_BP:.0f} bp, "
        f"correlation {fit['corr']:+.2f} (R² {fit['corr'] ** 2:.2f})."
    )
    return View(points, takeaway, points.index[0], points.index[-1])


def speculation_view(
    unscreened: pd.Series, screened: pd.Series, spec_growth: pd.Series, benchmark: pd.Series,
    hy_spread: pd.Series, window: DateWindow,
) -> View:
    """IWM/IJR and ARKK/SPY (100 at the window start) with the high-yield spread (%), and a
    reading of the last ``RECENT`` months: ratio change and spread change to the latest data."""
    full = on_common_dates(unscreened, screened)
    pair = window.clip(full)
    if len(pair) < 2:
        return no_data(full)
    growth = window.clip(on_common_dates(spec_growth, benchmark))
    frame = pd.DataFrame({
        "iwm_ijr": relative_strength(pair.iloc[:, 0], pair.iloc[:, 1]),
        "arkk_spy": relative_strength(growth.iloc[:, 0], growth.iloc[:, 1]) if len(growth) else np.nan,
        "hy_spread_pct": window.clip(hy_spread.dropna()),
    })
    ratio = (full.iloc[:, 0] / full.iloc[:, 1]).loc[: pd.Timestamp(window.end)]
    ratio_change = recent_change(ratio, window)
    hy = hy_spread.dropna().loc[: pd.Timestamp(window.end)]
    since = ratio.index[-1 - RECENT_OBS] if len(ratio) > RECENT_OBS else ratio.index[0]
    hy_change_bp = (hy.iloc[-1] - hy.loc[:since].iloc[-1]) * BP_PER_PERCENTAGE_POINT if not hy.loc[:since].empty else np.nan
    takeaway = (
        f"Over the last {RECENT}, IWM/IJR moved {signed(ratio_change)} (to {day_text(ratio.index[-1])}) and "
        f"the high-yield spread {signed(hy_change_bp, ' bp', 0)} to {hy.iloc[-1]:.2f}% "
        f"(to {day_text(hy.index[-1])}): {speculation_reading(ratio_change, hy_change_bp)}."
    )
    return View(frame.dropna(how="all"), takeaway, frame.index[0], frame.index[-1])


def speculation_reading(ratio_change_pct: float, spread_change_bp: float) -> str:
    """Words for the two signals: money-losing small caps leading, credit easing."""
    leading = direction(ratio_change_pct, "up", "down", "flat")
    credit = direction(spread_change_bp, "wider", "tighter", "flat")
    if leading == "up" and credit != "wider":
        return "unprofitable small caps lead and credit agrees, so speculation is building"
    if leading == "down" and credit != "tighter":
        return "profitable small caps lead and credit is not easing, so speculation is fading"
    if leading == "up":
        return "unprofitable small caps lead but credit spreads widen, a signal credit does not confirm"
    if leading == "down":
        return "profitable small caps lead while credit eases, a mixed signal"
    return "no clear lead between unprofitable and profitable small caps"


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
