"""SEC EDGAR companyfacts: quarterly diluted EPS and trailing-twelve-month (TTM) EPS, point in time.

A companyfacts body (``data.sec.gov/api/xbrl/companyfacts/CIK##########.json``, or a snapshot's
``sec/<SYMBOL>.json``) lists every XBRL fact a company filed. Under us-gaap
``EarningsPerShareDiluted``, unit ``USD/shares``, each record is one period (start, end) as one
filing reported it (val, form, filed, accn); a period recurs in every later filing that shows it
as a comparative. Query -> extract -> normalise: ``fetch_companyfacts`` (the raw body, through
``SHARED_LIMITER``) -> ``eps_facts`` -> ``quarterly_eps`` -> ``ttm_eps``; ``fetch_ttm_eps`` is the
whole chain for one catalogue row, ``ttm_eps_from_body`` the parsing half a snapshot file shares.

The SEC answers only requests whose User-Agent names a contact ("Name email"): that is the
setting ``SEC_USER_AGENT`` (environment, or st.secrets copied there by ``page_frame``); without
it no request is sent and the failure says what to set. Fair access allows 10 requests/s; we
send at most ``REQUESTS_PER_SECOND``, and one request per company per day (the store's TTL).

The rules (../shared/data/earnings/SOURCES.md, section 4, whose ``ttm_eps_check.csv`` the tests
check this parser against):

1. Only 10-Q, 10-K, 10-Q/A and 10-K/A facts; 8-K recasts and proxy (DEF 14A) facts are ignored.
2. Quarter = a period of 80-100 days; fiscal year = 350-380 days, reported in a 10-K (10-Qs of
   some filers tag trailing-twelve-month periods too). Fiscal quarters come from the dates,
   never from ``fy``/``fp``, which describe the filing, not the fact.
3. Per period the latest-filed value is the level (restatements win) and the first filing date
   is when the period became known.
4. Per-share facts filed before a split's effective date are divided by its ratio (``SPLITS``),
   so every value is on today's share basis. Precision: companies restate old periods rounded
   to cents (NVDA FY2023: 1.74 before the 10:1 split, 0.17 after), so when the pre-split value
   divided by the ratio agrees with the restated one to half a cent, the former is used.
5. Q4 is no longer reported as a 3-month fact: Q4 = FY − Q1 − Q2 − Q3, or FY − the 9-month
   year-to-date figure when Q1 or Q2 is missing (MSFT FY2024 in the excerpt; the first XBRL
   year of AAPL, NVDA and GOOGL). A missing Q1-Q3 is not rebuilt from year-to-date facts; it
   leaves a gap (GOOGL Q2-Q4 2015, around Alphabet's reorganisation), and no TTM spans a gap.
6. TTM = the sum of four contiguous quarters, known from the first filing of its latest quarter.

Quarters are the company's own fiscal quarters (AAPL's end on the last Saturday of its
quarter, fiscal year to late September; MSFT's year ends 30 June; NVDA's late January, so the
quarter to 2026-04-26 is Q1 FY2027); they are never mapped to calendar quarters, a TTM needs
none. TTM EPS can be zero or negative (AMZN 2022: −0.27); it is kept, and
``analytics.decomposition.earnings_vs_multiple`` says why no P/E exists then. "First filed"
means first in companyfacts: for periods before a company tagged non-dimensional diluted EPS in
XBRL (AAPL and NVDA before mid-2009; GOOGL FY2016-17, first tagged in the FY2018 10-K) it is
later than the real publication, which only delays those values, never advances them.

EPS is not additive (share counts change between quarters), so a derived Q4 can differ by a
cent or two from the Q4 in the earnings release, while the TTM at a fiscal-year end equals the
10-K's annual EPS exactly.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pandas as pd
from curl_cffi import requests as curl_requests
from curl_cffi.requests import exceptions as curl_errors

from data_sources.contract import to_contract
from data_sources.deadline import RateLimiter, call_with_deadline
from data_sources.errors import SourceError
from data_sources.parsing import EmptyTable

EPS_CONCEPT = "EarningsPerShareDiluted"
EPS_UNIT = "USD/shares"
FACT_COLUMNS = ("start", "end", "val", "form", "filed", "accn")
QUARTER_COLUMNS = ("start", "end", "eps", "first_filed", "method")
PERIODIC_FORMS = frozenset({"10-Q", "10-K", "10-Q/A", "10-K/A"})
ANNUAL_FORMS = frozenset({"10-K", "10-K/A"})

# Period lengths as end − start in days (AAPL's 14-week quarter: 97; its 53-week year: 370).
QUARTER_DAYS = (80, 100)
YEAR_DAYS = (350, 380)
NINE_MONTH_DAYS = (3 * QUARTER_DAYS[0], 3 * QUARTER_DAYS[1])
# Consecutive periods: the next one starts the day after the previous one ends.
NEXT_DAY = pd.Timedelta(days=1)
QUARTERS_PER_YEAR = 4

# Half a cent: a restatement rounded to cents is within this of the exact pre-split value.
SPLIT_PRECISION = 0.005
FLOAT_SLACK = 1e-9  # so that a difference of exactly half a cent still counts as agreeing

METHOD_REPORTED = "reported"
METHOD_Q4_FROM_QUARTERS = "derived Q4 = FY − Q1 − Q2 − Q3"
METHOD_Q4_FROM_NINE_MONTHS = "derived Q4 = FY − 9-month YTD"

TTM_NAME = "ttm_eps"

# The setting holding the User-Agent SEC EDGAR requires: a name and a contact e-mail, e.g.
# "Jane Doe jane@example.com" (https://www.sec.gov/os/accessing-edgar-data).
SEC_USER_AGENT_ENV = "SEC_USER_AGENT"
COMPANYFACTS_URL = "https://data.sec.gov/api/xbrl/companyfacts/CIK{cik:010d}.json"
REQUEST_TIMEOUT_S = 30.0  # a full companyfacts body is 3-4 MB
REQUESTS_PER_SECOND = 2.0  # SEC's fair-access limit is 10/s: stay far below it
SHARED_LIMITER = RateLimiter(REQUESTS_PER_SECOND)
NO_USER_AGENT = f"{SEC_USER_AGENT_ENV} is not set, so no request was sent"

# Stock splits of the mega caps: symbol -> [(effective date, ratio)], the effective date being
# the first day the shares traded on the new basis. From ../shared/data/earnings/SOURCES.md
# (rule 5), plus Apple's 7:1 split of 2014-06-09, which the full AAPL companyfacts shows (FY2013
# EPS 39.75 in the 10-K of 2013-10-30, 5.68 in later filings) and without which every AAPL
# quarter before 2014 would be 7 times too large. Splits before XBRL (2009) cannot touch a
# companyfacts value and are left out. Live alternative: yfinance's split history
# (``yf.Ticker(symbol).splits``: ratio on the effective date), which would also catch a future
# split that this table does not list yet.
SPLITS: dict[str, list[tuple[dt.date, float]]] = {
    "AAPL": [(dt.date(2014, 6, 9), 7.0), (dt.date(2020, 8, 31), 4.0)],
    "MSFT": [],
    "NVDA": [(dt.date(2021, 7, 20), 4.0), (dt.date(2024, 6, 10), 10.0)],
    "AMZN": [(dt.date(2022, 6, 6), 20.0)],
    "GOOGL": [(dt.date(2022, 7, 18), 20.0)],
    "META": [],
    "TSLA": [(dt.date(2020, 8, 31), 5.0), (dt.date(2022, 8, 25), 3.0)],
}


def read_companyfacts(path: Path | str) -> dict:
    """The companyfacts body in a JSON file (a snapshot's ``sec/<SYMBOL>.json``) as a dict.

    Raises ValueError naming the file when it is not JSON or has no ``facts`` object;
    a missing file raises FileNotFoundError.
    """
    path = Path(path)
    try:
        return parse_companyfacts(path.read_bytes())
    except ValueError as exc:
        raise ValueError(f"{path.name}: {exc}") from None


def parse_companyfacts(body: bytes) -> dict:
    """A companyfacts body (bytes, UTF-8 JSON) as a dict; ValueError when it is not JSON or has
    no ``facts`` object (an HTML error page, a truncated download)."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError("not JSON (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
        raise ValueError("not a companyfacts body (no 'facts' object)")
    return data


def ttm_eps_from_body(body: bytes, symbol: str, name: str, latest: dt.date | None = None) -> pd.Series:
    """TTM diluted EPS of ``symbol`` from its raw companyfacts body, as the contract series
    ``name`` (``ttm_eps`` of ``quarterly_eps``), indexed by the date each value became known.

    A value known after ``latest`` is a data error (dropped and counted). Raises ``EmptyTable``
    when the body has no diluted EPS fact or no four contiguous quarters, ValueError when it is
    not a companyfacts body or its EPS records are malformed.
    """
    companyfacts = parse_companyfacts(body)
    try:
        quarters = quarterly_eps(companyfacts, symbol)
    except (KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"malformed {EPS_CONCEPT} records ({type(exc).__name__})") from None
    if quarters.empty:
        raise EmptyTable(f"no us-gaap {EPS_CONCEPT} facts from 10-Q or 10-K filings")
    series = ttm_eps(quarters)
    if series.empty:
        raise EmptyTable("no four contiguous quarters of diluted EPS")
    return to_contract(series, name, latest=latest)


def user_agent_setting() -> str:
    """The User-Agent from ``SEC_USER_AGENT`` (page_frame copies st.secrets there), or ""."""
    return os.environ.get(SEC_USER_AGENT_ENV, "").strip()


def companyfacts_url(cik: int) -> str:
    """The companyfacts URL of a company: its CIK zero-padded to ten digits."""
    return COMPANYFACTS_URL.format(cik=int(cik))


def fetch_companyfacts(cik: int, symbol: str, session=None, user_agent: str | None = None,
                       timeout: float = REQUEST_TIMEOUT_S, limiter: RateLimiter = SHARED_LIMITER) -> bytes:
    """Query: the raw companyfacts body (bytes) of the company ``cik``, named ``symbol`` in errors.

    ``session``: a ``curl_cffi.requests.Session`` (None: a new one for this request, closed
    after it). ``user_agent``: None reads ``SEC_USER_AGENT``; when it is blank no request is
    sent. Every request waits for its slot in ``limiter`` and is bounded by ``timeout``.
    Raises ``SourceError`` (source "sec") of kind user_agent (no setting, or HTTP 403),
    rate_limited (429), not_found (404: no companyfacts for the CIK), server_error (5xx),
    timeout, network or bad_response (any other status).
    """
    agent = (user_agent if user_agent is not None else user_agent_setting()).strip()
    if not agent:
        raise SourceError("sec", symbol, "user_agent", NO_USER_AGENT)
    url = companyfacts_url(cik)
    limiter.acquire()
    try:
        response = call_with_deadline(lambda: _get(session, url, agent, timeout), timeout)
    except (curl_errors.Timeout, TimeoutError):
        raise SourceError("sec", symbol, "timeout", f"no answer within {timeout:g} s") from None
    except curl_errors.RequestException as exc:
        raise SourceError("sec", symbol, "network", type(exc).__name__) from None
    status = response.status_code
    if status != 200:
        raise _status_error(symbol, cik, status)
    return response.content


def _get(session, url: str, user_agent: str, timeout: float):
    headers = {"User-Agent": user_agent}
    if session is not None:
        return session.get(url, headers=headers, timeout=timeout)
    with curl_requests.Session() as own:
        return own.get(url, headers=headers, timeout=timeout)


def _status_error(symbol: str, cik: int, status: int) -> SourceError:
    """The failure for an HTTP ``status`` other than 200 from companyfacts."""
    if status == 403:
        return SourceError("sec", symbol, "user_agent", "the SEC refused the request (HTTP 403)")
    if status == 404:
        return SourceError("sec", symbol, "not_found", f"no companyfacts for CIK {int(cik):010d} (HTTP 404)")
    if status == 429:
        return SourceError("sec", symbol, "rate_limited")
    if status >= 500:
        return SourceError("sec", symbol, "server_error", f"HTTP {status}")
    return SourceError("sec", symbol, "bad_response", f"HTTP {status}")


def fetch_ttm_eps(spec, session=None, user_agent: str | None = None, timeout: float = REQUEST_TIMEOUT_S,
                  limiter: RateLimiter = SHARED_LIMITER) -> pd.Series:
    """Query, extract and normalise one catalogue row (source "sec"): the company's TTM diluted
    EPS as the contract series named by its key. Failures: those of ``fetch_companyfacts``,
    kind "empty" when the body has no usable EPS, "bad_response" when it cannot be read."""
    body = fetch_companyfacts(spec.cik, spec.source_id, session, user_agent, timeout, limiter)
    try:
        return ttm_eps_from_body(body, spec.source_id, spec.key)
    except EmptyTable as exc:
        raise SourceError("sec", spec.source_id, "empty", str(exc)) from None
    except ValueError as exc:
        raise SourceError("sec", spec.source_id, "bad_response", str(exc)) from None


def eps_facts(companyfacts: dict) -> pd.DataFrame:
    """Every us-gaap EarningsPerShareDiluted fact (USD/shares) from a 10-Q, 10-K, 10-Q/A or 10-K/A.

    Columns ``start``, ``end``, ``filed`` (datetime64), ``val`` (float, USD per share as filed,
    on the share basis of its filing date), ``form``, ``accn``; sorted by end, start, filed and
    accession. 8-K and other forms, and records without a start date, are dropped. A body
    without the concept (META and TSLA report EPS only in press releases) gives an empty frame.
    """
    concept = companyfacts.get("facts", {}).get("us-gaap", {}).get(EPS_CONCEPT, {})
    records = pd.DataFrame(concept.get("units", {}).get(EPS_UNIT, []), columns=list(FACT_COLUMNS))
    facts = records[records["form"].isin(PERIODIC_FORMS) & records["start"].notna()].copy()
    for column in ("start", "end", "filed"):
        facts[column] = pd.to_datetime(facts[column], format="%Y-%m-%d")
    facts["val"] = facts["val"].astype(float)
    return facts.sort_values(["end", "start", "filed", "accn"]).reset_index(drop=True)


def split_factor(filed: pd.Series, symbol: str) -> pd.Series:
    """Divisor that puts a per-share value filed on each date on today's share basis.

    factor = Π ratio_k over the splits k of ``symbol`` whose effective date is after the filing
    date (a fact filed before the split is on the old basis; one filed on or after it is
    restated by the company). 1.0 when no split followed. Raises ValueError for a symbol
    without a split history in ``SPLITS`` (assuming none would silently mix share bases).
    """
    if symbol.upper() not in SPLITS:
        raise ValueError(f"no split history for {symbol}; add it to data_sources.sec.SPLITS")
    factor = pd.Series(1.0, index=filed.index)
    for effective, ratio in SPLITS[symbol.upper()]:
        factor[filed < pd.Timestamp(effective)] *= ratio
    return factor


def quarterly_eps(companyfacts: dict, symbol: str) -> pd.DataFrame:
    """Diluted EPS per fiscal quarter, split-adjusted to today's share basis (USD per share).

    One row per quarter, sorted by ``end``: ``start``, ``end`` (the company's own fiscal
    quarter dates), ``eps``, ``first_filed`` (the first 10-Q/10-K filing date of the quarter's
    value; for a derived Q4 the first filing of its 10-K annual figure, or of a part filed
    later still, which the snapshot files never have), ``method``
    (``METHOD_REPORTED`` or one of the two derived-Q4 methods). Levels follow the module's
    rules: latest-filed value per period, split adjustment with the precision rule, Q4 derived
    from the fiscal year. A 3-month Q4 fact, where reported (before fiscal 2021), is used as is.
    Empty input (no EPS facts) gives an empty frame with these columns.
    """
    facts = eps_facts(companyfacts)
    if facts.empty:  # the columns and dtypes of a full table, no rows
        renamed = facts.rename(columns={"val": "eps", "filed": "first_filed", "form": "method"})
        return renamed.loc[:, list(QUARTER_COLUMNS)]
    periods = _period_values(facts, symbol)
    quarters = _one_period_per_quarter(periods[periods["days"].between(*QUARTER_DAYS)])
    quarters = quarters.assign(method=METHOD_REPORTED)
    years = periods[periods["days"].between(*YEAR_DAYS) & periods["annual"]]
    nine_months = periods[periods["days"].between(*NINE_MONTH_DAYS)]
    reported_ends = set(quarters["end"])
    derived = [
        q4 for _, year in years.iterrows()
        if year["end"] not in reported_ends and (q4 := _derived_q4(year, quarters, nine_months)) is not None
    ]
    table = pd.concat([quarters, pd.DataFrame(derived)], ignore_index=True) if derived else quarters
    return table.loc[:, list(QUARTER_COLUMNS)].sort_values("end").reset_index(drop=True)


def _period_values(facts: pd.DataFrame, symbol: str) -> pd.DataFrame:
    """One row per (start, end): ``eps`` (today's basis, precision rule), ``first_filed``,
    ``last_filed``, ``filings`` (how many filings report it), ``days`` (end − start),
    ``annual`` (some 10-K reported it)."""
    facts = facts.assign(factor=split_factor(facts["filed"], symbol))
    facts["adjusted"] = facts["val"] / facts["factor"]
    facts["annual"] = facts["form"].isin(ANNUAL_FORMS)
    groups = facts.groupby(["start", "end"], sort=True)
    periods = pd.DataFrame({
        "eps": groups[["adjusted", "factor", "filed", "accn"]].apply(_precise_latest),
        "first_filed": groups["filed"].min(),
        "last_filed": groups["filed"].max(),
        "filings": groups["accn"].nunique(),
        "annual": groups["annual"].any(),
    }).reset_index()
    periods["days"] = (periods["end"] - periods["start"]).dt.days
    return periods


def _one_period_per_quarter(quarters: pd.DataFrame) -> pd.DataFrame:
    """Drop a quarter tagged twice: two 3-month periods sharing a start or an end are one
    quarter (NVDA's 10-K of 2012 dates the quarter to 2010-08-01 as ending 2010-07-31, against
    three filings with the right end). The period more filings report wins, then the one filed
    last."""
    ranked = quarters.sort_values(["filings", "last_filed"])
    return ranked.drop_duplicates("start", keep="last").drop_duplicates("end", keep="last")


def _precise_latest(period: pd.DataFrame) -> float:
    """The latest-filed value of one period, or, when an older value on a pre-split basis agrees
    with it to half a cent once adjusted, that older value (it carries more decimals on today's
    basis). Among agreeing values the one with the largest split factor wins, then the latest."""
    ordered = period.sort_values(["filed", "accn"])
    latest = ordered["adjusted"].iloc[-1]
    agreeing = ordered[(ordered["adjusted"] - latest).abs() <= SPLIT_PRECISION + FLOAT_SLACK]
    most_precise = agreeing[agreeing["factor"] == agreeing["factor"].max()]
    return float(most_precise["adjusted"].iloc[-1])


def _derived_q4(year: pd.Series, quarters: pd.DataFrame, nine_months: pd.DataFrame) -> dict | None:
    """Q4 of one fiscal year: FY − Q1 − Q2 − Q3 when the three quarters chain from the year's
    start, else FY − the 9-month year-to-date figure; None when neither exists or the
    remainder is not a quarter long."""
    chain = _quarter_chain(quarters, year["start"], QUARTERS_PER_YEAR - 1)
    ytd = nine_months[(nine_months["start"] == year["start"]) & (nine_months["end"] < year["end"])]
    if len(chain) == QUARTERS_PER_YEAR - 1:
        before, method, parts = chain.iloc[-1]["end"], METHOD_Q4_FROM_QUARTERS, chain
    elif not ytd.empty:
        before, method, parts = ytd.iloc[-1]["end"], METHOD_Q4_FROM_NINE_MONTHS, ytd.iloc[[-1]]
    else:
        return None
    start = before + NEXT_DAY
    if not QUARTER_DAYS[0] <= (year["end"] - start).days <= QUARTER_DAYS[1]:
        return None
    return {
        "start": start,
        "end": year["end"],
        "eps": year["eps"] - parts["eps"].sum(),
        "first_filed": max(year["first_filed"], parts["first_filed"].max()),
        "method": method,
    }


def _quarter_chain(quarters: pd.DataFrame, start: pd.Timestamp, count: int) -> pd.DataFrame:
    """Up to ``count`` quarters, the first starting on ``start``, each starting the day after
    the previous one ends (stops at the first gap)."""
    by_start = quarters.set_index("start", drop=False)
    rows = []
    while len(rows) < count and start in by_start.index:
        rows.append(by_start.loc[start])
        start = rows[-1]["end"] + NEXT_DAY
    return pd.DataFrame(rows)


def ttm_eps_by_quarter(quarters: pd.DataFrame) -> pd.DataFrame:
    """TTM diluted EPS at each quarter end (USD per share, today's share basis).

    ttm_q = eps_q + eps_{q−1} + eps_{q−2} + eps_{q−3} over ``quarterly_eps`` rows sorted by end,
    NaN unless the four are contiguous (each starts the day after the previous one ends).
    ``known`` = the quarter's first filing date, made non-decreasing (running maximum over the
    quarters), so a TTM is never dated before any of its quarters was filed. Values are the
    latest filed (restatements included), dated by the first filing: the dates are point in
    time, the levels are today's. May be zero or negative (AMZN in 2022); the caller decides.
    Indexed by quarter ``end``; empty input gives an empty frame.
    """
    ordered = quarters.sort_values("end").reset_index(drop=True)
    follows = (ordered["start"] == ordered["end"].shift(1) + NEXT_DAY).astype(float)
    links = QUARTERS_PER_YEAR - 1
    contiguous = follows.rolling(links).sum() == links
    ttm = ordered["eps"].rolling(QUARTERS_PER_YEAR).sum().where(contiguous)
    return pd.DataFrame(
        {TTM_NAME: ttm.to_numpy(dtype=float), "known": ordered["first_filed"].cummax().to_numpy()},
        index=pd.DatetimeIndex(ordered["end"], name="end"),
    )


def ttm_eps(quarters: pd.DataFrame) -> pd.Series:
    """TTM diluted EPS (USD per share, today's share basis) indexed by the date it became known.

    From ``ttm_eps_by_quarter``: one value per quarter with four contiguous quarters, dated by
    ``known`` (the first filing of its latest quarter, non-decreasing). If two TTMs became known
    on one date (a filing that first reported two quarters), the later quarter's wins. A float
    contract series named ``ttm_eps``; empty when no four quarters are contiguous.
    """
    by_quarter = ttm_eps_by_quarter(quarters).dropna(subset=[TTM_NAME])
    return to_contract(pd.Series(by_quarter[TTM_NAME].to_numpy(), index=by_quarter["known"]), TTM_NAME)
