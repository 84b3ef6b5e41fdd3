"""Policy-rate analytics: the futures-implied Fed path, its fallbacks, the Taylor rule and
the duration lab (ANALYTICS.md, "Fed path" and "Small-cap barometer").

Rates are in percent (4.19 means 4.19 %), changes in basis points unless a name says otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.calendar import FOMC_MEETINGS, meetings_after
from analytics.cuts import priced_move
from analytics.inflation import INFLATION_TARGET, PCE_RELEASE_LAG_DAYS
from analytics.transforms import BP_PER_PERCENTAGE_POINT, DAYS_PER_MONTH, MONTHS_PER_YEAR, PERCENT, asof_align

# --- Fed funds futures (CME FedWatch method) -------------------------------------------

FUTURES_PRICE_BASE = 100.0  # 30-day fed funds futures price = 100 − average rate
POLICY_STEP = 0.25  # the FOMC moves in 25 bp steps
# When fewer than this many days of the meeting month trade at the new rate, that month's
# contract says too little about the decision (the formula divides by N − M and amplifies
# noise), so FedWatch reads the end rate off the NEXT month's contract instead.
LATE_MEETING_MIN_DAYS_AFTER = 5
CUTS_HORIZON_DAYS = 365
DAYS_PER_YEAR_BOND, DAYS_PER_YEAR_MONEY_MARKET = 365, 360  # bills/notes vs EFFR day counts
FORWARD_END_YEARS = 1.0  # the bill fallback needs the 1-year bill
# k within this of an integer counts as a whole number of steps (floating-point noise).
_WHOLE_STEP_TOLERANCE = 1e-9
_RANGE_DECIMALS = 4

METHOD_FUTURES = "fed funds futures (FedWatch)"
METHOD_FORWARDS = "Treasury bill forward rate"
METHOD_CRUDE = "EFFR minus 2-year yield (crude)"

MEETING_COLUMNS = (
    "meeting", "days_in_month", "days_before", "start", "start_source", "end", "end_source",
    "move_bp", "change_bp", "p_cut", "p_hold", "p_hike",
)


def implied_rate(price):
    """Implied average policy rate of a 30-day fed funds contract: 100 − price (percent).

    Works elementwise on floats, Series and DataFrames; NaN stays NaN.
    """
    return FUTURES_PRICE_BASE - price


def meeting_end_rate(implied_avg: float, start_rate: float, days_in_month: int, days_before: int) -> float:
    """Rate after an FOMC meeting implied by the meeting month's average (FedWatch), percent.

    Formula: end = (N/(N−M))·(implied_avg − (M/N)·start), with N = days in the month and
    M = days at the old rate. The new rate takes effect the day AFTER the statement day,
    so M = the statement day-of-month (e.g. statement on the 16th → 16 days at ``start``).
    Worked example: N=30, M=16, start 0.1325, implied 0.195 → end ≈ 0.2664.
    NaN inputs give NaN; ``days_before`` must be in [0, N) else ``ValueError``.
    """
    if not 0 <= days_before < days_in_month:
        raise ValueError(f"days_before must be in [0, {days_in_month}), got {days_before}")
    n, m = days_in_month, days_before
    return float(n / (n - m) * (implied_avg - m / n * start_rate))


def move_distribution(start_rate: float, end_rate: float, step: float = POLICY_STEP) -> dict[int, float]:
    """Probabilities of the target-range move at one meeting, keyed by change in bp.

    k = (end − start)/step; the probability splits between ⌊k⌋ and ⌈k⌉ steps by the
    fractional part f: P(⌈k⌉) = f, P(⌊k⌋) = 1 − f (so the mean move is exactly end − start).
    A whole k gives one outcome with probability 1. Keys are ints in bp (−25, 0, 25, ...),
    probabilities sum to 1. NaN in either rate gives an empty dict.
    """
    if math.isnan(start_rate) or math.isnan(end_rate):
        return {}
    k = (end_rate - start_rate) / step
    if abs(k - round(k)) < _WHOLE_STEP_TOLERANCE:
        return {_steps_to_bp(round(k), step): 1.0}
    low = math.floor(k)
    upper_weight = k - low
    return {_steps_to_bp(low, step): 1.0 - upper_weight, _steps_to_bp(low + 1, step): upper_weight}


def _steps_to_bp(steps: int, step: float) -> int:
    return int(round(steps * step * BP_PER_PERCENTAGE_POINT))


def _convolve(first: dict[int, float], second: dict[int, float]) -> dict[int, float]:
    out: dict[int, float] = {}
    for a, pa in first.items():
        for b, pb in second.items():
            out[a + b] = out.get(a + b, 0.0) + pa * pb
    return out


def _range_label(lower: float, upper: float) -> str:
    return f"{lower:.2f}–{upper:.2f}"


@dataclass(frozen=True)
class ImpliedPath:
    """Market-implied policy path from fed funds futures (see ``implied_path``)."""

    as_of: pd.Timestamp
    current_rate: float  # implied rate before the first meeting (percent); NaN when empty
    target_lower: float
    target_upper: float
    meetings: pd.DataFrame  # one row per meeting, columns MEETING_COLUMNS
    probabilities: pd.DataFrame  # rows = meeting dates, columns = range labels, rows sum to 1
    method: str = METHOD_FUTURES

    @property
    def empty(self) -> bool:
        """True when no meeting could be priced (see ``implied_path``)."""
        return self.meetings.empty


def _averages_as_of(contract_prices: pd.DataFrame, as_of: pd.Timestamp) -> dict[pd.Period, float]:
    """Implied average rate per contract month from each contract's last price ≤ as_of."""
    if contract_prices.empty:
        return {}
    known = contract_prices.loc[pd.DatetimeIndex(contract_prices.index) <= as_of]
    out = {}
    for column in known.columns:
        prices = known[column].dropna()
        if not prices.empty:
            out[pd.Period(column, "M")] = float(implied_rate(prices.iloc[-1]))
    return out


