"""View of the Overview (``/``): the narrative scorecard, computed from data already loaded.

``score_all()`` optionally cuts the loaded series at an as-of date, builds each claim's
inputs with the same view functions the evidence pages use, scores the eight claims
(``analytics.claims``) and pairs each with a small sparkline series. No loading, no layout,
no formulas here.

As-of mode cuts the data as it stands today: observations dated after the date are dropped
(no look-ahead), but later revisions are not undone. FRED dates a monthly observation at
the start of its month, so a month counts as known from its first day, except where the
analytics already lag it (the Taylor gap carries core PCE forward with its publication lag).

Each claim fails alone: if building one claim's inputs raises, that claim is "no data" with
the reason, and the other seven are scored as usual.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass

import pandas as pd

from analytics import claims as c
from analytics.breadth import CYCLICALS, DEFENSIVES, cyclicals_vs_defensives, relative_strength
from analytics.labor import payroll_change_3m_avg, sahm_rule
from analytics.rates import taylor_gap, taylor_rule
from analytics.transforms import yoy_pct
from components.controls import DateWindow, months_before
from components.views import market, small_caps, sp500
from components.views.common import EMPTY, has_all, series_of, shown_through, symbols
from data_sources.cache import LoadResult
from data_sources.catalogue import Key, MEGA_CAP_KEYS

log = logging.getLogger(__name__)

# The first date worth scoring: every claim needs RSP (from 2003-05) and the breakevens
# (from 2003-01) plus a year of history for its windows.
EARLIEST_AS_OF = dt.date(2005, 1, 1)
SPARK_MONTHS = 12  # daily sparklines: the last year
MONTHLY_SPARK_MONTHS = 36  # monthly sparklines: the last three years
STATUS_WORDS = {c.SUPPORTED: "supported", c.MIXED: "mixed", c.NOT_SUPPORTED: "not", c.NO_DATA: "no data"}
# Claim number -> the catalogue series its readings need (claim 1: the FedWatch path, i.e. the
# target range and the futures strip of the day, see ``claim_inputs``). Fallbacks are not
# needs: without EFFR the claims use the long DFF series; without a path the cuts claim uses
# bill forwards, else EFFR minus the 2-year yield.
CLAIM_NEEDS = {
    1: market.BAND_KEYS,
    2: (Key.t_2y, Key.effr),
    3: (Key.unrate, Key.payrolls),
    4: small_caps.INDEX_KEYS,
    5: small_caps.RATE_KEYS,
    6: (Key.iwm, Key.ijr, Key.hy_spread),
    7: (*sp500.MEGA_KEYS, *sp500.BREADTH_KEYS, *CYCLICALS, *DEFENSIVES),
    8: (Key.core_pce, Key.unrate, Key.effr, Key.breakeven_5y),
}
FALLBACK_KEYS = (Key.fed_funds_daily, *market.PATH_KEYS, *market.BILL_TENORS)


def claim_inputs(number: int, today: dt.date) -> tuple[str, ...]:
    """The series claim ``number`` is scored on when the data is as of ``today``."""
    futures = tuple(market.contract_months(today)) if number == 1 else ()
    return (*CLAIM_NEEDS[number], *futures)


def score_keys(today: dt.date) -> tuple[str, ...]:
    """Every series the scorecard reads on ``today``: each claim's inputs and the fallbacks."""
    needs = (key for number in CLAIM_NEEDS for key in claim_inputs(number, today))
    return tuple(dict.fromkeys((*needs, *FALLBACK_KEYS)))


@dataclass(frozen=True)
class ScoredClaim:
    """A scored claim and the small series its sparkline draws."""

    result: c.ClaimResult
    spark: pd.Series
    spark_label: str


@dataclass(frozen=True)
class Scorecard:
    """The eight scored claims, the date they are scored on, and how to say it."""

    claims: tuple[ScoredClaim, ...]
    as_of: dt.date
    label: str
    verdict: str


def cut_at(result: LoadResult, day) -> LoadResult:
    """``result`` with every observation dated after ``day`` dropped; series left empty go."""
    end = pd.Timestamp(day)
    series = {key: s.loc[:end] for key, s in result.series.items() if not s.loc[:end].dropna().empty}
    return LoadResult(series=series, provenance=shown_through(result, end).provenance)


def window_to(day: dt.date, months: int = SPARK_MONTHS) -> DateWindow:
    """The ``months`` calendar months up to ``day``."""
    return DateWindow(months_before(day, months), day, f"last {months} months")


def _tail(series: pd.Series | None, day: dt.date, months: int = SPARK_MONTHS) -> pd.Series:
    if series is None:
        return pd.Series(dtype=float)
    return window_to(day, months).clip(series.dropna())


