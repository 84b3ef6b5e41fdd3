"""The narrative scorecard (ANALYTICS.md, "The narrative scorecard"): nine claims, one rule each,
scored on any number of dates at once.

Everything here is vectorised over *evaluation days*: a claim is scored on one day (the cards)
or on every month-end since 2000 (the verdict history) by the same code, so the two can never
disagree. The inputs are ``Track``s: a reading's value on each evaluation day, with the date of
the observation it comes from and, for changes, the date the window starts. ``track()`` builds
one from a series and the date each observation was published (``analytics.calendar``), so a
day only ever sees what was public on it.

Each rule weighs evidence for AND against its claim. A signal votes ``FOR`` (+1), ``AGAINST``
(−1) or ``NEUTRAL`` (0, inside its noise band); the bands are the module constants below and
each is defended where it is defined. A claim is "supported" when the votes add up to its
``need`` (and its essential signal votes for it), "not supported" when they add up to zero or
less, "mixed" in between; claim 8 says plainly when inflation is above target. A missing
reading makes the claim "no data" and names it.

Conventions: levels and rates in percent, changes in percentage points (pp) or basis points
(bp) as named. Changes over months are by date (the last value minus the last value dated on
or before ``last date − months``); changes over trading days by row count, like the pages'
"last 3M" (``analytics.breadth.WINDOWS``). Window labels carry the dates actually used.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics.breadth import WINDOWS, record_highs
from analytics.calendar import known_counts
from analytics.cuts import CUTS_PRICED_MIN, PRICES_CUTS, PRICES_HIKES, PRICES_NO_CLEAR_MOVE, priced_move
from analytics.inflation import INFLATION_TARGET
from analytics.labor import SAHM_RISING_MONTHS
from analytics.transforms import BP_PER_PERCENTAGE_POINT, DAYS_PER_YEAR, PERCENT

SUPPORTED, MIXED, NOT_SUPPORTED, NO_DATA = "supported", "mixed", "not supported", "no data"
STATUSES = (SUPPORTED, MIXED, NOT_SUPPORTED, NO_DATA)
FOR, NEUTRAL, AGAINST = 1, 0, -1
VOTE_DECIMALS = 9  # float noise below this is not evidence
MOVE_VOTES = {PRICES_CUTS: FOR, PRICES_NO_CLEAR_MOVE: NEUTRAL, PRICES_HIKES: AGAINST}  # claim 1

# --- Rules: thresholds, noise bands and windows (each shown on its card) ----------------------

# 1. Cuts priced, in 25 bp moves: ``analytics.cuts.priced_move`` is the one rule (more than
#    CUTS_PRICED_MIN either way) the Fed path headline, the inflation page's flag and this
#    claim share; the horizon is whatever the method covers (``analytics.rates``).
# 2. The 2-year yield against the policy rate (EFFR), and its move over a window. 10 bp is
#    about two days of normal 2-year volatility: smaller gaps and moves are noise.
YIELD_WINDOW_MONTHS = 3
YIELD_BAND_BP = 10.0
# 3. Labour market. UNRATE's monthly change has a sampling error of about 0.2 pp (BLS), so a
#    12-month move smaller than that is noise either way. A 3-month average payroll change is
#    revised by tens of thousands between releases; 50k a month is beyond the revisions. The
#    Sahm indicator moves in steps of 0.03 pp; 0.1 pp over 3 months is a real drift.
UNRATE_WINDOW_MONTHS = 12
UNRATE_BAND_PP = 0.2
PAYROLL_TREND_MONTHS = 6
PAYROLL_BAND_K = 50.0
SAHM_WINDOW_MONTHS = SAHM_RISING_MONTHS
SAHM_BAND_PP = 0.1
# 4. Small caps lead: RS (Russell 2000 / S&P 500) over the last 3 months — a ratio moving less
#    than 0.5% in 3 months is flat — and the Russell 2000's distance from its all-time high:
#    within 5% counts as "near a record", more than 10% below as far from one.
LEAD_WINDOW = "3M"
LEAD_WINDOW_OBS = WINDOWS[LEAD_WINDOW]
LEAD_BAND_PCT = 0.5
NEAR_HIGH_PCT = 5.0
FAR_FROM_HIGH_PCT = 10.0
RECORDS_WINDOW = "12M"
RECORDS_WINDOW_OBS = WINDOWS[RECORDS_WINDOW]
# 5. Rate sensitivity: 63-day rolling β of Δln(RUT/SPX) on ΔDGS2, % per +10 bp, and its
#    correlation. |β| < 0.10% per 10 bp is a rounding error on a day's relative move; |ρ| <
#    0.2 means the 2-year explains less than 4% of the daily variance.
BETA_WINDOW_OBS = WINDOWS["3M"]
BETA_BAND = 0.10
CORR_BAND = 0.20
# 6. Speculation: IWM/IJR over the last 3 months (band as claim 4), and credit judged against
#    the high-yield spread's own history: its percentile among the last 5 years of closes
#    (bottom third = easy, top third = tight; a fixed level such as 3.5% was "easy" in 30 of
#    32 recent months and never bit), and its 3-month change (25 bp is about a month of
#    ordinary HY spread drift).
HY_HISTORY_OBS = 5 * WINDOWS["12M"]
HY_EASY_PERCENTILE = 100 / 3
HY_TIGHT_PERCENTILE = 200 / 3
HY_WINDOW_MONTHS = 3
HY_BAND_BP = 25.0
# 7. Hybrid: the seven mega caps weigh about a third of the S&P 500, so delivering 40% or more
#    of its 12-month return is outsized and 25% or less is less than their weight. Breadth:
#    RSP/SPY and cyclicals/defensives over 3 months, band as claim 4. An index return below
#    0.5% leaves "share of the return" meaningless ("no data").
MEGA_WINDOW_MONTHS = 12
MEGA_SHARE_LARGE = 0.40
MEGA_SHARE_SMALL = 0.25
MIN_TOTAL_FOR_SHARE_PCT = 0.5
#    Earned or re-rated (``analytics.decomposition.trailing_earnings_split``, SEC filings): over
#    the same 12 months, the mega caps' cap-weighted TTM EPS growth minus their P/E change, in
#    log points. 5 is one filing's worth: a quarter that grows 20% a year replaces its year-ago
#    quarter and moves TTM EPS about 5%, so a smaller gap is within the timing of one filing.
#    Only gains can be earned or re-rated: when the mega caps fell over the window the check is
#    neutral. The claim's first half is "carried by earnings", so its support needs this check
#    for: with no SEC data (before 2010, or no SEC_USER_AGENT) it is neutral and the claim at best
#    mixed.
EARNED_BAND_PP = 5.0
# 8. Inflation: core PCE YoY is "above target" when more than 0.3 pp over 2% — beyond the
#    revisions and month-to-month wobble of the YoY rate — and below it under 1.7%. The 5-year
#    breakeven is CPI-based and CPI runs about 0.3 pp above PCE, so its target is 2.3%, with the
#    same band. Taylor gap = policy − rule: below −0.5 pp policy is looser than the rule, above
#    +0.5 pp tighter (half a point is the spread of r* estimates around its default).
TARGET_BAND_PP = 0.3
CPI_PCE_WEDGE_PP = 0.3
BREAKEVEN_TARGET_PCT = INFLATION_TARGET + CPI_PCE_WEDGE_PP
TAYLOR_BAND_PP = 0.5
# 9. Macro days (``analytics.events``): over the last MACRO_WINDOW_YEARS of macro days (FOMC,
#    CPI, jobs, PCE: about 130 days, enough for a β interval near ±0.3 pp and short enough to
#    show a regime such as 2022's), the S&P 500's β per +10 bp in the 2-year yield counts for
#    the claim only when its 95% interval lies below zero and against when it lies above: an
#    interval that spans zero is noise by the study's own measure. The correlation uses claim
#    5's ±0.20 band. "Small caps most": the Russell 2000 minus S&P 500 β beyond claim 5's
#    ±0.10% band. The β is essential: without it the other two cannot support the claim.
MACRO_WINDOW_YEARS = 3

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
    9: ("Stocks trade the cost of capital on macro days",
        "When Fed decisions and data releases move the two-year yield, stocks move the other way, small caps most."),
}


# --- Readings on one day, and over many -------------------------------------------------------

def _date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


@dataclass(frozen=True)
class Reading:
    """One number on a card: its label, value, units, format, the date of the observation it
    comes from and, for a change, the date its window starts (``since``)."""

    label: str
    value: float
    units: str = ""
    as_of: dt.date | None = None
    fmt: str = ".2f"
    since: dt.date | None = None

    @property
    def missing(self) -> bool:
        return self.value is None or math.isnan(self.value)

    @property
    def value_text(self) -> str:
        """'2-year change since 2026-05-20 −12 bp' ('n/a' for a missing value), without the date."""
        label = f"{self.label} since {self.since:%Y-%m-%d}" if self.since and not self.missing else self.label
        return f"{label} n/a" if self.missing else f"{label} {self.value:{self.fmt}}{self.units}"

    @property
    def text(self) -> str:
        """'2-year yield 4.19% (2026-08-20)'."""
        return f"{self.value_text} ({self.as_of:%Y-%m-%d})" if self.as_of and not self.missing else self.value_text


@dataclass(frozen=True)
class Track:
    """A reading on each evaluation day: ``values`` and ``dates`` (the observation used; NaT
    when none) share the days' index; ``since`` (window start per day) is None for levels."""

    label: str
    values: pd.Series
    dates: pd.Series
    units: str = ""
    fmt: str = ".2f"
    since: pd.Series | None = None

    def at(self, day) -> Reading:
        """The reading on evaluation day ``day`` (one of the track's days)."""
        value = float(self.values.loc[day])
        since = _date(self.since.loc[day]) if self.since is not None else None
        return Reading(self.label, value, self.units, _date(self.dates.loc[day]), self.fmt, since)


