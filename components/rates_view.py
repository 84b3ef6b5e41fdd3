"""Data preparation for the Fed path and Inflation pages (no layout, no formulas).

Picks, aligns and labels loaded series so the pages only wire: the futures strip as the
frame ``analytics.rates.implied_path`` expects (delivery months from the catalogue's own
contract rows), the implied path now and 1 week / 1 month earlier, cuts priced with its
labelled fallbacks, FOMC decisions in view, and the one-line takeaways computed from data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from analytics.calendar import FOMC_MEETINGS
from analytics.inflation import INFLATION_TARGET
from analytics.labor import SAHM_RISING_MONTHS
from analytics.rates import (
    CUTS_HORIZON_DAYS,
    CutsPriced,
    ImpliedPath,
    cuts_priced,
    cuts_priced_crude,
    cuts_priced_from_forwards,
    implied_path,
)
from analytics.transforms import (
    BP_PER_PERCENTAGE_POINT,
    annualised_pct,
    asof_align,
    change_bp,
    value_months_ago,
    yoy_pct,
)
from components.loaders import load, specs
from data_sources.catalogue import FED_FUNDS_CONTRACT_MONTHS, fed_funds_contract

BAND_KEYS = ("fed_target_lower", "fed_target_upper")
# Treasury bills for the forward-rate fallback: catalogue key -> tenor in years.
BILL_TENORS = {"t_1m": 1 / 12, "t_3m": 0.25, "t_6m": 0.5, "t_1y": 1.0}
PATH_KEYS = (*BAND_KEYS, "effr", "t_2y")
# "How the path moved": label -> how far before the futures date.
PATH_COMPARISONS = (("1 week earlier", pd.DateOffset(weeks=1)), ("1 month earlier", pd.DateOffset(months=1)))
CURRENT_PATH_LABEL = "Now"
DECISION_AFTER = pd.Timedelta(days=1)  # a new target range takes effect the day after the statement
CUTS_EPSILON = 0.05  # fewer than this many 25 bp moves priced reads as "no change priced"

# Inflation transforms offered on the page: URL value (= button text) -> (label, function of a level).
SHORT_MONTHS, MEDIUM_MONTHS = 3, 6
TRANSFORMS = {
    "YoY": ("year over year", yoy_pct),
    "3m": (f"{SHORT_MONTHS}-month annualised", lambda x: annualised_pct(x, SHORT_MONTHS)),
    "6m": (f"{MEDIUM_MONTHS}-month annualised", lambda x: annualised_pct(x, MEDIUM_MONTHS)),
}


# --- Futures strip and the implied path ------------------------------------------------


def contract_months(as_of) -> dict[str, pd.Period]:
    """Futures keys in today's catalogue -> delivery month.

    The month is never read back out of a key: each month's row is built by the catalogue's
    own ``fed_funds_contract`` and kept only if that key is in the loaded catalogue.
    """
    in_catalogue = specs()
    first = pd.Period(pd.Timestamp(as_of), "M")
    months = (first + offset for offset in range(FED_FUNDS_CONTRACT_MONTHS))
    rows = {fed_funds_contract(m.year, m.month).key: m for m in months}
    return {key: month for key, month in rows.items() if key in in_catalogue}


def market_path_keys(as_of) -> tuple[str, ...]:
    """Every series the implied path needs (the bill fallback is loaded only when needed)."""
    return (*contract_months(as_of), *PATH_KEYS)


def futures_prices(result, months: dict[str, pd.Period]) -> pd.DataFrame:
    """Loaded contract prices as rows = dates, columns = delivery months (``pd.Period``)."""
    return result.frame(list(months)).rename(columns=months)


def latest(series: pd.Series | None, day=None) -> float:
    """Last non-NaN value on or before ``day`` (default: the last one), else NaN."""
    if series is None:
        return math.nan
    known = series.dropna()
    if day is not None:
        known = known.loc[: pd.Timestamp(day)]
    return float(known.iloc[-1]) if not known.empty else math.nan


def last_date(series: pd.Series | None) -> pd.Timestamp | None:
    """Date of the last non-NaN value, or None."""
    known = series.dropna() if series is not None else None
    return known.index[-1] if known is not None and not known.empty else None


def band_on(result, day) -> tuple[float, float]:
    """The target range (lower, upper) in force on ``day``; NaN where unknown."""
    lower, upper = (latest(result.series.get(key), day) for key in BAND_KEYS)
    return lower, upper


@dataclass(frozen=True)
class MarketPath:
    """The market-implied path, what it was earlier, and cuts priced with its method."""

    path: ImpliedPath  # empty when no futures are available
    cuts: CutsPriced
    futures_date: pd.Timestamp | None
    earlier: dict[str, ImpliedPath] = field(default_factory=dict)
    notes: tuple[str, ...] = field(default=())
    futures_keys: tuple[str, ...] = field(default=())


def market_path(result, as_of) -> MarketPath:
    """Implied path on the latest futures date, the 1 week / 1 month earlier paths that the
    data allows, and cuts priced over 12 months (futures; else bill forwards; else crude)."""
    months = contract_months(as_of)
    prices = futures_prices(result, months).dropna(how="all")
    futures_date = prices.index[-1] if not prices.empty else None
    day = futures_date if futures_date is not None else pd.Timestamp(as_of)
    path = implied_path(prices, day, *band_on(result, day))
    if path.empty:
        bills = load(BILL_TENORS)  # only now: with futures the bills are not needed
        return MarketPath(path, fallback_cuts({**result.series, **bills.series}), futures_date)
    earlier, notes = {}, []
    for label, offset in PATH_COMPARISONS:
        then_day = futures_date - offset
        then = implied_path(prices, then_day, *band_on(result, then_day))
        if then.empty:
            notes.append(
                f"No {label} comparison: the futures prices in the data start "
                f"{prices.index[0]:%Y-%m-%d}, after {then_day:%Y-%m-%d}."
            )
        else:
            earlier[f"{label} ({then_day:%Y-%m-%d})"] = then
    futures_keys = tuple(key for key in months if key in result.series)
    return MarketPath(path, cuts_priced(path), futures_date, earlier, tuple(notes), futures_keys)


def _common_bills(series: dict[str, pd.Series]) -> pd.DataFrame:
    """Bill yields on the dates where at least two tenors all have a value (else empty)."""
    present = [key for key in BILL_TENORS if key in series]
    return pd.concat([series[key] for key in present], axis=1).dropna() if len(present) >= 2 else pd.DataFrame()


def fallback_cuts(series: dict[str, pd.Series]) -> CutsPriced:
    """Cuts priced without futures: bill forwards on the last date with two or more bill
    yields, else the crude EFFR − 2-year gauge."""
    bills = _common_bills(series)
    if not bills.empty:
        day = bills.index[-1]
        yields = {BILL_TENORS[key]: float(value) for key, value in bills.iloc[-1].items()}
        return cuts_priced_from_forwards(latest(series.get("effr"), day), yields)
    return cuts_priced_crude(latest(series.get("effr")), latest(series.get("t_2y")))


def fallback_date(series: dict[str, pd.Series]) -> pd.Timestamp | None:
    """The date ``fallback_cuts`` reads: the last day with two bill yields, else EFFR's last."""
    bills = _common_bills(series)
    return bills.index[-1] if not bills.empty else last_date(series.get("effr"))


