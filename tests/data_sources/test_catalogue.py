"""The catalogue: one row per series, unique keys and ids, a generated fed funds strip."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from data_sources.cache import TTL_S
from data_sources.catalogue import (
    FED_FUNDS_CONTRACT_MONTHS,
    MEGA_CAP_KEYS,
    SEC_CIKS,
    SHARE_COUNT_KEYS,
    STATIC_SERIES,
    TTM_EPS_KEYS,
    Key,
    catalogue,
    share_count_key,
    spec_for,
    ttm_eps_key,
)

AS_OF_DATES = [dt.date(2026, 8, 21), dt.date(2026, 12, 31), dt.date(2027, 1, 1), dt.date(2030, 2, 28)]
# CME's delivery-month letters, as the exchange publishes them.
CME_MONTH_LETTERS = {
    "January": "F", "February": "G", "March": "H", "April": "J", "May": "K", "June": "M",
    "July": "N", "August": "Q", "September": "U", "October": "V", "November": "X", "December": "Z",
}


def expected_strip(as_of: dt.date) -> list[str]:
    """Yahoo symbols of the fed funds contracts for 18 delivery months from ``as_of``'s month."""
    months = pd.date_range(as_of.replace(day=1), periods=FED_FUNDS_CONTRACT_MONTHS, freq="MS")
    return [f"ZQ{CME_MONTH_LETTERS[m.strftime('%B')]}{m:%y}.CBT" for m in months]


def fed_funds_rows(as_of: dt.date):
    return [s for s in catalogue(as_of) if s.source_id.startswith("ZQ") and s.source_id.endswith(".CBT")]


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_keys_and_source_ids_are_unique(as_of):
    specs = catalogue(as_of)
    keys = [s.key for s in specs]
    ids = [(s.source, s.source_id) for s in specs]  # AAPL is a price and a share count
    assert len(keys) == len(set(keys))
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_every_row_is_fully_described(as_of):
    for s in catalogue(as_of):
        assert s.source in ("yahoo", "yahoo_shares", "fred", "sec"), s
        assert (s.cik is not None) == (s.source == "sec"), s
        assert type(s.key) is str, s
        assert s.frequency in TTL_S, s
        assert s.key.isidentifier() and s.key == s.key.lower(), s
        for text in (s.source_id, s.label, s.units, s.why):
            assert text.strip(), s


@pytest.mark.parametrize(
    ("as_of", "first", "last"),
    [
        (dt.date(2026, 8, 21), "ZQQ26.CBT", "ZQF28.CBT"),
        (dt.date(2026, 12, 31), "ZQZ26.CBT", "ZQK28.CBT"),  # Dec 2026 + 17 months = May 2028
        (dt.date(2027, 1, 1), "ZQF27.CBT", "ZQM28.CBT"),
    ],
)
def test_fed_funds_strip_endpoints(as_of, first, last):
    symbols = [s.source_id for s in fed_funds_rows(as_of)]
    assert (symbols[0], symbols[-1]) == (first, last)


@pytest.mark.parametrize("as_of", AS_OF_DATES)
def test_fed_funds_strip_matches_cme_month_codes(as_of):
    rows = fed_funds_rows(as_of)
    assert [s.source_id for s in rows] == expected_strip(as_of)
    months = pd.date_range(as_of.replace(day=1), periods=FED_FUNDS_CONTRACT_MONTHS, freq="MS")
    assert [s.key for s in rows] == [f"zq_{m:%Y_%m}" for m in months]
    assert all(s.frequency == "daily" and s.source == "yahoo" and not s.required for s in rows)


def test_static_rows_do_not_depend_on_the_date():
    static = [s for s in catalogue(AS_OF_DATES[0]) if s not in fed_funds_rows(AS_OF_DATES[0])]
    later = catalogue(AS_OF_DATES[-1])
    assert all(s in later for s in static)


def test_spec_for_finds_rows_and_refuses_unknown_keys():
    assert spec_for("unrate", AS_OF_DATES[0]).source_id == "UNRATE"
    assert spec_for("zq_2026_08", AS_OF_DATES[0]).source_id == "ZQQ26.CBT"
    with pytest.raises(KeyError):
        spec_for("zq_2026_07", AS_OF_DATES[0])  # before the as-of month: not in the strip


# -- keys as a StrEnum ------------------------------------------------------------------------


