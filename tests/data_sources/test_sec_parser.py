"""data_sources.sec: quarterly and TTM diluted EPS from the real companyfacts bodies in the
snapshot, checked against the independent table ../shared/data/earnings/ttm_eps_check.csv
(derived by hand, rules in ../shared/data/earnings/SOURCES.md) and against the raw facts read
with plain json/pandas."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from data_sources import sec
from data_sources.contract import check_contract
from tests.conftest import SHARED_DATA, SNAPSHOT_DIR

SYMBOLS = ("AAPL", "GOOGL", "NVDA", "AMZN", "MSFT")
CHECK_TABLE = SHARED_DATA / "earnings" / "ttm_eps_check.csv"
# The check table and the parser both follow SOURCES.md's precision rule (rule 6): a quarter
# restated after a split is rounded to cents, so the value used is either the pre-split value
# divided by the ratio or the restated one, and the two differ by at most half a cent. A
# tolerance of 0.005 allows that one legitimate choice; every real error (a missed split, a wrong
# quarter, a wrong Q4) moves a TTM by far more: the smallest quarter in these rows is 0.027.
TOLERANCE = 0.005
# The quarters themselves are compared to float rounding: the table prints every quarter it
# used in full (0.027, 1.059, 0.5980), so the precision rule's choice must agree too.
EXACT = 1e-9
PERIODIC = {"10-Q", "10-K", "10-Q/A", "10-K/A"}


def companyfacts(symbol: str) -> dict:
    return sec.read_companyfacts(SNAPSHOT_DIR / "sec" / f"{symbol}.json")


def raw_facts(symbol: str) -> pd.DataFrame:
    """Every EarningsPerShareDiluted record of the snapshot file, all forms, read with json."""
    body = json.loads((SNAPSHOT_DIR / "sec" / f"{symbol}.json").read_text(encoding="utf-8"))
    records = pd.DataFrame(body["facts"]["us-gaap"]["EarningsPerShareDiluted"]["units"]["USD/shares"])
    for column in ("start", "end", "filed"):
        records[column] = pd.to_datetime(records[column])
    return records


def check_rows(symbol: str) -> pd.DataFrame:
    table = pd.read_csv(CHECK_TABLE, parse_dates=["quarter_start", "quarter_end"])
    return table[table["ticker"] == symbol].set_index("quarter_end")


def press_release_based(rows: pd.DataFrame) -> pd.Series:
    """Rows whose TTM uses a quarter from an earnings release (the table's ``ttm_sources`` names
    a file that is not a companyfacts body: MSFT's quarters to 2023-12-31 come from 8-K
    releases, shares/other/akiraak_microsoft_financials.json). A companyfacts parser cannot
    reproduce those rows: the source has no such quarter."""
    return rows["ttm_sources"].str.split("; ").map(lambda files: any("companyfacts" not in f for f in files))


def components(text: str) -> list[float]:
    """The four quarterly values in ``ttm_components`` ("FY2023 Q1 1.88 + FY2023 Q2 1.52 + ...")."""
    return [float(part.split()[-1]) for part in text.split(" + ")]


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[pd.DataFrame, pd.DataFrame]]:
    """(quarterly_eps, ttm_eps_by_quarter) per symbol, parsed once."""
    out = {}
    for symbol in SYMBOLS:
        quarters = sec.quarterly_eps(companyfacts(symbol), symbol)
        out[symbol] = quarters, sec.ttm_eps_by_quarter(quarters)
    return out


def covered_rows(symbol: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows the snapshot file can reproduce, press-release rows it cannot). Rows after the last
    period end in the file (AMZN's quarter to 2026-06-30 is from a later excerpt) are neither."""
    rows = check_rows(symbol)
    rows = rows[rows.index <= raw_facts(symbol)["end"].max()]
    press = press_release_based(rows)
    if press.any():
        # Consistent with the table's own description of its source.
        assert rows["primary_source"].str.contains("press releases").all()
    return rows[~press], rows[press]


