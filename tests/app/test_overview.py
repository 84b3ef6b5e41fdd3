"""The overview (narrative scorecard) on the real snapshot, through Streamlit's AppTest.

Every number, check and status a card prints is derived again here with plain pandas from the
snapshot CSVs (``../shared/data/snapshot``) and the verified release calendars
(``../shared/data/events``, which also holds the verified FOMC calendar behind claim 9's macro
days), by the rules the cards state (ANALYTICS.md, "The narrative scorecard" and "Point in
time"): on the latest data, and as of three past days, when a monthly figure counts only from
its first release (the first release whose reference month is that month or later) and market
data from its own date.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

import numpy as np
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import (APP, SHARES_CSV, as_series, assert_clean, figures, fred, split_adjusted, trace_values,
                                yahoo)
from tests.conftest import EVENTS_DIR, REFERENCE_CALENDARS, SHARED_DATA, SNAPSHOT_AS_OF, SNAPSHOT_DIR

ANCHOR_JSON = SHARED_DATA / "shares" / "other" / "mags_market_data_2024-12-13.json"
EVENTS = SHARED_DATA / "events"
BADGE = re.compile(r":(\w+)-badge\[:material/\w+: ([^\]]+)\]")
CHECK = re.compile(r":(green|gray|red)\[([✓–✗])\] ")
MARK_VOTES = {"✓": 1, "–": 0, "✗": -1}
DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
CARDS = 9
RS_OPEN = "overview.rs_open"  # the key of the expander holding the Russell 2000 vs S&P 500 chart
TODAY = pd.Timestamp(SNAPSHOT_AS_OF)
PAST = ("2024-06-28", "2025-06-30", "2025-12-31")  # the as-of days every card is checked on
SUPPORTED, MIXED, NOT_SUPPORTED = "supported", "mixed", "not supported"
FOR, NEUTRAL, AGAINST = 1, 0, -1
TITLES = {1: "Markets price more Fed cuts", 2: "Treasury yields confirm it", 3: "The labour market is slowing",
          4: "Small caps lead and set records", 5: "Small caps are the rate-sensitive segment",
          6: "Unprofitable small caps lead: risk-on", 7: "The S&P 500 is a hybrid", 8: "Inflation stays above target",
          9: "Stocks trade the cost of capital on macro days"}

# The rules' thresholds, noise bands and windows, as each card's rule text states them.
TRADING_DAYS_3M, TRADING_DAYS_12M = 63, 252
CUTS_MIN = 0.5  # 25 bp moves either way
YIELD_BAND_BP, YIELD_MONTHS = 10, 3
UNRATE_BAND_PP, UNRATE_MONTHS = 0.2, 12
PAYROLL_BAND_K, PAYROLL_MONTHS = 50, 6
SAHM_BAND_PP, SAHM_MONTHS = 0.1, 3
LEAD_BAND_PCT, NEAR_HIGH_PCT, FAR_FROM_HIGH_PCT = 0.5, 5, 10
BETA_BAND, CORR_BAND = 0.10, 0.20
HY_HISTORY_OBS, HY_BAND_BP, HY_MONTHS = 5 * TRADING_DAYS_12M, 25, 3
MEGA_LARGE_PCT, MEGA_SMALL_PCT, MEGA_MONTHS = 40, 25, 12
CORE_ABOVE, CORE_BELOW, BREAKEVEN_ABOVE, BREAKEVEN_BELOW, TAYLOR_BAND_PP = 2.3, 1.7, 2.6, 2.0, 0.5
# 9. Macro days: FOMC rate decisions (the verified calendar without its two liquidity statements,
# which announced no change to the cost of money) and the CPI, jobs and PCE release days; the
# last 3 years of them; at least 10 days for a β; the 95% interval β ± z·SE (HC3), z the two-sided
# 95% quantile of the standard normal.
LIQUIDITY_STATEMENTS = ("2007-08-10", "2008-03-11")
MACRO_RELEASES = ("cpi", "employment", "pio")
MACRO_YEARS, MACRO_MIN_DAYS, Z_95 = 3, 10, 1.959963984540054
# The Taylor rule's defaults (ANALYTICS.md, Fed path: r* and u* are inputs with defaults shown).
R_STAR, U_STAR = 1.0, 4.2
MEGA_CAPS = ("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA")
# 7, earned or re-rated: the snapshot has SEC companyfacts for five of the seven (none for META
# and TSLA); EPS growth minus P/E change of ±5 log points over the same 12 months is the band.
SEC_SYMBOLS = ("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL")
EARNED_BAND = 5.0
CYCLICALS, DEFENSIVES = ("XLI", "XLF", "XLE", "XLB", "XLY"), ("XLU", "XLP", "XLV")
# A change computed from two rounded figures (4.1 − 3.9) is compared with its band as the
# decimal number it is: "0.2 pp or more" includes a move of exactly 0.2 pp.
DECIMALS = 9


@pytest.fixture(autouse=True)
def share_counts(monkeypatch):
    """Offline share counts, so the S&P 500 hybrid claim is scored (see the sp500 page tests)."""
    monkeypatch.setenv("DASH_SHARES", str(SHARES_CSV))


def run_overview(cache_dir, snapshot=SNAPSHOT_DIR, **params) -> AppTest:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASH_SNAPSHOT", str(snapshot))
        mp.setenv("DASH_CACHE_DIR", str(cache_dir))
        mp.setenv("DASH_SHARES", str(SHARES_CSV))
        mp.delenv("FRED_API_KEY", raising=False)
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(APP, default_timeout=120)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        st.cache_data.clear()
        st.cache_resource.clear()
    return at


@pytest.fixture(scope="module")
def today(tmp_path_factory) -> AppTest:
    """The overview as first opened, with its verdict history open (read-only: tests that click
    or rerun run their own)."""
    return run_overview(tmp_path_factory.mktemp("cache"), history="true")


@pytest.fixture(scope="module")
def past(tmp_path_factory) -> dict[str, AppTest]:
    """The overview opened with ``?asof=`` each of ``PAST``, its verdict history open (read-only)."""
    return {day: run_overview(tmp_path_factory.mktemp("cache"), asof=day, history="true") for day in PAST}


def page_at(today, past, day: str) -> AppTest:
    return today if day == "today" else past[day]


# --- Reading the page --------------------------------------------------------------------------


def statuses(at) -> list[str]:
    """The status chip of every card, in card order."""
    found = [BADGE.search(m.value) for m in at.markdown]
    return [match.group(2).lower() for match in found if match]


def evidence_lines(at) -> list[str]:
    """Each card's evidence line (the paragraph after its title, in the markdown after its badge)."""
    values = [m.value for m in at.markdown]
    return [values[i + 1].split("\n\n", 1)[1] for i, v in enumerate(values) if BADGE.search(v)]


def check_captions(at) -> list[str]:
    """Each card's checks caption, in card order."""
    return [c.value for c in at.caption if CHECK.match(c.value)]


def check_marks(at) -> list[list[int]]:
    """Each card's checks as shown: +1 (✓), 0 (–), −1 (✗), in card order."""
    return [[MARK_VOTES[mark] for _, mark in CHECK.findall(text)] for text in check_captions(at)]


def verdict_paragraph(at) -> str:
    """The first markdown after the page's introduction: the verdict in words."""
    return at.markdown[1].value


def evidence_links(at) -> list:
    return [link.proto for link in at.get("page_link") if link.proto.label.startswith("Evidence")]


def title_of(fig: dict) -> str:
    return (fig["layout"].get("title") or {}).get("text") or ""


def heatmap(at) -> dict:
    """The verdict history figure (the only heatmap on the page)."""
    (fig,) = [f for f in figures(at) if f["data"] and f["data"][0].get("type") == "heatmap"]
    return fig