def _days(days) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(list(days) if not isinstance(days, pd.Index) else days), name="day")


def track(series: pd.Series | None, days, label: str, units: str = "", fmt: str = ".2f",
          published: pd.Series | None = None, since: pd.Series | None = None) -> Track:
    """``series`` read on each of ``days``: its last non-NaN observation published by that day.

    ``published``: the publication date of each observation (indexed like ``series``; None =
    each observation's own date, as for daily market data; an observation without a date is
    never public); it must be non-decreasing along
    the index, which ``analytics.calendar.publication_dates`` guarantees, so "published by D"
    is a prefix. ``since``: the window start of each observation (a change's earlier date).
    No observation by a day → NaN value and NaT date.
    """
    index = _days(days)
    known = series.dropna() if series is not None else pd.Series(dtype=float)
    public = pd.DatetimeIndex(known.index)
    if published is not None:
        stamps = published.reindex(known.index)
        known, public = known[stamps.notna()], pd.DatetimeIndex(stamps.dropna())
    position = known_counts(public, index) - 1
    found = position >= 0
    if not found.any():
        empty = pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
        return Track(label, pd.Series(np.nan, index=index), empty, units, fmt, empty if since is not None else None)
    take = np.maximum(position, 0)
    values = pd.Series(np.where(found, known.to_numpy(dtype=float)[take], np.nan), index=index)
    dates = pd.Series(known.index[take], index=index).where(found)
    window = None
    if since is not None:
        window = pd.Series(pd.DatetimeIndex(since.reindex(known.index))[take], index=index).where(found)
    return Track(label, values, dates, units, fmt, window)