# -- TTM and quarters against the independent table ----------------------------------------------


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_ttm_equals_the_check_table_on_every_row_the_file_covers(symbol, parsed):
    _, by_quarter = parsed[symbol]
    rows, _ = covered_rows(symbol)
    assert not rows.empty
    ours = by_quarter[sec.TTM_NAME].reindex(rows.index)
    assert ours.notna().all(), f"no TTM at {list(ours[ours.isna()].index.date)}"
    assert ((ours - rows["ttm_eps_diluted"]).abs() <= TOLERANCE).all()


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_each_ttm_component_quarter_equals_the_check_table(symbol, parsed):
    """Not just the sums: each of the four quarters in ``ttm_components``, including the quarters
    before the table's first row (NVDA FY2023 Q3 0.027, AMZN FY2022 Q4 0.028 = −0.27 + 0.378
    + 0.20 − 0.28 with Q1 2022 = −7.56 / 20 ...), to float rounding (``EXACT``)."""
    quarters, _ = parsed[symbol]
    ends = list(quarters["end"])
    rows, _ = covered_rows(symbol)
    for quarter_end, row in rows.iterrows():
        at = ends.index(quarter_end)
        ours = quarters["eps"].iloc[at - 3: at + 1].to_numpy()
        assert ours == pytest.approx(components(row["ttm_components"]), abs=EXACT), quarter_end


def test_rows_built_on_press_releases_get_no_ttm_from_the_excerpt(parsed):
    """MSFT's excerpt holds no quarter before 2024-01-01 (and no Q1/Q2 of FY2024), so the rows
    whose TTM the table built from press releases have no TTM here: none is made from fewer than
    four contiguous quarters."""
    _, press = covered_rows("MSFT")
    assert len(press) > 0
    assert parsed["MSFT"][1][sec.TTM_NAME].reindex(press.index).isna().all()


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_quarter_values_and_dates_equal_the_check_table(symbol, parsed):
    quarters, _ = parsed[symbol]
    rows = check_rows(symbol)
    rows = rows[rows["q_source_file"].str.contains("companyfacts") & (rows.index <= quarters["end"].max())]
    ours = quarters.set_index("end").reindex(rows.index)
    assert (ours["start"] == rows["quarter_start"]).all()
    assert ((ours["eps"] - rows["q_eps_diluted"]).abs() <= TOLERANCE).all()


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_q4_rows_are_derived_like_the_check_table(symbol, parsed):
    quarters, _ = parsed[symbol]
    rows = check_rows(symbol)
    derived = rows[rows["q_method"].str.startswith("derived")]
    assert not derived.empty
    ours = quarters.set_index("end").loc[derived.index]
    from_nine_months = derived["q_method"].str.contains("9M YTD")
    assert (ours.loc[from_nine_months.to_numpy(), "method"] == sec.METHOD_Q4_FROM_NINE_MONTHS).all()
    assert (ours.loc[~from_nine_months.to_numpy(), "method"] == sec.METHOD_Q4_FROM_QUARTERS).all()
    assert ((ours["eps"] - derived["q_eps_diluted"]).abs() <= TOLERANCE).all()
    # TTM at a fiscal-year end is the 10-K's annual EPS (fy_reported_eps is on those rows).
    year_ends = derived.index.intersection(covered_rows(symbol)[0].index)
    assert not year_ends.empty
    ttm = parsed[symbol][1].loc[year_ends, sec.TTM_NAME]
    assert ((ttm - derived.loc[year_ends, "fy_reported_eps"]).abs() <= TOLERANCE).all()


def test_msft_fy2024_q4_is_the_year_minus_nine_months(parsed):
    """SOURCES.md rule 4: 11.80 (10-K) − 8.85 (9 months to 2024-03-31), Q1/Q2 absent."""
    quarters = parsed["MSFT"][0].set_index("end")
    q4 = quarters.loc[pd.Timestamp("2024-06-30")]
    assert q4["start"] == pd.Timestamp("2024-04-01")
    assert q4["eps"] == pytest.approx(11.80 - 8.85)
    assert q4["first_filed"] == pd.Timestamp("2024-07-30")  # the FY2024 10-K


