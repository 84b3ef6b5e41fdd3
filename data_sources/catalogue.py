"""Every series the dashboard uses, declared once (DESIGN.md, "The catalogue").

Pages and analytics refer to series by ``key`` (spelled through ``Key``, so a typo fails at
import); only this file knows Yahoo symbols, FRED ids and SEC CIKs. Adding a series is one row (and
its ``Key`` member). Fed funds futures contracts are generated from a date, never typed by
hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

# "yahoo_shares": Yahoo's shares-outstanding history of a company (not its prices).
# "sec": SEC EDGAR companyfacts of a company (its trailing diluted EPS, ``data_sources.sec``).
Source = Literal["yahoo", "yahoo_shares", "fred", "sec"]
Frequency = Literal["daily", "weekly", "monthly", "quarterly"]
# The release that first publishes a monthly or weekly FRED series (``data_sources.calendars``):
# CPI, the Employment Situation, Personal Income and Outlays, JOLTS, weekly UI claims.
Release = Literal["cpi", "employment", "pio", "jolts", "claims"]


class Key(StrEnum):
    """Every static catalogue key (``Key.t_2y == "t_2y"``); futures keys are generated."""

    # Equity indices and ETFs
    spx = "spx"
    rut = "rut"
    iwm = "iwm"
    ijr = "ijr"
    arkk = "arkk"
    spy = "spy"
    rsp = "rsp"
    # Mega caps: prices, then shares outstanding
    aapl = "aapl"
    msft = "msft"
    nvda = "nvda"
    amzn = "amzn"
    googl = "googl"
    meta = "meta"
    tsla = "tsla"
    aapl_shares = "aapl_shares"
    msft_shares = "msft_shares"
    nvda_shares = "nvda_shares"
    amzn_shares = "amzn_shares"
    googl_shares = "googl_shares"
    meta_shares = "meta_shares"
    tsla_shares = "tsla_shares"
    # Mega caps: trailing diluted EPS (SEC companyfacts)
    aapl_ttm_eps = "aapl_ttm_eps"
    msft_ttm_eps = "msft_ttm_eps"
    nvda_ttm_eps = "nvda_ttm_eps"
    amzn_ttm_eps = "amzn_ttm_eps"
    googl_ttm_eps = "googl_ttm_eps"
    meta_ttm_eps = "meta_ttm_eps"
    tsla_ttm_eps = "tsla_ttm_eps"
    # Sector ETFs
    xlk = "xlk"
    xlf = "xlf"
    xle = "xle"
    xlb = "xlb"
    xly = "xly"
    xli = "xli"
    xlu = "xlu"
    xlp = "xlp"
    xlv = "xlv"
    xlre = "xlre"
    xlc = "xlc"
    # Policy rate
    fed_target_lower = "fed_target_lower"
    fed_target_upper = "fed_target_upper"
    effr = "effr"
    fed_funds_daily = "fed_funds_daily"
    # Treasury curve
    t_1m = "t_1m"
    t_3m = "t_3m"
    t_6m = "t_6m"
    t_1y = "t_1y"
    t_2y = "t_2y"
    t_10y = "t_10y"
    spread_10y2y = "spread_10y2y"
    spread_10y3m = "spread_10y3m"
    real_10y = "real_10y"
    # Labour market
    unrate = "unrate"
    payrolls = "payrolls"
    claims = "claims"
    sahm_realtime = "sahm_realtime"
    job_openings = "job_openings"
    unemployed = "unemployed"
    # Inflation
    cpi = "cpi"
    core_cpi = "core_cpi"
    pce = "pce"
    core_pce = "core_pce"
    breakeven_5y = "breakeven_5y"
    breakeven_10y = "breakeven_10y"
    # Credit
    hy_spread = "hy_spread"


@dataclass(frozen=True)
class SeriesSpec:
    """One catalogue row: what a series is, where it comes from and why it is here.

    ``required``: the app cannot do without it, so a snapshot or store lacking it is
    unhealthy (``python -m data_sources status`` exits 1). Optional rows have a fallback or
    a page that says they are absent.

    Point in time (as-of views): ``release`` names the release calendar that dates each
    observation's first publication (every monthly and weekly FRED row has one); a series
    without a release counts from its own date plus ``publication_lag_days`` (0 for daily
    market data and share counts, which Yahoo dates by the filing that reported them, and for
    SEC EPS, dated by the first filing of its latest quarter).

    ``cik``: the SEC's Central Index Key of the company (SEC rows only; their ``source_id`` is
    the ticker, so messages and snapshot files name the company as people know it).
    """

    key: str
    source: Source
    source_id: str  # Yahoo symbol, FRED series id or (SEC) ticker, spelled as the source spells it
    label: str
    units: str
    frequency: Frequency
    why: str
    required: bool = True
    release: Release | None = None
    publication_lag_days: int = 0
    cik: int | None = None

    def __post_init__(self):
        object.__setattr__(self, "key", str(self.key))  # a plain str even when given a Key

    @property
    def positive_only(self) -> bool:
        """Whether a value <= 0 is a data error: Yahoo prices and share counts (every Yahoo
        symbol in the catalogue is a price, index level or futures price, never a yield)."""
        return self.source in ("yahoo", "yahoo_shares")


def _y(key, symbol, label, units, why):
    return SeriesSpec(key, "yahoo", symbol, label, units, "daily", why)


def _f(key, series_id, label, units, frequency, why, required=True, release=None):
    return SeriesSpec(key, "fred", series_id, label, units, frequency, why, required, release)


def _mega_cap_series_key(key: str, what: str) -> str:
    if key not in MEGA_CAP_KEYS:
        raise KeyError(f"{key!r} is not a mega cap")
    return f"{key}_{what}"


def share_count_key(key: str) -> str:
    """The shares-outstanding key of a mega cap's price key (``aapl`` -> ``aapl_shares``);
    KeyError for any other key."""
    return _mega_cap_series_key(key, "shares")


def ttm_eps_key(key: str) -> str:
    """The trailing-EPS key of a mega cap's price key (``aapl`` -> ``aapl_ttm_eps``);
    KeyError for any other key."""
    return _mega_cap_series_key(key, "ttm_eps")


def _shares(key, symbol, company):
    return SeriesSpec(
        share_count_key(key), "yahoo_shares", symbol, f"{company} shares outstanding",
        "shares (as reported, not split-adjusted)", "quarterly",
        "Market-cap weights of the mega caps (S&P 500 page).",
    )


def _ttm_eps(key, symbol, company):
    # Optional: META and TSLA have no diluted EPS in companyfacts (the shared snapshot has no
    # file for them), and the earnings-vs-multiple panel uses the companies that load.
    return SeriesSpec(
        ttm_eps_key(key), "sec", symbol, f"Trailing diluted EPS, {company}",
        "USD per share (TTM, current share basis)", "quarterly",
        "Earnings vs multiple: how much of a mega cap's move is earnings growth (S&P 500 page).",
        required=False, cik=SEC_CIKS[symbol],
    )


_PRICE = "USD, split- and dividend-adjusted"
_SECTORS = (
    (Key.xlk, "XLK", "Technology"),
    (Key.xlf, "XLF", "Financials"),
    (Key.xle, "XLE", "Energy"),
    (Key.xlb, "XLB", "Materials"),
    (Key.xly, "XLY", "Consumer discretionary"),
    (Key.xli, "XLI", "Industrials"),
    (Key.xlu, "XLU", "Utilities"),
    (Key.xlp, "XLP", "Consumer staples"),
    (Key.xlv, "XLV", "Health care"),
    (Key.xlre, "XLRE", "Real estate"),
    (Key.xlc, "XLC", "Communication services"),
)
_MEGA_CAPS = (
    (Key.aapl, "AAPL", "Apple"),
    (Key.msft, "MSFT", "Microsoft"),
    (Key.nvda, "NVDA", "Nvidia"),
    (Key.amzn, "AMZN", "Amazon"),
    (Key.googl, "GOOGL", "Alphabet"),
    (Key.meta, "META", "Meta Platforms"),
    (Key.tsla, "TSLA", "Tesla"),
)
# The SEC's Central Index Key of each mega cap (EDGAR company search; companyfacts URLs use it
# zero-padded to ten digits).
SEC_CIKS = {"AAPL": 320193, "MSFT": 789019, "NVDA": 1045810, "AMZN": 1018724, "GOOGL": 1652044,
            "META": 1326801, "TSLA": 1318605}
# When each mega cap's fiscal year ends (their 10-K cover pages): a TTM sums the last four
# fiscal quarters whatever the calendar, so Apple's "Q1" ends in December.
FISCAL_YEAR_ENDS = {"AAPL": "the last Saturday of September", "MSFT": "June 30",
                    "NVDA": "the last Sunday of January", "AMZN": "December 31", "GOOGL": "December 31",
                    "META": "December 31", "TSLA": "December 31"}
SECTOR_KEYS = tuple(str(k) for k, _, _ in _SECTORS)
MEGA_CAP_KEYS = tuple(str(k) for k, _, _ in _MEGA_CAPS)
SHARE_COUNT_KEYS = tuple(share_count_key(k) for k in MEGA_CAP_KEYS)  # same order as MEGA_CAP_KEYS
TTM_EPS_KEYS = tuple(ttm_eps_key(k) for k in MEGA_CAP_KEYS)  # same order as MEGA_CAP_KEYS

STATIC_SERIES: tuple[SeriesSpec, ...] = (
    # Equity indices and ETFs
    _y(Key.spx, "^GSPC", "S&P 500", "index points", "The benchmark the rally is measured on."),
    _y(Key.rut, "^RUT", "Russell 2000", "index points", "Small caps: the narrative's rate barometer."),
    _y(Key.iwm, "IWM", "iShares Russell 2000 ETF", _PRICE, "Russell 2000 with no profit screen."),
    _y(Key.ijr, "IJR", "iShares S&P 600 ETF", _PRICE, "Small caps screened for positive earnings."),
    _y(Key.arkk, "ARKK", "ARK Innovation ETF", _PRICE, "Speculative growth: a risk-on cross-check."),
    _y(Key.spy, "SPY", "SPDR S&P 500 ETF", _PRICE, "Cap-weighted S&P 500, for breadth and sectors."),
    _y(Key.rsp, "RSP", "Invesco S&P 500 Equal Weight ETF", _PRICE, "Equal-weight S&P 500: breadth."),
    *(_y(k, s, n, _PRICE, "Mega-cap contribution to the S&P 500.") for k, s, n in _MEGA_CAPS),
    *(_shares(k, s, n) for k, s, n in _MEGA_CAPS),
    *(_ttm_eps(k, s, n) for k, s, n in _MEGA_CAPS),
    *(_y(k, s, f"{n} sector (SPDR {s})", _PRICE, "Sector rotation vs SPY.") for k, s, n in _SECTORS),
    # Policy rate
    _f(Key.fed_target_lower, "DFEDTARL", "Fed funds target range, lower bound", "percent", "daily",
       "The policy band the market expects to be cut."),
    _f(Key.fed_target_upper, "DFEDTARU", "Fed funds target range, upper bound", "percent", "daily",
       "The policy band the market expects to be cut."),
    _f(Key.effr, "EFFR", "Effective federal funds rate", "percent", "daily",
       "Where overnight money actually trades; start of the implied path."),
    _f(Key.fed_funds_daily, "DFF", "Federal funds effective rate (7-day)", "percent", "daily",
       "Long history of the policy rate, for the Taylor rule and real rate."),
    # Treasury curve
    _f(Key.t_1m, "DGS1MO", "1-month Treasury yield", "percent", "daily", "Bill curve: forward-rate fallback."),
    _f(Key.t_3m, "DGS3MO", "3-month Treasury yield", "percent", "daily", "Short end of the curve."),
    # Optional: the forward-rate fallback works from the tenors it has.
    _f(Key.t_6m, "DGS6MO", "6-month Treasury yield", "percent", "daily", "Bill curve: forward-rate fallback.",
       required=False),
    _f(Key.t_1y, "DGS1", "1-year Treasury yield", "percent", "daily", "Bill curve: forward-rate fallback.",
       required=False),
    _f(Key.t_2y, "DGS2", "2-year Treasury yield", "percent", "daily", "The market's policy-path proxy."),
    _f(Key.t_10y, "DGS10", "10-year Treasury yield", "percent", "daily", "Long-end cost of capital."),
    _f(Key.spread_10y2y, "T10Y2Y", "10-year minus 2-year spread", "percentage points", "daily",
       "Curve shape: inversion and re-steepening."),
    _f(Key.spread_10y3m, "T10Y3M", "10-year minus 3-month spread", "percentage points", "daily",
       "Curve shape: the recession-signal version."),
    _f(Key.real_10y, "DFII10", "10-year TIPS real yield", "percent", "daily",
       "Real cost of capital; breakeven = nominal − real."),
    # Labour market
    _f(Key.unrate, "UNRATE", "Unemployment rate", "percent", "monthly", "Labour-market slack; Sahm rule input.", release="employment"),
    _f(Key.payrolls, "PAYEMS", "Nonfarm payrolls", "thousands of persons", "monthly", "Hiring trend.", release="employment"),
    _f(Key.claims, "ICSA", "Initial jobless claims", "persons", "weekly", "Fastest labour-market signal.", release="claims"),
    _f(Key.sahm_realtime, "SAHMREALTIME", "Sahm rule recession indicator (real time)",
       "percentage points", "monthly", "FRED's own Sahm reading, to check ours against.", release="employment"),
    _f(Key.job_openings, "JTSJOL", "Job openings (JOLTS)", "thousands", "monthly",
       "Openings per unemployed person: labour demand vs supply.", release="jolts"),
    # Optional: the openings tab says when it is absent.
    _f(Key.unemployed, "UNEMPLOY", "Unemployed persons", "thousands of persons", "monthly",
       "Denominator of openings per unemployed.", required=False, release="employment"),
    # Inflation
    _f(Key.cpi, "CPIAUCSL", "CPI, all items", "index 1982-84=100", "monthly", "Headline inflation.", release="cpi"),
    _f(Key.core_cpi, "CPILFESL", "CPI less food and energy", "index 1982-84=100", "monthly", "Core inflation.", release="cpi"),
    _f(Key.pce, "PCEPI", "PCE price index", "index 2017=100", "monthly", "The Fed's headline gauge.", release="pio"),
    _f(Key.core_pce, "PCEPILFE", "Core PCE price index", "index 2017=100", "monthly",
       "The Fed's target gauge: Taylor rule, real rate, policy flags.", release="pio"),
    _f(Key.breakeven_5y, "T5YIE", "5-year breakeven inflation", "percent", "daily",
       "Market inflation expectations; 5y5y input."),
    _f(Key.breakeven_10y, "T10YIE", "10-year breakeven inflation", "percent", "daily",
       "Market inflation expectations; 5y5y input."),
    # Credit
    _f(Key.hy_spread, "BAMLH0A0HYM2", "ICE BofA US high-yield OAS", "percent", "daily",
       "Risk appetite: confirms or denies the small-cap speculation signal."),
)
STATIC_BY_KEY = {spec.key: spec for spec in STATIC_SERIES}  # the static rows by key

# CME month codes for futures symbols, January .. December.
MONTH_CODES = "FGHJKMNQUVXZ"
FED_FUNDS_CONTRACT_MONTHS = 18


def fed_funds_contract(year: int, month: int) -> SeriesSpec:
    """The 30-day fed funds futures contract for a delivery month (Yahoo ``ZQ<code><yy>.CBT``)."""
    symbol = f"ZQ{MONTH_CODES[month - 1]}{year % 100:02d}.CBT"
    return SeriesSpec(
        key=f"zq_{year}_{month:02d}",
        source="yahoo",
        source_id=symbol,
        label=f"Fed funds futures, {dt.date(year, month, 1):%b %Y}",
        units="price (100 − average rate)",
        frequency="daily",
        why="Implied average policy rate for that month (FedWatch input).",
        required=False,  # contracts come and go; the fed path uses those that load
    )


def fed_funds_contracts(as_of: dt.date, months: int = FED_FUNDS_CONTRACT_MONTHS) -> tuple[SeriesSpec, ...]:
    """Contracts for ``months`` delivery months starting with the month of ``as_of``."""
    first = as_of.year * 12 + as_of.month - 1
    return tuple(fed_funds_contract(m // 12, m % 12 + 1) for m in range(first, first + months))


def catalogue(as_of: dt.date) -> tuple[SeriesSpec, ...]:
    """Every series the app uses on ``as_of``: the static rows plus that date's futures strip."""
    return STATIC_SERIES + fed_funds_contracts(as_of)


def spec_for(key: str, as_of: dt.date) -> SeriesSpec:
    """The catalogue row for ``key`` (KeyError if there is none)."""
    for spec in catalogue(as_of):
        if spec.key == key:
            return spec
    raise KeyError(key)