def verdict_sentence(results) -> str:
    """'5 of 8 claims supported, 2 mixed, 1 not' (statuses with no claim are left out)."""
    counts = c.verdict_counts(results)
    parts = [f"{n} {STATUS_WORDS[status]}" for status, n in counts.items() if n and status != c.SUPPORTED]
    head = f"{counts[c.SUPPORTED]} of {len(results)} claims supported"
    return ", ".join([head, *parts])


# --- Per-claim inputs -------------------------------------------------------------------------


def cuts_claim(data: LoadResult, day: dt.date) -> ScoredClaim:
    """Claim 1 from the Fed path page's ``market_path`` on the (cut) data: futures if any were
    priced by ``day``, else the bill-forward or crude fallback on the (cut) bills."""
    path = market.market_path(data, day)
    if not path.path.empty:
        cuts, priced_on = path.cuts, path.futures_date.date()
        spark, spark_label = market.expected_paths(path).iloc[:, 0], "expected policy rate after each coming meeting"
    else:
        fallback_day = market.fallback_date(data.series)
        cuts, priced_on = path.cuts, fallback_day.date() if fallback_day is not None else None
        spark, spark_label = _tail(data.series.get("t_2y"), day), "2-year yield, last 12 months (no futures then)"
    reading = c.Reading(f"25 bp cuts priced over {market.horizon_words(cuts)}", cuts.cuts, "", priced_on, "+.1f")
    return ScoredClaim(c.cuts_priced_claim(reading, cuts.method), spark, spark_label)


def yields_claim(data: LoadResult, day: dt.date) -> ScoredClaim:
    t_2y = data.series.get("t_2y")
    policy = data.series.get(market.policy_rate_key(data))
    return ScoredClaim(c.yields_confirm_claim(t_2y, policy), _tail(t_2y, day), "2-year yield, last 12 months")


def labour_claim(data: LoadResult, day: dt.date) -> ScoredClaim:
    unrate, payrolls = data.series.get("unrate"), data.series.get("payrolls")
    result = c.labour_slowing_claim(
        unrate,
        payroll_change_3m_avg(payrolls) if payrolls is not None else None,
        sahm_rule(unrate) if unrate is not None else None,
    )
    return ScoredClaim(result, _tail(unrate, day, MONTHLY_SPARK_MONTHS), "unemployment rate, last 3 years")


def lead_claim(data: LoadResult, day: dt.date) -> ScoredClaim:
    rut, spx = data.series.get("rut"), data.series.get("spx")
    pair = has_all(data, small_caps.INDEX_KEYS)
    result = c.small_caps_lead_claim(relative_strength(rut, spx) if pair else None, rut)
    spark = small_caps.relative_strength_view(rut, spx, window_to(day)).frame.get("rs") if pair else None
    return ScoredClaim(result, _tail(spark, day), "Russell 2000 / S&P 500, last 12 months")


def rate_beta_claim(data: LoadResult, day: dt.date) -> ScoredClaim:
    keys = small_caps.RATE_KEYS
    obs = c.BETA_WINDOW_OBS
    view = small_caps.rate_beta_view(*series_of(data, keys), window_to(day)) if has_all(data, keys) else EMPTY
    beta = view.frame.get(small_caps.beta_column(obs))
    corr = view.frame.get(small_caps.corr_column(obs))
    result = c.rate_sensitive_claim(
        c.latest_reading(beta, f"β ({obs}-day), per +10 bp", "%", "+.2f"),
        c.latest_reading(corr, "correlation", "", "+.2f"),
    )
    return ScoredClaim(result, _tail(beta, day), f"{obs}-day β to the 2-year yield, last 12 months")


def speculation_claim(data: LoadResult, day: dt.date) -> ScoredClaim:
    ratio = relative_strength(data.series["iwm"], data.series["ijr"]) if has_all(data, ("iwm", "ijr")) else None
    result = c.speculation_claim(ratio, data.series.get("hy_spread"))
    return ScoredClaim(result, _tail(ratio, day), "IWM / IJR, last 12 months")