# -- first filing dates ----------------------------------------------------------------------


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_first_filed_is_the_first_10q_or_10k_filing_of_the_quarter(symbol, parsed):
    """Reported quarter: the earliest 10-Q/10-K carrying that period. Derived Q4: the earliest
    10-K carrying the fiscal year that ends with it."""
    quarters, _ = parsed[symbol]
    raw = raw_facts(symbol)
    periodic = raw[raw["form"].isin(PERIODIC)]
    annual = periodic[periodic["form"].str.startswith("10-K") & ((periodic["end"] - periodic["start"]).dt.days > 300)]
    for quarter in quarters.itertuples():
        if quarter.method == sec.METHOD_REPORTED:
            filed = periodic.loc[(periodic["start"] == quarter.start) & (periodic["end"] == quarter.end), "filed"]
        else:
            filed = annual.loc[annual["end"] == quarter.end, "filed"]
        assert quarter.first_filed == filed.min(), (quarter.start, quarter.end)


def test_nvda_first_quarter_of_fy2025_is_known_from_its_own_10q(parsed):
    """SOURCES.md: NVDA Q1 FY2025 was 5.98 in the 10-Q of 2024-05-29, 12 days before the 10:1
    split, and 0.60 in the 10-Q of 2025-05-28."""
    raw = raw_facts("NVDA")
    period = raw[(raw["start"] == "2024-01-29") & (raw["end"] == "2024-04-28")].set_index("filed")["val"]
    assert period[pd.Timestamp("2024-05-29")] == 5.98 and period[pd.Timestamp("2025-05-28")] == 0.60
    q1 = parsed["NVDA"][0].set_index("end").loc[pd.Timestamp("2024-04-28")]
    assert q1["eps"] == pytest.approx(5.98 / 10)  # precision rule: 0.598, not the rounded 0.60
    assert q1["first_filed"] == pd.Timestamp("2024-05-29")


# -- ttm_eps: the point-in-time series -------------------------------------------------------


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_ttm_series_is_dated_by_the_first_filing_of_its_latest_quarter(symbol, parsed):
    quarters, by_quarter = parsed[symbol]
    series = sec.ttm_eps(quarters)
    assert check_contract(series) == [] and series.name == "ttm_eps"
    rows, _ = covered_rows(symbol)
    first_filed = quarters.set_index("end")["first_filed"]
    for quarter_end, row in rows.iterrows():
        known = first_filed[quarter_end]
        # The latest quarter's 10-Q/10-K is the last of the four to be filed in these years.
        assert known == first_filed[:quarter_end].iloc[-4:].max()
        assert series[known] == pytest.approx(row["ttm_eps_diluted"], abs=TOLERANCE)
    assert (series.index == by_quarter["known"][by_quarter[sec.TTM_NAME].notna()].unique()).all()


def test_known_dates_never_go_back_and_gaps_give_no_ttm():
    """Hand-built quarters: Q3 2020 first appears (as a comparative) after Q4 2020 was filed,
    and Q1 2021 is missing."""
    quarters = pd.DataFrame({
        "start": pd.to_datetime(["2020-01-01", "2020-04-01", "2020-07-01", "2020-10-01", "2021-04-01"]),
        "end": pd.to_datetime(["2020-03-31", "2020-06-30", "2020-09-30", "2020-12-31", "2021-06-30"]),
        "eps": [1.0, 2.0, 3.0, 4.0, 5.0],
        "first_filed": pd.to_datetime(["2020-05-01", "2020-08-01", "2021-03-01", "2021-02-01", "2021-08-01"]),
        "method": sec.METHOD_REPORTED,
    })
    by_quarter = sec.ttm_eps_by_quarter(quarters)
    assert by_quarter[sec.TTM_NAME].isna().tolist() == [True, True, True, False, True]
    assert by_quarter.loc["2020-12-31", sec.TTM_NAME] == 1.0 + 2.0 + 3.0 + 4.0
    # Q4's TTM needs Q3, first filed 2021-03-01: it is known then, not on Q4's 2021-02-01.
    assert by_quarter.loc["2020-12-31", "known"] == pd.Timestamp("2021-03-01")
    series = sec.ttm_eps(quarters)
    assert series.index.tolist() == [pd.Timestamp("2021-03-01")] and series.iloc[0] == 10.0


# -- splits ------------------------------------------------------------------------------------