# --- Changes over windows, as series over observations (then read with ``track``) -------------

def change_over_months(series: pd.Series, months: int, scale: float = 1.0) -> tuple[pd.Series, pd.Series]:
    """(x_t − x_s)·``scale`` and s per observation t, s = the last observation dated on or before
    t − ``months`` calendar months (NaN / NaT when the series starts after it). Backward-looking
    only, so the value at t is the same on any prefix of the series that contains t."""
    known = series.dropna().astype(float)
    targets = known.index - pd.DateOffset(months=months)
    position = known.index.searchsorted(targets, side="right") - 1
    found = position >= 0
    earlier = np.where(found, known.to_numpy()[np.maximum(position, 0)], np.nan)
    starts = np.where(found, known.index.to_numpy()[np.maximum(position, 0)], np.datetime64("NaT"))
    change = pd.Series((known.to_numpy() - earlier) * scale, index=known.index)
    return change, pd.Series(pd.DatetimeIndex(starts), index=known.index)


def change_over_obs_pct(series: pd.Series, window: int) -> tuple[pd.Series, pd.Series]:
    """(P_t / P_{t−window} − 1)·100 and the date of P_{t−window}, per observation (NaN values
    dropped first; NaN / NaT for the first ``window`` rows)."""
    known = series.dropna().astype(float)
    change = (known / known.shift(window) - 1.0) * PERCENT
    starts = pd.Series(known.index, index=known.index).shift(window)
    return change, starts


def records_in_window(level: pd.Series, window: int) -> tuple[pd.Series, pd.Series]:
    """Record closes (``record_highs``) among the last ``window`` observations (fewer at the
    start), and the date of the first of them, per observation."""
    known = level.dropna()
    count = record_highs(known).astype(float).rolling(window, min_periods=1).sum()
    first = pd.Series(known.index, index=known.index).shift(window - 1).fillna(known.index[0] if len(known) else pd.NaT)
    return count, first


def trailing_percentile(series: pd.Series, window: int) -> pd.Series:
    """Percentile (0–100) of each value among the last ``window`` observations including itself:
    100·(rank − 1)/(n − 1) with average ranks (0 = the lowest of the window, 100 = the highest);
    NaN until a full window exists."""
    known = series.dropna().astype(float)
    rank = known.rolling(window).rank(method="average")
    return (rank - 1.0) / (window - 1) * PERCENT


# --- Votes and statuses -------------------------------------------------------------------------

@dataclass(frozen=True)
class Signal:
    """One check of a rule: what it tests in words and its vote on each day (+1 for the claim,
    −1 against, 0 inside the noise band, NaN when its reading is missing)."""

    text: str
    votes: pd.Series


