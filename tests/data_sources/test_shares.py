"""Share counts: the tidy CSV (DASH_SHARES or the snapshot's shares/ folder) and the live path."""

from __future__ import annotations

import time

import csv
import shutil

import pandas as pd
import pytest

from data_sources.shares import (
    SHARES_TTL_S,
    load_share_counts,
    parse_shares_csv,
)
from tests.conftest import SHARED_DATA, SNAPSHOT_DIR
from tests.fakes import FakeYahooSession

SHARES_CSV = SHARED_DATA / "shares" / "shares_outstanding.csv"
MEGA = ("AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA")


def csv_rows() -> list[dict]:
    """The CSV read with the csv module, independently of the parser under test."""
    with open(SHARES_CSV, newline="") as handle:
        return list(csv.DictReader(handle))


def test_tidy_csv_parses_to_the_documented_frame():
    frame = parse_shares_csv(SHARES_CSV)
    rows = csv_rows()
    assert list(frame.columns) == ["symbol", "date", "shares"]
    assert len(frame) == len(rows)
    assert str(frame["date"].dtype) == "datetime64[ns]" and frame["shares"].dtype == float
    assert set(frame["symbol"]) == set(MEGA)
    assert frame.equals(frame.sort_values(["symbol", "date"]).reset_index(drop=True))
    first_aapl = next(r for r in rows if r["symbol"] == "AAPL")
    got = frame[(frame["symbol"] == "AAPL")].iloc[0]
    assert (got["date"], got["shares"]) == (pd.Timestamp(first_aapl["date"]), float(first_aapl["shares"]))


def test_symbols_filter_and_case(tmp_path):
    path = tmp_path / "shares.csv"
    path.write_text("symbol,date,shares\naapl,2024-01-05,100\nMSFT,2024-01-05,\nXYZ,2024-02-01,5\n")
    frame = parse_shares_csv(path, ("AAPL", "MSFT"))
    assert frame["symbol"].tolist() == ["AAPL"]  # blank count dropped, XYZ not asked for


def test_missing_column_is_an_error(tmp_path):
    path = tmp_path / "shares.csv"
    path.write_text("ticker,date,shares\nAAPL,2024-01-05,100\n")
    with pytest.raises(ValueError, match="symbol"):
        parse_shares_csv(path)


def test_dash_shares_file(monkeypatch):
    monkeypatch.setenv("DASH_SHARES", str(SHARES_CSV))
    counts = load_share_counts(MEGA)
    assert counts.available and counts.problem is None
    assert counts.last_date == max(pd.Timestamp(r["date"]) for r in csv_rows()).date()
    assert "shares_outstanding.csv" in counts.source


def test_dash_shares_missing_file_is_not_available(monkeypatch, tmp_path):
    monkeypatch.setenv("DASH_SHARES", str(tmp_path / "nope.csv"))
    counts = load_share_counts(MEGA)
    assert not counts.available and "nope.csv" in counts.problem


def test_snapshot_without_shares_folder_is_not_available(monkeypatch, socket_attempts):
    monkeypatch.setenv("DASH_SNAPSHOT", str(SNAPSHOT_DIR))
    counts = load_share_counts(MEGA)
    assert not counts.available
    assert "shares/shares_outstanding.csv" in counts.problem and "DASH_SHARES" in counts.problem
    assert counts.frame.empty and list(counts.frame.columns) == ["symbol", "date", "shares"]


def test_snapshot_with_shares_folder(monkeypatch, tmp_path):
    (tmp_path / "shares").mkdir()
    shutil.copy(SHARES_CSV, tmp_path / "shares" / "shares_outstanding.csv")
    monkeypatch.setenv("DASH_SNAPSHOT", str(tmp_path))
    counts = load_share_counts(("AAPL", "NVDA", "ZZZZ"))
    assert counts.missing == ("ZZZZ",) and not counts.available
    assert set(counts.frame["symbol"]) == {"AAPL", "NVDA"}
    assert "ZZZZ" in counts.problem


def test_live_failure_is_a_not_available_state(tmp_path):
    counts = load_share_counts(("AAPL", "MSFT"), session=FakeYahooSession(), cache_dir=tmp_path)
    assert not counts.available
    assert counts.missing == ("AAPL", "MSFT")
    assert "Yahoo Finance" in counts.problem and "network" in counts.problem
    assert not (tmp_path / "live" / "shares").exists() or not any((tmp_path / "live" / "shares").iterdir())


def test_live_failure_serves_the_old_copy(tmp_path):
    cached = tmp_path / "live" / "shares" / "AAPL.csv"
    cached.parent.mkdir(parents=True)
    fetched_long_ago = time.time() - 2 * SHARES_TTL_S
    cached.write_text(f"symbol,date,shares,fetched_at\nAAPL,2025-10-17,14776353000,{fetched_long_ago}\n")
    counts = load_share_counts(("AAPL",), session=FakeYahooSession(), cache_dir=tmp_path)
    assert counts.available
    assert counts.frame["shares"].tolist() == [14776353000.0]


class EveryRequestCounted(FakeYahooSession):
    """Counts every request that reaches the wire, whatever the endpoint."""

    def request(self, method, url, params=None, **kwargs):
        self._count("any")
        return super().request(method, url, params=params, **kwargs)


def test_a_read_only_replica_never_calls_yahoo_and_serves_the_shared_copy_at_any_age(tmp_path, monkeypatch):
    monkeypatch.setenv("DASH_READ_ONLY", "1")
    cached = tmp_path / "live" / "shares" / "AAPL.csv"
    cached.parent.mkdir(parents=True)
    fetched_long_ago = time.time() - 10 * SHARES_TTL_S
    cached.write_text(f"symbol,date,shares,fetched_at\nAAPL,2025-10-17,14776353000,{fetched_long_ago}\n")
    wire = EveryRequestCounted()
    counts = load_share_counts(("AAPL", "MSFT"), session=wire, cache_dir=tmp_path)
    assert wire.calls == {}
    assert counts.frame["symbol"].tolist() == ["AAPL"] and counts.missing == ("MSFT",)
    assert "replica never calls Yahoo" in counts.problem and "refresh" in counts.problem


def test_without_read_only_a_stale_copy_is_refreshed_from_yahoo(tmp_path):
    cached = tmp_path / "live" / "shares" / "AAPL.csv"
    cached.parent.mkdir(parents=True)
    cached.write_text(f"symbol,date,shares,fetched_at\nAAPL,2025-10-17,14776353000,{time.time() - 2 * SHARES_TTL_S}\n")
    wire = EveryRequestCounted()
    load_share_counts(("AAPL",), session=wire, cache_dir=tmp_path, read_only=False)
    assert wire.calls[("any", "")] >= 1  # the same call with read_only=True makes none (test above)