def expected_paths(market: MarketPath) -> pd.DataFrame:
    """Expected rate after each meeting (percent): one column per path, now first."""
    paths = {f"{CURRENT_PATH_LABEL} ({market.futures_date:%Y-%m-%d})": market.path, **market.earlier}
    columns = {label: p.meetings.set_index("meeting")["end"] for label, p in paths.items() if not p.empty}
    frame = pd.DataFrame(columns)
    frame.index.name = "meeting"
    return frame


def current_range_label(path: ImpliedPath) -> str:
    """Today's target range in the label style of ``ImpliedPath.probabilities`` columns."""
    return f"{path.target_lower:.2f}–{path.target_upper:.2f}"


def meeting_table(path: ImpliedPath) -> pd.DataFrame:
    """The meeting-by-meeting table shown on the page (probabilities as fractions)."""
    table = path.meetings
    most_likely = path.probabilities.idxmax(axis=1)
    return pd.DataFrame({
        "Meeting": table["meeting"].dt.date,
        "Expected rate (%)": table["end"],
        "Change vs now (bp)": table["change_bp"],
        "P(cut)": table["p_cut"],
        "P(hold)": table["p_hold"],
        "P(hike)": table["p_hike"],
        "Most likely range (%)": most_likely.to_numpy(),
        "Its probability": path.probabilities.max(axis=1).to_numpy(),
    })


# --- Policy band and FOMC decisions ------------------------------------------------------