def vote(value: pd.Series, for_at: float, against_at: float, strict: bool = False) -> pd.Series:
    """+1 where ``value`` is at or beyond ``for_at``, −1 at or beyond ``against_at``, 0 between
    (``strict``: strictly beyond, for rules that say "more than").

    The direction is read from the thresholds: ``for_at < against_at`` means low values support
    the claim (e.g. a falling yield), ``for_at > against_at`` high values. NaN stays NaN.
    Values and thresholds are rounded to ``VOTE_DECIMALS`` first, so a one-decimal rate rising
    3.7 → 3.9 is exactly the 0.2 pp band, not 0.19999999999999973 (inside it), and 2.3 + 0.3 is 2.6.
    """
    values = np.round(value.to_numpy(dtype=float), VOTE_DECIMALS)
    sign = 1.0 if for_at > against_at else -1.0  # compare sign·value: high is for
    high = sign * values
    low = (sign * round(for_at, VOTE_DECIMALS), sign * round(against_at, VOTE_DECIMALS))
    beyond_for = high > low[0] if strict else high >= low[0]
    beyond_against = high < low[1] if strict else high <= low[1]
    out = np.where(beyond_for, FOR, np.where(beyond_against, AGAINST, NEUTRAL)).astype(float)
    return pd.Series(np.where(np.isnan(values), np.nan, out), index=value.index)


def weigh(signals: tuple[Signal, ...], need: int, essential: Signal | tuple[Signal, ...] | None = None) -> pd.Series:
    """Status per day from the net vote (for − against): ``SUPPORTED`` when it reaches ``need``
    (and each ``essential`` signal, if given, votes for), ``NOT_SUPPORTED`` when it is zero or less, else
    ``MIXED``. Missing votes are dealt with by ``_result`` ("no data")."""
    net = sum(s.votes.fillna(0) for s in signals)
    strong = net >= need
    for signal in essential if isinstance(essential, tuple) else (essential,) if essential else ():
        strong &= signal.votes == FOR
    return pd.Series(np.where(strong, SUPPORTED, np.where(net <= 0, NOT_SUPPORTED, MIXED)), index=net.index)


# --- Scored claims ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ClaimResult:
    """A scored claim on one day: what it says, how it stands, on which numbers, by which rule.

    ``checks``: (condition in words, vote) with vote +1 for, −1 against, 0 neutral.
    """

    number: int
    title: str
    claim: str
    status: str
    readings: tuple[Reading, ...]
    checks: tuple[tuple[str, int], ...]
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


@dataclass(frozen=True)
class ClaimTrack:
    """A claim scored on every evaluation day: its readings, signals, status per day and rule."""

    number: int
    readings: tuple[Track, ...]
    signals: tuple[Signal, ...]
    status: pd.Series
    rule: str
    optional: tuple[str, ...] = ()  # labels of readings that may be n/a (their signal is then neutral)

    def at(self, day) -> ClaimResult:
        """The card of evaluation day ``day``."""
        day = pd.Timestamp(day)
        title, claim = CLAIM_TEXT[self.number]
        readings = tuple(t.at(day) for t in self.readings)
        missing = tuple(r.label for r in readings if r.missing and r.label not in self.optional)
        if missing:
            return ClaimResult(self.number, title, claim, NO_DATA, readings, (), self.rule, missing)
        checks = tuple((s.text, int(s.votes.loc[day])) for s in self.signals)
        return ClaimResult(self.number, title, claim, str(self.status.loc[day]), readings, checks, self.rule)


def _claim(number: int, readings: tuple[Track, ...], signals: tuple[Signal, ...], status: pd.Series,
           rule: str, optional: tuple[Track, ...] = ()) -> ClaimTrack:
    """Assemble a ``ClaimTrack``; a day with any reading missing is "no data", except the
    ``optional`` readings (also among ``readings``), whose signals vote neutral without them."""
    missing = np.zeros(len(status), dtype=bool)
    for t in readings:
        if not any(t is o for o in optional):
            missing |= t.values.isna().to_numpy()
    labels = tuple(t.label for t in optional)
    return ClaimTrack(number, readings, signals, status.where(~missing, NO_DATA), rule, labels)


def unscored_claim(number: int, reason: str) -> ClaimResult:
    """Claim ``number`` as "no data" because its inputs could not be turned into readings
    (``reason`` says which and why); the other claims are scored as usual."""
    title, claim = CLAIM_TEXT[number]
    return ClaimResult(number, title, claim, NO_DATA, (), (), "Not scored.", (reason,))


def _band(against: str, unit: str, band: float, fmt: str = ".1f") -> str:
    return f" ({against} by {band:{fmt}}{unit} or more counts against)"


# --- 1. Markets price further cuts -------------------------------------------------------------

