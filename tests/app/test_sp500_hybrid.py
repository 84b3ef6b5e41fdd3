"""The S&P 500 hybrid page on the real snapshot, through Streamlit's AppTest.

Numbers on the page are derived again here with plain pandas from the snapshot CSVs
(``../shared/data/snapshot``) and the formulas of ANALYTICS.md ("S&P 500 hybrid decomposition").
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_sources.catalogue import SECTOR_KEYS, catalogue
from tests.app.conftest import (
    SHARES_CSV,
    as_series,
    assert_clean,
    by_title,
    common,
    figures,
    fred,
    open_once,
    split_adjusted,
    trace_values,
    yahoo,
)
from tests.conftest import SHARED_DATA, SNAPSHOT_AS_OF, SNAPSHOT_DIR

PAGE = "pages/3_sp500-hybrid.py"
ANCHOR_JSON = SHARED_DATA / "shares" / "other" / "mags_market_data_2024-12-13.json"
MEGA_SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA"]
# Stock splits after which earlier reported share counts must be multiplied (facts, SOURCES.md).
WINDOW_START = pd.Timestamp("2023-08-21")  # the default window: last 3Y
WINDOWS = {"1M": 21, "3M": 63, "12M": 252}  # trading days
CYCLICALS, DEFENSIVES = ["XLI", "XLF", "XLE", "XLB", "XLY"], ["XLU", "XLP", "XLV"]
# Lines are named by their catalogue label (the page's legend for a loaded series).
LABELS = {spec.key: spec.label for spec in catalogue(SNAPSHOT_AS_OF)}


def title_dates(fig: dict) -> tuple[pd.Timestamp, pd.Timestamp]:
    start, end = re.findall(r"\d{4}-\d{2}-\d{2}", fig["layout"]["title"]["text"])
    return pd.Timestamp(start), pd.Timestamp(end)


@pytest.fixture
def with_shares(monkeypatch):
    monkeypatch.setenv("DASH_SHARES", str(SHARES_CSV))


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> AppTest:
    """The page as first opened, with the offline share counts (read-only)."""
    return open_once(tmp_path_factory, PAGE, DASH_SHARES=str(SHARES_CSV))


# --- The same numbers in plain pandas on the snapshot CSVs ---------------------------------


def assert_plots(tr: dict, expected: pd.Series, atol: float = 1e-9) -> None:
    plotted = as_series(tr)
    assert list(plotted.index) == list(expected.dropna().index)
    assert np.allclose(plotted.to_numpy(), expected.dropna().to_numpy(), rtol=0, atol=atol)


def rebased(series: pd.Series) -> pd.Series:
    return series / series.iloc[0] * 100


def on_or_before(series: pd.Series, day) -> float:
    known = series.loc[: pd.Timestamp(day)]
    return float(known.iloc[-1]) if len(known) else np.nan



def equal_weight(symbols, start=None) -> pd.Series:
    closes = pd.concat([yahoo(s) for s in symbols], axis=1, join="inner").dropna().loc[start:]
    return (1 + closes.pct_change().mean(axis=1).fillna(0)).cumprod()


def window_contributions(start=WINDOW_START) -> tuple[pd.Series, float, pd.DataFrame]:
    """Each mega cap's contribution (pp) to the S&P 500's return over the window, the index
    return (%) and the closes used.

    Weights are w = price · split-adjusted shares / T, T = the 503-name total cap of
    2024-12-13 scaled by the index level. A day's contribution w_{t−1}·r_t, grown by the index
    up to the day before (so the parts add up to the compounded total), is shares_{t−1}·ΔP_t / T
    at the window start: each member contributes its dollar gain over the starting total cap.
    """
    closes = pd.concat([yahoo(s) for s in (*MEGA_SYMBOLS, "^GSPC")], axis=1, join="inner").dropna().loc[start:]
    anchor = json.loads(ANCHOR_JSON.read_text())
    total_start = (anchor["sp500_details"]["total_market_cap"] * closes["^GSPC"].iloc[0]
                   / on_or_before(yahoo("^GSPC"), anchor["trading_date"]))
    parts = {}
    for symbol in MEGA_SYMBOLS:
        shares = split_adjusted(symbol)
        held = pd.Series([on_or_before(shares, d) for d in closes.index], closes.index).shift(1)
        parts[symbol] = float((held * closes[symbol].diff()).iloc[1:].sum()) / total_start * 100
    index_pct = (closes["^GSPC"].iloc[-1] / closes["^GSPC"].iloc[0] - 1) * 100
    return pd.Series(parts), index_pct, closes


def signed(value: float, unit: str = "%") -> str:
    return f"{value:+.1f}{unit}"


# --- Tests ------------------------------------------------------------------------------------


def test_breadth_chart_rebases_spy_and_rsp_and_plots_the_gaps(page):
    fig = by_title(page, "Is cap weight beating equal weight?")
    names = [t["name"] for t in fig["data"]]
    assert names == [LABELS["spy"], LABELS["rsp"], "1M gap", "3M gap", "12M gap"]
    full = common(yahoo("SPY"), yahoo("RSP"))
    pair = full.loc[WINDOW_START:]
    # RSP stops earlier than SPY in the snapshot: the comparison ends with RSP.
    assert pair.index[-1] == yahoo("RSP").index[-1] < yahoo("SPY").index[-1]
    assert_plots(fig["data"][0], rebased(pair[0]))
    assert_plots(fig["data"][1], rebased(pair[1]))
    for tr, (label, w) in zip(fig["data"][2:], WINDOWS.items()):
        growth = full / full.shift(w) - 1
        assert_plots(tr, ((growth[0] - growth[1]) * 100).loc[WINDOW_START:])
    assert fig["layout"]["yaxis2"]["title"]["text"] == "Cap minus equal, pp"
    cap, equal = ((pair[c].iloc[-1] / pair[c].iloc[0] - 1) * 100 for c in (0, 1))
    growth = full / full.shift(WINDOWS["3M"]) - 1
    gap_3m = (growth[0] - growth[1]).iloc[-1] * 100
    state = ("narrowing (mega caps lead)" if gap_3m > 0.05 else "broadening (the average stock leads)"
             if gap_3m < -0.05 else "steady")
    assert any(m.value == f"Over the last 3Y cap weight returned {cap:+.1f}% and equal weight {equal:+.1f}% "
               f"({cap - equal:+.1f} pp); the 3M gap on {pair.index[-1]:%Y-%m-%d} is {gap_3m:+.1f} pp: the rally is "
               f"{state}." for m in page.markdown)
    assert any("Yahoo Finance (SPY, RSP) · as of 2026-07-31" in c.value for c in page.caption)


def test_mega_cap_contributions_are_each_members_dollar_gain_over_the_starting_cap(page):
    fig = by_title(page, "Who delivered the S&P 500's return")
    (bars,) = fig["data"]
    x, y = list(trace_values(bars, "x")), trace_values(bars, "y").astype(float)
    assert x == [*MEGA_SYMBOLS, "Other 493", "S&P 500"]
    assert bars["measure"][-1] == "total"
    parts, index_pct, closes = window_contributions()
    assert title_dates(fig) == (closes.index[0], closes.index[-1]) == (WINDOW_START, pd.Timestamp("2026-07-31"))
    assert y[:7] == pytest.approx(parts[MEGA_SYMBOLS].to_numpy(), abs=1e-9)
    assert y[-1] == pytest.approx(index_pct, abs=1e-9)
    assert y[7] == pytest.approx(index_pct - parts.sum(), abs=1e-9)
    note = " ".join(a["text"] for a in fig["layout"]["annotations"])
    # The approximation and the date of the share counts: the latest count of the seven in the CSV.
    latest_count = pd.read_csv(SHARES_CSV, parse_dates=["date"]).query("symbol in @MEGA_SYMBOLS")["date"].max()
    assert "price × shares outstanding" in note and "Full caps" in note and "2024-12-13" in note
    assert f"latest {latest_count:%Y-%m-%d}" in note
    assert any("as of 2026-07-31" in c.value and "^GSPC" in c.value for c in page.caption)
    mega = parts.sum()
    assert any(m.value == f"From {closes.index[0]:%Y-%m-%d} to {closes.index[-1]:%Y-%m-%d} the S&P 500 returned "
               f"{index_pct:+.1f}%; the seven mega caps contributed {mega:+.1f} pp — {mega / index_pct:.0%} of it, "
               f"the other 493 {index_pct - mega:+.1f} pp." for m in page.markdown)


def sector_board(window: int) -> pd.DataFrame:
    """Each sector's return over the last ``window`` days it shares with SPY, minus SPY's on those days."""
    spy = yahoo("SPY")
    rows = {}
    for key in SECTOR_KEYS:
        pair = common(yahoo(key.upper()), spy)
        own, bench = ((pair[c].iloc[-1] / pair[c].iloc[-1 - window] - 1) * 100 for c in (0, 1))
        rows[key] = {"relative_pp": own - bench, "end": pair.index[-1]}
    return pd.DataFrame.from_dict(rows, orient="index").sort_values("relative_pp", ascending=False)


def test_sector_bars_are_each_sectors_return_minus_spys(page):
    fig = by_title(page, "Which sectors beat SPY over the last 3M?")
    (bars,) = fig["data"]
    board = sector_board(WINDOWS["3M"])
    assert [c[0] for c in bars["customdata"]] == list(board.index)
    assert list(trace_values(bars, "x")) == [k.upper() for k in board.index]
    assert trace_values(bars, "y").astype(float) == pytest.approx(board["relative_pp"].to_numpy(), abs=1e-9)
    beating = int((board["relative_pp"] > 0).sum())
    names = {c[0]: c[1] for c in bars["customdata"]}
    best, worst = board.index[0], board.index[-1]
    assert any(m.value == f"{beating} of 11 sectors beat SPY over the last 3M (to {board['end'].max():%Y-%m-%d}); best "
               f"{names[best]}, {board.loc[best, 'relative_pp']:+.1f} pp; worst {names[worst]}, "
               f"{board.loc[worst, 'relative_pp']:+.1f} pp." for m in page.markdown)
    assert "pp" in fig["layout"]["yaxis"]["title"]["text"]
    assert not [f for f in figures(page) if "beating SPY?" in f["layout"]["title"]["text"]]


def test_sector_in_the_url_opens_its_drill_down(run_page, with_shares):
    at = run_page(PAGE, sector="xle", sector_window="12M")
    assert_clean(at)
    fig = by_title(at, "Is Energy sector (SPDR XLE) beating SPY?")
    names = [t["name"] for t in fig["data"]]
    assert names == ["Energy sector (SPDR XLE)", "SPY", "XLE / SPY"]
    pair = common(yahoo("XLE"), yahoo("SPY")).loc[WINDOW_START:]
    assert_plots(fig["data"][0], rebased(pair[0]))
    assert_plots(fig["data"][1], rebased(pair[1]))
    assert_plots(fig["data"][2], rebased(pair[0] / pair[1]))
    bars = by_title(at, "Which sectors beat SPY")
    assert "last 12M" in bars["layout"]["title"]["text"]
    board = sector_board(WINDOWS["12M"])
    assert trace_values(bars["data"][0], "y").astype(float) == pytest.approx(board["relative_pp"].to_numpy(), abs=1e-9)


def test_cyclicals_vs_defensives(page):
    fig = by_title(page, "Are cyclicals beating defensives?")
    (line,) = fig["data"]
    in_window = common(equal_weight(CYCLICALS, WINDOW_START), equal_weight(DEFENSIVES, WINDOW_START))
    ratio = in_window[0] / in_window[1]
    assert_plots(line, rebased(ratio))
    full = common(equal_weight(CYCLICALS), equal_weight(DEFENSIVES))
    full_ratio = full[0] / full[1]
    recent = (full_ratio.iloc[-1] / full_ratio.iloc[-1 - WINDOWS["3M"]] - 1) * 100
    change = rebased(ratio).iloc[-1] - 100
    leader = "cyclicals led" if change > 0.05 else "defensives led" if change < -0.05 else "neither basket led"
    assert any(m.value == f"Over the last 3Y {leader} ({signed(change)}); over the last 3M the ratio moved "
               f"{signed(recent)}, to {ratio.index[-1]:%Y-%m-%d}." for m in page.markdown)


def test_rate_share_is_the_ols_of_rsp_on_nominal_and_real_yields(page):
    """OLS of RSP's daily log return on ΔDGS10 and ΔDFII10 (bp) over the window, solved here by the
    covariance form β = Σxx⁻¹·Σxy; explained = Σ_k β_k·ΣΔy_k, rate share = explained / Σ r."""
    fig = by_title(page, "How much of RSP's return came with 10-year yield moves?")
    (bars,) = fig["data"]
    y = trace_values(bars, "y").astype(float)
    levels = common(yahoo("RSP"), fred("DGS10"), fred("DFII10")).loc[WINDOW_START:]
    daily = pd.DataFrame({"r": np.log(levels[0]).diff(), "n": levels[1].diff() * 100,
                          "real": levels[2].diff() * 100}).dropna()
    cov = daily.cov()
    beta = np.linalg.solve(cov.loc[["n", "real"], ["n", "real"]].to_numpy(), cov.loc[["n", "real"], "r"].to_numpy())
    residual = daily["r"] - daily["r"].mean() - (daily[["n", "real"]] - daily[["n", "real"]].mean()) @ beta
    r2 = 1 - (residual ** 2).sum() / ((daily["r"] - daily["r"].mean()) ** 2).sum()
    total = daily["r"].sum() * 100
    nominal_pp, real_pp = beta[0] * daily["n"].sum() * 100, beta[1] * daily["real"].sum() * 100
    assert title_dates(fig) == (levels.index[0], levels.index[-1]) == (WINDOW_START, yahoo("RSP").index[-1])
    assert y == pytest.approx([nominal_pp, real_pp, total - nominal_pp - real_pp, total], abs=1e-9)
    assert total == pytest.approx(np.log(levels[0].iloc[-1] / levels[0].iloc[0]) * 100, abs=1e-9)
    share = (nominal_pp + real_pp) / total
    metrics = {m.label: m.value for m in page.metric}
    assert metrics["Rate share of the return"] == f"{share:.0%}"
    assert metrics["R² of daily returns on yields"] == f"{r2:.2f}"
    assert metrics["β, nominal 10y"] == f"{beta[0] * 1000:+.2f}%"
    assert metrics["β, real 10y"] == f"{beta[1] * 1000:+.2f}%"


def test_invalid_params_fall_back_with_notes(run_page, with_shares, page):
    at = run_page(PAGE, sector="<script>", sector_window="5Y")
    assert_clean(at)
    infos = " ".join(i.value for i in at.info)
    assert "Ignored an invalid value for 'sector'" in infos
    assert "Ignored an invalid value for 'sector_window'" in infos
    assert "<script>" not in infos
    bars = by_title(at, "Which sectors beat SPY over the last 3M?")
    assert trace_values(bars["data"][0], "y").astype(float) == pytest.approx(
        sector_board(WINDOWS["3M"])["relative_pp"].to_numpy(), abs=1e-9)
    assert not [f for f in figures(at) if "beating SPY?" in f["layout"]["title"]["text"]]


def test_without_share_counts_the_rest_still_works(run_page, monkeypatch, tmp_path):
    # The shared snapshot carries shares/shares_outstanding.csv: a copy without that folder.
    snapshot = tmp_path / "no-shares"
    snapshot.mkdir()
    for folder in ("fred", "yahoo", "sec"):
        (snapshot / folder).symlink_to(SNAPSHOT_DIR / folder)
    monkeypatch.setenv("DASH_SNAPSHOT", str(snapshot))
    monkeypatch.delenv("DASH_SHARES", raising=False)
    at = run_page(PAGE)
    assert_clean(at)
    # The page names the missing share counts (and where they would come from).
    notes = [n.value for n in [*at.info, *at.warning]]
    assert any("shares" in n.lower() and ("DASH_SHARES" in n or "shares_outstanding.csv" in n) for n in notes)
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert not [t for t in titles if "Who delivered" in t]
    assert len(titles) == 5  # breadth, earned or re-rated, sectors, cyclicals, rate share (P/E: closed)
    # The split per company stays; only its cap-weighted total, which needs the counts, is empty.
    bars = by_title(at, "Earned or re-rated?")
    eps = trace_values(bars["data"][0], "y").astype(float)
    assert list(bars["data"][0]["x"])[-1] == "Mega caps, cap-weighted" and np.isnan(eps[-1]) and not np.isnan(eps[0])
    assert any(n.startswith("Part of the cap-weighted total of the earnings split is not shown: it needs") for n in notes)
    assert any(m.value.startswith("Each company's split is below; the cap-weighted total needs their share counts.")
               for m in at.markdown)


# --- Earned or re-rated: the mega caps' price moves split into TTM EPS growth and P/E change ---
# Derived here from the independent table ../shared/data/earnings/ttm_eps_check.csv (TTM diluted
# EPS per quarter, rows built on SEC filings only), each value dated by the first 10-Q/10-K of
# the snapshot's companyfacts that reports a period ending on its quarter end.

CHECK_TABLE = SHARED_DATA / "earnings" / "ttm_eps_check.csv"
SEC_SYMBOLS = ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL"]  # META and TSLA: no companyfacts in the snapshot
PERIODIC_FORMS = ("10-Q", "10-K", "10-Q/A", "10-K/A")
ONE_YEAR_START = pd.Timestamp("2025-08-21")  # range=1Y: the check table covers every start and end


def first_filed(symbol: str) -> dict[pd.Timestamp, pd.Timestamp]:
    """Period end -> the first filing date of a diluted-EPS fact ending then, in a 10-Q or 10-K."""
    body = json.loads((SNAPSHOT_DIR / "sec" / f"{symbol}.json").read_text(encoding="utf-8"))
    out: dict[pd.Timestamp, pd.Timestamp] = {}
    for fact in body["facts"]["us-gaap"]["EarningsPerShareDiluted"]["units"]["USD/shares"]:
        if fact["form"] in PERIODIC_FORMS:
            end, filed = pd.Timestamp(fact["end"]), pd.Timestamp(fact["filed"])
            out[end] = min(out.get(end, filed), filed)
    return out


def ttm_check(symbol: str) -> pd.Series:
    """The check table's TTM EPS of ``symbol`` indexed by the date it became known."""
    table = pd.read_csv(CHECK_TABLE, parse_dates=["quarter_end"])
    rows = table[(table["ticker"] == symbol)
                 & table["ttm_sources"].str.split("; ").map(lambda files: all("companyfacts" in f for f in files))]
    filed = first_filed(symbol)
    rows = rows[rows["quarter_end"].isin(filed)].sort_values("quarter_end")  # the table runs past the snapshot
    known = pd.Series([filed[end] for end in rows["quarter_end"]]).cummax()
    series = pd.Series(rows["ttm_eps_diluted"].to_numpy(dtype=float), index=pd.DatetimeIndex(known))
    return series[~series.index.duplicated(keep="last")]


