"""View of the Overview (``/``): the narrative scorecard and its verdict history, computed from
data already loaded.

Point in time: every monthly or weekly series carries the date each observation was first
published (``point_in_time``: ALFRED's first releases with a FRED key, else the shipped release
calendars), daily market data count from their own date. A claim is scored on a set of
evaluation days at once (``claim_track``): on one day for the cards (``score_all``), on every
month-end for the history (``verdict_history``), by the same vectorised rules
(``analytics.claims``), so the grid and the cards never disagree and a day only ever sees what
was public on it. No loading, no layout here.

Each claim fails alone: if building one claim's inputs raises, that claim is "no data" with
the reason, and the others are scored as usual.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analytics import claims as c
from analytics.breadth import CYCLICALS, DEFENSIVES, cyclicals_vs_defensives, drawdown_from_high, relative_rate_beta
from analytics.breadth import relative_strength
from analytics.calendar import claims_publication_dates, lagged_publication_dates, publication_dates, published_by
from analytics.decomposition import market_caps, trailing_contributions, trailing_earnings_split
from analytics.events import rolling_reaction
from analytics.labor import payroll_change_3m_avg, sahm_rule
from analytics.rates import taylor_rule
from analytics.transforms import BP_PER_PERCENTAGE_POINT, PERCENT, yoy_pct
from components.controls import DateWindow, months_before
from components.views import earnings, events, market, small_caps, sp500
from components.views.common import has_all
from data_sources.cache import LoadResult
from data_sources.catalogue import Key, MEGA_CAP_KEYS, STATIC_BY_KEY, ttm_eps_key

log = logging.getLogger(__name__)

# The first date worth scoring: the verdict history starts in 2000 (each claim as soon as its
# inputs allow), and an as-of link from any of its cells must open.
EARLIEST_AS_OF = dt.date(2000, 1, 1)
SPARK_MONTHS = 12  # daily sparklines: the last year
MONTHLY_SPARK_MONTHS = 36  # monthly sparklines: the last three years
STATUS_WORDS = {c.SUPPORTED: "supported", c.MIXED: "mixed", c.NOT_SUPPORTED: "not", c.NO_DATA: "no data"}
BASIS_FIRST_RELEASES = "first releases (ALFRED)"
BASIS_CALENDARS = "release calendars"
# Claim number -> the catalogue series its readings need (claim 1: the FedWatch path, i.e. the
# target range and the futures strip of the day, see ``claim_inputs``). Fallbacks are not
# needs: without EFFR the claims use the long DFF series; without a path the cuts claim uses
# the 1-year bill forward, else EFFR minus the 2-year yield.
CLAIM_NEEDS = {
    1: market.BAND_KEYS,
    2: (Key.t_2y, Key.effr),
    3: (Key.unrate, Key.payrolls),
    4: small_caps.INDEX_KEYS,
    5: small_caps.RATE_KEYS,
    6: (Key.iwm, Key.ijr, Key.hy_spread),
    7: (*sp500.MEGA_KEYS, *sp500.BREADTH_KEYS, *CYCLICALS, *DEFENSIVES),
    8: (Key.core_pce, Key.unrate, Key.effr, Key.breakeven_5y),
    9: events.EVENT_KEYS,
}
FALLBACK_KEYS = (Key.fed_funds_daily, *market.PATH_KEYS, *market.BILL_TENORS)
# Claim number -> series read when they load, never needed: claim 7's earnings check (SEC
# filings; META and TSLA have none offline, none load without SEC_USER_AGENT) votes neutral
# without them, and its card names the missing ones.
CLAIM_OPTIONAL = {7: earnings.EPS_KEYS}


def claim_inputs(number: int, today: dt.date) -> tuple[str, ...]:
    """The series claim ``number`` is scored on when the data is as of ``today``."""
    futures = tuple(market.contract_months(today)) if number == 1 else ()
    return (*CLAIM_NEEDS[number], *futures)


def claim_reads(number: int, today: dt.date) -> tuple[str, ...]:
    """Every series claim ``number`` reads on ``today``: its inputs and its optional series."""
    return (*claim_inputs(number, today), *CLAIM_OPTIONAL.get(number, ()))


def history_inputs(today: dt.date) -> tuple[str, ...]:
    """The series the verdict history is drawn from: every claim's inputs, and DFF, which
    stands in for EFFR before July 2000."""
    needs = (key for number in CLAIM_NEEDS for key in claim_inputs(number, today))
    return tuple(dict.fromkeys((*needs, Key.fed_funds_daily)))


def optional_keys() -> tuple[str, ...]:
    """Every claim's optional series (``CLAIM_OPTIONAL``), once each."""
    return tuple(dict.fromkeys(key for keys in CLAIM_OPTIONAL.values() for key in keys))