def cuts_priced_claim(cuts: Track, method: str) -> ClaimTrack:
    """Claim 1: more than ``CUTS_PRICED_MIN`` 25 bp cuts priced (``cuts``; negative = hikes)
    supports it, more than that many hikes counts against, in between is no clear move: the
    one rule ``analytics.cuts.priced_move``, so the card, the Fed path headline and the
    inflation page's flag always agree."""
    votes = cuts.values.map(priced_move).map(MOVE_VOTES).where(cuts.values.notna())
    signal = Signal(f"more than {CUTS_PRICED_MIN:g} cuts priced (more than {CUTS_PRICED_MIN:g} hikes counts against)",
                    votes.astype(float))
    rule = (f"Supported when more than {CUTS_PRICED_MIN:g} cuts of 25 bp are priced; not supported when more "
            f"than {CUTS_PRICED_MIN:g} hikes are or no clear move is priced. Method: {method}; the horizon in the "
            "reading is what the method covers.")
    return _claim(1, (cuts,), (signal,), weigh((signal,), 1), rule)


# --- 2. Treasury yields confirm -----------------------------------------------------------------

def yields_confirm_claim(level: Track, policy: Track, move_bp: Track) -> ClaimTrack:
    """Claim 2: the 2-year yield ``level`` (percent) against the policy rate ``policy`` (percent),
    and its change ``move_bp`` (bp) over ``YIELD_WINDOW_MONTHS``; both with a ±``YIELD_BAND_BP``
    noise band."""
    gap_bp = (level.values - policy.values) * BP_PER_PERCENTAGE_POINT
    signals = (
        Signal(f"2-year yield {YIELD_BAND_BP:.0f} bp or more below the policy rate"
               + _band("above it", " bp", YIELD_BAND_BP, ".0f"), vote(gap_bp, -YIELD_BAND_BP, YIELD_BAND_BP)),
        Signal(f"2-year yield down {YIELD_BAND_BP:.0f} bp or more over {YIELD_WINDOW_MONTHS} months"
               + _band("up", " bp", YIELD_BAND_BP, ".0f"), vote(move_bp.values, -YIELD_BAND_BP, YIELD_BAND_BP)),
    )
    rule = (f"Supported when the 2-year yield is at least {YIELD_BAND_BP:.0f} bp below the policy rate AND fell "
            f"at least {YIELD_BAND_BP:.0f} bp over {YIELD_WINDOW_MONTHS} months; a yield that far above the rate, or "
            "rising that much, counts against. Not supported when the evidence against weighs as much as the "
            "evidence for; mixed otherwise.")
    return _claim(2, (level, policy, move_bp), signals, weigh(signals, 2), rule)


# --- 3. The labour market is slowing ------------------------------------------------------------

def labour_slowing_claim(unrate: Track, u_change: Track, payrolls: Track, p_change: Track,
                         s_change: Track) -> ClaimTrack:
    """Claim 3: UNRATE (percent) and its change over ``UNRATE_WINDOW_MONTHS`` (pp), the 3-month
    average payroll change (k/month) and its change over ``PAYROLL_TREND_MONTHS`` (k), the Sahm
    indicator's change over ``SAHM_WINDOW_MONTHS`` (pp). Each change votes with its band."""
    signals = (
        Signal(f"unemployment up {UNRATE_BAND_PP:.1f} pp or more on {UNRATE_WINDOW_MONTHS} months"
               + _band("down", " pp", UNRATE_BAND_PP), vote(u_change.values, UNRATE_BAND_PP, -UNRATE_BAND_PP)),
        Signal(f"payroll growth {PAYROLL_BAND_K:.0f}k/month or more slower than {PAYROLL_TREND_MONTHS} months ago"
               + _band("faster", "k", PAYROLL_BAND_K, ".0f"), vote(p_change.values, -PAYROLL_BAND_K, PAYROLL_BAND_K)),
        Signal(f"Sahm indicator up {SAHM_BAND_PP:.1f} pp or more on {SAHM_WINDOW_MONTHS} months"
               + _band("down", " pp", SAHM_BAND_PP), vote(s_change.values, SAHM_BAND_PP, -SAHM_BAND_PP)),
    )
    rule = (f"Three signals, each with a noise band: unemployment ±{UNRATE_BAND_PP:.1f} pp on {UNRATE_WINDOW_MONTHS} "
            f"months; the 3-month average payroll change ±{PAYROLL_BAND_K:.0f}k vs {PAYROLL_TREND_MONTHS} months ago; "
            f"the Sahm indicator ±{SAHM_BAND_PP:.1f} pp on {SAHM_WINDOW_MONTHS} months. Slowing counts for, "
            "strengthening against. Supported when the net count (for − against) is 2 or more; not supported "
            "at 0 or less; mixed at 1.")
    readings = (unrate, u_change, payrolls, p_change, s_change)
    return _claim(3, readings, signals, weigh(signals, 2), rule)


# --- 4. Small caps lead and set records ---------------------------------------------------------

