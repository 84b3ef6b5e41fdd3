"""The Small-cap barometer page on the real snapshot, through Streamlit's AppTest.

Numbers on the page are derived again here with plain pandas from the snapshot CSVs
(``../shared/data/snapshot``) and the formulas of ANALYTICS.md ("Small-cap barometer").
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import as_series, assert_clean, by_title, common, figures, fred, open_once, trace, trace_values, yahoo
from tests.conftest import SNAPSHOT_AS_OF

PAGE = "pages/2_small-caps.py"
TODAY = pd.Timestamp(SNAPSHOT_AS_OF)
WINDOW_START = pd.Timestamp("2023-08-21")  # the default window: last 3Y
RECENT = 63  # "last 3M" in trading days


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> AppTest:
    """The page as first opened (read-only; tests with URL parameters run their own)."""
    return open_once(tmp_path_factory, PAGE)


# --- The same numbers in plain pandas on the snapshot CSVs ---------------------------------


def assert_plots(tr: dict, expected: pd.Series, rtol: float = 1e-12, atol: float = 1e-12) -> None:
    """Every plotted point equals ``expected`` on its date, from the window's start to its end."""
    plotted = as_series(tr)
    assert list(plotted.index) == list(expected.index)
    assert np.allclose(plotted.to_numpy(), expected.to_numpy(), rtol=rtol, atol=atol)


def signed(value: float, unit: str = "%", digits: int = 1) -> str:
    return f"{value:+.{digits}f}{unit}"


def beta_and_corr(window: int, end=None) -> tuple[float, float]:
    """OLS slope (% relative return per +10 bp) and correlation of Δln(RUT/SPX) on ΔDGS2 (bp) over
    the last ``window`` days on which all three have a value (differenced on those days)."""
    levels = common(yahoo("^RUT"), yahoo("^GSPC"), fred("DGS2"))
    if end is not None:
        levels = levels.loc[:end]
    rel = np.log(levels[0] / levels[1]).diff().iloc[-window:]
    d_bp = (levels[2].diff() * 100).iloc[-window:]
    return np.polyfit(d_bp, rel, 1)[0] * 1000, np.corrcoef(d_bp, rel)[0, 1]


def annuity(rate: float, years: int) -> float:
    return (1 - (1 + rate) ** -years) / rate


def near_term_pv(rate: float) -> float:
    """30 years of profits 10, growing 1% a year, received at year ends: a growing annuity."""
    return 10 / (rate - 0.01) * (1 - (1.01 / (1 + rate)) ** 30)


def far_future_pv(rate: float) -> float:
    """Losses of 5 for 5 years, nothing for 5, then profits of 40 for 20 years."""
    return -5 * annuity(rate, 5) + 40 * (1 + rate) ** -10 * annuity(rate, 20)


def gain_pct(pv, rate_pct: float, cut_bp: float) -> float:
    return (pv((rate_pct - cut_bp / 100) / 100) / pv(rate_pct / 100) - 1) * 100


# --- Tests ------------------------------------------------------------------------------------


def test_relative_strength_chart_is_both_indices_and_their_ratio_rebased(page):
    fig = by_title(page, "Are small caps beating large caps?")
    full = common(yahoo("^RUT"), yahoo("^GSPC"))
    pair = full.loc[WINDOW_START:]
    for name, column in (("Russell 2000", 0), ("S&P 500", 1)):
        assert_plots(trace(fig, name), pair[column] / pair[column].iloc[0] * 100)
    rs = pair[0] / pair[1]
    assert_plots(trace(fig, "Russell 2000 / S&P 500"), rs / rs.iloc[0] * 100)
    assert fig["layout"]["yaxis"]["title"]["text"] == "Index, start = 100"
    assert fig["layout"]["yaxis"]["type"] == "linear"
    change = (rs.iloc[-1] / rs.iloc[0] - 1) * 100
    full_rs = full[0] / full[1]
    recent = (full_rs.iloc[-1] / full_rs.iloc[-1 - RECENT] - 1) * 100
    verb = "outperformed" if change > 0.05 else "underperformed" if change < -0.05 else "kept pace with"
    trend = "gaining ground" if recent > 0.05 else "losing ground" if recent < -0.05 else "flat"
    assert any(m.value == f"Small caps {verb} large caps over the last 3Y (RS {signed(change)}); over the last 3M "
               f"RS moved {signed(recent)} ({trend}), to {pair.index[-1]:%Y-%m-%d}." for m in page.markdown)
    captions = [c.value for c in page.caption]
    assert any("Yahoo Finance (^RUT, ^GSPC) · as of 2026-08-21" in c for c in captions)