def implied_path(
    contract_prices: pd.DataFrame,
    as_of,
    target_lower: float,
    target_upper: float,
    meetings=FOMC_MEETINGS,
    step: float = POLICY_STEP,
) -> ImpliedPath:
    """Market-implied path of the policy rate, meeting by meeting (CME FedWatch method).

    ``contract_prices``: rows = dates, columns = delivery months (``pd.Period('2026-09','M')``
    or anything ``pd.Period(x, 'M')`` accepts), values = futures prices (100 − rate). Each
    contract's last price on or before ``as_of`` is used.

    For each meeting after ``as_of`` whose month has a contract, in order:
    - start (rate on the first day of the meeting month): the prior month's implied average
      if that month had no meeting; else the previous meeting's end; for the first meeting,
      when neither exists (prior contract missing or its meeting already held), the midpoint
      of the current target range. ``start_source`` says which.
    - end: ``meeting_end_rate`` with M = statement day-of-month; but when fewer than
      ``LATE_MEETING_MIN_DAYS_AFTER`` days remain after the statement day and the next month
      has a contract and no meeting, the next month's implied average (standard FedWatch
      practice for late-month meetings). ``end_source`` says which. end = expected rate.
    - move_bp = (end − previous expected rate)·100, previous = the last meeting's end (the
      current rate for the first meeting); its ``move_distribution`` gives p_cut/p_hold/p_hike.
      Measuring each move from the previous end keeps the chain consistent: the mean of
      every probability row equals that meeting's end exactly.
    - change_bp = (end − current_rate)·100, current_rate = the first meeting's start.
    ``probabilities``: the distribution of the target range after each meeting, chained by
    convolving the move distributions from 100 % on (target_lower, target_upper); columns are
    labels like "3.50–3.75" ascending, rows sum to 1. The zero lower bound is not imposed.

    Empty or insufficient input (no prices ≤ as_of, no meeting month covered, a NaN target
    bound) returns an ``ImpliedPath`` with empty frames and ``current_rate`` NaN (``.empty``
    is True), never an exception. The walk stops at the first meeting whose month has no contract.
    """
    as_of = pd.Timestamp(as_of)
    averages = _averages_as_of(contract_prices, as_of)
    if math.isnan(target_lower) or math.isnan(target_upper):
        averages = {}  # no current range to chain from: same as having no contracts
    meeting_months = {pd.Timestamp(m).to_period("M") for m in meetings}
    midpoint = (target_lower + target_upper) / 2.0

    rows, ranges_by_meeting = [], []
    distribution = {0: 1.0}
    current_rate = previous_end = math.nan
    for meeting in meetings_after(as_of, meetings):
        month = meeting.to_period("M")
        if month not in averages:
            break
        prior, following = month - 1, month + 1
        if prior in averages and prior not in meeting_months:
            start, start_source = averages[prior], "prior month average"
        elif not rows:
            start, start_source = midpoint, "target range midpoint"
        else:
            start, start_source = previous_end, "previous meeting end"
        days_in_month, days_before = meeting.days_in_month, meeting.day
        late = days_in_month - days_before < LATE_MEETING_MIN_DAYS_AFTER
        if late and following in averages and following not in meeting_months:
            end, end_source = averages[following], "next month average"
        else:
            end = meeting_end_rate(averages[month], start, days_in_month, days_before)
            end_source = "meeting month"
        if not rows:
            current_rate = previous_end = start
        moves = move_distribution(previous_end, end, step)
        distribution = _convolve(distribution, moves)
        ranges_by_meeting.append(dict(distribution))
        rows.append({
            "meeting": meeting, "days_in_month": days_in_month, "days_before": days_before,
            "start": start, "start_source": start_source, "end": end, "end_source": end_source,
            "move_bp": (end - previous_end) * BP_PER_PERCENTAGE_POINT,
            "change_bp": (end - current_rate) * BP_PER_PERCENTAGE_POINT,
            "p_cut": sum(p for bp, p in moves.items() if bp < 0),
            "p_hold": moves.get(0, 0.0),
            "p_hike": sum(p for bp, p in moves.items() if bp > 0),
        })
        previous_end = end

    table = pd.DataFrame(rows, columns=list(MEETING_COLUMNS))
    return ImpliedPath(
        as_of=as_of, current_rate=current_rate, target_lower=target_lower,
        target_upper=target_upper, meetings=table,
        probabilities=_probability_matrix(table["meeting"], ranges_by_meeting, target_lower, target_upper),
    )