def score_keys(today: dt.date) -> tuple[str, ...]:
    """Every series the scorecard reads on ``today``: each claim's inputs and the fallbacks."""
    needs = (key for number in CLAIM_NEEDS for key in claim_inputs(number, today))
    return tuple(dict.fromkeys((*needs, *FALLBACK_KEYS, *optional_keys())))


# --- Point in time ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PointInTime:
    """Loaded data as a past day saw it: ``data`` (first-release values where ALFRED gave them)
    and, per monthly or weekly key, each observation's publication date (``published``,
    non-decreasing along the index); ``basis`` says where the dates come from; ``events``: the
    macro announcement days by type (``views.events.announcements``), public in advance."""

    data: LoadResult
    published: dict[str, pd.Series]
    basis: str
    events: dict[str, pd.DatetimeIndex] = field(default_factory=dict)

    def known(self, key: str, day) -> pd.Series | None:
        """Series ``key`` as published by ``day`` (None when not loaded)."""
        series = self.data.series.get(key)
        if series is None:
            return None
        if key in self.published:
            return published_by(series, pd.DatetimeIndex(self.published[key].reindex(series.index)), day)
        return series.loc[: pd.Timestamp(day)]


def _dates_of(key: str, index: pd.DatetimeIndex, calendars: dict[str, pd.DataFrame]) -> pd.DatetimeIndex | None:
    """Publication dates of ``key``'s observations from its catalogue release (None for series
    that count from their own date)."""
    spec = STATIC_BY_KEY.get(key)
    if spec is None or (spec.release is None and not spec.publication_lag_days):
        return None
    if spec.release == "claims":
        return claims_publication_dates(index)
    if spec.release is not None:
        return publication_dates(index, calendars[spec.release])
    return lagged_publication_dates(index, spec.publication_lag_days)


def point_in_time(loaded: LoadResult, calendars: dict[str, pd.DataFrame],
                  first_releases: dict[str, pd.DataFrame] | None = None, today: dt.date | None = None,
                  announced: dict[str, pd.DatetimeIndex] | None = None) -> PointInTime:
    """``loaded`` with publication dates: ALFRED's (``first_releases``: key -> frame with
    ``value`` and ``published``) where given, values included; else from the release calendars
    (``data_sources.calendars.read_calendar`` by release name). ``today``: the data's date; an
    observation in the data was published by then, so a later (estimated) date is capped at it.
    ``announced``: macro announcement days by type, for claim 9 (none: it is "no data")."""
    first_releases = first_releases or {}
    series, published = dict(loaded.series), {}
    for key, values in loaded.series.items():
        if key in first_releases:
            frame = first_releases[key].dropna()
            series[key] = frame["value"].rename(key)
            published[key] = pd.Series(np.maximum.accumulate(frame["published"].to_numpy()), index=frame.index)
            continue
        dates = _dates_of(key, values.index, calendars)
        if dates is not None:
            published[key] = pd.Series(dates, index=values.index)
    if today is not None:
        published = {key: dates.clip(upper=pd.Timestamp(today)) for key, dates in published.items()}
    basis = BASIS_FIRST_RELEASES if first_releases else BASIS_CALENDARS
    return PointInTime(LoadResult(series, loaded.provenance, loaded.store_problem), published, basis, announced or {})


def as_of_label(basis: str, day: dt.date) -> str:
    """What an as-of view shows, in words."""
    if basis == BASIS_FIRST_RELEASES:
        return f"As published on {day:%Y-%m-%d}: monthly and weekly data as first released, market data to that day."
    return (f"Data published by {day:%Y-%m-%d}, as revised since: each monthly or weekly figure counts from its "
            "release date (release calendars), market data from its own date.")


# --- Tracks: readings over evaluation days --------------------------------------------------------


def _track(pit: PointInTime, key: str, series: pd.Series | None, days, label: str, units: str = "",
           fmt: str = ".2f", since: pd.Series | None = None) -> c.Track:
    """``series`` (``key``'s data or derived from it alone) read on ``days`` with ``key``'s
    publication dates."""
    return c.track(series, days, label, units, fmt, pit.published.get(key), since)


def _change_track(pit: PointInTime, key: str, series: pd.Series | None, days, months: int, label: str,
                  units: str = " pp", fmt: str = "+.2f", scale: float = 1.0) -> c.Track:
    """The change of ``series`` over ``months`` calendar months, read on ``days``, with its
    window start."""
    if series is None:
        return c.track(None, days, label, units, fmt)
    change, since = c.change_over_months(series, months, scale)
    return _track(pit, key, change, days, label, units, fmt, since)