def one_year(run_page, **params) -> AppTest:
    """The page with ``params`` and the 1Y range picked in the sidebar (the bound ``range`` does
    not survive AppTest's switch_page)."""
    at = run_page(PAGE, **params)
    at.session_state["range"] = "1Y"
    return at.run()


def expected_split(start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Per company: 100·ln of the price, EPS and P/E ratios between the last closes on or before
    ``start`` and ``end`` (EPS as known then), then the cap-weighted row (caps = close × the
    split-adjusted share count at the first close)."""
    rows, caps = {}, {}
    for symbol in SEC_SYMBOLS:
        closes, eps = yahoo(symbol), ttm_check(symbol)
        first, last = closes.loc[:start], closes.loc[:end]
        e0, e1 = on_or_before(eps, first.index[-1]), on_or_before(eps, last.index[-1])
        price = 100 * np.log(last.iloc[-1] / first.iloc[-1])
        earned = 100 * np.log(e1 / e0)
        rows[symbol] = {"price": price, "eps": earned, "multiple": price - earned,
                        "pe_start": first.iloc[-1] / e0, "pe_end": last.iloc[-1] / e1}
        caps[symbol] = first.iloc[-1] * on_or_before(split_adjusted(symbol), first.index[-1])
    frame = pd.DataFrame(rows).T
    weights = pd.Series(caps) / sum(caps.values())
    frame.loc["Mega caps, cap-weighted"] = (frame[["price", "eps", "multiple"]].mul(weights, axis=0)).sum()
    return frame


def test_earned_or_rerated_splits_each_mega_cap_and_the_cap_weighted_total(run_page, with_shares):
    at = one_year(run_page)
    assert_clean(at)
    fig = by_title(at, "Earned or re-rated?")
    end = yahoo("AAPL").index[-1]  # the mega caps' closes end before the snapshot's date
    assert title_dates(fig) == (ONE_YEAR_START, end)
    expected = expected_split(ONE_YEAR_START, pd.Timestamp(SNAPSHOT_AS_OF))
    eps, multiple, price = fig["data"]
    assert [eps["name"], multiple["name"], price["name"]] == ["TTM EPS growth", "P/E change", "Price move"]
    assert list(eps["x"]) == [*SEC_SYMBOLS, "Mega caps, cap-weighted"]
    assert trace_values(eps, "y").astype(float) == pytest.approx(expected["eps"].to_numpy(), abs=1e-9)
    assert trace_values(multiple, "y").astype(float) == pytest.approx(expected["multiple"].to_numpy(), abs=1e-9)
    assert trace_values(price, "y").astype(float) == pytest.approx(expected["price"].to_numpy(), abs=1e-9)
    assert [row[0] for row in eps["customdata"]] == ["aapl", "msft", "nvda", "amzn", "googl", ""]
    notes = " ".join(i.value for i in at.info)
    assert "No SEC earnings for Meta Platforms (META) and Tesla (TSLA)" in notes
    total = expected.loc["Mega caps, cap-weighted"]
    rose = expected.drop("Mega caps, cap-weighted").query("price > 0")  # only gains are earned or re-rated
    gap = rose["eps"] - rose["multiple"]
    words = ("mostly earned" if total["eps"] - total["multiple"] >= 5 else "mostly re-rated"
             if total["eps"] - total["multiple"] <= -5 else "earned and re-rated about equally")
    takeaway = [m.value for m in at.markdown if m.value.startswith(f"From {ONE_YEAR_START:%Y-%m-%d} to {end:%Y-%m-%d} the mega caps")]
    assert takeaway == [
        f"From {ONE_YEAR_START:%Y-%m-%d} to {end:%Y-%m-%d} the mega caps with SEC filings moved {total['price']:+.1f} log "
        f"points (cap-weighted, 100% of their starting cap): earnings {total['eps']:+.1f}, P/E {total['multiple']:+.1f}, "
        f"so the move was **{words}**. Of those that rose, most earned: {gap.idxmax()} (EPS "
        f"{expected.loc[gap.idxmax(), 'eps']:+.1f}, P/E "
        f"{expected.loc[gap.idxmax(), 'multiple']:+.1f}); most re-rated: {gap.idxmin()} (EPS "
        f"{expected.loc[gap.idxmin(), 'eps']:+.1f}, P/E {expected.loc[gap.idxmin(), 'multiple']:+.1f}). "
        f"Latest TTM EPS filed: {stale_filings(end)}, more than 140 days before the end, so a newer quarter is missing "
        "from this data and the earnings part is dated."
    ]


def stale_filings(end: pd.Timestamp) -> str:
    """'AAPL 2026-01-30' for each company whose last TTM EPS filed by ``end`` is over 140 days old
    (a quarter plus the 10-Q deadline: the snapshot's Apple companyfacts stops at its January 10-Q)."""
    latest = {s: ttm_check(s).loc[:end].index[-1] for s in SEC_SYMBOLS}
    return ", ".join(f"{s} {day:%Y-%m-%d}" for s, day in latest.items() if (end - day).days > 140)


def test_trailing_pe_lines_divide_each_close_by_the_eps_filed_by_then(run_page, with_shares):
    at = one_year(run_page, pe="true")
    fig = by_title(at, "Did the mega caps' multiples move with rates?")
    names = [t["name"] for t in fig["data"]]
    assert names == [*SEC_SYMBOLS, "2-year Treasury yield"]
    for symbol in SEC_SYMBOLS:
        closes = yahoo(symbol).loc[ONE_YEAR_START:]
        eps = pd.Series([on_or_before(ttm_check(symbol), day) for day in closes.index], closes.index)
        assert_plots(fig["data"][names.index(symbol)], closes / eps)
    assert_plots(fig["data"][-1], fred("DGS2").loc[ONE_YEAR_START:])


def test_company_in_the_url_opens_its_price_earnings_and_pe(run_page, with_shares):
    at = one_year(run_page, company="nvda")
    assert_clean(at)
    fig = by_title(at, "NVDA: price vs earnings")
    closes = yahoo("NVDA").loc[ONE_YEAR_START:]
    eps = pd.Series([on_or_before(ttm_check("NVDA"), day) for day in closes.index], closes.index)
    assert [t["name"] for t in fig["data"]] == ["NVDA price", "NVDA TTM EPS (from its first filing)", "Trailing P/E",
                                                "2-year Treasury yield"]
    assert_plots(fig["data"][0], rebased(closes))
    assert_plots(fig["data"][1], rebased(eps))
    assert_plots(fig["data"][2], closes / eps)
    assert fig["layout"]["yaxis"]["type"] == "log"
    row = expected_split(ONE_YEAR_START, pd.Timestamp(SNAPSHOT_AS_OF)).loc["NVDA"]
    (takeaway,) = [m.value for m in at.markdown if m.value.startswith("NVDA, ")]
    assert (f"price {row['price']:+.1f} log points = earnings {row['eps']:+.1f} + P/E {row['multiple']:+.1f} "
            f"(P/E {row['pe_start']:.1f} → {row['pe_end']:.1f}") in takeaway
    assert "Its fiscal year ends the last Sunday of January" in takeaway


def test_a_bar_click_opens_that_company(run_page, with_shares):
    at = one_year(run_page)
    at.session_state["sp500-hybrid.earned"] = {
        "selection": {"points": [{"x": "GOOGL", "customdata": ["googl", "GOOGL"]}], "point_indices": [4],
                      "box": [], "lasso": []}}
    at.run()
    assert_clean(at)
    assert at.query_params["company"] == "googl"
    assert by_title(at, "GOOGL: price vs earnings")


@pytest.mark.parametrize("company,note", [
    ("meta", "Meta Platforms (META) has no SEC earnings here, so it has no drill-down."),
    ("<b>x</b>", "Ignored an invalid value for 'company'"),
])
def test_a_company_without_sec_data_or_a_bad_value_is_said(run_page, with_shares, company, note):
    at = one_year(run_page, company=company)
    assert_clean(at)
    assert any(note in i.value for i in at.info)
    assert not [f for f in figures(at) if "price vs earnings" in f["layout"]["title"]["text"]]
    assert by_title(at, "Earned or re-rated?")


def test_without_sec_data_the_panel_says_so_and_the_rest_works(run_page, monkeypatch, tmp_path, with_shares):
    snapshot = tmp_path / "no-sec"
    snapshot.mkdir()
    for folder in ("fred", "yahoo", "shares"):
        (snapshot / folder).symlink_to(SNAPSHOT_DIR / folder)
    monkeypatch.setenv("DASH_SNAPSHOT", str(snapshot))
    at = run_page(PAGE, company="aapl")
    assert_clean(at)
    notes = " ".join(i.value for i in at.info)
    assert ("No SEC earnings for Apple (AAPL), Microsoft (MSFT), Nvidia (NVDA), Amazon (AMZN), Alphabet (GOOGL), "
            "Meta Platforms (META) and Tesla (TSLA)") in notes
    assert "Apple (AAPL) has no SEC earnings here" in notes
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert not [t for t in titles if "Earned or re-rated" in t or "multiples move" in t]
    assert [t for t in titles if "Who delivered" in t] and [t for t in titles if "RSP's return" in t]