@pytest.mark.parametrize("symbol", ["AAPL", "NVDA", "AMZN", "GOOGL"])
def test_every_listed_split_shows_in_the_filings(symbol):
    """For each split in the table some period was filed before it and restated after it, the
    old value being ``ratio`` times the new one (to the cent of the restatement)."""
    raw = raw_facts(symbol)
    raw = raw[raw["form"].isin(PERIODIC)]
    for effective, ratio in sec.SPLITS[symbol]:
        day = pd.Timestamp(effective)
        before = raw[raw["filed"] < day].groupby(["start", "end"])["val"].last()
        after = raw[raw["filed"] >= day].groupby(["start", "end"])["val"].first()
        both = pd.concat([before / ratio, after], axis=1, join="inner").dropna()
        assert not both.empty, (symbol, effective)
        assert ((both.iloc[:, 0] - both.iloc[:, 1]).abs() <= TOLERANCE).any(), (symbol, effective)


@pytest.mark.parametrize("symbol", SYMBOLS)
def test_no_split_is_missing_from_the_table(symbol):
    """Once adjusted with the table, every quarter and fiscal year from 2010 on has one value in
    all its filings, to half a cent. (Before 2010: Apple's January 2010 restatement of FY2008-09
    for the new revenue-recognition rules, a real change of the numbers.) Without Apple's 7:1
    split of 2014 this fails for every AAPL period filed on both sides of it."""
    raw = raw_facts(symbol)
    raw = raw[raw["form"].isin(PERIODIC) & (raw["end"] >= "2010-01-01")].copy()
    days = (raw["end"] - raw["start"]).dt.days
    raw = raw[days.between(80, 100) | days.between(350, 380)].copy()
    raw["adjusted"] = raw["val"]
    for effective, ratio in sec.SPLITS[symbol]:
        raw.loc[raw["filed"] < pd.Timestamp(effective), "adjusted"] /= ratio
    spread = raw.groupby(["start", "end"])["adjusted"].agg(lambda v: v.max() - v.min())
    assert (spread <= TOLERANCE + 1e-9).all(), spread[spread > TOLERANCE].head()


def restated_body(restated: float) -> dict:
    """NVDA-shaped companyfacts: one quarter filed at 5.98 before the 2024 10:1 split and
    restated after it."""
    facts = [
        {"start": "2024-01-29", "end": "2024-04-28", "val": 5.98, "form": "10-Q", "filed": "2024-05-29", "accn": "a"},
        {"start": "2024-01-29", "end": "2024-04-28", "val": restated, "form": "10-Q", "filed": "2025-05-28",
         "accn": "b"},
    ]
    return {"facts": {"us-gaap": {"EarningsPerShareDiluted": {"units": {"USD/shares": facts}}}}}


def test_precision_rule_keeps_the_pre_split_value_only_within_half_a_cent():
    # 0.60 is 5.98 / 10 rounded: the exact 0.598 is kept.
    assert sec.quarterly_eps(restated_body(0.60), "NVDA")["eps"].iloc[0] == pytest.approx(0.598)
    # 0.65 is a real restatement (0.052 away): the latest filed value wins.
    assert sec.quarterly_eps(restated_body(0.65), "NVDA")["eps"].iloc[0] == pytest.approx(0.65)


def test_unknown_symbol_is_refused():
    with pytest.raises(ValueError, match="no split history for IBM"):
        sec.quarterly_eps(restated_body(0.60), "IBM")


# -- forms, fiscal calendars, empty bodies ---------------------------------------------------------


def test_only_10q_and_10k_facts_count():
    """An 8-K recast filed later with another value, an 8-K-only period and a proxy fact are
    dropped; amended 10-Q/A and 10-K/A count."""
    records = [
        {"start": "2023-01-01", "end": "2023-03-31", "val": 1.00, "form": "10-Q", "filed": "2023-05-01", "accn": "q1"},
        {"start": "2023-01-01", "end": "2023-03-31", "val": 9.99, "form": "8-K", "filed": "2023-12-01", "accn": "r"},
        {"start": "2023-04-01", "end": "2023-06-30", "val": 8.88, "form": "8-K", "filed": "2023-07-20", "accn": "e"},
        {"start": "2023-04-01", "end": "2023-06-30", "val": 2.00, "form": "10-Q/A", "filed": "2023-09-01",
         "accn": "q2"},
        {"start": "2022-01-01", "end": "2022-12-31", "val": 7.77, "form": "DEF 14A", "filed": "2023-04-01",
         "accn": "p"},
        {"start": "2023-01-01", "end": "2023-12-31", "val": 7.00, "form": "10-K/A", "filed": "2024-03-01",
         "accn": "k"},
    ]
    body = {"facts": {"us-gaap": {"EarningsPerShareDiluted": {"units": {"USD/shares": records}}}}}
    facts = sec.eps_facts(body)
    assert list(facts.columns) == list(sec.FACT_COLUMNS)
    assert sorted(facts["accn"]) == ["k", "q1", "q2"]
    quarters = sec.quarterly_eps(body, "MSFT")
    assert quarters["eps"].tolist() == [1.00, 2.00]
    assert quarters["first_filed"].tolist() == [pd.Timestamp("2023-05-01"), pd.Timestamp("2023-09-01")]
    assert quarters["method"].tolist() == [sec.METHOD_REPORTED] * 2  # Q3 missing: no Q4 derived