def sparklines(at) -> list[dict]:
    return [f for f in figures(at) if not title_of(f) and f["data"][0].get("type") != "heatmap"]


def titled(at, words: str) -> dict:
    """The one figure whose title contains ``words``."""
    (fig,) = [f for f in figures(at) if words in title_of(f)]
    return fig


# --- Point in time: release calendars read with plain pandas ------------------------------------


@functools.cache
def calendar(name: str) -> pd.DataFrame:
    """A verified release calendar (../shared/data/events/<name>_release.csv)."""
    frame = pd.read_csv(EVENTS / f"{name}_release.csv", parse_dates=["date"])
    frame["month"] = pd.PeriodIndex(frame["reference_month"], freq="M")
    return frame


def first_release(name: str, month: pd.Timestamp) -> pd.Timestamp:
    """The first release whose reference month is ``month``'s or later (a month skipped by a
    shutdown came out with a later one)."""
    frame = calendar(name)
    return frame.loc[frame["month"] >= pd.Period(month, "M"), "date"].min()


def published(series: pd.Series, name: str, day: pd.Timestamp) -> pd.Series:
    """The observations of a monthly ``series`` first released (calendar ``name``) by ``day``."""
    known = series.loc[:day]
    return known[[first_release(name, month) <= day for month in known.index]]


# --- The readings, in plain pandas -------------------------------------------------------------


def round_off(value: float) -> float:
    return round(float(value), DECIMALS)


def vote(value: float, for_at: float, against_at: float) -> int:
    """+1 at or beyond ``for_at``, −1 at or beyond ``against_at``, else 0 (direction from their order)."""
    value = round_off(value)
    if for_at > against_at:
        return FOR if value >= for_at else AGAINST if value <= against_at else NEUTRAL
    return FOR if value <= for_at else AGAINST if value >= against_at else NEUTRAL


def by_net(votes: list[int], need: int, essential: int | None = None) -> str:
    """Supported when the net vote reaches ``need`` (and ``essential`` votes for), not supported
    at zero or less, mixed in between."""
    net = sum(votes)
    if net >= need and essential in (None, FOR):
        return SUPPORTED
    return NOT_SUPPORTED if net <= 0 else MIXED


def last(series: pd.Series) -> tuple[float, pd.Timestamp]:
    known = series.dropna()
    return float(known.iloc[-1]), known.index[-1]


def on_or_before(series: pd.Series, day) -> float:
    known = series.dropna().loc[: pd.Timestamp(day)]
    return float(known.iloc[-1]) if len(known) else np.nan


def months_change(series: pd.Series, months: int, scale: float = 1.0) -> tuple[float, pd.Timestamp]:
    """(last − the last value dated on or before last date − ``months``)·``scale``, and that date."""
    known = series.dropna()
    earlier = known.loc[: known.index[-1] - pd.DateOffset(months=months)]
    return float((known.iloc[-1] - earlier.iloc[-1]) * scale), earlier.index[-1]


def rows_change(series: pd.Series, rows: int) -> tuple[float, pd.Timestamp]:
    """% change over the last ``rows`` observations, and the date of the earlier one."""
    known = series.dropna()
    return float((known.iloc[-1] / known.iloc[-1 - rows] - 1) * 100), known.index[-1 - rows]


def ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    both = pd.concat([numerator, denominator], axis=1, join="inner").dropna()
    return both.iloc[:, 0] / both.iloc[:, 1]


def exactly_months_earlier(series: pd.Series, months: int) -> pd.Series:
    """The value dated exactly ``months`` calendar months before each date (NaN if absent)."""
    shifted = series.copy()
    shifted.index = shifted.index + pd.DateOffset(months=months)
    return shifted[~shifted.index.duplicated()].reindex(series.index)


def equal_weight(symbols, day) -> pd.Series:
    """Daily-rebalanced equal-weight basket on the dates every member trades."""
    closes = pd.concat([yahoo(s).loc[:day] for s in symbols], axis=1, join="inner").dropna()
    return (1 + closes.pct_change().mean(axis=1).fillna(0)).cumprod()


def sahm(unrate: pd.Series) -> pd.Series:
    """3-month average (2 of 3 months observed) minus the minimum of the prior 12 months' averages."""
    average = unrate.resample("MS").mean().rolling(3, min_periods=2).mean()
    return (average - average.shift(1).rolling(12, min_periods=1).min()).reindex(unrate.index)


def yoy(level: pd.Series) -> pd.Series:
    return ((level / exactly_months_earlier(level, 12) - 1) * 100).dropna()


def day_text(day) -> str:
    return f"{pd.Timestamp(day):%Y-%m-%d}"


def evidence(*parts: tuple[str, pd.Timestamp]) -> str:
    """Readings of one date share it: 'a · b (2026-08-20); c (2026-07-01)'."""
    by_day: dict = {}
    for text, day in parts:
        by_day.setdefault(day, []).append(text)
    return "; ".join(" · ".join(texts) + f" ({day_text(day)})" for day, texts in by_day.items())


@dataclass
class Card:
    headline: str  # the first reading, as the card prints it (without its date)
    evidence: str
    votes: list[int]
    status: str


def card(parts: list[tuple[str, pd.Timestamp]], votes: list[int], status: str) -> Card:
    return Card(parts[0][0], evidence(*parts), votes, status)


def futures_cuts(day: pd.Timestamp) -> tuple[float, pd.Timestamp]:
    """25 bp cuts priced over 12 months by the FedWatch path on ``day`` (the snapshot's date).

    Today's rate is August 2026's implied average (September's meeting is the first; August
    has none). The last meeting within 365 days is 28 Jul 2027, 3 days before month end, so
    its end rate is August 2027's implied average. cuts = (r_Aug26 − r_Aug27)/0.25 with
    r = 100 − price, i.e. (P_Aug27 − P_Aug26)/0.25.
    """
    aug26, aug27 = yahoo("ZQQ26.CBT").loc[:day], yahoo("ZQQ27.CBT").loc[:day]
    return (aug27.iloc[-1] - aug26.iloc[-1]) / 0.25, max(aug26.index[-1], aug27.index[-1])


def crude_cuts(day: pd.Timestamp) -> tuple[float, pd.Timestamp]:
    """Without futures or a 1-year bill: (EFFR·365/360 − DGS2)/0.25 on the 2-year's last date by
    ``day``, EFFR (quoted on 360 days) on or before it, put on the 2-year's 365-day basis."""
    y2, y2_day = last(fred("DGS2").loc[:day])
    return (on_or_before(fred("EFFR"), y2_day) * 365 / 360 - y2) / 0.25, y2_day


def cuts_card(day: pd.Timestamp) -> Card:
    """1. More than half a 25 bp cut priced supports it, more than half a hike counts against."""
    if day == TODAY:
        cuts, priced_on = futures_cuts(day)
        text = f"25 bp cuts priced over the next 12 months {cuts:+.1f}"
    else:
        cuts, priced_on = crude_cuts(day)
        text = f"25 bp cuts priced over the next 2 years {cuts:+.1f}"
    votes = [FOR if cuts > CUTS_MIN else AGAINST if cuts < -CUTS_MIN else NEUTRAL]
    return card([(text, priced_on)], votes, SUPPORTED if votes == [FOR] else NOT_SUPPORTED)