def _probability_matrix(meeting_dates, ranges_by_meeting, target_lower, target_upper) -> pd.DataFrame:
    changes = sorted({bp for dist in ranges_by_meeting for bp in dist})
    labels = [
        _range_label(round(target_lower + bp / BP_PER_PERCENTAGE_POINT, _RANGE_DECIMALS),
                     round(target_upper + bp / BP_PER_PERCENTAGE_POINT, _RANGE_DECIMALS))
        for bp in changes
    ]
    values = [[dist.get(bp, 0.0) for bp in changes] for dist in ranges_by_meeting]
    return pd.DataFrame(values, index=pd.DatetimeIndex(meeting_dates, name="meeting"),
                        columns=pd.Index(labels, name="target range"), dtype=float)


# --- Cuts priced: futures, bill forwards, crude 2-year gauge ---------------------------


@dataclass(frozen=True)
class CutsPriced:
    """How many 25 bp cuts the market prices over a horizon, and how it was measured.

    ``cuts`` > 0 means cuts, < 0 means hikes; NaN when the method had too little data.
    """

    cuts: float
    method: str
    rate_now: float
    rate_then: float
    horizon: str

    @property
    def move(self) -> str:
        """Cuts, hikes or no clear move, by the one rule (``analytics.cuts.priced_move``)."""
        return priced_move(self.cuts)


def _cuts(rate_now: float, rate_then: float, method: str, horizon: str) -> CutsPriced:
    rate_now, rate_then = float(rate_now), float(rate_then)
    return CutsPriced((rate_now - rate_then) / POLICY_STEP, method, rate_now, rate_then, horizon)


def _months(start: pd.Timestamp, end: pd.Timestamp) -> int:
    """Whole months from ``start`` to ``end``, rounded (days / 30.44)."""
    return round((end - start).days / DAYS_PER_MONTH)


def futures_horizon(path: ImpliedPath, as_of: pd.Timestamp, horizon_days: int) -> str:
    """The stretch a futures path really covers, in words.

    The expected rate after the last priced meeting holds until the next meeting; if that
    next meeting is inside the horizon but the strip has no contract for it, the path covers
    only up to it. Covered to the horizon's end: "the next 12 months" (for 365 days); else
    "the next N months (futures price meetings to Mon YYYY)".
    """
    horizon_end = as_of + pd.Timedelta(days=horizon_days)
    full = f"the next {_months(as_of, horizon_end)} months"
    if path.empty:
        return full
    last = path.meetings["meeting"].iloc[-1]
    unpriced = meetings_after(last)
    if not unpriced or unpriced[0] >= horizon_end:
        return full
    return f"the next {_months(as_of, unpriced[0])} months (futures price meetings to {last:%b %Y})"


def cuts_priced(path: ImpliedPath, as_of=None, horizon_days: int = CUTS_HORIZON_DAYS) -> CutsPriced:
    """25 bp cuts priced by futures over the next ``horizon_days`` (FedWatch path).

    cuts = (current implied rate − expected rate after the last meeting within
    ``as_of`` + horizon_days)/0.25. ``as_of`` defaults to ``path.as_of``. The horizon in
    words is what the strip covers (``futures_horizon``). An empty path, or no meeting
    inside the horizon, gives ``cuts`` = NaN (no exception).
    """
    as_of = path.as_of if as_of is None else pd.Timestamp(as_of)
    horizon = futures_horizon(path, as_of, horizon_days)
    table = path.meetings
    inside = table[(table["meeting"] > as_of) & (table["meeting"] <= as_of + pd.Timedelta(days=horizon_days))]
    if inside.empty:
        return CutsPriced(math.nan, METHOD_FUTURES, path.current_rate, math.nan, horizon)
    return _cuts(path.current_rate, float(inside["end"].iloc[-1]), METHOD_FUTURES, horizon)