def small_caps_lead_claim(lead: Track, distance: Track, records: Track) -> ClaimTrack:
    """Claim 4: RS = Russell 2000 / S&P 500 change over ``LEAD_WINDOW_OBS`` trading days (%),
    the Russell 2000's distance from its all-time high (%, ≤ 0) and its record closes in the
    last ``RECORDS_WINDOW_OBS`` days (shown, not voted)."""
    signals = (
        Signal(f"RS up {LEAD_BAND_PCT:.1f}% or more over {LEAD_WINDOW}" + _band("down", "%", LEAD_BAND_PCT),
               vote(lead.values, LEAD_BAND_PCT, -LEAD_BAND_PCT)),
        Signal(f"Russell 2000 within {NEAR_HIGH_PCT:.0f}% of its record ({FAR_FROM_HIGH_PCT:.0f}% or more "
               "below counts against)", vote(distance.values, -NEAR_HIGH_PCT, -FAR_FROM_HIGH_PCT)),
    )
    rule = (f"Supported when small caps gained {LEAD_BAND_PCT:.1f}% or more on large caps over the last "
            f"{LEAD_WINDOW} ({LEAD_WINDOW_OBS} trading days) AND the Russell 2000 is within {NEAR_HIGH_PCT:.0f}% "
            f"of its all-time high; lagging by as much, or sitting {FAR_FROM_HIGH_PCT:.0f}% or more below the "
            "high, counts against. Not supported when against weighs as much as for; mixed otherwise.")
    return _claim(4, (lead, distance, records), signals, weigh(signals, 2), rule)


# --- 5. Small caps are the rate-sensitive segment -----------------------------------------------

def rate_sensitive_claim(beta_per_10bp: Track, corr: Track) -> ClaimTrack:
    """Claim 5: the ``BETA_WINDOW_OBS``-day rolling β of Δln(RUT/SPX) on ΔDGS2 (% per +10 bp)
    and its correlation; negative beyond the bands supports it, positive beyond them counts
    against."""
    signals = (
        Signal(f"β at or below {-BETA_BAND:+.2f}% per +10 bp (at or above {BETA_BAND:+.2f}% counts against)",
               vote(beta_per_10bp.values, -BETA_BAND, BETA_BAND)),
        Signal(f"correlation at or below {-CORR_BAND:+.2f} (at or above {CORR_BAND:+.2f} counts against)",
               vote(corr.values, -CORR_BAND, CORR_BAND)),
    )
    rule = (f"{BETA_WINDOW_OBS}-day rolling regression of small caps' relative return on 2-year yield changes. "
            f"Supported when β ≤ {-BETA_BAND:+.2f}% per +10 bp AND correlation ≤ {-CORR_BAND:+.2f}; the same "
            "the other way counts against; smaller values are noise. Not supported when against weighs as "
            "much as for; mixed otherwise.")
    return _claim(5, (beta_per_10bp, corr), signals, weigh(signals, 2), rule)


# --- 6. Unprofitable small caps lead: risk-on ----------------------------------------------------

def speculation_claim(lead: Track, spread: Track, percentile: Track, move_bp: Track) -> ClaimTrack:
    """Claim 6: IWM/IJR (unscreened vs earnings-screened small caps) change over
    ``LEAD_WINDOW_OBS`` days (%); the high-yield spread (percent), its percentile among the
    last ``HY_HISTORY_OBS`` closes and its change over ``HY_WINDOW_MONTHS`` (bp). The lead is
    essential: credit alone cannot make the claim supported."""
    signals = (
        Signal(f"IWM/IJR up {LEAD_BAND_PCT:.1f}% or more over {LEAD_WINDOW}" + _band("down", "%", LEAD_BAND_PCT),
               vote(lead.values, LEAD_BAND_PCT, -LEAD_BAND_PCT)),
        Signal("HY spread in the bottom third of its last 5 years (top third counts against)",
               vote(percentile.values, HY_EASY_PERCENTILE, HY_TIGHT_PERCENTILE)),
        Signal(f"HY spread {HY_BAND_BP:.0f} bp or more tighter over {HY_WINDOW_MONTHS} months"
               + _band("wider", " bp", HY_BAND_BP, ".0f"), vote(move_bp.values, -HY_BAND_BP, HY_BAND_BP)),
    )
    rule = (f"Supported when IWM/IJR rose {LEAD_BAND_PCT:.1f}% or more over the last {LEAD_WINDOW} AND credit adds "
            "at least as much for as against: the high-yield spread judged against its own last 5 years (bottom "
            f"third easy, top third tight) and its {HY_WINDOW_MONTHS}-month change (±{HY_BAND_BP:.0f} bp). Not "
            "supported when against weighs as much as for; mixed otherwise.")
    status = weigh(signals, 2, essential=signals[0])
    return _claim(6, (lead, spread, percentile, move_bp), signals, status, rule)


# --- 7. The S&P 500 is a hybrid ------------------------------------------------------------------