def _obs_change_track(series: pd.Series | None, days, window: int, label: str) -> c.Track:
    """% change over ``window`` trading days of a daily series, read on ``days``."""
    if series is None:
        return c.track(None, days, label, "%", "+.1f")
    change, since = c.change_over_obs_pct(series, window)
    return c.track(change, days, label, "%", "+.1f", since=since)


def cuts_track(pit: PointInTime, days: pd.DatetimeIndex) -> tuple[c.Track, str]:
    """25 bp cuts priced on each day, as ``market.market_path`` gives it on the data as of that
    day: the futures path where one was priced by then, else the bill forward to one year,
    else the crude gauge (both vectorised: ``market.fallback_series``). Label and method are
    those of the last day."""
    forward, crude = market.fallback_series(pit.data.series)
    by_forward, by_crude = c.track(forward, days, ""), c.track(crude, days, "")
    use_forward = by_forward.values.notna()
    values = by_forward.values.where(use_forward, by_crude.values)
    dates = by_forward.dates.where(use_forward, by_crude.dates)
    futures = [pit.data.series[k].index[0] for k in market.contract_months(days[-1].date()) if k in pit.data.series]
    priced = days[days >= min(futures)] if futures else days[:0]
    for day in priced.union(days[-1:]):
        path = market.market_path(_daily_cut(pit.data, day), day.date())
        if not path.path.empty:
            values.loc[day], dates.loc[day] = path.cuts.cuts, path.cuts_date
    return c.Track(f"25 bp cuts priced over {path.cuts.horizon}", values, dates, "", "+.1f"), path.cuts.method


def _daily_cut(data: LoadResult, day) -> LoadResult:
    """The daily series claim 1 reads, cut at ``day`` (it uses no monthly data)."""
    end = pd.Timestamp(day)
    keys = [*market.market_path_keys(day), *market.BILL_TENORS, Key.effr, Key.fed_funds_daily, Key.t_2y]
    return LoadResult({k: data.series[k].loc[:end] for k in dict.fromkeys(keys) if k in data.series})


def cuts_claim(pit: PointInTime, days) -> c.ClaimTrack:
    cuts, method = cuts_track(pit, days)
    return c.cuts_priced_claim(cuts, method)


def yields_claim(pit: PointInTime, days) -> c.ClaimTrack:
    t_2y = pit.data.series.get("t_2y")
    level = c.track(t_2y, days, "2-year yield", "%")
    policy = c.track(market.effective_rate(pit.data.series), days, "policy rate (EFFR)", "%")
    move = _change_track(pit, "t_2y", t_2y, days, c.YIELD_WINDOW_MONTHS, "2-year change", " bp", "+.0f",
                         BP_PER_PERCENTAGE_POINT)
    return c.yields_confirm_claim(level, policy, move)


def labour_claim(pit: PointInTime, days) -> c.ClaimTrack:
    unrate, payrolls = pit.data.series.get("unrate"), pit.data.series.get("payrolls")
    average = payroll_change_3m_avg(payrolls.dropna()) if payrolls is not None else None
    sahm = sahm_rule(unrate) if unrate is not None else None
    return c.labour_slowing_claim(
        _track(pit, "unrate", unrate, days, "unemployment", "%", ".1f"),
        _change_track(pit, "unrate", unrate, days, c.UNRATE_WINDOW_MONTHS, "unemployment change"),
        _track(pit, "payrolls", average, days, "payrolls, 3m avg", "k/month", "+,.0f"),
        _change_track(pit, "payrolls", average, days, c.PAYROLL_TREND_MONTHS, "payroll 3m-avg change", "k", "+,.0f"),
        _change_track(pit, "unrate", sahm, days, c.SAHM_WINDOW_MONTHS, "Sahm indicator change"),
    )


def lead_claim(pit: PointInTime, days) -> c.ClaimTrack:
    rut, spx = pit.data.series.get("rut"), pit.data.series.get("spx")
    pair = has_all(pit.data, small_caps.INDEX_KEYS)
    level = rut.dropna() if rut is not None else None
    lead = _obs_change_track(relative_strength(rut, spx) if pair else None, days, c.LEAD_WINDOW_OBS, "RS change")
    distance = c.track(drawdown_from_high(level) if level is not None else None, days,
                       "Russell 2000 vs its record", "%", "+.1f")
    records, since = c.records_in_window(level, c.RECORDS_WINDOW_OBS) if level is not None else (None, None)
    records = c.track(records, days, "record closes", "", ".0f", since=since)
    return c.small_caps_lead_claim(lead, distance, records)