def fomc_decisions(upper: pd.Series, start, end) -> pd.DataFrame:
    """FOMC statement days in [start, end] with the upper bound after and the decision.

    The change is the upper bound on the day after the statement minus the statement day's
    (in bp); meetings whose following day is not in the data yet are left out.
    """
    known = upper.dropna()
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


def policy_rate_key(result) -> str:
    """The actual policy rate to compare with rules: EFFR, else the long DFF series."""
    return "effr" if "effr" in result.series else "fed_funds_daily"


# --- Takeaways (one line above each chart, computed from the data) -----------------------


def signed_bp(value_pp: float) -> str:
    """A difference in percentage points as whole basis points, e.g. '35 bp above'."""
    bp = round(value_pp * BP_PER_PERCENTAGE_POINT)
    return f"{abs(bp)} bp {'above' if bp > 0 else 'below' if bp < 0 else 'level with'}"


def horizon_words(cuts: CutsPriced) -> str:
    """The horizon of a cuts-priced number in words."""
    return "the next 12 months" if cuts.horizon == f"{CUTS_HORIZON_DAYS} days" else f"the {cuts.horizon} horizon"


def signed_pp(value_pp: float) -> str:
    """A difference in percentage points, e.g. '1.3 pp above'."""
    side = "above" if value_pp > 0 else "below" if value_pp < 0 else "level with"
    return f"{abs(value_pp):.1f} pp {side}"


def cuts_sentence(cuts: CutsPriced) -> str:
    """'Markets price 1.8 hikes, not cuts, over the next 12 months.' and friends."""
    method = f"method: {cuts.method}"
    if math.isnan(cuts.cuts):
        return f"Not enough data to say how many cuts are priced ({method})."
    if abs(cuts.cuts) < CUTS_EPSILON:
        return f"Markets price no change in the policy rate over {horizon_words(cuts)} ({method})."
    if cuts.cuts < 0:
        return f"Markets price {-cuts.cuts:.1f} hikes, not cuts, over {horizon_words(cuts)} ({method})."
    return f"Markets price {cuts.cuts:.1f} cuts over {horizon_words(cuts)} ({method})."


def band_takeaway(result) -> str:
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


def path_takeaway(market: MarketPath) -> str:
    """The first meeting's odds and where the path ends."""
    table = market.path.meetings
    first, last = table.iloc[0], table.iloc[-1]
    odds = ", ".join(
        f"{first[col]:.0%} {name}" for col, name in (("p_cut", "cut"), ("p_hold", "hold"), ("p_hike", "hike"))
        if first[col] > 0
    )
    return (
        f"For {first['meeting']:%d %b %Y} futures price {odds}; by {last['meeting']:%b %Y} the expected rate is "
        f"{last['end']:.2f}%, {signed_bp(last['change_bp'] / BP_PER_PERCENTAGE_POINT)} today's "
        f"{market.path.current_rate:.2f}%."
    )


def moved_takeaway(paths: pd.DataFrame) -> str:
    """How the expected rate at the last common meeting moved against each earlier path."""
    if paths.shape[1] < 2:
        return "Only today's path is available, so there is nothing to compare it with."
    common = paths.dropna()
    if common.empty:
        return "The earlier paths cover different meetings, so they cannot be compared directly."
    meeting, row = common.index[-1], common.iloc[-1]
    now = row.iloc[0]
    moves = "; ".join(f"{signed_bp(now - row[label])} the path {label}" for label in paths.columns[1:])
    return f"For {meeting:%b %Y} the expected rate is now {moves}."


def curve_takeaway(spreads: pd.DataFrame, names: dict[str, str]) -> str:
    """Latest value of each spread and the days it was inverted in the window."""
    parts = []
    for key in spreads.columns:
        inverted, observed = days_inverted(spreads[key])
        value = latest(spreads[key])
        if observed:
            parts.append(f"{names[key]} {value:+.2f} pp, inverted on {inverted} of {observed} days")
    return ("In this window: " + "; ".join(parts) + ".") if parts else "No spread data in this window."


def last_reading(series: pd.Series, units: str, what: str, fmt: str = ",.2f") -> str:
    """'<what> is 4.10% (Jul 2026)' style reading of a series' last value."""
    day = last_date(series)
    if day is None:
        return f"No {what} reading in this window"
    return f"{what} is {latest(series):{fmt}}{units} ({day:%b %Y})"


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