def mega_share(mega_pp: Track, index_pct: Track) -> Track:
    """The seven's share of the index return, % = contribution (pp) / index return (%) · 100;
    NaN when |index return| < ``MIN_TOTAL_FOR_SHARE_PCT``."""
    meaningful = index_pct.values.abs() >= MIN_TOTAL_FOR_SHARE_PCT
    share = (mega_pp.values / index_pct.values * PERCENT).where(meaningful)
    return Track("mega caps' share of it", share, mega_pp.dates, "%", ".0f")


def earned_votes(eps_pct: pd.Series, multiple_pct: pd.Series) -> pd.Series:
    """"Gains earned" per day: only where the price rose (price = eps + multiple > 0, log points),
    +1 when EPS growth beats the P/E change by ``EARNED_BAND_PP`` or more, −1 the other way round,
    else 0; a fall has no gains to call earned or re-rated (0), and so has a day without a split."""
    rose = (eps_pct + multiple_pct) > 0
    return vote(eps_pct - multiple_pct, EARNED_BAND_PP, -EARNED_BAND_PP).where(rose, NEUTRAL).fillna(NEUTRAL)


def hybrid_claim(index_pct: Track, mega_pp: Track, equal: Track, cyclical: Track, eps: Track,
                 multiple: Track, filers: Track | None = None) -> ClaimTrack:
    """Claim 7: the seven mega caps' contribution ``mega_pp`` (pp) as a share of the index's
    return ``index_pct`` (%) over ``MEGA_WINDOW_MONTHS``; over the same months their cap-weighted
    TTM EPS growth ``eps`` and P/E change ``multiple`` (log points; optional: neutral when no
    SEC data); breadth over ``LEAD_WINDOW_OBS`` days: RSP/SPY and cyclicals/defensives changes
    (%). The mega caps' share and "earned" are essential. ``filers``: how many mega caps the
    split averages on each day (optional, shown before the split)."""
    share = mega_share(mega_pp, index_pct)
    earned = earned_votes(eps.values, multiple.values)
    signals = (
        Signal(f"mega caps delivered {MEGA_SHARE_LARGE:.0%} or more of the return ({MEGA_SHARE_SMALL:.0%} or less "
               "counts against)", vote(share.values, MEGA_SHARE_LARGE * PERCENT, MEGA_SHARE_SMALL * PERCENT)),
        Signal(f"their gains earned: with the mega caps up, EPS growth beat the P/E change by {EARNED_BAND_PP:.0f} "
               f"log points or more (the reverse by {EARNED_BAND_PP:.0f} counts against; a fall, or no split, is "
               "neutral)", earned),
        Signal(f"equal weight beats cap weight by {LEAD_BAND_PCT:.1f}% or more" + _band("lags", "%", LEAD_BAND_PCT),
               vote(equal.values, LEAD_BAND_PCT, -LEAD_BAND_PCT)),
        Signal(f"cyclicals beat defensives by {LEAD_BAND_PCT:.1f}% or more" + _band("lag", "%", LEAD_BAND_PCT),
               vote(cyclical.values, LEAD_BAND_PCT, -LEAD_BAND_PCT)),
    )
    rule = (f"Supported when the seven mega caps delivered ≥ {MEGA_SHARE_LARGE:.0%} of the S&P 500's "
            f"{MEGA_WINDOW_MONTHS}-month return, their gains were earned (they rose, and their cap-weighted TTM EPS "
            f"growth from SEC filings beat their P/E change by {EARNED_BAND_PP:.0f} log points or more), AND breadth adds more for "
            f"than against over the last {LEAD_WINDOW}: equal weight (RSP) vs cap weight (SPY), cyclicals vs "
            f"defensives (±{LEAD_BAND_PCT:.1f}%). A share of {MEGA_SHARE_SMALL:.0%} or less, gains mostly re-rated, "
            "or breadth narrowing count against. Not supported when against weighs as much as for; mixed "
            "otherwise (also whenever no SEC earnings were filed yet).")
    status = weigh(signals, 3, essential=(signals[0], signals[1]))
    split = (eps, multiple) if filers is None else (filers, eps, multiple)
    return _claim(7, (index_pct, mega_pp, share, *split, equal, cyclical), signals, status, rule, optional=split)


# --- 8. Inflation stays above target --------------------------------------------------------------