def mega_cap_readings(data: LoadResult, day: dt.date) -> tuple[c.Reading, c.Reading]:
    """The seven mega caps' contribution (pp) and the S&P 500's return (%) over the last
    ``MEGA_WINDOW_MONTHS``, from the S&P 500 hybrid page's ``mega_cap_view``."""
    label = f"S&P 500, last {c.MEGA_WINDOW_MONTHS} months"
    keys = (*MEGA_CAP_KEYS, "spx")
    view = EMPTY
    if has_all(data, sp500.MEGA_KEYS):
        view = sp500.mega_cap_view(data.frame(keys), data.series["spx"], sp500.share_counts(data),
                                   symbols(MEGA_CAP_KEYS), window_to(day, c.MEGA_WINDOW_MONTHS))
    if view.empty:
        return (c.Reading("mega-cap contribution", math.nan), c.Reading(label, math.nan))
    parts = view.frame["contribution_pp"]
    stamp = view.end.date()
    return (c.Reading("seven mega caps", float(parts.iloc[: len(MEGA_CAP_KEYS)].sum()), " pp", stamp, "+.1f"),
            c.Reading(label, float(parts.loc[sp500.INDEX_LABEL]), "%", stamp, "+.1f"))


def hybrid_claim(data: LoadResult, day: dt.date) -> ScoredClaim:
    mega_pp, index_pct = mega_cap_readings(data, day)
    equal = relative_strength(data.series["rsp"], data.series["spy"]) if has_all(data, ("rsp", "spy")) else None
    baskets = CYCLICALS + DEFENSIVES
    cyclical = cyclicals_vs_defensives(data.frame(baskets)) if has_all(data, baskets) else None
    result = c.hybrid_claim(mega_pp, index_pct, equal, cyclical)
    return ScoredClaim(result, _tail(equal, day), "RSP / SPY (equal vs cap weight), last 12 months")


def inflation_claim(data: LoadResult, day: dt.date) -> ScoredClaim:
    core_pce, unrate = data.series.get("core_pce"), data.series.get("unrate")
    core_yoy = yoy_pct(core_pce).rename("core_pce_yoy") if core_pce is not None else None
    policy = data.series.get(market.policy_rate_key(data))
    gap = None
    if core_yoy is not None and unrate is not None and policy is not None:
        gap = taylor_gap(policy, taylor_rule(core_yoy, unrate))
    result = c.inflation_tension_claim(core_yoy, data.series.get("breakeven_5y"), gap)
    return ScoredClaim(result, _tail(core_yoy, day, MONTHLY_SPARK_MONTHS), "core PCE inflation YoY, last 3 years")


CLAIM_BUILDERS = {1: cuts_claim, 2: yields_claim, 3: labour_claim, 4: lead_claim, 5: rate_beta_claim,
                  6: speculation_claim, 7: hybrid_claim, 8: inflation_claim}


def scored_alone(number: int, data: LoadResult, day: dt.date) -> ScoredClaim:
    """Claim ``number`` scored on ``data``; if its inputs cannot be built (odd data the views
    did not foresee), that claim alone is "no data" with the reason, and the error is logged."""
    try:
        return CLAIM_BUILDERS[number](data, day)
    except Exception as exc:  # one claim must never take the whole scorecard down
        log.exception("claim %s could not be scored", number)
        reason = f"its inputs could not be computed from the data ({type(exc).__name__})"
        return ScoredClaim(c.unscored_claim(number, reason), pd.Series(dtype=float), "")


def parse_as_of(day: dt.date | None, today: dt.date) -> dt.date | None:
    """The cut date to use: None for "today" (no date, or on/after the data's date)."""
    if day is None or day >= today:
        return None
    return max(day, EARLIEST_AS_OF)


def score_all(loaded: LoadResult, today: dt.date, as_of_date: dt.date | None = None) -> Scorecard:
    """Score every claim on ``loaded`` (``score_keys(today)`` and, without futures, the bills),
    cut at ``as_of_date`` if given (before the data's own date ``today``)."""
    cut_day = parse_as_of(as_of_date, today)
    day = cut_day or today
    data = cut_at(loaded, day) if cut_day else loaded
    scored = [scored_alone(number, data, day) for number in CLAIM_BUILDERS]
    label = (f"As the data stands today, cut at {day:%Y-%m-%d}: observations dated after it are dropped; "
             "later revisions are not undone." if cut_day else f"Scored on the data as of {day:%Y-%m-%d}.")
    return Scorecard(tuple(scored), day, label, verdict_sentence([s.result for s in scored]))


def clamp_as_of(day: dt.date | None, today: dt.date) -> tuple[dt.date | None, str | None]:
    """A requested as-of date moved into [``EARLIEST_AS_OF``, ``today``], with a note if it moved."""
    if day is None or EARLIEST_AS_OF <= day <= today:
        return day, None
    bound = min(max(day, EARLIEST_AS_OF), today)
    return bound, f"The as-of date was moved to {bound:%Y-%m-%d}: scores are available from {EARLIEST_AS_OF:%Y-%m-%d} to {today:%Y-%m-%d}."