def forward_rate(y1: float, t1: float, y2: float, t2: float) -> float:
    """Simple-compounding forward rate between tenors t1 < t2 (years), percent in and out.

    Formula: f = [(1 + y2·t2)/(1 + y1·t1) − 1]/(t2 − t1), yields as decimals inside.
    NaN in, NaN out; t2 ≤ t1 raises ``ValueError``.
    """
    if t2 <= t1:
        raise ValueError(f"need t1 < t2, got t1={t1}, t2={t2}")
    y1d, y2d = y1 / PERCENT, y2 / PERCENT
    growth = (1.0 + y2d * t2) / (1.0 + y1d * t1)
    return float((growth - 1.0) / (t2 - t1) * PERCENT)


def bond_equivalent(rate_360: float) -> float:
    """A money-market rate quoted actual/360 (EFFR) on the actual/365 bond-equivalent basis
    FRED's bill and note yields use: r·365/360, percent in and out.

    Skipping it biases every fallback toward "hikes": at 4% the two bases differ by 5.6 bp,
    about a quarter of a 25 bp move.
    """
    return rate_360 * DAYS_PER_YEAR_BOND / DAYS_PER_YEAR_MONEY_MARKET


def cuts_priced_from_forwards(effr: float, bill_yields: dict[float, float]) -> CutsPriced:
    """Cuts priced from the Treasury bill forward that ends at one year, the first fallback
    when futures are missing.

    ``bill_yields``: {tenor in years: yield in percent}, e.g. {1/12: DGS1MO, 0.25: DGS3MO,
    0.5: DGS6MO, 1.0: DGS1}. f = the forward from the longest shorter tenor to the 1-year bill
    (6m→1y with the full set) is the average rate priced for that stretch; cuts =
    (EFFR·365/360 − f)/0.25 (``bond_equivalent``). Without the 1-year bill the forward says
    nothing about the year ahead (1m→3m covers two months), so ``cuts`` is NaN and the crude
    gauge takes over. Bills carry a term premium, so this is an approximation.
    """
    usable = sorted((t, y) for t, y in bill_yields.items() if not math.isnan(y) and t <= FORWARD_END_YEARS)
    if len(usable) < 2 or usable[-1][0] != FORWARD_END_YEARS:
        return CutsPriced(math.nan, METHOD_FORWARDS, effr, math.nan, "n/a (needs the 1-year bill)")
    (t1, y1), (t2, y2) = usable[-2], usable[-1]
    start, end = round(t1 * MONTHS_PER_YEAR), round(t2 * MONTHS_PER_YEAR)
    horizon = f"months {start}–{end} ({start}-month → 1-year bill forward)"
    return _cuts(bond_equivalent(effr), forward_rate(y1, t1, y2, t2), METHOD_FORWARDS, horizon)


def cuts_priced_crude(effr: float, y2: float) -> CutsPriced:
    """Crude gauge of cuts priced: (EFFR·365/360 − DGS2)/0.25 (both percent; EFFR on the
    2-year's basis, ``bond_equivalent``). The 2-year yield averages the expected rate over two
    years plus a term premium, so this is the average cut over that span, not the path's end.
    NaN in → NaN cuts."""
    return CutsPriced(float(crude_cuts(effr, y2)), METHOD_CRUDE, bond_equivalent(float(effr)), float(y2),
                      "the next 2 years")


def crude_cuts(effr, y2):
    """(EFFR·365/360 − DGS2)/0.25 on floats, arrays or aligned Series (``cuts_priced_crude``)."""
    return (bond_equivalent(effr) - y2) / POLICY_STEP


# --- Taylor rule ----------------------------------------------------------------------

# Defaults are roughly the FOMC Summary of Economic Projections longer-run medians of
# recent years (fed funds about 3 %, i.e. about 1 % real with 2 % inflation; unemployment
# about 4.2 %). They are user inputs on the page, shown next to the chart.
R_STAR_DEFAULT = 1.0
U_STAR_DEFAULT = 4.2
TAYLOR_INFLATION_WEIGHT = 0.5
TAYLOR_GAP_WEIGHT = 0.5
OKUN_COEFFICIENT = 2.0