def real_rate_takeaway(real_rate: pd.Series, r_star: float) -> str:
    """The latest real policy rate against neutral r*."""
    value = latest(real_rate)
    if math.isnan(value):
        return "No real policy rate can be computed yet."
    return (f"{last_reading(real_rate, '%', 'The real policy rate')}, {signed_pp(value - r_star)} the neutral "
            f"r* of {r_star:.1f}%, using the core PCE reading known on each day.")


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


def inflation_rates(levels: pd.DataFrame, transform: str) -> pd.DataFrame:
    """Each price index as an inflation rate (percent) under one of ``TRANSFORMS``."""
    return TRANSFORMS[transform][1](levels).dropna(how="all")


def inflation_takeaway(rates: pd.DataFrame, names: dict[str, str], transform_label: str) -> str:
    """Each measure's latest rate and its distance from the 2% target."""
    parts = []
    for key in rates.columns:
        day = last_date(rates[key])
        if day is not None:
            value = latest(rates[key])
            parts.append(f"{names[key]} {value:.1f}% ({day:%b %Y}, {signed_pp(value - INFLATION_TARGET)} target)")
    if not parts:
        return "No inflation readings in this window."
    return f"{transform_label.capitalize()}: " + "; ".join(parts) + "."


def metric(label: str, series: pd.Series | None, units: str = "%", fmt: str = ".2f") -> dict:
    """``st.metric`` arguments for a series' latest value, its date in the label."""
    day = last_date(series)
    if day is None:
        return {"label": label, "value": "n/a", "help": "No data for this series."}
    return {"label": f"{label} · {day:%Y-%m-%d}", "value": f"{latest(series):{fmt}}{units}"}


def band_metric(result) -> dict:
    """``st.metric`` arguments for the current target range."""
    lower, upper = band_on(result, None)
    if math.isnan(lower) or math.isnan(upper):
        return {"label": "Target range", "value": "n/a", "help": "No data for the target range."}
    return {**metric("Target range", result.series.get(BAND_KEYS[1])), "value": f"{lower:.2f}–{upper:.2f}%"}


# --- Policy-mistake flags ----------------------------------------------------------------

# condition name -> (flag, what it checks, input name, threshold name, comparison, units)
FLAG_CONDITIONS = (
    ("real_rate_restrictive", "Too tight", "Real policy rate above r* + margin", "real_rate", "r_star_plus", ">",
     "%"),
    ("sahm_rising", "Too tight", f"Sahm indicator above its value {SAHM_RISING_MONTHS} months earlier",
     "sahm_change", "sahm_earlier", "rising", "pp"),
    ("core_pce_3m_soft", "Too tight", "3-month annualised core PCE below", "core_pce_3m_ann",
     "tight_core_pce_3m_below", "<", "%"),
    ("expectations_high", "Too loose", "5y5y inflation expectation above", "fwd_5y5y", "loose_5y5y_above", ">",
     "%"),
    ("core_pce_3m_hot", "Too loose", "3-month annualised core PCE above", "core_pce_3m_ann",
     "loose_core_pce_3m_above", ">", "%"),
    ("cuts_priced", "Too loose", "Cuts priced over 12 months above", "cuts_priced", "loose_cuts_priced_above", ">",
     "25 bp cuts"),
)


def flag_table(flags, sahm: pd.Series) -> pd.DataFrame:
    """One row per condition of ``analytics.inflation.policy_flags``: reading, threshold, met.

    For "Sahm rising" the reading is the latest Sahm value and the threshold its value
    ``sahm_rising_months`` earlier (what ``analytics.labor.sahm_rising`` compares).
    """
    t = flags.thresholds
    known = sahm.dropna()
    earlier = value_months_ago(sahm, t.sahm_rising_months)
    inputs = {**flags.inputs, "sahm_change": latest(known)}
    thresholds = {
        "r_star_plus": flags.inputs["r_star"] + t.tight_real_rate_above_r_star,
        "sahm_earlier": float(earlier.loc[known.index[-1]]) if not known.empty else math.nan,
    }
    rows = []
    for name, flag, label, input_name, threshold, comparison, units in FLAG_CONDITIONS:
        rows.append({
            "Flag": flag,
            "Condition": label if comparison == "rising" else f"{label} ({comparison})",
            "Reading": inputs[input_name],
            "Threshold": thresholds[threshold] if threshold in thresholds else getattr(t, threshold),
            "Units": units,
            "Met": flags.conditions[name],
        })
    return pd.DataFrame(rows)
