"""The narrative scorecard (ANALYTICS.md, "The narrative scorecard"): eight claims, one rule each.

Each ``*_claim`` function is pure: it takes readings or series prepared elsewhere
(``components.views.overview`` builds them from the same views the pages use) and returns a
frozen ``ClaimResult`` with the claim in one sentence, a status in ``STATUSES``, the readings
with their as-of dates, the checks that decided the status and the rule in words (its
thresholds and window are the module constants below, shown on the card). Which page shows
the evidence is the components' business (routing is not analytics).

Conventions: levels and rates in percent, changes in percentage points (pp) or basis
points (bp) as named; a reading's ``as_of`` is the date of the last observation used. A
missing input (None, an empty series, NaN) makes the claim "no data" and names the input.
Changes over a window in months are measured by date (the last value minus the last value
dated on or before ``last date − months``); changes over trading days by row count, like
the pages' "last 3M" (``analytics.breadth.WINDOWS``).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import pandas as pd

from analytics.breadth import WINDOWS, drawdown_from_high, record_highs, trailing_return_pct
from analytics.cuts import CUTS_PRICED_MIN, PRICES_CUTS, PRICES_HIKES, priced_move
from analytics.inflation import INFLATION_TARGET
from analytics.labor import SAHM_RISING_MONTHS
from analytics.transforms import BP_PER_PERCENTAGE_POINT, PERCENT, asof_align

SUPPORTED, MIXED, NOT_SUPPORTED, NO_DATA = "supported", "mixed", "not supported", "no data"
STATUSES = (SUPPORTED, MIXED, NOT_SUPPORTED, NO_DATA)

# --- Rules: thresholds and windows (each shown on its card) ----------------------------------

# 1. Cuts priced over the next 12 months, in 25 bp moves: ``analytics.rates.priced_move``,
#    the one rule (more than CUTS_PRICED_MIN cuts, or hikes, either way) every page uses.
# 2. The 2-year yield against the policy rate (EFFR), and its move over a window.
YIELD_WINDOW_MONTHS = 3
YIELD_FALL_MIN_BP = 10.0  # a smaller fall than this is day-to-day noise, not a signal
# 3. Labour market: three slowing signals, at least two of them needed.
UNRATE_WINDOW_MONTHS = 12
UNRATE_RISE_MIN_PP = 0.2  # the sampling error of a monthly UNRATE change is about 0.2 pp
PAYROLL_TREND_MONTHS = 6  # the 3-month average payroll change vs its value this long ago
SAHM_WINDOW_MONTHS = SAHM_RISING_MONTHS
LABOUR_SIGNALS_SUPPORTED = 2
# 4. Small caps lead: RS (Russell 2000 / S&P 500) over the last 3 months, and distance from
#    the Russell 2000's all-time high (a record is "within" any band).
LEAD_WINDOW = "3M"
LEAD_WINDOW_OBS = WINDOWS[LEAD_WINDOW]
LEAD_MIN_PCT = 0.5  # a ratio moving less than this over 3 months is flat, not a lead
NEAR_HIGH_PCT = 5.0
RECORDS_WINDOW = "12M"
RECORDS_WINDOW_OBS = WINDOWS[RECORDS_WINDOW]
# 5. Rate sensitivity: 63-day rolling beta of Δln(RUT/SPX) on ΔDGS2, % per +10 bp.
BETA_WINDOW_OBS = WINDOWS["3M"]
BETA_MEANINGFUL_BELOW = -0.10  # % relative return per +10 bp
CORR_MEANINGFUL_BELOW = -0.20  # below this the yield explains ~4% of daily moves or more
# 6. Speculation: IWM/IJR over the last 3 months; high-yield spread tight or tightening.
HY_TIGHT_BELOW_PCT = 3.5  # well below the spread's long-run median (about 4.5–5%)
HY_WINDOW_MONTHS = 3
HY_TIGHTENING_MIN_BP = 10.0
# 7. Hybrid: the seven mega caps' share of the S&P 500's 12-month return, and breadth
#    (RSP vs SPY, cyclicals vs defensives) over the last 3 months.
MEGA_WINDOW_MONTHS = 12
MEGA_SHARE_LARGE = 0.40  # the seven weigh about a third of the index; 40% of the return is outsized
MIN_TOTAL_FOR_SHARE_PCT = 0.5  # below this index return a "share of the return" means nothing
# 8. Inflation: core PCE YoY vs the 2% target; the 5-year breakeven is CPI-based and CPI
#    runs about 0.3 pp above PCE, so "above target" for it starts at 2.3%; Taylor gap < 0
#    means policy is looser than the rule (r* and u* at the Fed path page's defaults).
CPI_PCE_WEDGE_PP = 0.3
BREAKEVEN_ABOVE_PCT = INFLATION_TARGET + CPI_PCE_WEDGE_PP
TAYLOR_LOOSE_BELOW_PP = 0.0


# Each claim: number -> (title, the claim in one sentence), as its card shows them.
CLAIM_TEXT = {
    1: ("Markets price more Fed cuts",
        "Markets expect the Fed to keep lowering its policy rate."),
    2: ("Treasury yields confirm it",
        "The bond market backs the cuts: two-year yields sit below the policy rate and are falling."),
    3: ("The labour market is slowing",
        "Hiring is cooling and unemployment is creeping up, which gives the Fed a reason to cut."),
    4: ("Small caps lead and set records",
        "The Russell 2000 beats the S&P 500 and trades at or near a record."),
    5: ("Small caps are the rate-sensitive segment",
        "When two-year yields fall, small caps outperform large caps."),
    6: ("Unprofitable small caps lead: risk-on",
        "Money-losing small companies outrun profitable ones while credit stays easy."),
    7: ("The S&P 500 is a hybrid",
        "A few giant companies still carry much of the index, yet the rally is broadening."),
    8: ("Inflation stays above target",
        "Inflation is still above 2%, so each cut is a bet that it will not flare up again."),
}


@dataclass(frozen=True)
class Reading:
    """One number on a card: its label, value, units, format and the date it is as of."""

    label: str
    value: float
    units: str = ""
    as_of: dt.date | None = None
    fmt: str = ".2f"

    @property
    def missing(self) -> bool:
        return self.value is None or math.isnan(self.value)

    @property
    def value_text(self) -> str:
        """'2-year yield 4.19%' ('n/a' for a missing value), without the date."""
        return f"{self.label} n/a" if self.missing else f"{self.label} {self.value:{self.fmt}}{self.units}"

    @property
    def text(self) -> str:
        """'2-year yield 4.19% (2026-08-20)'."""
        return f"{self.value_text} ({self.as_of:%Y-%m-%d})" if self.as_of and not self.missing else self.value_text


@dataclass(frozen=True)
class ClaimResult:
    """A scored claim: what it says, how it stands, on which numbers, by which rule."""

    number: int
    title: str
    claim: str
    status: str
    readings: tuple[Reading, ...]
    checks: tuple[tuple[str, bool], ...]  # (condition in words, met?) as the rule uses them
    rule: str
    missing: tuple[str, ...] = field(default=())

    @property
    def evidence(self) -> str:
        """One line: every reading with its value and date, or what is missing."""
        if self.missing:
            return "Missing: " + ", ".join(self.missing) + "."
        by_day: dict = {}
        for r in self.readings:  # readings of one date share it: "a · b (2026-08-20); c (2026-07-01)"
            by_day.setdefault(r.as_of, []).append(r.value_text)
        return "; ".join(" · ".join(texts) + (f" ({day:%Y-%m-%d})" if day else "") for day, texts in by_day.items())

    @property
    def as_of(self) -> dt.date | None:
        """The latest date among the readings (None without any)."""
        days = [r.as_of for r in self.readings if r.as_of is not None and not r.missing]
        return max(days) if days else None


def latest_reading(series: pd.Series | None, label: str, units: str = "", fmt: str = ".2f") -> Reading:
    """The last non-NaN value of ``series`` and its date (NaN and no date if there is none)."""
    known = series.dropna() if series is not None else pd.Series(dtype=float)
    if known.empty:
        return Reading(label, math.nan, units, None, fmt)
    return Reading(label, float(known.iloc[-1]), units, known.index[-1].date(), fmt)


def change_over_months(series: pd.Series | None, months: int, label: str, units: str = " pp",
                       fmt: str = "+.2f", scale: float = 1.0) -> Reading:
    """Last value minus the last value dated on or before (last date − ``months``), × ``scale``.

    NaN when the series is empty or starts after that earlier date.
    """
    known = series.dropna() if series is not None else pd.Series(dtype=float)
    if known.empty:
        return Reading(label, math.nan, units, None, fmt)
    end = known.index[-1]
    earlier = asof_align(pd.DatetimeIndex([end - pd.DateOffset(months=months)]), known).iloc[0]
    return Reading(label, float((known.iloc[-1] - earlier) * scale), units, end.date(), fmt)


def change_over_obs(series: pd.Series | None, window: int, label: str) -> Reading:
    """% change over the last ``window`` observations (``trailing_return_pct``), dated."""
    known = series.dropna() if series is not None else pd.Series(dtype=float)
    day = known.index[-1].date() if not known.empty else None
    value = trailing_return_pct(known, window) if not known.empty else math.nan
    return Reading(label, float(value), "%", day, "+.1f")


def _missing(readings) -> tuple[str, ...]:
    return tuple(r.label for r in readings if r.missing)


def _score(met: int, of: int, supported_at: int | None = None) -> str:
    """Signals met -> status: all (or ``supported_at``) supported, none not supported, else mixed."""
    if met >= (of if supported_at is None else supported_at):
        return SUPPORTED
    return NOT_SUPPORTED if met == 0 else MIXED


def _result(number, readings, checks, status, rule) -> ClaimResult:
    """Assemble a ``ClaimResult``; any missing reading turns it into "no data"."""
    missing = _missing(readings)
    title, claim = CLAIM_TEXT[number]
    return ClaimResult(
        number, title, claim, NO_DATA if missing else status, tuple(readings),
        () if missing else tuple(checks), rule, missing,
    )


def unscored_claim(number: int, reason: str) -> ClaimResult:
    """Claim ``number`` as "no data" because its inputs could not be turned into readings
    (``reason`` says which and why); the other claims are scored as usual."""
    title, claim = CLAIM_TEXT[number]
    return ClaimResult(number, title, claim, NO_DATA, (), (), "Not scored.", (reason,))


# --- 1. Markets price further cuts -------------------------------------------------------------

def cuts_priced_claim(cuts: Reading, method: str) -> ClaimResult:
    """Claim 1: the implied path lies below today's rate.

    ``cuts`` = 25 bp cuts priced over the next 12 months (``analytics.rates.CutsPriced.cuts``;
    negative = hikes), dated at the prices used; ``method`` says how it was measured.
    """
    rule = (f"Supported when more than {CUTS_PRICED_MIN:g} cuts of 25 bp are priced over 12 months; "
            f"not supported when more than {CUTS_PRICED_MIN:g} hikes are; mixed in between. "
            f"Method: {method}.")
    move = priced_move(cuts.value)
    checks = (
        (f"more than {CUTS_PRICED_MIN:g} cuts priced", not cuts.missing and move == PRICES_CUTS),
        (f"more than {CUTS_PRICED_MIN:g} hikes priced", not cuts.missing and move == PRICES_HIKES),
    )
    status = SUPPORTED if checks[0][1] else NOT_SUPPORTED if checks[1][1] else MIXED
    return _result(1, (cuts,), checks, status, rule)


# --- 2. Treasury yields confirm -----------------------------------------------------------------

def yields_confirm_claim(y2: pd.Series | None, policy_rate: pd.Series | None) -> ClaimResult:
    """Claim 2: the 2-year yield sits below the policy rate (percent) and fell over the window."""
    level = latest_reading(y2, "2-year yield", "%")
    policy = latest_reading(policy_rate, "policy rate (EFFR)", "%")
    move = change_over_months(y2, YIELD_WINDOW_MONTHS, f"2-year change over {YIELD_WINDOW_MONTHS} months",
                              " bp", "+.0f", BP_PER_PERCENTAGE_POINT)
    checks = (
        ("2-year yield below the policy rate", level.value < policy.value),
        (f"2-year yield down {YIELD_FALL_MIN_BP:.0f} bp or more over {YIELD_WINDOW_MONTHS} months",
         move.value <= -YIELD_FALL_MIN_BP),
    )
    rule = (f"Supported when the 2-year yield is below the policy rate AND fell at least {YIELD_FALL_MIN_BP:.0f} bp "
            f"over {YIELD_WINDOW_MONTHS} months; mixed when only one holds; not supported when neither does.")
    return _result(2, (level, policy, move), checks, _score(sum(c for _, c in checks), 2), rule)


# --- 3. The labour market is slowing ------------------------------------------------------------

def labour_slowing_claim(unrate: pd.Series | None, payroll_avg: pd.Series | None,
                         sahm: pd.Series | None) -> ClaimResult:
    """Claim 3: UNRATE (percent) up on a year, the 3-month average payroll change (thousands
    a month, ``analytics.labor.payroll_change_3m_avg``) lower than ``PAYROLL_TREND_MONTHS``
    ago, the Sahm indicator (pp, ``analytics.labor.sahm_rule``) above its value
    ``SAHM_WINDOW_MONTHS`` ago. Changes are by date (a missing month uses the one before)."""
    u_change = change_over_months(unrate, UNRATE_WINDOW_MONTHS, f"unemployment vs {UNRATE_WINDOW_MONTHS} months ago")
    p_change = change_over_months(payroll_avg, PAYROLL_TREND_MONTHS,
                                  f"payroll 3m-avg change vs {PAYROLL_TREND_MONTHS} months ago", "k", "+,.0f")
    s_change = change_over_months(sahm, SAHM_WINDOW_MONTHS, f"Sahm indicator vs {SAHM_WINDOW_MONTHS} months ago")
    readings = (latest_reading(unrate, "unemployment", "%", ".1f"), u_change,
                latest_reading(payroll_avg, "payrolls, 3m avg", "k/month", "+,.0f"), p_change, s_change)
    checks = (
        (f"unemployment up {UNRATE_RISE_MIN_PP:.1f} pp or more on {UNRATE_WINDOW_MONTHS} months",
         u_change.value >= UNRATE_RISE_MIN_PP),
        (f"payroll growth slower than {PAYROLL_TREND_MONTHS} months ago", p_change.value < 0),
        (f"Sahm indicator higher than {SAHM_WINDOW_MONTHS} months ago", s_change.value > 0),
    )
    rule = (f"Three slowing signals: unemployment up ≥ {UNRATE_RISE_MIN_PP:.1f} pp on {UNRATE_WINDOW_MONTHS} months; "
            f"3-month average payroll growth below its level {PAYROLL_TREND_MONTHS} months ago; the Sahm "
            f"indicator above its level {SAHM_WINDOW_MONTHS} months ago. Supported with "
            f"{LABOUR_SIGNALS_SUPPORTED} or more, mixed with one, not supported with none.")
    status = _score(sum(c for _, c in checks), len(checks), LABOUR_SIGNALS_SUPPORTED)
    return _result(3, readings, checks, status, rule)


# --- 4. Small caps lead and set records ---------------------------------------------------------

def small_caps_lead_claim(rs: pd.Series | None, small: pd.Series | None) -> ClaimResult:
    """Claim 4: RS = Russell 2000 / S&P 500 (``analytics.breadth.relative_strength``) rose by
    more than ``LEAD_MIN_PCT`` over ``LEAD_WINDOW_OBS`` trading days, and the Russell 2000
    (index level, full history) closes within ``NEAR_HIGH_PCT`` of its all-time high."""
    lead = change_over_obs(rs, LEAD_WINDOW_OBS, f"RS change, last {LEAD_WINDOW}")
    level = small.dropna() if small is not None else pd.Series(dtype=float)
    distance = latest_reading(drawdown_from_high(level) if not level.empty else None,
                              "Russell 2000 vs its record", "%", "+.1f")
    records = float(record_highs(level).iloc[-RECORDS_WINDOW_OBS:].sum()) if not level.empty else math.nan
    count = Reading(f"record closes, last {RECORDS_WINDOW}", records, "", distance.as_of, ".0f")
    checks = (
        (f"RS up more than {LEAD_MIN_PCT:.1f}% over {LEAD_WINDOW}", lead.value > LEAD_MIN_PCT),
        (f"Russell 2000 within {NEAR_HIGH_PCT:.0f}% of its record", distance.value >= -NEAR_HIGH_PCT),
    )
    rule = (f"Supported when small caps gained more than {LEAD_MIN_PCT:.1f}% on large caps over the last {LEAD_WINDOW} "
            f"({LEAD_WINDOW_OBS} trading days) AND the Russell 2000 is within {NEAR_HIGH_PCT:.0f}% of its all-time "
            "high; mixed when one holds; not supported when neither does.")
    return _result(4, (lead, distance, count), checks, _score(sum(c for _, c in checks), 2), rule)


# --- 5. Small caps are the rate-sensitive segment -----------------------------------------------

def rate_sensitive_claim(beta_per_10bp: Reading, corr: Reading) -> ClaimResult:
    """Claim 5: the last ``BETA_WINDOW_OBS``-day rolling beta of Δln(RUT/SPX) on ΔDGS2 (% per
    +10 bp, ``analytics.breadth.relative_rate_beta``) is negative and meaningful."""
    checks = (
        (f"β below {BETA_MEANINGFUL_BELOW:+.2f}% per +10 bp", beta_per_10bp.value < BETA_MEANINGFUL_BELOW),
        (f"correlation below {CORR_MEANINGFUL_BELOW:+.2f}", corr.value < CORR_MEANINGFUL_BELOW),
        ("β negative", beta_per_10bp.value < 0),
    )
    if checks[0][1] and checks[1][1]:
        status = SUPPORTED
    else:
        status = MIXED if checks[2][1] else NOT_SUPPORTED
    rule = (f"{BETA_WINDOW_OBS}-day rolling regression of small caps' relative return on 2-year yield changes. "
            f"Supported when β < {BETA_MEANINGFUL_BELOW:+.2f}% per +10 bp AND correlation < "
            f"{CORR_MEANINGFUL_BELOW:+.2f}; mixed when β is negative but weaker; not supported when β ≥ 0.")
    return _result(5, (beta_per_10bp, corr), checks, status, rule)


# --- 6. Unprofitable small caps lead: risk-on ----------------------------------------------------

def speculation_claim(unprofitable_ratio: pd.Series | None, hy_spread: pd.Series | None) -> ClaimResult:
    """Claim 6: IWM/IJR (unscreened vs earnings-screened small caps) rose by more than
    ``LEAD_MIN_PCT`` over ``LEAD_WINDOW_OBS`` trading days, and the high-yield spread (percent)
    is below ``HY_TIGHT_BELOW_PCT`` or tightened ``HY_TIGHTENING_MIN_BP`` over the window."""
    lead = change_over_obs(unprofitable_ratio, LEAD_WINDOW_OBS, f"IWM/IJR change, last {LEAD_WINDOW}")
    spread = latest_reading(hy_spread, "high-yield spread", "%")
    move = change_over_months(hy_spread, HY_WINDOW_MONTHS, f"spread change over {HY_WINDOW_MONTHS} months",
                              " bp", "+.0f", BP_PER_PERCENTAGE_POINT)
    credit_easy = spread.value < HY_TIGHT_BELOW_PCT or move.value <= -HY_TIGHTENING_MIN_BP
    checks = (
        (f"IWM/IJR up more than {LEAD_MIN_PCT:.1f}% over {LEAD_WINDOW}", lead.value > LEAD_MIN_PCT),
        (f"HY spread below {HY_TIGHT_BELOW_PCT:.1f}% or {HY_TIGHTENING_MIN_BP:.0f} bp tighter", credit_easy),
    )
    rule = (f"Supported when IWM/IJR rose more than {LEAD_MIN_PCT:.1f}% over the last {LEAD_WINDOW} AND the high-yield "
            f"spread is tight (< {HY_TIGHT_BELOW_PCT:.1f}%) or tightened ≥ {HY_TIGHTENING_MIN_BP:.0f} bp over "
            f"{HY_WINDOW_MONTHS} months; mixed when one holds; not supported when neither does.")
    return _result(6, (lead, spread, move), checks, _score(sum(c for _, c in checks), 2), rule)


# --- 7. The S&P 500 is a hybrid ------------------------------------------------------------------

def hybrid_claim(mega_pp: Reading, index_pct: Reading, equal_vs_cap: pd.Series | None,
                 cyclicals_vs_defensives: pd.Series | None) -> ClaimResult:
    """Claim 7: the seven mega caps' contribution ``mega_pp`` (pp) is at least
    ``MEGA_SHARE_LARGE`` of the index's return ``index_pct`` (%) over ``MEGA_WINDOW_MONTHS``,
    and breadth improves over ``LEAD_WINDOW_OBS`` trading days: equal weight beats cap weight
    (RSP/SPY up) and cyclicals beat defensives. An index return smaller than
    ``MIN_TOTAL_FOR_SHARE_PCT`` leaves the share undefined ("no data")."""
    meaningful = not index_pct.missing and abs(index_pct.value) >= MIN_TOTAL_FOR_SHARE_PCT
    share_value = mega_pp.value / index_pct.value * PERCENT if meaningful and not mega_pp.missing else math.nan
    share = Reading("mega caps' share of it", share_value, "%", mega_pp.as_of, ".0f")
    equal = change_over_obs(equal_vs_cap, LEAD_WINDOW_OBS, f"RSP/SPY, last {LEAD_WINDOW}")
    cyclical = change_over_obs(cyclicals_vs_defensives, LEAD_WINDOW_OBS, f"cyclicals/defensives, last {LEAD_WINDOW}")
    big = share.value >= MEGA_SHARE_LARGE * PERCENT
    broadening = [equal.value > 0, cyclical.value > 0]
    checks = (
        (f"mega caps delivered ≥ {MEGA_SHARE_LARGE:.0%} of the {MEGA_WINDOW_MONTHS}-month return", big),
        ("equal weight beats cap weight", broadening[0]),
        ("cyclicals beat defensives", broadening[1]),
    )
    if big and all(broadening):
        status = SUPPORTED
    elif not big and not any(broadening):
        status = NOT_SUPPORTED
    else:
        status = MIXED
    rule = (f"Supported when the seven mega caps delivered ≥ {MEGA_SHARE_LARGE:.0%} of the S&P 500's "
            f"{MEGA_WINDOW_MONTHS}-month return AND over the last {LEAD_WINDOW} both equal weight (RSP) beat cap "
            "weight (SPY) and cyclicals beat defensives; not supported when none of the three holds; mixed otherwise.")
    return _result(7, (index_pct, mega_pp, share, equal, cyclical), checks, status, rule)


# --- 8. Inflation stays above target --------------------------------------------------------------

def inflation_tension_claim(core_pce_yoy: pd.Series | None, breakeven_5y: pd.Series | None,
                            taylor_gap: pd.Series | None) -> ClaimResult:
    """Claim 8: core PCE YoY (percent) above ``INFLATION_TARGET``, backed by the 5-year
    breakeven above ``BREAKEVEN_ABOVE_PCT`` or policy looser than the Taylor rule (gap =
    policy − rule < 0, pp)."""
    core = latest_reading(core_pce_yoy, "core PCE YoY", "%")
    breakeven = latest_reading(breakeven_5y, "5-year breakeven", "%")
    gap = latest_reading(taylor_gap, "Taylor gap (policy − rule)", " pp", "+.2f")
    above = core.value > INFLATION_TARGET
    backing = [breakeven.value > BREAKEVEN_ABOVE_PCT, gap.value < TAYLOR_LOOSE_BELOW_PP]
    checks = (
        (f"core PCE above {INFLATION_TARGET:.0f}%", above),
        (f"5-year breakeven above {BREAKEVEN_ABOVE_PCT:.1f}%", backing[0]),
        ("policy looser than the Taylor rule", backing[1]),
    )
    if above:
        status = SUPPORTED if any(backing) else MIXED
    else:
        status = MIXED if all(backing) else NOT_SUPPORTED
    rule = (f"Supported when core PCE YoY > {INFLATION_TARGET:.0f}% AND either the 5-year breakeven > "
            f"{BREAKEVEN_ABOVE_PCT:.1f}% (CPI-based: target + {CPI_PCE_WEDGE_PP:.1f} pp CPI–PCE wedge) or policy sits "
            "below the Taylor rule; mixed when only core PCE is above target, or it is not but both others "
            "point to inflation; not supported otherwise.")
    return _result(8, (core, breakeven, gap), checks, status, rule)


def verdict_counts(results) -> dict[str, int]:
    """How many claims have each status, in ``STATUSES`` order."""
    statuses = [r.status for r in results]
    return {status: statuses.count(status) for status in STATUSES}