def rate_beta_claim(pit: PointInTime, days) -> c.ClaimTrack:
    obs = c.BETA_WINDOW_OBS
    fit = (relative_rate_beta(*(pit.data.series[k] for k in small_caps.RATE_KEYS), obs)
           if has_all(pit.data, small_caps.RATE_KEYS) else pd.DataFrame(columns=["beta_per_10bp_pct", "corr"]))
    return c.rate_sensitive_claim(
        c.track(fit["beta_per_10bp_pct"], days, f"β ({obs}-day), per +10 bp", "%", "+.2f"),
        c.track(fit["corr"], days, "correlation", "", "+.2f"),
    )


def speculation_claim(pit: PointInTime, days) -> c.ClaimTrack:
    ratio = relative_strength(pit.data.series["iwm"], pit.data.series["ijr"]) if has_all(pit.data, ("iwm", "ijr")) else None
    spread = pit.data.series.get("hy_spread")
    percentile = c.trailing_percentile(spread, c.HY_HISTORY_OBS) if spread is not None else None
    return c.speculation_claim(
        _obs_change_track(ratio, days, c.LEAD_WINDOW_OBS, "IWM/IJR change"),
        c.track(spread, days, "high-yield spread", "%"),
        c.track(percentile, days, "its percentile in 5 years", "", ".0f"),
        _change_track(pit, "hy_spread", spread, days, c.HY_WINDOW_MONTHS, "spread change", " bp", "+.0f",
                      BP_PER_PERCENTAGE_POINT),
    )


def mega_window_starts(days: pd.DatetimeIndex) -> pd.DatetimeIndex:
    """Each day minus ``MEGA_WINDOW_MONTHS`` calendar months (``months_before``, for all days at once)."""
    return pd.DatetimeIndex(days).normalize() - pd.DateOffset(months=c.MEGA_WINDOW_MONTHS)


def mega_cap_tracks(pit: PointInTime, days: pd.DatetimeIndex) -> tuple[c.Track, c.Track]:
    """The S&P 500's return (%) and the seven mega caps' contribution to it (pp) over the
    ``MEGA_WINDOW_MONTHS`` up to each day, as the S&P 500 hybrid page's ``mega_cap_view``
    computes them for one window (``trailing_contributions`` does all windows at once)."""
    starts = mega_window_starts(days)
    frame = pd.DataFrame({"part": np.nan, "total": np.nan, "base": pd.NaT, "end": pd.NaT}, index=days)
    if has_all(pit.data, sp500.MEGA_KEYS):
        data = pit.data
        known, _, _, index_return = sp500.daily_contributions(
            data.frame(MEGA_CAP_KEYS), data.series["spx"], sp500.share_counts(data), list(MEGA_CAP_KEYS))
        mega = known[list(MEGA_CAP_KEYS)].sum(axis=1)
        frame = trailing_contributions(mega, index_return.loc[known.index], starts, days)
        frame.index = days
    dates = pd.Series(pd.DatetimeIndex(frame["end"]), index=days)
    since = pd.Series(pd.DatetimeIndex(frame["base"]), index=days)
    index_pct = c.Track("S&P 500 return", frame["total"] * PERCENT, dates, "%", "+.1f", since)
    mega_pp = c.Track("seven mega caps", frame["part"] * PERCENT, dates, " pp", "+.1f")
    return index_pct, mega_pp


def earnings_tracks(pit: PointInTime, days: pd.DatetimeIndex) -> tuple[c.Track, c.Track, c.Track]:
    """The mega caps' cap-weighted TTM EPS growth and P/E change (log points) over the
    ``MEGA_WINDOW_MONTHS`` up to each day, as the S&P 500 page's ``earnings_view`` splits one
    window, over the companies whose SEC EPS loaded; each end uses only EPS filed by then. And
    how many companies each day's split averages (those with TTM EPS positive at both ends)."""
    data = pit.data
    members = earnings.with_eps(data.series)
    starts = mega_window_starts(days)
    filers_label, eps_label, units = "mega caps with SEC EPS", "their EPS growth", " pts"
    filers_units = f" of {len(MEGA_CAP_KEYS)}"
    if not members or not has_all(data, (*earnings.PRICE_KEYS, *earnings.WEIGHT_KEYS)):
        return (c.track(None, days, filers_label, filers_units, ".0f"), c.track(None, days, eps_label, units, "+.1f"),
                c.track(None, days, "their P/E change", units, "+.1f"))
    prices = data.frame(members)
    split = trailing_earnings_split(prices, {k: data.series[ttm_eps_key(k)] for k in members},
                                    market_caps(prices, sp500.share_counts(data)), starts, days)
    dates = pd.Series(pd.DatetimeIndex(split["end"]), index=days)
    since = pd.Series(starts, index=days)
    averaged = split["members"].set_axis(days).astype(float).where(split["members"].to_numpy() > 0)
    return (c.Track(filers_label, averaged, dates, filers_units, ".0f"),
            c.Track(eps_label, split["eps_pct"].set_axis(days), dates, units, "+.1f", since),
            c.Track("their P/E change", split["multiple_pct"].set_axis(days), dates, units, "+.1f"))