def test_key_lists_exactly_the_static_keys_in_catalogue_order():
    assert [str(k) for k in Key] == [s.key for s in STATIC_SERIES]
    assert Key.t_2y == "t_2y" and spec_for(Key.t_2y, AS_OF_DATES[0]).source_id == "DGS2"


def test_a_misspelt_key_fails_when_the_module_is_loaded(tmp_path, monkeypatch):
    module = tmp_path / "typo_page.py"
    module.write_text("from data_sources.catalogue import Key\nKEYS = (Key.t2y,)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(AttributeError, match="t2y"):
        __import__("typo_page")


# -- share counts -------------------------------------------------------------------------------

COMPANIES = {"aapl": "Apple", "msft": "Microsoft", "nvda": "Nvidia", "amzn": "Amazon",
             "googl": "Alphabet", "meta": "Meta Platforms", "tsla": "Tesla"}


def test_one_share_count_row_per_mega_cap():
    assert SHARE_COUNT_KEYS == tuple(f"{k}_shares" for k in MEGA_CAP_KEYS)
    assert MEGA_CAP_KEYS == tuple(COMPANIES)
    for price_key, shares_key in zip(MEGA_CAP_KEYS, SHARE_COUNT_KEYS):
        price, shares = spec_for(price_key, AS_OF_DATES[0]), spec_for(shares_key, AS_OF_DATES[0])
        assert share_count_key(price_key) == shares_key
        assert (shares.source, shares.source_id, shares.frequency) == ("yahoo_shares", price.source_id, "quarterly")
        assert shares.label == f"{COMPANIES[price_key]} shares outstanding"
        assert shares.units == "shares (as reported, not split-adjusted)"
        assert shares.why == "Market-cap weights of the mega caps (S&P 500 page)."
        assert shares.required and shares.positive_only


def test_share_count_key_refuses_other_keys():
    with pytest.raises(KeyError):
        share_count_key("spy")


def test_one_trailing_eps_row_per_mega_cap():
    assert TTM_EPS_KEYS == tuple(f"{k}_ttm_eps" for k in MEGA_CAP_KEYS)
    # The SEC's Central Index Keys, as EDGAR's company search lists them.
    assert SEC_CIKS == {"AAPL": 320193, "MSFT": 789019, "NVDA": 1045810, "AMZN": 1018724,
                        "GOOGL": 1652044, "META": 1326801, "TSLA": 1318605}
    for price_key, eps_key in zip(MEGA_CAP_KEYS, TTM_EPS_KEYS):
        price, eps = spec_for(price_key, AS_OF_DATES[0]), spec_for(eps_key, AS_OF_DATES[0])
        assert ttm_eps_key(price_key) == eps_key
        assert (eps.source, eps.source_id, eps.cik, eps.frequency) == ("sec", price.source_id,
                                                                        SEC_CIKS[price.source_id], "quarterly")
        assert eps.label == f"Trailing diluted EPS, {COMPANIES[price_key]}"
        assert eps.units == "USD per share (TTM, current share basis)"
        assert not eps.required and not eps.positive_only  # EPS can be negative (AMZN 2022)
    with pytest.raises(KeyError):
        ttm_eps_key("spy")


def test_only_fallback_rows_and_trailing_eps_are_optional():
    optional = {s.key for s in STATIC_SERIES if not s.required}
    assert optional == {"t_6m", "t_1y", "unemployed", *TTM_EPS_KEYS}


def test_only_yahoo_rows_are_positive_only():
    assert {s.source for s in STATIC_SERIES if s.positive_only} == {"yahoo", "yahoo_shares"}


def test_every_monthly_or_weekly_fred_row_says_when_it_was_published():
    """Point in time: a monthly or weekly FRED series must name its release calendar (or carry
    a publication lag); daily and Yahoo rows count from their own date."""
    releases = {s.source_id: s.release for s in STATIC_SERIES if s.release is not None}
    assert releases == {
        "UNRATE": "employment", "PAYEMS": "employment", "UNEMPLOY": "employment", "SAHMREALTIME": "employment",
        "CPIAUCSL": "cpi", "CPILFESL": "cpi", "PCEPI": "pio", "PCEPILFE": "pio", "JTSJOL": "jolts", "ICSA": "claims",
    }
    for spec in STATIC_SERIES:
        if spec.source == "fred" and spec.frequency in ("monthly", "weekly"):
            assert spec.release is not None or spec.publication_lag_days > 0, spec.key
        if spec.frequency == "daily":
            assert spec.release is None and spec.publication_lag_days == 0, spec.key