def yields_card(day: pd.Timestamp) -> Card:
    """2. The 2-year yield against EFFR, and its move over 3 months (by date), in bp; ±10 bp bands."""
    y2, effr = fred("DGS2").loc[:day], fred("EFFR").loc[:day]
    (level, level_day), (policy, policy_day) = last(y2), last(effr)
    move, since = months_change(y2, YIELD_MONTHS, 100)
    votes = [vote((level - policy) * 100, -YIELD_BAND_BP, YIELD_BAND_BP), vote(move, -YIELD_BAND_BP, YIELD_BAND_BP)]
    return card([(f"2-year yield {level:.2f}%", level_day), (f"policy rate (EFFR) {policy:.2f}%", policy_day),
                 (f"2-year change since {day_text(since)} {move:+.0f} bp", level_day)], votes, by_net(votes, 2))


def labour_card(day: pd.Timestamp) -> Card:
    """3. UNRATE and its 12-month change, the 3-month average payroll change and its 6-month change,
    the Sahm indicator's 3-month change: each on the months the Employment Situation had published."""
    unrate, payems = published(fred("UNRATE"), "payrolls", day), published(fred("PAYEMS"), "payrolls", day)
    payroll_avg = ((payems - exactly_months_earlier(payems, 3)) / 3).dropna()
    (u, u_day), (p, p_day) = last(unrate), last(payroll_avg)
    u_change, u_since = months_change(unrate, UNRATE_MONTHS)
    p_change, p_since = months_change(payroll_avg, PAYROLL_MONTHS)
    s_change, s_since = months_change(sahm(unrate), SAHM_MONTHS)
    votes = [vote(u_change, UNRATE_BAND_PP, -UNRATE_BAND_PP), vote(p_change, -PAYROLL_BAND_K, PAYROLL_BAND_K),
             vote(s_change, SAHM_BAND_PP, -SAHM_BAND_PP)]
    return card([(f"unemployment {u:.1f}%", u_day),
                 (f"unemployment change since {day_text(u_since)} {u_change:+.2f} pp", u_day),
                 (f"payrolls, 3m avg {p:+,.0f}k/month", p_day),
                 (f"payroll 3m-avg change since {day_text(p_since)} {p_change:+,.0f}k", p_day),
                 (f"Sahm indicator change since {day_text(s_since)} {s_change:+.2f} pp", u_day)],
                votes, by_net(votes, 2))


def lead_card(day: pd.Timestamp) -> Card:
    """4. Russell 2000 / S&P 500 over 63 trading days; distance from the record; records in 252 days."""
    rut = yahoo("^RUT").loc[:day]
    rs_change, rs_since = rows_change(ratio(rut, yahoo("^GSPC").loc[:day]), TRADING_DAYS_3M)
    distance = (rut.iloc[-1] / rut.max() - 1) * 100
    records = sum(rut.iloc[i] > rut.iloc[:i].max() for i in range(len(rut) - TRADING_DAYS_12M, len(rut)))
    votes = [vote(rs_change, LEAD_BAND_PCT, -LEAD_BAND_PCT),
             FOR if distance >= -NEAR_HIGH_PCT else AGAINST if distance < -FAR_FROM_HIGH_PCT else NEUTRAL]
    return card([(f"RS change since {day_text(rs_since)} {rs_change:+.1f}%", rut.index[-1]),
                 (f"Russell 2000 vs its record {distance:+.1f}%", rut.index[-1]),
                 (f"record closes since {day_text(rut.index[-TRADING_DAYS_12M])} {records}", rut.index[-1])],
                votes, by_net(votes, 2))


def rate_beta_card(day: pd.Timestamp) -> Card:
    """5. OLS of Δln(RUT/SPX) on ΔDGS2 (bp) over the last 63 common days: β per +10 bp in %, correlation."""
    levels = pd.concat([yahoo("^RUT"), yahoo("^GSPC"), fred("DGS2")], axis=1, join="inner").dropna().loc[:day]
    rel = np.log(levels.iloc[:, 0] / levels.iloc[:, 1]).diff().iloc[-TRADING_DAYS_3M:]
    d_bp = (levels.iloc[:, 2].diff() * 100).iloc[-TRADING_DAYS_3M:]
    beta = np.polyfit(d_bp, rel, 1)[0] * 10 * 100
    corr = np.corrcoef(d_bp, rel)[0, 1]
    votes = [vote(beta, -BETA_BAND, BETA_BAND), vote(corr, -CORR_BAND, CORR_BAND)]
    return card([(f"β (63-day), per +10 bp {beta:+.2f}%", levels.index[-1]), (f"correlation {corr:+.2f}", levels.index[-1])],
                votes, by_net(votes, 2))


def percentile_in_window(series: pd.Series, window: int) -> float:
    """Percentile (0–100) of the last value among the last ``window`` values, average ranks."""
    values = series.dropna().to_numpy()[-window:]
    x = values[-1]
    rank = (values < x).sum() + ((values == x).sum() + 1) / 2
    return (rank - 1) / (window - 1) * 100


def speculation_card(day: pd.Timestamp) -> Card:
    """6. IWM / IJR (unscreened over earnings-screened small caps) over 63 days; the HY spread, its
    percentile among its last 5 years of closes and its 3-month move. The lead is essential."""
    iwm_ijr = ratio(yahoo("IWM").loc[:day], yahoo("IJR").loc[:day])
    lead, lead_since = rows_change(iwm_ijr, TRADING_DAYS_3M)
    hy = fred("BAMLH0A0HYM2").loc[:day]
    (spread, spread_day), percentile = last(hy), percentile_in_window(hy, HY_HISTORY_OBS)
    move, move_since = months_change(hy, HY_MONTHS, 100)
    votes = [vote(lead, LEAD_BAND_PCT, -LEAD_BAND_PCT), vote(percentile, 100 / 3, 200 / 3),
             vote(move, -HY_BAND_BP, HY_BAND_BP)]
    return card([(f"IWM/IJR change since {day_text(lead_since)} {lead:+.1f}%", iwm_ijr.index[-1]),
                 (f"high-yield spread {spread:.2f}%", spread_day), (f"its percentile in 5 years {percentile:.0f}", spread_day),
                 (f"spread change since {day_text(move_since)} {move:+.0f} bp", spread_day)],
                votes, by_net(votes, 2, essential=votes[0]))


def mega_cap_split(day: pd.Timestamp) -> tuple[float, float, pd.Timestamp, pd.Timestamp]:
    """(seven mega caps' contribution in pp, S&P 500 return in %, first and last date) over the
    12 months to ``day``: from the first common trading day on or after day − 12 months.

    With weights w = price · shares / T and T = anchored total cap ∝ index level, each day's
    contribution grown by the index to that day is shares · Δprice / T_start: a member
    contributes its dollar gain (shares as of the previous close) over the index's total cap
    at the window start.
    """
    closes = pd.concat({s: yahoo(s).loc[:day] for s in (*MEGA_CAPS, "^GSPC")}, axis=1, join="inner").dropna()
    window = closes.loc[day - pd.DateOffset(months=MEGA_MONTHS):]
    anchor = json.loads(ANCHOR_JSON.read_text())
    total_start = (anchor["sp500_details"]["total_market_cap"] * window["^GSPC"].iloc[0]
                   / on_or_before(yahoo("^GSPC"), anchor["trading_date"]))
    gain = 0.0
    for symbol in MEGA_CAPS:
        shares = split_adjusted(symbol)
        held = pd.Series([on_or_before(shares, d) for d in window.index], window.index).shift(1)
        gain += float((held * window[symbol].diff()).iloc[1:].sum())
    index_pct = (window["^GSPC"].iloc[-1] / window["^GSPC"].iloc[0] - 1) * 100
    return gain / total_start * 100, index_pct, window.index[0], window.index[-1]