def hybrid_claim(pit: PointInTime, days) -> c.ClaimTrack:
    index_pct, mega_pp = mega_cap_tracks(pit, days)
    data = pit.data
    equal = relative_strength(data.series["rsp"], data.series["spy"]) if has_all(data, ("rsp", "spy")) else None
    baskets = CYCLICALS + DEFENSIVES
    cyclical = cyclicals_vs_defensives(data.frame(baskets)) if has_all(data, baskets) else None
    filers, eps, multiple = earnings_tracks(pit, pd.DatetimeIndex(days))
    return c.hybrid_claim(index_pct, mega_pp,
                          _obs_change_track(equal, days, c.LEAD_WINDOW_OBS, "RSP/SPY change"),
                          _obs_change_track(cyclical, days, c.LEAD_WINDOW_OBS, "cyclicals/defensives change"),
                          eps, multiple, filers)


def taylor_rule_published(pit: PointInTime) -> tuple[pd.Series | None, pd.Series | None]:
    """The Taylor rule per month (percent, ``analytics.rates.taylor_rule`` on core PCE YoY and
    UNRATE) and the date each month's value became computable: when both inputs were out."""
    core_pce, unrate = pit.data.series.get("core_pce"), pit.data.series.get("unrate")
    if core_pce is None or unrate is None:
        return None, None
    rule = taylor_rule(yoy_pct(core_pce), unrate).dropna()
    both = [pit.published[k].reindex(rule.index) for k in ("core_pce", "unrate") if k in pit.published]
    if not both:
        return rule, None
    out = pd.concat(both, axis=1).max(axis=1)
    return rule, pd.Series(np.maximum.accumulate(pd.DatetimeIndex(out).to_numpy()), index=rule.index)


def inflation_claim(pit: PointInTime, days) -> c.ClaimTrack:
    core_pce = pit.data.series.get("core_pce")
    core_yoy = yoy_pct(core_pce) if core_pce is not None else None
    rule, published = taylor_rule_published(pit)
    policy = c.track(market.effective_rate(pit.data.series), days, "policy rate", "%")
    rule_now = c.track(rule, days, "Taylor rule", "%", published=published)
    gap = c.Track("Taylor gap (policy − rule)", policy.values - rule_now.values, policy.dates, " pp", "+.2f")
    return c.inflation_tension_claim(
        _track(pit, "core_pce", core_yoy, days, "core PCE YoY", "%"),
        c.track(pit.data.series.get("breakeven_5y"), days, "5-year breakeven", "%"),
        gap,
    )


def macro_study(pit: PointInTime) -> events.EventStudy | None:
    """The event study on the loaded indices and the announcement days (None without them)."""
    if not has_all(pit.data, events.EVENT_KEYS) or not pit.events:
        return None
    return events.event_study(*(pit.data.series[k] for k in events.EVENT_KEYS), pit.events)


def macro_reactions(study: events.EventStudy, days: pd.DatetimeIndex) -> dict[str, pd.DataFrame]:
    """``rolling_reaction`` of the S&P 500 (``spx_pct``) and of the relative return (``rel_pct``)
    over the macro days of the last ``MACRO_WINDOW_YEARS``, evaluated on the latest macro day on
    or before each of ``days`` (so a day reads the window ending at its latest macro day; each
    such window is fitted once)."""
    macro = study.days[events.ALL]
    latest = macro.searchsorted(pd.DatetimeIndex(days), side="right") - 1
    ends = macro[np.unique(latest[latest >= 0])]
    rate = study.moves["change_bp"]
    return {column: rolling_reaction(study.moves[column], rate, macro, ends, c.MACRO_WINDOW_YEARS)
            for column in ("spx_pct", "rel_pct")}


def macro_days_claim(pit: PointInTime, days) -> c.ClaimTrack:
    study = macro_study(pit)
    fits = macro_reactions(study, days) if study is not None else {}
    spx, rel = fits.get("spx_pct"), fits.get("rel_pct")
    since = spx.index.to_series() - pd.DateOffset(years=c.MACRO_WINDOW_YEARS) if spx is not None else None

    def column(frame: pd.DataFrame | None, name: str) -> pd.Series | None:
        return frame[name] if frame is not None else None

    return c.macro_days_claim(
        c.track(column(spx, "beta_per_10bp"), days, "S&P 500 β on macro days, per +10 bp", "%", "+.2f", since=since),
        c.track(column(spx, "ci_low"), days, "95% low", "%", "+.2f"),
        c.track(column(spx, "ci_high"), days, "95% high", "%", "+.2f"),
        c.track(column(spx, "corr"), days, "correlation", "", "+.2f"),
        c.track(column(rel, "beta_per_10bp"), days, "Russell 2000 − S&P 500 β", "%", "+.2f"),
    )