def inflation_tension_claim(core: Track, breakeven: Track, gap: Track) -> ClaimTrack:
    """Claim 8: core PCE YoY (percent) against ``INFLATION_TARGET`` ± ``TARGET_BAND_PP``, backed
    (or not) by the 5-year breakeven (percent) against ``BREAKEVEN_TARGET_PCT`` ± the same band
    and the Taylor gap (policy − rule, pp) against ±``TAYLOR_BAND_PP``.

    Core PCE decides: above the band the claim is supported unless both other signals count
    against it (then mixed); within the band it is mixed only if the other two lean for it on
    balance, else not supported; below the band it is not supported.
    """
    signals = (
        Signal(f"core PCE above {INFLATION_TARGET + TARGET_BAND_PP:.1f}% (below "
               f"{INFLATION_TARGET - TARGET_BAND_PP:.1f}% counts against)",
               vote(core.values, INFLATION_TARGET + TARGET_BAND_PP, INFLATION_TARGET - TARGET_BAND_PP, strict=True)),
        Signal(f"5-year breakeven above {BREAKEVEN_TARGET_PCT + TARGET_BAND_PP:.1f}% (below "
               f"{BREAKEVEN_TARGET_PCT - TARGET_BAND_PP:.1f}% counts against)",
               vote(breakeven.values, BREAKEVEN_TARGET_PCT + TARGET_BAND_PP, BREAKEVEN_TARGET_PCT - TARGET_BAND_PP,
                    strict=True)),
        Signal(f"policy {TAYLOR_BAND_PP:.1f} pp or more looser than the Taylor rule"
               + _band("tighter", " pp", TAYLOR_BAND_PP), vote(gap.values, -TAYLOR_BAND_PP, TAYLOR_BAND_PP)),
    )
    core_vote = signals[0].votes.fillna(0)
    backing = signals[1].votes.fillna(0) + signals[2].votes.fillna(0)
    status = pd.Series(np.select(
        [(core_vote == FOR) & (backing > -2), core_vote == FOR, (core_vote == NEUTRAL) & (backing > 0)],
        [SUPPORTED, MIXED, MIXED], NOT_SUPPORTED), index=core_vote.index)
    rule = (f"Inflation is above target when core PCE YoY exceeds {INFLATION_TARGET + TARGET_BAND_PP:.1f}% "
            f"({INFLATION_TARGET:.0f}% + {TARGET_BAND_PP:.1f} pp band) and below it under "
            f"{INFLATION_TARGET - TARGET_BAND_PP:.1f}%. Supported when it is above target, unless the 5-year "
            f"breakeven (CPI-based: target {BREAKEVEN_TARGET_PCT:.1f}%) and the Taylor gap both count against; "
            "mixed when core PCE is within the band but the other two lean towards inflation; not supported "
            "otherwise.")
    return _claim(8, (core, breakeven, gap), signals, status, rule)


# --- 9. Stocks trade the cost of capital on macro days -------------------------------------------

def macro_days_claim(beta: Track, ci_low: Track, ci_high: Track, corr: Track, small_beta: Track) -> ClaimTrack:
    """Claim 9: on the macro days of the last ``MACRO_WINDOW_YEARS``, the S&P 500's β per +10 bp
    in the 2-year yield (%) with its 95% interval (``ci_low``, ``ci_high``), the correlation, and
    the Russell 2000 − S&P 500 β (``small_beta``, %). Bands in the constants' comment."""
    interval = vote(ci_high.values, 0.0, math.inf, strict=True) + vote(ci_low.values, -math.inf, 0.0, strict=True)
    signals = (
        Signal("β's 95% interval below zero (above zero counts against; spanning zero is noise)", interval),
        Signal(f"correlation at or below {-CORR_BAND:+.2f} (at or above {CORR_BAND:+.2f} counts against)",
               vote(corr.values, -CORR_BAND, CORR_BAND)),
        Signal(f"small caps more sensitive: Russell 2000 − S&P 500 β at or below {-BETA_BAND:+.2f}% "
               f"(at or above {BETA_BAND:+.2f}% counts against)", vote(small_beta.values, -BETA_BAND, BETA_BAND)),
    )
    rule = (f"Event study over the macro days (FOMC statements, CPI, jobs and PCE releases) of the last "
            f"{MACRO_WINDOW_YEARS} years: OLS of the day's S&P 500 return on the day's 2-year yield change. Supported "
            f"when the β's 95% interval lies below zero and the correlation (≤ {-CORR_BAND:+.2f}) or the small caps' "
            "extra sensitivity agrees; the same evidence the other way counts against. Not supported when against "
            "weighs as much as for; mixed otherwise.")
    return _claim(9, (beta, ci_low, ci_high, corr, small_beta), signals, weigh(signals, 2, essential=signals[0]), rule)


def verdict_counts(results) -> dict[str, int]:
    """How many claims have each status, in ``STATUSES`` order."""
    statuses = [r.status for r in results]
    return {status: statuses.count(status) for status in STATUSES}


def verdict_changes_per_year(statuses: pd.Series) -> float:
    """How often a claim's verdict changes, per year: the number of month-to-month changes
    between scored verdicts ("no data" months are skipped) divided by the years they span."""
    scored = statuses[statuses != NO_DATA]
    if len(scored) < 2:
        return math.nan
    changes = int((scored != scored.shift()).iloc[1:].sum())
    years = (scored.index[-1] - scored.index[0]).days / DAYS_PER_YEAR
    return changes / years if years > 0 else math.nan
