"""The data contract (to_contract / check_contract) and the two CSV layouts, on real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data_sources.contract import check_contract, to_contract
from data_sources.parsing import fredgraph_csv_text, parse_fredgraph_csv, parse_yahoo_csv, yahoo_csv_text
from tests.conftest import SNAPSHOT_DIR, snapshot_series
from tests.data_sources.conftest import observed_rows, real_history
from tests.fakes import FREDGRAPH_CSV, fredgraph_csv

BOM = b"\xef\xbb\xbf"
FREDGRAPH_IDS = sorted(p.stem for p in FREDGRAPH_CSV.glob("*.csv"))


def assert_contract(series: pd.Series, name: str) -> None:
    assert check_contract(series) == []
    assert series.name == name
    assert series.notna().all()


def without_bom(body: bytes) -> bytes:
    return body[len(BOM):] if body.startswith(BOM) else body


# -- to_contract ----------------------------------------------------------------------------


def test_tz_aware_index_drops_tz_and_keeps_the_wall_clock_date():
    close = real_history("MSFT")["Close"]
    assert close.index.tz is not None  # yfinance's own frame: exchange time zone
    # Move every bar to 20:00 New York time: in UTC that is already the next day.
    evening = close.set_axis(close.index + pd.Timedelta(hours=20))
    out = to_contract(evening, "msft")
    assert_contract(out, "msft")
    assert list(out.index) == list(close.index.tz_localize(None).normalize())
    np.testing.assert_array_equal(out.to_numpy(), close.to_numpy())


def test_duplicate_dates_last_wins_and_order_is_ascending():
    spy = snapshot_series("spy").tail(20)
    revised = pd.Series([spy.iloc[-1] * 1.01], index=spy.index[-1:])
    resent = pd.concat([spy.iloc[::-1], revised])  # newest first, then a re-sent last bar
    out = to_contract(resent, "spy")
    assert_contract(out, "spy")
    assert list(out.index) == list(spy.index)
    assert out.iloc[-1] == revised.iloc[0]


def test_nan_last_bar_is_dropped_not_filled():
    spy = snapshot_series("spy").tail(20)
    with_nan_bar = spy.copy()
    with_nan_bar.iloc[-1] = np.nan
    out = to_contract(with_nan_bar, "spy")
    assert_contract(out, "spy")
    assert out.index[-1] == spy.index[-2]
    pd.testing.assert_series_equal(out, spy.iloc[:-1], check_exact=True, check_freq=False)


def test_text_values_and_unparsable_dates_are_dropped():
    raw = pd.Series(["1.5", ".", "", "2.5", "x"], index=["2024-01-02", "2024-01-03", "2024-01-04", "bad", "2024-01-05"])
    out = to_contract(raw, "k")
    assert_contract(out, "k")
    assert out.to_dict() == {pd.Timestamp("2024-01-02"): 1.5}


@pytest.mark.parametrize(
    ("breakage", "problem"),
    [
        (lambda s: s.astype("int64"), "dtype"),
        (lambda s: s.tz_localize("UTC"), "tz-aware"),
        (lambda s: s.rename_axis("Date"), "named"),
        (lambda s: s.iloc[::-1], "ascending"),
        (lambda s: pd.concat([s, s.iloc[-1:]]), "duplicate"),
        (lambda s: s.reset_index(drop=True), "DatetimeIndex"),
    ],
)
def test_check_contract_names_each_breakage(breakage, problem):
    good = snapshot_series("unrate").tail(24)
    assert check_contract(good) == []
    problems = check_contract(breakage(good.round()))
    assert any(problem in p for p in problems), problems


# -- fredgraph.csv --------------------------------------------------------------------------


@pytest.mark.parametrize("series_id", FREDGRAPH_IDS)
def test_real_fredgraph_files_parse_to_the_contract(series_id):
    body = fredgraph_csv(series_id)
    out = parse_fredgraph_csv(body, series_id.lower())
    assert_contract(out, series_id.lower())
    expected = observed_rows(body, 1)
    assert len(out) == len(expected)
    assert (str(out.index[0].date()), str(out.index[-1].date())) == (expected[0][0], expected[-1][0])
    assert out.iloc[-1] == float(expected[-1][1])


def test_blank_values_are_missing():
    body = fredgraph_csv("SP500")
    blanks = body.count(b",\n")
    assert blanks > 0  # the real file has holiday rows with no value
    out = parse_fredgraph_csv(body, "sp500")
    assert len(out) == body.count(b"\n") - 1 - blanks


def test_dot_values_are_missing_like_blanks():
    body = fredgraph_csv("SP500")
    dotted = body.replace(b",\n", b",.\n")
    assert dotted != body
    pd.testing.assert_series_equal(parse_fredgraph_csv(dotted, "sp500"), parse_fredgraph_csv(body, "sp500"))


@pytest.mark.parametrize("series_id", ["UNRATE", "VIXCLS"])
def test_old_date_header_parses_like_observation_date(series_id):
    body = fredgraph_csv(series_id)
    old = without_bom(body).replace(b"observation_date,", b"DATE,", 1)
    assert old.startswith(b"DATE,")
    pd.testing.assert_series_equal(parse_fredgraph_csv(old, "x"), parse_fredgraph_csv(body, "x"), check_exact=True)


def test_utf8_bom_is_tolerated_as_bytes_and_text():
    assert fredgraph_csv("VIXCLS").startswith(BOM)  # a real download with a BOM
    plain = fredgraph_csv("UNRATE")
    expected = parse_fredgraph_csv(plain, "unrate")
    for body in (BOM + plain, (BOM + plain).decode("utf-8"), plain.decode()):
        pd.testing.assert_series_equal(parse_fredgraph_csv(body, "unrate"), expected, check_exact=True)


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>",
        b"",
        b"observation_date,UNRATE\n",
        b"observation_date,UNRATE\nnot-a-date,1.0\nstill-not,2.0\n",
    ],
    ids=["html", "empty", "header-only", "no-dates"],
)
def test_garbage_fredgraph_bodies_raise_value_error(body):
    with pytest.raises((ValueError, pd.errors.ParserError, pd.errors.EmptyDataError)):
        parse_fredgraph_csv(body, "unrate")


# -- yfinance layout (snapshot yahoo/ files) ------------------------------------------------


@pytest.mark.parametrize("symbol", ["SPY", "^VIX", "ZQQ26.CBT", "ZQ=F"])
def test_real_yahoo_layout_files_parse_to_their_close(symbol):
    path = SNAPSHOT_DIR / "yahoo" / f"{symbol}.csv"
    out = parse_yahoo_csv(path.read_bytes(), "k")
    assert_contract(out, "k")
    expected = observed_rows(path, 4)  # Date,Open,High,Low,Close,Volume
    assert len(out) == len(expected)
    assert out.iloc[-1] == float(expected[-1][1])


def test_yahoo_layout_without_close_is_refused():
    body = (SNAPSHOT_DIR / "yahoo" / "SPY.csv").read_bytes().replace(b",Close,", b",Last,", 1)
    with pytest.raises(ValueError, match="Close"):
        parse_yahoo_csv(body, "spy")


@pytest.mark.parametrize("key", ["spy", "zq_2026_08", "unrate", "claims"])
def test_writers_round_trip_exactly(key):
    series = snapshot_series(key)
    if key in ("unrate", "claims"):
        again = parse_fredgraph_csv(fredgraph_csv_text(series, "ID"), key)
    else:
        again = parse_yahoo_csv(yahoo_csv_text(series), key)
    pd.testing.assert_series_equal(again, series, check_exact=True)