CLAIM_BUILDERS = {1: cuts_claim, 2: yields_claim, 3: labour_claim, 4: lead_claim, 5: rate_beta_claim,
                  6: speculation_claim, 7: hybrid_claim, 8: inflation_claim, 9: macro_days_claim}


def claim_track(number: int, pit: PointInTime, days) -> c.ClaimTrack | None:
    """Claim ``number`` on ``days``; None (and the error logged) if its inputs cannot be built
    from odd data the views did not foresee."""
    try:
        return CLAIM_BUILDERS[number](pit, pd.DatetimeIndex(days))
    except Exception:  # one claim must never take the whole scorecard down
        log.exception("claim %s could not be scored", number)
        return None


# --- The cards -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoredClaim:
    """A scored claim and the small series its sparkline draws."""

    result: c.ClaimResult
    spark: pd.Series
    spark_label: str


@dataclass(frozen=True)
class Scorecard:
    """The scored claims, the date they are scored on, and how to say it."""

    claims: tuple[ScoredClaim, ...]
    as_of: dt.date
    label: str
    verdict: str
    summary: str


def window_to(day: dt.date, months: int = SPARK_MONTHS) -> DateWindow:
    """The ``months`` calendar months up to ``day``."""
    return DateWindow(months_before(day, months), day, f"last {months} months")


def _tail(series: pd.Series | None, day: dt.date, months: int = SPARK_MONTHS) -> pd.Series:
    if series is None:
        return pd.Series(dtype=float)
    return window_to(day, months).clip(series.dropna())


# Claim number -> the series its sparkline reads (as known on the card's day).
SPARK_INPUTS = {1: ("t_2y",), 2: ("t_2y",), 3: ("unrate",), 4: ("rut", "spx"), 5: ("rut", "spx"),
                6: ("iwm", "ijr"), 7: ("rsp", "spy"), 8: ("core_pce",), 9: events.EVENT_KEYS}


def spark(number: int, pit: PointInTime, day: dt.date) -> tuple[pd.Series, str]:
    """Claim ``number``'s sparkline on ``day``: what was known then, over its last months."""
    known = {key: pit.known(key, day) for key in SPARK_INPUTS[number]}
    if number == 1:
        path = market.market_path(_daily_cut(pit.data, day), day)
        if not path.path.empty:
            return market.expected_paths(path).iloc[:, 0], "expected policy rate after each coming meeting"
        return _tail(known["t_2y"], day), "2-year yield, last 12 months (no futures then)"
    if number == 2:
        return _tail(known["t_2y"], day), "2-year yield, last 12 months"
    if number == 3:
        return _tail(known["unrate"], day, MONTHLY_SPARK_MONTHS), "unemployment rate, last 3 years"
    if number in (4, 5) and known["rut"] is not None and known["spx"] is not None:
        rs = small_caps.relative_strength_view(known["rut"], known["spx"], window_to(day)).frame.get("rs")
        return _tail(rs, day), "Russell 2000 / S&P 500, last 12 months"
    pairs = {6: ("iwm", "ijr", "IWM / IJR, last 12 months"), 7: ("rsp", "spy", "RSP / SPY (equal vs cap weight), last 12 months")}
    if number in pairs:
        first, second, label = pairs[number]
        ratio = relative_strength(known[first], known[second]) if known[first] is not None and known[second] is not None else None
        return _tail(ratio, day), label
    if number == 8 and known["core_pce"] is not None:
        return _tail(yoy_pct(known["core_pce"]), day, MONTHLY_SPARK_MONTHS), "core PCE inflation YoY, last 3 years"
    if number == 9:
        study = macro_study(PointInTime(LoadResult({k: v for k, v in known.items() if v is not None}), {}, pit.basis,
                                        pit.events))
        if study is not None:
            macro = study.days[events.ALL]
            shown = macro[(macro <= pd.Timestamp(day)) & (macro >= pd.Timestamp(months_before(day, MONTHLY_SPARK_MONTHS)))]
            beta = macro_reactions(study, shown)["spx_pct"]["beta_per_10bp"]
            return _tail(beta, day, MONTHLY_SPARK_MONTHS), "S&P 500 β on macro days (3-year window), last 3 years"
    return pd.Series(dtype=float), ""