def test_log_toggle_from_the_url(run_page):
    at = run_page(PAGE, log="true")
    assert_clean(at)
    assert by_title(at, "Are small caps beating large caps?")["layout"]["yaxis"]["type"] == "log"


def test_drawdown_and_record_markers_follow_the_full_history(page):
    fig = by_title(page, "below its all-time high")
    rut = yahoo("^RUT")
    drawdown = (rut / rut.cummax() - 1) * 100
    assert_plots(trace(fig, "Russell 2000: distance from high"), drawdown.loc[WINDOW_START:])
    previous_high = rut.cummax().shift(1)
    record_days = rut.index[(rut > previous_high).to_numpy()]
    in_window = record_days[record_days >= WINDOW_START]
    records = pd.to_datetime(trace_values(trace(fig, "New record close"), "x"))
    assert list(records) == list(in_window)
    high_day = rut.idxmax()
    assert drawdown.iloc[-1] < 0  # not a record day: the takeaway names the high
    below = abs(drawdown.iloc[-1])
    assert any(m.value == f"On {rut.index[-1]:%Y-%m-%d} the Russell 2000 closed {below:.1f}% below its all-time high "
               f"of {rut.max():,.0f} ({high_day:%Y-%m-%d}); {len(in_window)} new record closes over the last 3Y, the "
               f"latest on {in_window[-1]:%Y-%m-%d}." for m in page.markdown)
    assert "%" in fig["layout"]["yaxis"]["title"]["text"]


def test_rate_beta_chart_and_scatter_match_the_regression(page):
    fig = by_title(page, "per +10 bp in the 2-year yield")
    beta_63, beta_252 = as_series(trace(fig, "β, 63-day")), as_series(trace(fig, "β, 252-day"))
    corr_63 = as_series(trace(fig, "correlation, 63-day"))
    # The regression ends on the last date all three inputs share: DGS2's last date.
    last_common = common(yahoo("^RUT"), yahoo("^GSPC"), fred("DGS2")).index[-1]
    assert beta_63.index[-1] == beta_252.index[-1] == last_common == fred("DGS2").index[-1]
    # Spot checks along the line: each point is that day's trailing 63-day OLS.
    for day in [*beta_63.index[::100], beta_63.index[-1]]:
        beta, corr = beta_and_corr(63, day)
        assert beta_63[day] == pytest.approx(beta, abs=1e-9) and corr_63[day] == pytest.approx(corr, abs=1e-9)
    (b63, c63), (b252, c252) = beta_and_corr(63), beta_and_corr(252)
    assert beta_252.iloc[-1] == pytest.approx(b252, abs=1e-9)
    assert "% per +10 bp" in fig["layout"]["yaxis"]["title"]["text"]
    assert any(m.value == f"On {last_common:%Y-%m-%d}, a +10 bp rise in the 2-year yield came with small caps moving "
               f"{b63:+.2f}% over 63 days (correlation {c63:+.2f}) and {b252:+.2f}% over 252 days (correlation "
               f"{c252:+.2f}) against large caps." for m in page.markdown)
    scatter = by_title(page, "Daily moves: 2-year yield")
    assert "(last 63 trading days)" in scatter["layout"]["title"]["text"]
    levels = common(yahoo("^RUT"), yahoo("^GSPC"), fred("DGS2"))
    points = trace(scatter, "Trading days")
    d_bp = (levels[2].diff() * 100).iloc[-63:]
    rel_pct = (np.log(levels[0] / levels[1]).diff() * 100).iloc[-63:]
    assert np.allclose(trace_values(points, "x").astype(float), d_bp.to_numpy(), atol=1e-9)
    assert np.allclose(trace_values(points, "y").astype(float), rel_pct.to_numpy(), atol=1e-12)
    fit = trace(scatter, "OLS fit")
    x, y = trace_values(fit, "x").astype(float), trace_values(fit, "y").astype(float)
    assert (y[-1] - y[0]) / (x[-1] - x[0]) * 10 == pytest.approx(b63, abs=1e-9)
    assert "bp" in scatter["layout"]["xaxis"]["title"]["text"]
    assert "%" in scatter["layout"]["yaxis"]["title"]["text"]


