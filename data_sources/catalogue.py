"""Every series the dashboard uses, declared once (DESIGN.md, "The catalogue").

Pages and analytics refer to series by ``key``; only this file knows Yahoo symbols and
FRED ids. Adding a series is one row. Fed funds futures contracts are generated from a
date, never typed by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class SeriesSpec:
    """One catalogue row: what a series is, where it comes from and why it is here."""

    key: str
    source: str  # "yahoo" or "fred"
    source_id: str  # Yahoo symbol or FRED series id, spelled as the source spells it
    label: str
    units: str
    frequency: str  # "daily", "weekly" or "monthly"
    why: str


def _y(key, symbol, label, units, why):
    return SeriesSpec(key, "yahoo", symbol, label, units, "daily", why)


def _f(key, series_id, label, units, frequency, why):
    return SeriesSpec(key, "fred", series_id, label, units, frequency, why)


_PRICE = "USD, split- and dividend-adjusted"
_SECTORS = (
    ("xlk", "XLK", "Technology"),
    ("xlf", "XLF", "Financials"),
    ("xle", "XLE", "Energy"),
    ("xlb", "XLB", "Materials"),
    ("xly", "XLY", "Consumer discretionary"),
    ("xli", "XLI", "Industrials"),
    ("xlu", "XLU", "Utilities"),
    ("xlp", "XLP", "Consumer staples"),
    ("xlv", "XLV", "Health care"),
    ("xlre", "XLRE", "Real estate"),
    ("xlc", "XLC", "Communication services"),
)
_MEGA_CAPS = (
    ("aapl", "AAPL", "Apple"),
    ("msft", "MSFT", "Microsoft"),
    ("nvda", "NVDA", "Nvidia"),
    ("amzn", "AMZN", "Amazon"),
    ("googl", "GOOGL", "Alphabet"),
    ("meta", "META", "Meta Platforms"),
    ("tsla", "TSLA", "Tesla"),
)

STATIC_SERIES: tuple[SeriesSpec, ...] = (
    # Equity indices and ETFs
    _y("spx", "^GSPC", "S&P 500", "index points", "The benchmark the rally is measured on."),
    _y("rut", "^RUT", "Russell 2000", "index points", "Small caps: the narrative's rate barometer."),
    _y("iwm", "IWM", "iShares Russell 2000 ETF", _PRICE, "Russell 2000 with no profit screen."),
    _y("ijr", "IJR", "iShares S&P 600 ETF", _PRICE, "Small caps screened for positive earnings."),
    _y("arkk", "ARKK", "ARK Innovation ETF", _PRICE, "Speculative growth: a risk-on cross-check."),
    _y("spy", "SPY", "SPDR S&P 500 ETF", _PRICE, "Cap-weighted S&P 500, for breadth and sectors."),
    _y("rsp", "RSP", "Invesco S&P 500 Equal Weight ETF", _PRICE, "Equal-weight S&P 500: breadth."),
    *(_y(k, s, n, _PRICE, "Mega-cap contribution to the S&P 500.") for k, s, n in _MEGA_CAPS),
    *(_y(k, s, f"{n} sector (SPDR {s})", _PRICE, "Sector rotation vs SPY.") for k, s, n in _SECTORS),
    # Policy rate
    _f("fed_target_lower", "DFEDTARL", "Fed funds target range, lower bound", "percent", "daily",
       "The policy band the market expects to be cut."),
    _f("fed_target_upper", "DFEDTARU", "Fed funds target range, upper bound", "percent", "daily",
       "The policy band the market expects to be cut."),
    _f("effr", "EFFR", "Effective federal funds rate", "percent", "daily",
       "Where overnight money actually trades; start of the implied path."),
    _f("fed_funds_daily", "DFF", "Federal funds effective rate (7-day)", "percent", "daily",
       "Long history of the policy rate, for the Taylor rule and real rate."),
    # Treasury curve
    _f("t_1m", "DGS1MO", "1-month Treasury yield", "percent", "daily", "Bill curve: forward-rate fallback."),
    _f("t_3m", "DGS3MO", "3-month Treasury yield", "percent", "daily", "Short end of the curve."),
    _f("t_6m", "DGS6MO", "6-month Treasury yield", "percent", "daily", "Bill curve: forward-rate fallback."),
    _f("t_1y", "DGS1", "1-year Treasury yield", "percent", "daily", "Bill curve: forward-rate fallback."),
    _f("t_2y", "DGS2", "2-year Treasury yield", "percent", "daily", "The market's policy-path proxy."),
    _f("t_10y", "DGS10", "10-year Treasury yield", "percent", "daily", "Long-end cost of capital."),
    _f("spread_10y2y", "T10Y2Y", "10-year minus 2-year spread", "percentage points", "daily",
       "Curve shape: inversion and re-steepening."),
    _f("spread_10y3m", "T10Y3M", "10-year minus 3-month spread", "percentage points", "daily",
       "Curve shape: the recession-signal version."),
    _f("real_10y", "DFII10", "10-year TIPS real yield", "percent", "daily",
       "Real cost of capital; breakeven = nominal − real."),
    # Labour market
    _f("unrate", "UNRATE", "Unemployment rate", "percent", "monthly", "Labour-market slack; Sahm rule input."),
    _f("payrolls", "PAYEMS", "Nonfarm payrolls", "thousands of persons", "monthly", "Hiring trend."),
    _f("claims", "ICSA", "Initial jobless claims", "persons", "weekly", "Fastest labour-market signal."),
    _f("sahm_realtime", "SAHMREALTIME", "Sahm rule recession indicator (real time)",
       "percentage points", "monthly", "FRED's own Sahm reading, to check ours against."),
    _f("job_openings", "JTSJOL", "Job openings (JOLTS)", "thousands", "monthly",
       "Openings per unemployed person: labour demand vs supply."),
    _f("unemployed", "UNEMPLOY", "Unemployed persons", "thousands of persons", "monthly",
       "Denominator of openings per unemployed."),
    # Inflation
    _f("cpi", "CPIAUCSL", "CPI, all items", "index 1982-84=100", "monthly", "Headline inflation."),
    _f("core_cpi", "CPILFESL", "CPI less food and energy", "index 1982-84=100", "monthly", "Core inflation."),
    _f("pce", "PCEPI", "PCE price index", "index 2017=100", "monthly", "The Fed's headline gauge."),
    _f("core_pce", "PCEPILFE", "Core PCE price index", "index 2017=100", "monthly",
       "The Fed's target gauge: Taylor rule, real rate, policy flags."),
    _f("breakeven_5y", "T5YIE", "5-year breakeven inflation", "percent", "daily",
       "Market inflation expectations; 5y5y input."),
    _f("breakeven_10y", "T10YIE", "10-year breakeven inflation", "percent", "daily",
       "Market inflation expectations; 5y5y input."),
    # Credit
    _f("hy_spread", "BAMLH0A0HYM2", "ICE BofA US high-yield OAS", "percent", "daily",
       "Risk appetite: confirms or denies the small-cap speculation signal."),
)

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


SECTOR_KEYS = tuple(k for k, _, _ in _SECTORS)
MEGA_CAP_KEYS = tuple(k for k, _, _ in _MEGA_CAPS)