def scored_on(number: int, track: c.ClaimTrack | None, pit: PointInTime, day: dt.date) -> ScoredClaim:
    """Claim ``number``'s card on ``day`` from its ``track`` (None: its inputs could not be
    built, so that claim alone is "no data" with the reason) and its sparkline."""
    if track is None:
        reason = "its inputs could not be computed from the data"
        return ScoredClaim(c.unscored_claim(number, reason), pd.Series(dtype=float), "")
    try:
        line, label = spark(number, pit, day)
    except Exception:  # a sparkline must not take its card down
        log.exception("sparkline of claim %s failed", number)
        line, label = pd.Series(dtype=float), ""
    return ScoredClaim(track.at(pd.Timestamp(day)), line, label)


def scored_alone(number: int, pit: PointInTime, day: dt.date) -> ScoredClaim:
    """Claim ``number`` scored on ``day`` alone."""
    return scored_on(number, claim_track(number, pit, [pd.Timestamp(day)]), pit, day)


def verdict_sentence(results) -> str:
    """'5 of 8 claims supported, 2 mixed, 1 not' (statuses with no claim are left out)."""
    counts = c.verdict_counts(results)
    parts = [f"{n} {STATUS_WORDS[status]}" for status, n in counts.items() if n and status != c.SUPPORTED]
    head = f"{counts[c.SUPPORTED]} of {len(results)} claims supported"
    return ", ".join([head, *parts])


def _headline(result: c.ClaimResult) -> str:
    """The claim's title and its first reading, in the card's own format."""
    if result.missing or not result.readings:
        return f"{result.title} (no data: {', '.join(result.missing)})"
    return f"{result.title} ({result.readings[0].value_text})"


def verdict_paragraph(results) -> str:
    """The verdict in words: the claims grouped by status, each with its headline reading exactly
    as its card prints it, then what the story's two pillars say."""
    groups = {status: [r for r in results if r.status == status] for status in c.STATUSES}
    lines = []
    for status, opener in ((c.SUPPORTED, "The data back"), (c.MIXED, "The evidence is mixed on"),
                           (c.NOT_SUPPORTED, "The data do not back"), (c.NO_DATA, "There is no data to judge")):
        if groups[status]:
            lines.append(f"{opener}: {'; '.join(_headline(r) for r in groups[status])}.")
    by_number = {r.number: r.status for r in results}
    rates = by_number.get(1) == c.SUPPORTED and by_number.get(2) == c.SUPPORTED
    lines.append("Both rate pillars (cuts priced, yields confirming) hold, so the cost-of-capital reading stands."
                 if rates else "At least one rate pillar (cuts priced, yields confirming) does not hold, so the "
                 "cost-of-capital reading is not fully backed.")
    return " ".join(lines)


def parse_as_of(day: dt.date | None, today: dt.date) -> dt.date | None:
    """The cut date to use: None for "today" (no date, or on/after the data's date)."""
    if day is None or day >= today:
        return None
    return max(day, EARLIEST_AS_OF)


def _scorecard(scored: list[ScoredClaim], day: dt.date, label: str) -> Scorecard:
    results = [s.result for s in scored]
    return Scorecard(tuple(scored), day, label, verdict_sentence(results), verdict_paragraph(results))


def today_label(day: dt.date) -> str:
    return f"Scored on the data as of {day:%Y-%m-%d}."


def score_all(loaded: LoadResult, today: dt.date, as_of_date: dt.date | None = None,
              pit: PointInTime | None = None) -> Scorecard:
    """Score every claim on ``loaded`` as of ``today``, or as of ``as_of_date`` (before the data's
    own date) on what was published by then (``pit``: the point-in-time data; without it,
    publication dates are each observation's own date)."""
    cut_day = parse_as_of(as_of_date, today)
    day = cut_day or today
    # Today every loaded observation is public (it is in the data); a past day sees its prefix.
    # Announcement days are public in advance, so today's cards use them too.
    source = pit if (pit is not None and cut_day) else PointInTime(loaded, {}, BASIS_CALENDARS,
                                                                   pit.events if pit is not None else {})
    scored = [scored_alone(number, source, day) for number in CLAIM_BUILDERS]
    return _scorecard(scored, day, as_of_label(source.basis, day) if cut_day else today_label(day))


# --- The verdict history ------------------------------------------------------------------------------


def history_days(today: dt.date, start: dt.date = EARLIEST_AS_OF) -> pd.DatetimeIndex:
    """Every month-end from ``start`` to the last one before ``today``, then ``today``."""
    ends = pd.date_range(start, today, freq="ME")
    ends = ends[ends < pd.Timestamp(today)]
    return pd.DatetimeIndex([*ends, pd.Timestamp(today)], name="day")


