"""View of the Fed path page (``/fed-path``): data in (already loaded), readings and words out.

The policy band and FOMC decisions in view, the curve's inversions, the labour-market
summary and Sahm reading, the Taylor rule's stance, and the headline metrics. The implied
path itself is shared with other pages: ``components.views.market``.
"""

from __future__ import annotations

import math

import pandas as pd

from analytics.calendar import FOMC_MEETINGS
from analytics.transforms import asof_align, change_bp
from components.controls import DateWindow
from components.views.common import CORE_PCE_YOY_NAME, last_date, last_reading, latest, metric, signed_bp
from components.views.market import BAND_KEYS, band_on
from data_sources.cache import LoadResult
from data_sources.catalogue import Key

BAND_CHART_KEYS = (Key.fed_target_lower, Key.fed_target_upper, Key.effr, Key.t_2y, Key.t_10y)
CURVE_KEYS = (Key.t_3m, Key.t_2y, Key.t_10y)
SPREAD_KEYS = (Key.spread_10y2y, Key.spread_10y3m)
LABOUR_KEYS = (Key.unrate, Key.payrolls, Key.claims, Key.sahm_realtime)
OPENINGS_KEYS = (Key.job_openings, Key.unemployed)
TAYLOR_KEYS = (Key.core_pce, Key.unrate, Key.effr, Key.fed_funds_daily)
TAYLOR_INPUTS = (Key.core_pce, Key.unrate)
DECISION_AFTER = pd.Timedelta(days=1)  # a new target range takes effect the day after the statement
# Names of the series this page derives (catalogue series are named by the catalogue).
DERIVED_NAMES = {
    "payroll_change_3m_avg": "Payrolls, 3-month average change",
    "claims_4wk_avg": "Initial claims, 4-week average",
    "sahm_rule": "Sahm rule (ours)",
    "openings_per_unemployed": "Openings per unemployed",
    "taylor_rule": "Taylor rule",
    "core_pce_yoy": CORE_PCE_YOY_NAME,
    "taylor_gap": "Policy rate − rule",
}


def fomc_decisions(upper: pd.Series | None, start, end) -> pd.DataFrame:
    """FOMC statement days in [start, end] with the upper bound after and the decision.

    The change is the upper bound on the day after the statement minus the statement day's
    (in bp); meetings whose following day is not in the data yet are left out; without the
    upper bound (None) there are no decisions to read.
    """
    known = upper.dropna() if upper is not None else pd.Series(dtype=float)
    rows = []
    for meeting in FOMC_MEETINGS:
        after = meeting + DECISION_AFTER
        if not (pd.Timestamp(start) <= meeting <= pd.Timestamp(end)) or known.empty or known.index[-1] < after:
            continue
        levels = asof_align(pd.DatetimeIndex([meeting, after]), known)
        move = float(change_bp(levels).iloc[-1])
        decision = "hike" if move > 0 else "cut" if move < 0 else "hold"
        rows.append({"meeting": meeting, "upper": float(levels.iloc[-1]), "change_bp": move, "decision": decision})
    return pd.DataFrame(rows, columns=["meeting", "upper", "change_bp", "decision"])


def days_inverted(spread: pd.Series) -> tuple[int, int]:
    """(days with the spread below zero, days with a reading) in ``spread``."""
    known = spread.dropna()
    return int((known < 0).sum()), len(known)


def band_takeaway(result: LoadResult) -> str:
    """Where the 2-year yield and EFFR sit relative to the target range."""
    lower, upper = band_on(result, None)
    y2, effr = latest(result.series.get("t_2y")), latest(result.series.get("effr"))
    if math.isnan(upper):
        return "The target range is not available, so the yields cannot be placed against it."
    parts = [f"The target range is {lower:.2f}–{upper:.2f}%"]
    if not math.isnan(effr):
        parts.append(f"EFFR trades at {effr:.2f}%")
    if not math.isnan(y2):
        parts.append(f"the 2-year yield ({y2:.2f}%) is {signed_bp(y2 - upper)} the top of the band")
    return "; ".join(parts) + "."


def curve_takeaway(spreads: pd.DataFrame, names: dict[str, str]) -> str:
    """Latest value of each spread and the days it was inverted in the window (``names``:
    column -> label, see ``components.charts.series_names``)."""
    parts = []
    for key in spreads.columns:
        inverted, observed = days_inverted(spreads[key])
        value = latest(spreads[key])
        if observed:
            parts.append(f"{names[key]} {value:+.2f} pp, inverted on {inverted} of {observed} days")
    return ("In this window: " + "; ".join(parts) + ".") if parts else "No spread data in this window."


def sahm_takeaway(ours: pd.Series, fred: pd.Series | None, trigger: float) -> str:
    """Our Sahm reading vs the trigger, and FRED's last real-time reading."""
    value = latest(ours)
    if math.isnan(value):
        return "Not enough unemployment data in this window for the Sahm rule."
    side = "at or above" if value >= trigger else "below"
    text = f"{last_reading(ours, ' pp', 'The Sahm indicator')}, {side} the {trigger:.2f} pp recession trigger"
    if fred is not None and last_date(fred) is not None:
        text += f"; FRED's real-time reading was {latest(fred):.2f} pp in {last_date(fred):%b %Y}"
    return text + "."


def taylor_takeaway(gap: pd.Series, rule: pd.Series, r_star: float, u_star: float) -> str:
    """Latest policy rate minus the rule, said as tighter or looser."""
    value = latest(gap)
    if math.isnan(value):
        return "Not enough data to compare the policy rate with the Taylor rule."
    stance = "tighter" if value > 0 else "looser"  # gap = policy − rule
    return (
        f"With r* = {r_star:.2f}% and u* = {u_star:.2f}%, the rule gives {latest(rule):.2f}% "
        f"({last_date(rule):%b %Y}); policy is {abs(value):.2f} pp {stance} than the rule."
    )


def band_metric(result) -> dict:
    """``st.metric`` arguments for the current target range."""
    lower, upper = band_on(result, None)
    if math.isnan(lower) or math.isnan(upper):
        return {"label": "Target range", "value": "n/a", "help": "No data for the target range."}
    return {**metric("Target range", result.series.get(BAND_KEYS[1])), "value": f"{lower:.2f}–{upper:.2f}%"}


def labour_summary(unrate: pd.Series | None, payroll_avg: pd.Series | None, claims_avg: pd.Series | None,
                   window: DateWindow) -> str:
    """One line with the latest unemployment (%), payroll growth (thousands a month, 3-month
    average) and initial claims (4-week average) readings in the window, for those present."""
    readings = ((unrate, "%", "unemployment", ",.1f"),
                (payroll_avg, "k jobs a month", "payroll growth (3-month average)", ",.0f"),
                (claims_avg, " a week", "initial claims (4-week average)", ",.0f"))
    present = [last_reading(window.clip(series), units, what, fmt)
               for series, units, what, fmt in readings if series is not None]
    return ("Latest: " + "; ".join(present) + ".") if present else "No labour-market series loaded."