@functools.cache
def ttm_as_filed(symbol: str) -> pd.Series:
    """TTM diluted EPS by the date it was first filed, from the snapshot's companyfacts by the
    data layer's parser (checked row for row against the independent ttm_eps_check.csv, and its
    dates against the filings, in tests/data_sources/test_sec_parser.py)."""
    from data_sources import sec
    return sec.ttm_eps(sec.quarterly_eps(sec.read_companyfacts(SNAPSHOT_DIR / "sec" / f"{symbol}.json"), symbol))


def earnings_split(day: pd.Timestamp) -> tuple[float, float, int, pd.Timestamp]:
    """(EPS growth, P/E change) in log points, cap-weighted over the companies with TTM EPS
    positive at both ends, from the last close on or before day − 12 months to the last on or
    before the day, each end with the EPS filed by then; weights: close × split-adjusted share
    count at the first close. And how many companies that averages, and the last close used."""
    start = day - pd.DateOffset(months=MEGA_MONTHS)
    parts, caps = {}, {}
    for symbol in SEC_SYMBOLS:
        closes = yahoo(symbol).loc[:day]
        first = closes.loc[:start]
        eps = ttm_as_filed(symbol)
        before, after = on_or_before(eps, start), on_or_before(eps, day)
        if first.empty or not (before > 0 and after > 0):
            continue
        earned = 100 * np.log(after / before)
        parts[symbol] = (earned, 100 * np.log(closes.iloc[-1] / first.iloc[-1]) - earned)
        caps[symbol] = first.iloc[-1] * on_or_before(split_adjusted(symbol), first.index[-1])
    total = sum(caps.values())
    eps_pct = sum(caps[s] * parts[s][0] for s in parts) / total
    multiple_pct = sum(caps[s] * parts[s][1] for s in parts) / total
    return eps_pct, multiple_pct, len(parts), max(yahoo(s).loc[:day].index[-1] for s in SEC_SYMBOLS)


def hybrid_card(day: pd.Timestamp) -> Card:
    """7. The seven's share of the S&P 500's 12-month return (essential); their gains earned
    (essential); RSP/SPY and cyclicals/defensives over 63 days. Supported needs a net of 3."""
    mega_pp, index_pct, base, end = mega_cap_split(day)
    eps_pct, multiple_pct, filers, eps_end = earnings_split(day)
    share = mega_pp / index_pct * 100
    rsp_spy = ratio(yahoo("RSP").loc[:day], yahoo("SPY").loc[:day])
    baskets = ratio(equal_weight(CYCLICALS, day), equal_weight(DEFENSIVES, day))
    (equal, equal_since), (cyclical, cyclical_since) = rows_change(rsp_spy, TRADING_DAYS_3M), rows_change(baskets, TRADING_DAYS_3M)
    earned = vote(eps_pct - multiple_pct, EARNED_BAND, -EARNED_BAND) if eps_pct + multiple_pct > 0 else NEUTRAL
    votes = [vote(share, MEGA_LARGE_PCT, MEGA_SMALL_PCT), earned,
             vote(equal, LEAD_BAND_PCT, -LEAD_BAND_PCT), vote(cyclical, LEAD_BAND_PCT, -LEAD_BAND_PCT)]
    status = by_net(votes, 3, essential=votes[0])
    if status == SUPPORTED and votes[1] != FOR:
        status = MIXED
    since = day_text(day - pd.DateOffset(months=MEGA_MONTHS))
    return card([(f"S&P 500 return since {day_text(base)} {index_pct:+.1f}%", end),
                 (f"seven mega caps {mega_pp:+.1f} pp", end), (f"mega caps' share of it {share:.0f}%", end),
                 (f"mega caps with SEC EPS {filers} of 7", eps_end),
                 (f"their EPS growth since {since} {eps_pct:+.1f} pts", eps_end),
                 (f"their P/E change {multiple_pct:+.1f} pts", eps_end),
                 (f"RSP/SPY change since {day_text(equal_since)} {equal:+.1f}%", rsp_spy.index[-1]),
                 (f"cyclicals/defensives change since {day_text(cyclical_since)} {cyclical:+.1f}%", baskets.index[-1])],
                votes, status)


def inflation_card(day: pd.Timestamp) -> Card:
    """8. Core PCE YoY as published (Personal Income and Outlays); the 5-year breakeven; EFFR minus
    the Taylor rule of the last month whose core PCE and unemployment were both out."""
    core = yoy(published(fred("PCEPILFE"), "pce", day))
    unrate = published(fred("UNRATE"), "payrolls", day)
    rule = (R_STAR + core + 0.5 * (core - 2) + 0.5 * 2 * (U_STAR - unrate)).dropna()
    (inflation, core_day), (breakeven, breakeven_day) = last(core), last(fred("T5YIE").loc[:day])
    policy, policy_day = last(fred("EFFR").loc[:day])
    gap = policy - rule.iloc[-1]
    votes = [FOR if inflation > CORE_ABOVE else AGAINST if inflation < CORE_BELOW else NEUTRAL,
             FOR if breakeven > BREAKEVEN_ABOVE else AGAINST if breakeven < BREAKEVEN_BELOW else NEUTRAL,
             vote(gap, -TAYLOR_BAND_PP, TAYLOR_BAND_PP)]
    backing = votes[1] + votes[2]
    status = ((SUPPORTED if backing > -2 else MIXED) if votes[0] == FOR
              else MIXED if votes[0] == NEUTRAL and backing > 0 else NOT_SUPPORTED)
    return card([(f"core PCE YoY {inflation:.2f}%", core_day), (f"5-year breakeven {breakeven:.2f}%", breakeven_day),
                 (f"Taylor gap (policy − rule) {gap:+.2f} pp", policy_day)], votes, status)


@functools.cache
def announcement_days() -> pd.DatetimeIndex:
    """Every macro announcement day (any type; duplicates kept): the verified FOMC calendar's
    rows but the two liquidity statements, and the CPI, Employment Situation and Personal Income
    and Outlays release days."""
    fomc = pd.read_csv(EVENTS_DIR / "fomc.csv", parse_dates=["date"])
    assert set(fomc["kind"]) == {"scheduled", "unscheduled"}  # the liquidity statements are unscheduled rows
    assert set(pd.to_datetime(LIQUIDITY_STATEMENTS)) <= set(fomc["date"])
    days = [fomc.loc[~fomc["date"].isin(pd.to_datetime(LIQUIDITY_STATEMENTS)), "date"]]
    days += [pd.read_csv(REFERENCE_CALENDARS[release], parse_dates=["date"])["date"] for release in MACRO_RELEASES]
    return pd.DatetimeIndex(pd.concat(days))


@functools.cache
def macro_levels() -> pd.DataFrame:
    """^GSPC, ^RUT and DGS2 on the dates all three have a value."""
    return pd.concat([yahoo("^GSPC"), yahoo("^RUT"), fred("DGS2")], axis=1, join="inner").dropna()


def macro_moves(day: pd.Timestamp) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    """(the day-to-day moves on the days ^GSPC, ^RUT and DGS2 all have a value, up to ``day``:
    S&P 500 and Russell 2000 − S&P 500 log returns in %, the 2-year's change in bp; the macro
    days: each announcement on the first of those days on or after it, none before the first)."""
    levels = macro_levels().loc[:day]
    spx, rut = (np.log(levels.iloc[:, i]).diff() * 100 for i in (0, 1))
    moves = pd.DataFrame({"spx": spx, "rel": rut - spx, "bp": levels.iloc[:, 2].diff() * 100})
    news = announcement_days()
    position = levels.index.searchsorted(news[news >= levels.index[0]], side="left")
    return moves, pd.DatetimeIndex(sorted(set(levels.index[position[position < len(levels)]])))