def test_beta_window_from_the_url(run_page):
    at = run_page(PAGE, beta_window="252")
    assert_clean(at)
    scatter = by_title(at, "Daily moves: 2-year yield")
    assert "(last 252 trading days)" in scatter["layout"]["title"]["text"]
    fit = trace(scatter, "OLS fit")
    x, y = trace_values(fit, "x").astype(float), trace_values(fit, "y").astype(float)
    assert len(trace_values(trace(scatter, "Trading days"), "x")) == 252
    assert (y[-1] - y[0]) / (x[-1] - x[0]) * 10 == pytest.approx(beta_and_corr(252)[0], abs=1e-9)


def test_speculation_gauge_is_iwm_over_ijr_with_the_hy_spread(page):
    fig = by_title(page, "money-losing small caps")
    full = common(yahoo("IWM"), yahoo("IJR"))
    pair = full.loc[WINDOW_START:]
    ratio = pair[0] / pair[1]
    assert_plots(trace(fig, "IWM / IJR (unprofitable vs profitable)"), ratio / ratio.iloc[0] * 100)
    hy = fred("BAMLH0A0HYM2")
    assert_plots(trace(fig, "High-yield spread"), hy.loc[WINDOW_START:])
    full_ratio = full[0] / full[1]
    change = (full_ratio.iloc[-1] / full_ratio.iloc[-1 - RECENT] - 1) * 100
    since = full_ratio.index[-1 - RECENT]
    spread_bp = (hy.iloc[-1] - hy.loc[:since].iloc[-1]) * 100
    # IWM/IJR falls and the spread narrows on the snapshot: profitable small caps lead, credit eases.
    assert change < -0.05 and spread_bp < -0.05
    assert any(m.value == f"Over the last 3M, IWM/IJR moved {signed(change)} (to {full_ratio.index[-1]:%Y-%m-%d}) and "
               f"the high-yield spread {signed(spread_bp, ' bp', 0)} to {hy.iloc[-1]:.2f}% "
               f"(to {hy.index[-1]:%Y-%m-%d}): profitable small caps lead while credit eases, a mixed signal."
               for m in page.markdown)


def test_duration_lab_follows_the_url(run_page):
    at = run_page(PAGE, rate="6.5", cut="100")
    assert_clean(at)
    fig = by_title(at, "Who gains more from a 100 bp cut at 6.50%?")
    near, far = gain_pct(near_term_pv, 6.5, 100), gain_pct(far_future_pv, 6.5, 100)
    assert trace_values(fig["data"][0], "y").astype(float) == pytest.approx([near, far], abs=1e-9)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Near-term profits (mature firm), value change"] == f"{near:+.2f}%"
    assert metrics["Far-future profits (growth firm), value change"] == f"{far:+.2f}%"
    assert metrics["Gordon duration, g = 1%"] == f"{1 / (0.065 - 0.01):.1f} years" == "18.2 years"


def test_invalid_params_fall_back_with_notes(run_page):
    at = run_page(PAGE, log="maybe", beta_window="64", rate="1e9", cut="30")
    assert_clean(at)
    infos = " ".join(i.value for i in at.info)
    for name in ("log", "beta_window", "rate", "cut"):
        assert f"Ignored an invalid value for '{name}'" in infos
    assert "(last 63 trading days)" in by_title(at, "Daily moves")["layout"]["title"]["text"]
    assert figures(at)[-1]["layout"]["title"]["text"] == "Who gains more from a 25 bp cut at 8.00%?"
    near, far = gain_pct(near_term_pv, 8.0, 25), gain_pct(far_future_pv, 8.0, 25)
    assert trace_values(figures(at)[-1]["data"][0], "y").astype(float) == pytest.approx([near, far], abs=1e-9)
    assert any(m.value == f"At a 8.00% discount rate a 25 bp cut lifts the growth firm by {far:.1f}% and the mature "
               f"firm by {near:.1f}%: {far / near:.1f}× as much, because its profits lie further out."
               for m in at.markdown)
    assert {m.label: m.value for m in at.metric}["Gordon duration, g = 1%"] == f"{1 / 0.07:.1f} years"