def test_aapl_14_week_quarter_is_a_quarter(parsed):
    quarters = parsed["AAPL"][0].set_index("end")
    q1 = quarters.loc[pd.Timestamp("2022-12-31")]  # Q1 FY2023: 2022-09-25 .. 2022-12-31
    assert (q1.name - q1["start"]).days == 97
    assert q1["eps"] == 1.88 and q1["method"] == sec.METHOD_REPORTED
    # Its fiscal year has 53 weeks (370 days), and its Q4 is still derived from it.
    assert quarters.loc[pd.Timestamp("2023-09-30"), "method"] == sec.METHOD_Q4_FROM_QUARTERS


def test_nvda_quarter_to_2026_04_26_is_the_latest(parsed):
    quarters = parsed["NVDA"][0]
    latest = quarters.iloc[-1]
    assert (latest["start"], latest["end"]) == (pd.Timestamp("2026-01-26"), pd.Timestamp("2026-04-26"))
    assert latest["eps"] == 2.39 and latest["first_filed"] == pd.Timestamp("2026-05-20")


def test_fiscal_years_end_where_the_companies_end_them(parsed):
    """Derived Q4s end at each company's fiscal-year end, whatever the fp/fy labels say."""
    derived_ends = {s: parsed[s][0].query("method != @sec.METHOD_REPORTED")["end"] for s in SYMBOLS}
    assert (derived_ends["MSFT"].dt.strftime("%m-%d") == "06-30").all()
    assert derived_ends["NVDA"].dt.month.isin([1, 2]).all()  # last Sunday of January
    assert derived_ends["AAPL"].dt.month.isin([9, 10]).all()  # last Saturday of September
    assert (derived_ends["GOOGL"].dt.strftime("%m-%d") == "12-31").all()


def test_quarters_are_one_per_end_and_a_mis_dated_duplicate_is_dropped(parsed):
    """NVDA's 10-K of 2012 tags the quarter to 2010-08-01 as ending 2010-07-31; three filings
    date it to 2010-08-01, which is kept, so the TTMs around it are contiguous."""
    for symbol in SYMBOLS:
        quarters = parsed[symbol][0]
        assert quarters["end"].is_unique and quarters["start"].is_unique and quarters["end"].is_monotonic_increasing
    nvda, by_quarter = parsed["NVDA"]
    assert pd.Timestamp("2010-07-31") not in set(nvda["end"])
    assert by_quarter.loc["2010-08-01":"2011-05-01", sec.TTM_NAME].notna().all()


def test_body_without_eps_gives_empty_results():
    body = {"facts": {"us-gaap": {"NetIncomeLoss": {"units": {"USD": []}}}}}
    assert sec.eps_facts(body).empty
    quarters = sec.quarterly_eps(body, "META")
    assert quarters.empty and list(quarters.columns) == list(sec.QUARTER_COLUMNS)
    series = sec.ttm_eps(quarters)
    assert series.empty and check_contract(series) == []


def test_read_companyfacts_names_a_bad_file(tmp_path):
    (tmp_path / "X.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "Y.json").write_text('{"cik": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="X.json: not JSON"):
        sec.read_companyfacts(tmp_path / "X.json")
    with pytest.raises(ValueError, match="Y.json: not a companyfacts body"):
        sec.read_companyfacts(tmp_path / "Y.json")
    with pytest.raises(FileNotFoundError):
        sec.read_companyfacts(tmp_path / "Z.json")