def macro_fit(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """(β per +10 bp, 95% low, 95% high, correlation) of OLS y = a + b·x; HC3 standard error."""
    n = len(x)
    if n < MACRO_MIN_DAYS:
        return (np.nan,) * 4
    dx = x - x.mean()
    sxx = dx @ dx
    slope = dx @ (y - y.mean()) / sxx
    residual = y - y.mean() - slope * dx
    leverage = 1 / n + dx**2 / sxx
    se = np.sqrt(np.sum(dx**2 * residual**2 / (1 - leverage) ** 2)) / sxx
    return 10 * slope, 10 * (slope - Z_95 * se), 10 * (slope + Z_95 * se), np.corrcoef(x, y)[0, 1]


def macro_window(moves: pd.DataFrame, macro: pd.DatetimeIndex, end: pd.Timestamp) -> pd.DataFrame:
    """The moves on the macro days of the 3 years to ``end``: in (end − 3 years, end]."""
    return moves.loc[macro[(macro > end - pd.DateOffset(years=MACRO_YEARS)) & (macro <= end)]]


def macro_card(day: pd.Timestamp) -> Card:
    """9. Over the macro days of the 3 years to the last one by ``day``: the S&P 500's β per +10 bp
    in DGS2 with its 95% interval (essential: for when the interval lies below zero, against
    above), the correlation (±0.20) and the Russell 2000 − S&P 500 β (±0.10%)."""
    moves, macro = macro_moves(day)
    end = macro[-1]
    window = macro_window(moves, macro, end)
    assert len(window) >= MACRO_MIN_DAYS and window.notna().all().all()
    beta, low, high, corr = macro_fit(window["bp"].to_numpy(), window["spx"].to_numpy())
    small = macro_fit(window["bp"].to_numpy(), window["rel"].to_numpy())[0]
    interval = FOR if round_off(high) < 0 else AGAINST if round_off(low) > 0 else NEUTRAL
    votes = [interval, vote(corr, -CORR_BAND, CORR_BAND), vote(small, -BETA_BAND, BETA_BAND)]
    since = day_text(end - pd.DateOffset(years=MACRO_YEARS))
    return card([(f"S&P 500 β on macro days, per +10 bp since {since} {beta:+.2f}%", end), (f"95% low {low:+.2f}%", end),
                 (f"95% high {high:+.2f}%", end), (f"correlation {corr:+.2f}", end),
                 (f"Russell 2000 − S&P 500 β {small:+.2f}%", end)], votes, by_net(votes, 2, essential=interval))


CARD_BUILDERS = {1: cuts_card, 2: yields_card, 3: labour_card, 4: lead_card, 5: rate_beta_card,
                 6: speculation_card, 7: hybrid_card, 8: inflation_card, 9: macro_card}


@functools.cache
def expected_cards(day: str) -> dict[int, Card]:
    """Every claim scored on ``day`` ("today" = the snapshot's date)."""
    stamp = TODAY if day == "today" else pd.Timestamp(day)
    return {number: build(stamp) for number, build in CARD_BUILDERS.items()}


def verdict_text(found: list[str]) -> str:
    """'3 of 8 claims supported, 2 mixed, 3 not' (statuses with no claim left out)."""
    words = {MIXED: "mixed", NOT_SUPPORTED: "not", "no data": "no data"}
    tail = [f"{found.count(s)} {w}" for s, w in words.items() if found.count(s)]
    return ", ".join([f"{found.count(SUPPORTED)} of {len(found)} claims supported", *tail])


def as_of_caption(day: str) -> str:
    return (f"Data published by {day}, as revised since: each monthly or weekly figure counts from its release "
            "date (release calendars), market data from its own date.")


TODAY_CAPTION = f"Scored on the data as of {SNAPSHOT_AS_OF}."
DAYS = ("today", *PAST)


# --- Tests: every card, on four days ------------------------------------------------------------


@pytest.mark.parametrize("day,number", [(day, number) for day in DAYS for number in CARD_BUILDERS])
def test_card_shows_the_evidence_checks_and_status_derived_from_the_snapshot(today, past, day, number):
    at = page_at(today, past, day)
    assert_clean(at)
    lines, marks, found = evidence_lines(at), check_marks(at), statuses(at)
    assert len(lines) == len(marks) == len(found) == CARDS
    expected = expected_cards(day)[number]
    assert lines[number - 1] == expected.evidence
    assert marks[number - 1] == expected.votes
    assert found[number - 1] == expected.status


@pytest.mark.parametrize("day", DAYS)
def test_the_verdict_counts_the_derived_statuses(today, past, day):
    derived = [card.status for card in expected_cards(day).values()]
    assert page_at(today, past, day).subheader[0].value == verdict_text(derived)


def test_a_move_of_exactly_the_noise_band_counts(past):
    """On 2024-06-28 the Sahm indicator had risen exactly 0.1 pp in 3 months (0.40 − 0.30: averages
    of one-decimal rates, 0.0999999999999992 in floats). "Up 0.1 pp or more" includes it: ✓, and
    with unemployment up 0.3 pp the claim is supported."""
    unrate = published(fred("UNRATE"), "payrolls", pd.Timestamp("2024-06-28"))
    change, since = months_change(sahm(unrate), SAHM_MONTHS)
    assert since == pd.Timestamp("2024-02-01") and change != 0.1 and round_off(change) == 0.1
    assert evidence_lines(past["2024-06-28"])[2].endswith("Sahm indicator change since 2024-02-01 +0.10 pp (2024-05-01)")
    assert check_marks(past["2024-06-28"])[2] == [FOR, NEUTRAL, FOR]
    assert statuses(past["2024-06-28"])[2] == SUPPORTED


def test_the_verdict_today_and_at_the_end_of_2025():
    """The derived verdicts themselves (so a change in the derivation shows here too)."""
    assert verdict_text([c.status for c in expected_cards("today").values()]) == "3 of 9 claims supported, 2 mixed, 4 not"
    # Claim 7 at the end of 2025: the mega caps' gains were earned (EPS +33.7 vs P/E −10.6 log
    # points), which lifts it from "not supported" (share for, RSP lagging) to mixed.
    assert verdict_text([c.status for c in expected_cards("2025-12-31").values()]) == "5 of 9 claims supported, 4 mixed"


@pytest.mark.parametrize("day", PAST)
def test_before_futures_claim_1_is_the_crude_gauge_with_effr_on_the_bond_basis(past, day):
    """No futures traded yet and no 6-month or 1-year bill in the snapshot: cuts priced are
    (EFFR·365/360 − DGS2)/0.25 over the next 2 years. Without the 365/360 conversion the card
    would print another number (checked), so this pins the conversion."""
    stamp = pd.Timestamp(day)
    contracts = sorted((SNAPSHOT_DIR / "yahoo").glob("ZQ*.CBT.csv"))  # dated fed funds futures
    assert contracts and all(yahoo(path.stem).index[0] > stamp for path in contracts)
    assert not (SNAPSHOT_DIR / "fred" / "DGS1.csv").exists() and not (SNAPSHOT_DIR / "fred" / "DGS6MO.csv").exists()
    y2, y2_day = last(fred("DGS2").loc[:stamp])
    effr = on_or_before(fred("EFFR"), y2_day)
    cuts, unconverted = (effr * 365 / 360 - y2) / 0.25, (effr - y2) / 0.25
    assert f"{cuts:+.1f}" != f"{unconverted:+.1f}"
    assert evidence_lines(past[day])[0] == f"25 bp cuts priced over the next 2 years {cuts:+.1f} ({y2_day:%Y-%m-%d})"
    assert statuses(past[day])[0] == SUPPORTED and check_marks(past[day])[0] == [FOR]
    (rule,) = [c.value for c in past[day].caption if "Supported when more than 0.5 cuts" in c.value]
    assert "crude" in rule


def test_as_of_the_end_of_2025_monthly_figures_count_from_their_first_release(past):
    """December's unemployment came out on 2026-01-09, so 2025-12-31 sees November's 4.5%; October
    and November core PCE came out together on 2026-01-22, so it sees September's YoY."""
    day = pd.Timestamp("2025-12-31")
    assert first_release("payrolls", pd.Timestamp("2025-12-01")) == pd.Timestamp("2026-01-09")
    assert first_release("pce", pd.Timestamp("2025-10-01")) == first_release("pce", pd.Timestamp("2025-11-01")) \
        == pd.Timestamp("2026-01-22")
    assert pd.Timestamp("2025-12-01") in fred("UNRATE").index  # the snapshot has it: the cut is what hides it
    assert pd.Timestamp("2025-11-01") in fred("PCEPILFE").index
    unrate = fred("UNRATE")
    assert evidence_lines(past["2025-12-31"])[2].startswith(f"unemployment {unrate.loc['2025-11-01']:.1f}% · ")
    assert evidence_lines(past["2025-12-31"])[2].endswith("(2025-11-01)")
    assert f"unemployment {unrate.loc['2025-11-01']:.1f}%" == "unemployment 4.5%"
    core = yoy(fred("PCEPILFE")).loc["2025-09-01"]
    assert evidence_lines(past["2025-12-31"])[7].startswith(f"core PCE YoY {core:.2f}% (2025-09-01); ")
    assert last(yoy(published(fred("PCEPILFE"), "pce", day)))[1] == pd.Timestamp("2025-09-01")


@pytest.mark.parametrize("day", DAYS)
def test_the_as_of_caption_says_what_the_day_saw(today, past, day):
    at = page_at(today, past, day)
    expected = TODAY_CAPTION if day == "today" else as_of_caption(day)
    assert at.caption[0].value == expected
    assert sum(c.value in (TODAY_CAPTION, as_of_caption(day)) for c in at.caption) == 1


MARKS = {FOR: ":green[✓]", NEUTRAL: ":gray[–]", AGAINST: ":red[✗]"}


@pytest.mark.parametrize("day,number,checks", [
    ("2025-06-30", 3, ("unemployment up 0.2 pp or more on 12 months (down by 0.2 pp or more counts against)",
                       "payroll growth 50k/month or more slower than 6 months ago (faster by 50k or more counts against)",
                       "Sahm indicator up 0.1 pp or more on 3 months (down by 0.1 pp or more counts against)")),
    ("today", 6, ("IWM/IJR up 0.5% or more over 3M (down by 0.5% or more counts against)",
                  "HY spread in the bottom third of its last 5 years (top third counts against)",
                  "HY spread 25 bp or more tighter over 3 months (wider by 25 bp or more counts against)")),
    ("today", 9, ("β's 95% interval below zero (above zero counts against; spanning zero is noise)",
                  "correlation at or below -0.20 (at or above +0.20 counts against)",
                  "small caps more sensitive: Russell 2000 − S&P 500 β at or below -0.10% (at or above +0.10% counts "
                  "against)")),
])
def test_the_checks_caption_marks_each_vote(today, past, day, number, checks):
    """✓ for, – inside the noise band, ✗ against: the marks of the votes derived here."""
    votes = expected_cards(day)[number].votes
    assert check_captions(page_at(today, past, day))[number - 1] == " · ".join(
        f"{MARKS[v]} {text}" for v, text in zip(votes, checks))
    assert len(set(votes)) > 1  # the cases show more than one kind of mark


OPENERS = ((SUPPORTED, "The data back"), (MIXED, "The evidence is mixed on"), (NOT_SUPPORTED, "The data do not back"))


@pytest.mark.parametrize("day", ("today", "2025-06-30", "2025-12-31"))
def test_the_verdict_paragraph_names_each_claim_with_its_first_reading(today, past, day):
    at = page_at(today, past, day)
    paragraph, lines, cards = verdict_paragraph(at), evidence_lines(at), expected_cards(day)
    for number, card in cards.items():
        assert lines[number - 1].startswith(card.headline)  # the reading exactly as the card prints it
        assert f"{TITLES[number]} ({card.headline})" in paragraph, number
    for status, opener in OPENERS:
        group = [f"{TITLES[n]} ({c.headline})" for n, c in cards.items() if c.status == status]
        if group:
            assert f"{opener}: {'; '.join(group)}." in paragraph
        else:
            assert opener not in paragraph
    pillars = cards[1].status == cards[2].status == SUPPORTED
    assert ("Both rate pillars" in paragraph) == pillars
    assert ("At least one rate pillar" in paragraph) == (not pillars)


# --- The verdict history ---------------------------------------------------------------------


def history_column(fig: dict, day) -> list[str]:
    """The statuses of the heatmap's column for ``day`` (claims in row order)."""
    trace = fig["data"][0]
    days = list(pd.to_datetime(trace["x"]))
    column = days.index(pd.Timestamp(day))
    return [row[column] for row in trace["customdata"]]


def test_the_history_agrees_with_the_cards_and_the_as_of_runs(today, past):
    assert_clean(today)
    fig = heatmap(today)
    trace = fig["data"][0]
    days = pd.to_datetime(trace["x"])
    assert days[0] == pd.Timestamp("2000-01-31") and days[-1] == TODAY
    assert list(days[:-1]) == list(pd.date_range("2000-01-31", TODAY, freq="ME"))
    assert trace["y"] == [f"{n}. {TITLES[n]}" for n in TITLES]
    assert history_column(fig, TODAY) == statuses(today) == [c.status for c in expected_cards("today").values()]
    assert history_column(fig, "2025-12-31") == statuses(past["2025-12-31"]) \
        == [c.status for c in expected_cards("2025-12-31").values()]
    assert history_column(fig, "2025-06-30") == [c.status for c in expected_cards("2025-06-30").values()]
    assert "shapes" not in fig["layout"]  # today: no as-of day to mark
    (marker,) = heatmap(past["2025-12-31"])["layout"]["shapes"]  # as of a day: a line at that day
    assert pd.Timestamp(marker["x0"]) == pd.Timestamp(marker["x1"]) == pd.Timestamp("2025-12-31")
    (table,) = [d.value for d in today.dataframe]
    assert len(table) == CARDS
    assert list(table["Claim"]) == [f"{n}. {TITLES[n]}" for n in TITLES]
    assert table["Verdict changes per year"].notna().all()


def test_the_history_row_of_claim_9_is_its_derived_status_on_every_month_end(today):
    """Claim 9 scored on every month-end since 2000 (each on the data and macro days up to it): its
    windows go back to the FOMC-only years before the release calendars start (2000), through the
    2007–08 liquidity statements left out and 2022's hikes, and reach every status."""
    trace = heatmap(today)["data"][0]
    days = pd.to_datetime(trace["x"])
    derived = [macro_card(day).status for day in days]
    assert trace["customdata"][8] == derived
    assert {SUPPORTED, MIXED, NOT_SUPPORTED} <= set(derived)


def select(at: AppTest, key: str, day: str) -> AppTest:
    """Click the point dated ``day`` of the chart ``key`` (its selection state, as the browser sends it)."""
    at.session_state[key] = {"selection": {"points": [{"x": day}], "point_indices": [0], "box": [], "lasso": []}}
    return at.run()


def test_a_history_cell_click_rescores_as_of_that_month_end(run_page, past):
    at = select(run_page(history="true"), "overview.history", "2025-12-31")
    assert_clean(at)
    assert at.caption[0].value == as_of_caption("2025-12-31")
    assert at.query_params["asof"] in ("2025-12-31", ["2025-12-31"])
    assert evidence_lines(at) == evidence_lines(past["2025-12-31"]) == [
        c.evidence for c in expected_cards("2025-12-31").values()]


def test_a_sparkline_click_rescores_as_of_that_day(run_page):
    """Claim 2's sparkline, point 2026-03-02: every card as that day saw it (January's
    unemployment, out on 2026-02-11; February's came on 2026-03-06)."""
    at = select(run_page(), "overview.spark2", "2026-03-02")
    assert_clean(at)
    assert at.date_input(key="asof").value == dt.date(2026, 3, 2)
    assert at.caption[0].value == as_of_caption("2026-03-02")
    cards = expected_cards("2026-03-02")
    assert evidence_lines(at) == [c.evidence for c in cards.values()]
    assert statuses(at) == [c.status for c in cards.values()]
    assert check_marks(at) == [c.votes for c in cards.values()]
    assert evidence_lines(at)[2].endswith("(2026-01-01)")


# --- Cards: layout, sparklines, links ---------------------------------------------------------


def test_swapping_the_speculation_and_lead_ratios_would_show_other_numbers():
    """Claims 6 and 4 divide by the right series: the inverted ratios print other numbers."""
    cards = expected_cards("today")
    iwm, ijr = yahoo("IWM"), yahoo("IJR")
    swapped, since = rows_change(ratio(ijr, iwm), TRADING_DAYS_3M)
    assert f"IWM/IJR change since {since:%Y-%m-%d} {swapped:+.1f}%" not in cards[6].evidence
    right, since = rows_change(ratio(iwm, ijr), TRADING_DAYS_3M)
    assert cards[6].evidence.startswith(f"IWM/IJR change since {since:%Y-%m-%d} {right:+.1f}%")
    inverted, since = rows_change(ratio(yahoo("^GSPC").loc[:TODAY], yahoo("^RUT").loc[:TODAY]), TRADING_DAYS_3M)
    assert f"RS change since {since:%Y-%m-%d} {inverted:+.1f}%" not in cards[4].evidence


def test_claim_7_names_the_companies_its_earnings_check_goes_without(today):
    (caption,) = [c.value for c in today.caption if c.value.startswith("Scored without")]
    assert caption == "Scored without Trailing diluted EPS, Meta Platforms (META); Trailing diluted EPS, Tesla (TSLA)."


def test_without_any_sec_data_claim_7_is_scored_with_a_neutral_earnings_check(tmp_path):
    """No companyfacts at all (as live without SEC_USER_AGENT): the earnings check votes neutral,
    so the claim is scored on the rest and can be mixed at best; the card names all seven."""
    snapshot = tmp_path / "no-sec"
    snapshot.mkdir()
    for folder in ("fred", "yahoo", "shares"):
        (snapshot / folder).symlink_to(SNAPSHOT_DIR / folder)
    at = run_overview(tmp_path / "cache", snapshot)
    assert_clean(at)
    derived = hybrid_card(TODAY)
    votes = [derived.votes[0], NEUTRAL, *derived.votes[2:]]
    status = by_net(votes, 3, essential=votes[0])
    assert check_marks(at)[6] == votes
    assert statuses(at)[6] == (MIXED if status == SUPPORTED else status)
    line = evidence_lines(at)[6]
    assert "mega caps with SEC EPS n/a · their EPS growth n/a · their P/E change n/a" in line
    (caption,) = [c.value for c in at.caption if c.value.startswith("Scored without")]
    assert caption.count("Trailing diluted EPS") == 7


def test_cards_show_dated_evidence_rule_sparkline_and_link(today):
    lines = evidence_lines(today)
    assert len(lines) == CARDS
    assert all(DATE.search(line) or line.startswith("Missing:") for line in lines)
    assert sum(c.value.startswith("Line: ") and "\n\nRule: " in c.value for c in today.caption) == CARDS
    spark = sparklines(today)
    assert len(spark) == CARDS
    for fig in spark:
        assert fig["layout"]["height"] <= 80
        assert fig["layout"]["xaxis"]["visible"] is False and fig["layout"]["yaxis"]["visible"] is False
    links = evidence_links(today)
    assert [link.page for link in links] == (["fed-path"] * 3 + ["small-caps"] * 3
                                             + ["sp500-hybrid", "inflation", "events"])
    params = [parse_qs(link.query_string) for link in links]
    assert params[4] == {"beta_window": ["63"]}
    assert params[6] == {"sector_window": ["3M"]}
    assert params[7]["measure"] == ["Core PCE"] and params[7]["transform"] == ["YoY"]
    assert params[8] == {"type": ["All macro"], "asset": ["S&P 500"], "roll": ["3Y"]}


def test_sparklines_draw_the_series_their_line_names(today):
    """Claim 2's sparkline is DGS2 over the last 12 months; claim 6's is IWM/IJR rebased to 100."""
    spark = sparklines(today)
    y2 = fred("DGS2").loc[pd.Timestamp("2025-08-21"):TODAY]
    x, y = pd.to_datetime(trace_values(spark[1]["data"][0], "x")), trace_values(spark[1]["data"][0], "y")
    assert list(x) == list(y2.index) and np.allclose(y.astype(float), y2.to_numpy(), atol=1e-12)
    iwm_ijr = ratio(yahoo("IWM").loc[:TODAY], yahoo("IJR").loc[:TODAY])
    x, y = pd.to_datetime(trace_values(spark[5]["data"][0], "x")), trace_values(spark[5]["data"][0], "y")
    assert x.max() == iwm_ijr.index[-1]
    assert y[-1] / y[0] == pytest.approx(iwm_ijr.iloc[-1] / iwm_ijr.loc[x.min()], rel=1e-12)


def test_as_of_sparklines_end_on_what_the_day_saw(past):
    """As of 2025-12-31 every sparkline ends on its series' last date published by then (without
    futures, claim 1 draws DGS2; the monthly lines end on November's unemployment and
    September's core PCE; claim 9's β on the last macro day, the CPI release of 2025-12-18)."""
    day = pd.Timestamp("2025-12-31")
    y2, rut, spx = fred("DGS2").loc[:day], yahoo("^RUT").loc[:day], yahoo("^GSPC").loc[:day]
    rs = ratio(rut, spx).index[-1]
    ends = [y2.index[-1], y2.index[-1], published(fred("UNRATE"), "payrolls", day).index[-1], rs, rs,
            ratio(yahoo("IWM").loc[:day], yahoo("IJR").loc[:day]).index[-1],
            ratio(yahoo("RSP").loc[:day], yahoo("SPY").loc[:day]).index[-1],
            yoy(published(fred("PCEPILFE"), "pce", day)).index[-1], macro_moves(day)[1][-1]]
    assert [pd.to_datetime(trace_values(fig["data"][0], "x")).max() for fig in sparklines(past["2025-12-31"])] == ends
    assert ends[2] == pd.Timestamp("2025-11-01") and ends[7] == pd.Timestamp("2025-09-01")
    assert ends[8] == pd.Timestamp("2025-12-18")


def test_the_macro_days_sparkline_is_the_rolling_beta_of_the_last_3_years(today):
    """Claim 9's sparkline: on each macro day of the last 3 years, the S&P 500's β of the 3 years
    of macro days to it (so it ends on the card's β)."""
    line = as_series(sparklines(today)[8]["data"][0])  # the line's points (gaps between them are NaN breaks)
    moves, macro = macro_moves(TODAY)
    assert list(line.index) == list(macro[macro >= TODAY - pd.DateOffset(months=36)])
    windows = [macro_window(moves, macro, end) for end in line.index]
    betas = [macro_fit(w["bp"].to_numpy(), w["spx"].to_numpy())[0] for w in windows]
    assert np.allclose(line.to_numpy(), betas, rtol=1e-9, atol=1e-12)
    assert f"per +10 bp since 2023-08-12 {line.iloc[-1]:+.2f}% " in expected_cards("today")[9].evidence


# --- URL parameters ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["junk", "2025-13-45", "<script>alert(1)</script>"])
def test_invalid_asof_is_noted_and_today_is_scored(run_page, today, raw):
    at = run_page(asof=raw)
    assert_clean(at)
    assert any("Ignored an invalid value for 'asof'" in i.value for i in at.info)
    assert all("script" not in m.value for m in at.markdown)
    assert evidence_lines(at) == evidence_lines(today) and statuses(at) == statuses(today)
    assert at.caption[0].value == TODAY_CAPTION


def test_asof_outside_the_range_is_clamped_with_a_note(run_page):
    at = run_page(asof="1990-06-30")
    assert_clean(at)
    assert any("moved to 2000-01-01" in i.value for i in at.info)
    assert at.caption[0].value == as_of_caption("2000-01-01")
    # Claim 4 reads market data only: the Russell 2000 and S&P 500 to 1999-12-31.
    assert evidence_lines(at)[3] == lead_card(pd.Timestamp("2000-01-01")).evidence
    later = run_page(asof="2031-01-01")
    assert any(f"moved to {SNAPSHOT_AS_OF}" in i.value for i in later.info)
    assert later.caption[0].value == TODAY_CAPTION


# --- Supporting detail in expanders --------------------------------------------------------------


def open_expander(at, key: str):
    """Open the lazy expander ``key`` (what a click does: its content runs on the rerun)."""
    at.session_state[key] = True
    return at.run()


HISTORY_LABEL = "Verdict history: every claim at every month-end since 2000"


def test_closed_expanders_run_nothing(run_page):
    at = run_page()  # as first opened: no ``history`` in the link
    assert {e.label for e in at.expander} == {HISTORY_LABEL, "Data status",
                                             "Russell 2000 vs S&P 500, rebased (last 3Y)"}
    assert all(not e.children for e in at.expander)
    assert len(figures(at)) == len(sparklines(at)) == 9  # no history grid, no relative-strength chart
    assert not at.dataframe


def test_the_history_opens_from_its_link_and_its_summary_reads_the_grid(today):
    """``?history=true`` opens the verdict history; the line above it counts, from the grid's own
    cells, the claims whose last-column verdict held at every month-end of the past year, and names
    the claim with the most changes a year (the table's largest figure)."""
    (history,) = [e for e in today.expander if e.label == HISTORY_LABEL]
    assert history.children and heatmap(today)
    assert [c.value for c in today.code] == ["?history=true"]  # the Share link opens it too (relative here)
    fig = heatmap(today)
    days = pd.to_datetime(fig["data"][0]["x"])
    statuses = pd.DataFrame(fig["data"][0]["customdata"], columns=days)
    year_before = days[-1] - pd.DateOffset(years=1)
    from_year_before = days[days <= year_before][-1]  # the month-end the year reaches back to
    steady = sum(bool((row[row.index >= from_year_before] == row.iloc[-1]).all()) for _, row in statuses.iterrows())
    (table,) = [d.value for d in today.dataframe]
    busiest = table.loc[table["Verdict changes per year"].idxmax()]
    (summary,) = [m.value for m in today.markdown if m.value.startswith("Scored at every month-end")]
    assert f": {steady} of 9 claims have had today's verdict for at least a year." in summary
    assert f"The most changeable is {busiest['Claim']} ({busiest['Verdict changes per year']:.1f} changes a year;" \
        in summary


def test_status_table_in_expander_lists_every_catalogue_series(run_page):
    at = open_expander(run_page(), "overview.status_open")
    (expander,) = [e for e in at.expander if e.label == "Data status"]
    table = expander.dataframe[0].value
    from data_sources.catalogue import catalogue

    assert len(table) == len(catalogue(SNAPSHOT_AS_OF))
    ok = table[table["Status"] == "ok"]
    rut = ok[ok["Id"] == "^RUT"].iloc[0]
    assert str(rut["Last"]) == "2026-08-21"
    missing = table[table["Status"] == "failed"]
    # The snapshot has no DGS6MO and DGS1 (bill fallback) nor UNEMPLOY (openings per unemployed),
    # and no SEC companyfacts for META and TSLA (their trailing EPS).
    files = {"DGS6MO": "fred/DGS6MO.csv", "DGS1": "fred/DGS1.csv", "UNEMPLOY": "fred/UNEMPLOY.csv",
             "META": "sec/META.json", "TSLA": "sec/TSLA.json"}
    assert set(missing["Id"]) == set(files)
    assert not any((SNAPSHOT_DIR / path).exists() for path in files.values())
    assert all(files[i] in problem for i, problem in zip(missing["Id"], missing["Problem"]))


def rebased(series: pd.Series) -> np.ndarray:
    return (series / series.iloc[0] * 100).to_numpy()


def index_pair() -> pd.DataFrame:
    return pd.concat([yahoo("^RUT"), yahoo("^GSPC")], axis=1, join="inner").dropna().loc[:TODAY]


def test_overview_renders_rebased_chart_from_snapshot(run_page):
    at = open_expander(run_page(), RS_OPEN)
    fig = titled(at, "Russell 2000 vs S&P 500")
    assert [t["name"] for t in fig["data"]] == ["Russell 2000", "S&P 500"]
    pair = index_pair().loc[pd.Timestamp("2023-08-21"):]  # last 3Y
    for position, trace in enumerate(fig["data"]):
        x = pd.to_datetime(trace_values(trace, "x"))
        assert list(x) == list(pair.index)
        assert np.allclose(trace_values(trace, "y").astype(float), rebased(pair.iloc[:, position]), rtol=1e-12)
    assert "start = 100" in fig["layout"]["yaxis"]["title"]["text"]
    captions = [c.value for c in at.caption]
    assert any("Yahoo Finance (^RUT, ^GSPC) · as of 2026-08-21" in c for c in captions)


def test_preset_in_url_sets_window_and_evidence_links_carry_it(run_page):
    at = open_expander(run_page(range="1M"), RS_OPEN)
    for link in evidence_links(at):
        assert parse_qs(link.query_string)["range"] == ["1M"]
    fig = titled(at, "Russell 2000 vs S&P 500")
    x = pd.to_datetime(trace_values(fig["data"][0], "x"))
    assert list(x) == list(yahoo("^RUT").loc[pd.Timestamp("2026-07-21"):TODAY].index)
    assert "last 1M" in fig["layout"]["title"]["text"]


def test_invalid_range_param_falls_back_with_note(run_page):
    at = run_page(range="<img src=x onerror=alert(1)>")
    assert_clean(at)
    assert any("Ignored an invalid value for 'range'" in i.value for i in at.info)
    assert all("onerror" not in m.value for m in at.markdown)
    assert "last 3Y" in title_of(titled(open_expander(at, RS_OPEN), "Russell 2000 vs S&P 500"))


def test_custom_range_swapped_and_clamped(run_page):
    at = open_expander(run_page(range="Custom", start="2026-06-30", end="2024-01-02"), RS_OPEN)
    assert_clean(at)
    fig = titled(at, "Russell 2000 vs S&P 500")
    x = pd.to_datetime(trace_values(fig["data"][0], "x"))
    assert list(x) == list(index_pair().loc[pd.Timestamp("2024-01-02"):pd.Timestamp("2026-06-30")].index)