def taylor_rule(core_pce_yoy: pd.Series, unrate: pd.Series, r_star: float = R_STAR_DEFAULT,
                u_star: float = U_STAR_DEFAULT) -> pd.Series:
    """Taylor (1993) rule rate in percent, monthly.

    i = r* + π + 0.5·(π − 2) + 0.5·gap, π = core PCE YoY (percent), output gap via Okun's
    law gap ≈ 2·(u* − UNRATE). Both inputs are monthly, matched by date (inner join: a month
    missing in either is dropped; NaN in either gives NaN). Empty input → empty Series.
    """
    frame = pd.concat({"pi": core_pce_yoy, "u": unrate}, axis=1, join="inner")
    gap = OKUN_COEFFICIENT * (u_star - frame["u"])
    rule = (r_star + frame["pi"] + TAYLOR_INFLATION_WEIGHT * (frame["pi"] - INFLATION_TARGET)
            + TAYLOR_GAP_WEIGHT * gap)
    return rule.astype(float).rename("taylor_rule")


def taylor_gap(policy_rate: pd.Series, rule: pd.Series, lag_days: int = PCE_RELEASE_LAG_DAYS) -> pd.Series:
    """Policy rate minus the Taylor rule, on the policy rate's (daily) dates, in pp.

    gap_t = policy_t − rule known at t, where the monthly rule (dated at the start of its
    month, like FRED) is carried forward with ``asof_align`` and a publication lag
    (default: the PCE release lag, since core PCE is the last input out). Positive = policy
    tighter than the rule. Dates before the first known rule value are NaN; empty input →
    empty Series.
    """
    known_rule = asof_align(policy_rate.index, rule, lag_days)
    return (policy_rate.astype(float) - known_rule).rename("taylor_gap")


# --- Duration lab ---------------------------------------------------------------------

STREAM_YEARS = 30
NEAR_TERM_START_PROFIT = 10.0
NEAR_TERM_GROWTH = 0.01
FAR_FUTURE_LOSS_YEARS = 5
FAR_FUTURE_ZERO_YEARS = 5
FAR_FUTURE_LOSS = -5.0
FAR_FUTURE_PROFIT = 40.0

# Profits now, little growth (a mature, profitable company).
NEAR_TERM_PROFITS: tuple[float, ...] = tuple(
    NEAR_TERM_START_PROFIT * (1.0 + NEAR_TERM_GROWTH) ** year for year in range(STREAM_YEARS)
)
# Losses for years, then break-even, then large profits (an unprofitable growth company).
FAR_FUTURE_PROFITS: tuple[float, ...] = (
    (FAR_FUTURE_LOSS,) * FAR_FUTURE_LOSS_YEARS
    + (0.0,) * FAR_FUTURE_ZERO_YEARS
    + (FAR_FUTURE_PROFIT,) * (STREAM_YEARS - FAR_FUTURE_LOSS_YEARS - FAR_FUTURE_ZERO_YEARS)
)


def present_value(cash_flows, rate: float) -> float:
    """Present value of cash flows received at the end of years 1..n.

    PV = Σ_t CF_t/(1 + r)^t, r = ``rate``/100 (percent in). Units: those of the cash flows.
    Empty input → 0.0; a NaN cash flow or rate → NaN.
    """
    flows = np.asarray(cash_flows, dtype=float)
    years = np.arange(1, len(flows) + 1)
    return float(np.sum(flows / (1.0 + rate / PERCENT) ** years))


def cut_gain(cash_flows, rate: float, cut_bp: float) -> float:
    """Percent change in present value when the discount rate falls by ``cut_bp`` bp.

    gain = (PV(rate − cut_bp/100)/PV(rate) − 1)·100. NaN when PV(rate) is 0, or for empty
    input, or NaN inputs.
    """
    before = present_value(cash_flows, rate)
    after = present_value(cash_flows, rate - cut_bp / BP_PER_PERCENTAGE_POINT)
    if before == 0.0 or math.isnan(before):
        return math.nan
    return (after / before - 1.0) * PERCENT


def gordon_duration(r: float, g: float) -> float:
    """Duration of a Gordon-growth stock in years: D = 1/(r − g), r and g in percent.

    With P = CF/(r − g), ΔP/P ≈ −D·Δr (Δr as a decimal): r = 8, g = 4 → D = 25 years, so a
    25 bp cut lifts the price about 6.25 %. r ≤ g (model undefined) or NaN → NaN.
    """
    spread = (r - g) / PERCENT
    if not spread > 0:
        return math.nan
    return 1.0 / spread