def _history_tracks(pit: PointInTime, days: pd.DatetimeIndex) -> dict[int, c.ClaimTrack | None]:
    return {number: claim_track(number, pit, days) for number in CLAIM_BUILDERS}


def _grid(tracks: dict[int, c.ClaimTrack | None], days: pd.DatetimeIndex) -> pd.DataFrame:
    rows = {n: t.status if t is not None else pd.Series(c.NO_DATA, index=days) for n, t in tracks.items()}
    return pd.DataFrame(rows).T


def verdict_history(pit: PointInTime, today: dt.date) -> pd.DataFrame:
    """Status of every claim (rows, numbered) at every ``history_days`` day (columns), on the
    point-in-time data. Leading "no data" months of a claim are kept: the page starts each
    claim where it can first be scored."""
    days = history_days(today)
    return _grid(_history_tracks(pit, days), days)


def today_and_history(loaded: LoadResult, today: dt.date, pit: PointInTime) -> tuple[Scorecard, pd.DataFrame]:
    """Today's cards and the verdict history, whose last column they are.

    On release-calendar data the point-in-time data are today's data (``point_in_time`` caps
    publication dates at ``today``), so one pass over every history day gives both: the cards
    are its last day. With ALFRED first releases the history shows first releases while
    today's cards use the latest revised values, so those are scored apart.
    """
    days = history_days(today)
    tracks = _history_tracks(pit, days)
    if pit.basis == BASIS_CALENDARS:
        card = _scorecard([scored_on(n, t, pit, today) for n, t in tracks.items()], today, today_label(today))
    else:
        card = score_all(loaded, today, None, pit)
    grid = _grid(tracks, days)
    grid[days[-1]] = [s.result.status for s in card.claims]
    return card, grid


def changes_per_year(grid: pd.DataFrame) -> pd.Series:
    """Verdict changes per year of each claim over the months it could be scored."""
    days = pd.DatetimeIndex(grid.columns)
    rows = {number: pd.Series(values, index=days) for number, values in zip(grid.index, grid.to_numpy())}
    return pd.Series({number: c.verdict_changes_per_year(row) for number, row in rows.items()}, dtype=float)


def held_since(grid: pd.DataFrame) -> pd.Series:
    """Per claim, the first column of the run of equal verdicts that ends in the last column
    (today's): the day since which its verdict has been what it is now."""
    days = pd.DatetimeIndex(grid.columns)
    out = {}
    for number, row in zip(grid.index, grid.to_numpy()):
        changed = (row != row[-1]).nonzero()[0]
        out[number] = days[changed[-1] + 1] if len(changed) else days[0]
    return pd.Series(out, dtype="datetime64[ns]")


def history_summary(grid: pd.DataFrame, titles: dict[int, str], changes: pd.Series) -> str:
    """One paragraph on the verdict history: how many claims hold today's verdict since at least
    a year before the last month-end, and the claim whose verdict changed most often
    (``changes``: verdict changes per year per claim, ``changes_per_year(grid)``)."""
    days = pd.DatetimeIndex(grid.columns)
    since = held_since(grid)
    year_before = days[-1] - pd.DateOffset(years=1)
    steady = int((since <= year_before).sum())
    rates = changes.dropna()
    text = (f"Scored at every month-end since {days[0]:%Y} on what was published by then: {steady} of "
            f"{len(grid.index)} claims have had today's verdict for at least a year.")
    if not rates.empty:
        number = rates.idxmax()
        held = since[number]
        text += (f" The most changeable is {number}. {titles[number]} ({rates[number]:.1f} changes a year; "
                 f"{grid.loc[number].iloc[-1]} since {held:%Y-%m}).")
    return text


def first_scored(grid: pd.DataFrame) -> pd.Series:
    """The first day each claim has a verdict (NaT if never)."""
    scored = grid.to_numpy() != c.NO_DATA
    days = pd.DatetimeIndex(grid.columns)
    first = [days[row.argmax()] if row.any() else pd.NaT for row in scored]
    return pd.Series(first, index=grid.index, dtype="datetime64[ns]")


def clamp_as_of(day: dt.date | None, today: dt.date) -> tuple[dt.date | None, str | None]:
    """A requested as-of date moved into [``EARLIEST_AS_OF``, ``today``], with a note if it moved."""
    if day is None or EARLIEST_AS_OF <= day <= today:
        return day, None
    bound = min(max(day, EARLIEST_AS_OF), today)
    return bound, f"The as-of date was moved to {bound:%Y-%m-%d}: scores are available from {EARLIEST_AS_OF:%Y-%m-%d} to {today:%Y-%m-%d}."
