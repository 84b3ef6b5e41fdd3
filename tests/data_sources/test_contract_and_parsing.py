"""The data contract (to_contract / check_contract) and the two CSV layouts, on real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data_sources.contract import check_contract, data_error_note, dropped_rows, to_contract
from data_sources.parsing import EmptyTable, fredgraph_csv_text, parse_fredgraph_csv, parse_yahoo_csv, yahoo_csv_text
from tests.conftest import SNAPSHOT_DIR, snapshot_series
from tests.data_sources.conftest import observed_rows, real_history
from tools.fakes import FREDGRAPH_CSV, fredgraph_csv

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
    assert dropped_rows(out) == 2  # "2.5" without a date and "x": errors; "." and "": missing


@pytest.mark.parametrize("bad", [np.inf, -np.inf, "inf", "-inf", "1e999"])
def test_non_finite_values_are_dropped_and_counted(bad):
    spy = snapshot_series("spy").tail(20)
    raw = spy.astype(object)
    raw.iloc[[3, 11]] = bad
    out = to_contract(raw, "spy")
    assert_contract(out, "spy")
    pd.testing.assert_series_equal(out, spy.drop(spy.index[[3, 11]]), check_exact=True, check_freq=False)
    assert dropped_rows(out) == 2 and np.isfinite(out.to_numpy()).all()


def test_non_positive_values_are_errors_only_where_values_must_be_positive():
    spy = snapshot_series("spy").tail(20)
    raw = spy.copy()
    raw.iloc[[0, 5]] = [0.0, -raw.iloc[5]]
    prices = to_contract(raw, "spy", positive=True)
    pd.testing.assert_series_equal(prices, spy.drop(spy.index[[0, 5]]), check_exact=True, check_freq=False)
    assert dropped_rows(prices) == 2
    spread = to_contract(raw, "spread")  # a yield or spread may be zero or negative
    assert len(spread) == len(spy) and dropped_rows(spread) == 0


def test_dates_after_latest_are_errors_and_missing_values_are_not():
    unrate = snapshot_series("unrate").tail(12)
    later = pd.Series([unrate.iloc[-1], np.nan], index=pd.to_datetime(["2099-01-01", "2099-02-01"]))
    out = to_contract(pd.concat([unrate, later]), "unrate", latest=unrate.index[-1].date())
    pd.testing.assert_series_equal(out, unrate, check_exact=True, check_freq=False)
    assert dropped_rows(out) == 1  # the NaN row is missing, not an error


def test_a_clean_series_has_no_dropped_rows_and_no_note():
    assert dropped_rows(to_contract(snapshot_series("unrate"), "unrate")) == 0
    assert data_error_note(0) is None
    assert data_error_note(1).startswith("1 row dropped as data errors (")
    assert data_error_note(2_345).startswith("2,345 rows dropped as data errors (")


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


# -- damaged snapshot files -----------------------------------------------------------------


def rewritten(path, change) -> bytes:
    """A real file with ``change`` applied to its data rows (the header kept)."""
    header, *rows = path.read_text().rstrip("\n").split("\n")
    return ("\n".join([header, *change(rows)]) + "\n").encode()


@pytest.mark.parametrize(("symbol", "parse", "column"), [("^RUT", parse_yahoo_csv, 4), ("DGS2", parse_fredgraph_csv, 1)])
def test_reversed_and_duplicated_rows_parse_like_the_original(symbol, parse, column):
    path = SNAPSHOT_DIR / ("yahoo" if column == 4 else "fred") / f"{symbol}.csv"
    original = parse(path.read_bytes(), "k")
    shuffled = rewritten(path, lambda rows: [*reversed(rows), *rows[-5:], *rows[:3]])
    out = parse(shuffled, "k")
    pd.testing.assert_series_equal(out, original, check_exact=True)
    assert dropped_rows(out) == 0
    assert len(out) == len(observed_rows(path, column))


@pytest.mark.parametrize("cut", [1, 7, 12, 20, 40])
def test_a_last_line_cut_short_is_one_dropped_row(cut):
    path = SNAPSHOT_DIR / "yahoo" / "^RUT.csv"
    body = path.read_bytes().rstrip(b"\n")[:-cut]
    last = body.rsplit(b"\n", 1)[-1].decode()
    whole = observed_rows(path, 4)
    complete = last.count(",") == 5  # all six fields: the row stays (only Volume was cut)
    out = parse_yahoo_csv(body, "rut")
    assert_contract(out, "rut")
    assert len(out) == len(whole) - (0 if complete else 1)
    assert dropped_rows(out) == (0 if complete else 1)
    if complete:
        assert out.iloc[-1] == float(last.split(",")[4])


def test_a_fredgraph_download_without_a_final_line_break_keeps_its_last_row():
    body = fredgraph_csv("VIXCLS")
    assert not body.endswith(b"\n")  # as FRED sent it
    out = parse_fredgraph_csv(body, "vix")
    assert str(out.index[-1].date()) == observed_rows(body, 1)[-1][0] and dropped_rows(out) == 0


def test_one_bad_row_in_the_middle_costs_only_that_row():
    path = SNAPSHOT_DIR / "yahoo" / "SPY.csv"
    clean = parse_yahoo_csv(path.read_bytes(), "spy")
    damaged = rewritten(path, lambda rows: [*rows[:100], "not-a-date,,,,1.0,", "2001-02-3x,,,,2.0,", *rows[100:]])
    out = parse_yahoo_csv(damaged, "spy")
    pd.testing.assert_series_equal(out, clean, check_exact=True)
    assert dropped_rows(out) == 2


@pytest.mark.parametrize("value", ["inf", "1e999", "-inf", "0", "-3.5"])
def test_impossible_prices_in_a_real_file_are_dropped_and_counted(value):
    path = SNAPSHOT_DIR / "yahoo" / "SPY.csv"
    clean = parse_yahoo_csv(path.read_bytes(), "spy")

    def spoil(rows):
        return [",".join([*r.split(",")[:4], value, *r.split(",")[5:]]) if n % 500 == 0 else r for n, r in enumerate(rows)]

    out = parse_yahoo_csv(rewritten(path, spoil), "spy")
    spoilt = clean.index[::500]
    pd.testing.assert_series_equal(out, clean.drop(spoilt), check_exact=True)
    assert dropped_rows(out) == len(spoilt)


@pytest.mark.parametrize(
    ("body", "reason"),
    [(b"", "0 bytes"), (b"Date,Open,High,Low,Close,Volume\n", "header only"), (b"\n\n", "blank")],
    ids=["empty", "header-only", "blank"],
)
def test_tables_without_rows_raise_empty_table(body, reason):
    with pytest.raises(EmptyTable, match=reason):
        parse_yahoo_csv(body, "spy")


def test_non_utf8_bytes_are_a_value_error_naming_the_offset():
    body = (SNAPSHOT_DIR / "fred" / "DGS2.csv").read_bytes() + b"\xff\xfe"
    with pytest.raises(ValueError, match="not UTF-8 text"):
        parse_fredgraph_csv(body, "t_2y")
