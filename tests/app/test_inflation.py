"""The Inflation tension page on the real snapshot, through Streamlit's AppTest.

Numbers on the page are derived again here with plain pandas from the snapshot CSVs
(``../shared/data/snapshot``) and the formulas of ANALYTICS.md ("Inflation tension").
"""

from __future__ import annotations


import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics.inflation import PolicyFlagThresholds
from analytics.rates import METHOD_FUTURES
from data_sources.catalogue import catalogue
from tests.app.conftest import (as_series, assert_clean, by_title, figures, fred, markdown_table_with, open_once,
                                trace, yahoo)
from tests.conftest import SNAPSHOT_AS_OF

PAGE = "pages/4_inflation.py"
TODAY = pd.Timestamp(SNAPSHOT_AS_OF)
WINDOW_START = pd.Timestamp("2023-08-21")  # the default window: last 3Y
# Lines are named by their catalogue label (the page's legend for a loaded series).
LABELS = {spec.key: spec.label for spec in catalogue(SNAPSHOT_AS_OF)}
MEASURES = {LABELS["cpi"]: "CPIAUCSL", LABELS["core_cpi"]: "CPILFESL", LABELS["pce"]: "PCEPI",
            LABELS["core_pce"]: "PCEPILFE"}
PCE_LAG = pd.Timedelta(days=60)  # real_policy_rate: a month's core PCE is known 60 days after its date
R_STAR = 1.0  # the page's neutral real rate (the Fed path default)


def flag_table(at) -> pd.DataFrame:
    """The policy-mistake flags as shown (text cells)."""
    return markdown_table_with(at, "Met")


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> AppTest:
    """The page as first opened (read-only; tests with URL parameters run their own)."""
    return open_once(tmp_path_factory, PAGE)


# --- The same numbers in plain pandas on the snapshot CSVs ---------------------------------


def months_earlier(series: pd.Series, months: int) -> pd.Series:
    shifted = series.copy()
    shifted.index = shifted.index + pd.DateOffset(months=months)
    return shifted[~shifted.index.duplicated()].reindex(series.index)


def annualised(level: pd.Series, months: int) -> pd.Series:
    """((x_t / x_{t−k months})^(12/k) − 1)·100, the earlier month matched by date."""
    return (((level / months_earlier(level, months)) ** (12 / months) - 1) * 100).dropna()


def forward_5y5y() -> pd.Series:
    both = pd.concat([fred("T5YIE"), fred("T10YIE")], axis=1, join="inner").dropna() / 100
    b5, b10 = both.iloc[:, 0], both.iloc[:, 1]
    return (((1 + b10) ** 10 / (1 + b5) ** 5) ** (1 / 5) - 1) * 100


def core_known_on(days: pd.DatetimeIndex) -> pd.Series:
    """Core PCE YoY of the latest month dated at least 60 days before each day (NaN before any)."""
    core = annualised(fred("PCEPILFE"), 12)
    public = pd.Series(core.to_numpy(), index=core.index + PCE_LAG)  # the day each month becomes known
    return pd.Series(public.asof(days).to_numpy(), index=days)


def real_rate() -> pd.Series:
    effr = fred("EFFR")
    return (effr - core_known_on(effr.index)).dropna()


def assert_plots(tr: dict, expected: pd.Series, atol: float = 1e-9) -> None:
    """Every plotted point equals ``expected`` on its date, and the line ends where ``expected`` does."""
    plotted = as_series(tr)
    assert plotted.index[-1] == expected.index[-1]
    assert np.allclose(plotted.to_numpy(), expected.reindex(plotted.index).to_numpy(), rtol=0, atol=atol)


def pp_words(value_pp: float) -> str:
    return f"{abs(value_pp):.1f} pp {'above' if value_pp > 0 else 'below' if value_pp < 0 else 'level with'}"


def sahm() -> pd.Series:
    unrate = fred("UNRATE")
    average = unrate.resample("MS").mean().rolling(3, min_periods=2).mean()
    return (average - average.shift(1).rolling(12, min_periods=1).min()).reindex(unrate.index)


# --- Tests ------------------------------------------------------------------------------------


def test_renders_clean_with_every_panel(page):
    titles = [f["layout"]["title"]["text"] for f in figures(page)]
    assert len(titles) == 3
    for words in ("Is inflation back to 2%", "expect inflation", "restrictive after inflation"):
        assert any(words in t for t in titles), (words, titles)
    core, cpi = annualised(fred("PCEPILFE"), 12), annualised(fred("CPIAUCSL"), 12)
    fwd, real = forward_5y5y(), real_rate()
    metrics = {m.label: m.value for m in page.metric}
    assert metrics[f"Core PCE, YoY · {core.index[-1]:%Y-%m-%d}"] == f"{core.iloc[-1]:.2f}%"
    assert metrics[f"CPI, YoY · {cpi.index[-1]:%Y-%m-%d}"] == f"{cpi.iloc[-1]:.2f}%"
    assert metrics[f"5y5y forward · {fwd.index[-1]:%Y-%m-%d}"] == f"{fwd.iloc[-1]:.2f}%"
    assert metrics[f"Real policy rate · {real.index[-1]:%Y-%m-%d}"] == f"{real.iloc[-1]:.2f}%"


def test_inflation_chart_defaults_to_all_four_yoy(page):
    fig = by_title(page, "Is inflation back to 2%")
    assert "year over year" in fig["layout"]["title"]["text"]
    parts = []
    for name, series_id in MEASURES.items():
        yoy = annualised(fred(series_id), 12)
        assert_plots(trace(fig, name), yoy)
        assert as_series(trace(fig, name)).index[0] == yoy.loc[WINDOW_START:].index[0]
        last = yoy.iloc[-1]
        parts.append(f"{name} {last:.1f}% ({yoy.index[-1]:%b %Y}, {pp_words(last - 2.0)} target)")
    assert any(m.value == "Year over year: " + "; ".join(parts) + "." for m in page.markdown)
    assert "Percent" in fig["layout"]["yaxis"]["title"]["text"]
    assert any(s.get("y0") == 2.0 for s in fig["layout"]["shapes"])
    assert "%" in trace(fig, LABELS["cpi"])["hovertemplate"]


def test_transform_in_url_plots_three_month_annualised_rates(run_page):
    at = run_page(PAGE, transform="3m")
    assert_clean(at)
    fig = by_title(at, "Is inflation back to 2%")
    assert "3-month annualised" in fig["layout"]["title"]["text"]
    for name, series_id in MEASURES.items():
        assert_plots(trace(fig, name), annualised(fred(series_id), 3))
    # By hand for core PCE, June 2026 on March 2026 (PCEPILFE.csv): (130.266/127.5...)^4 − 1.
    level = fred("PCEPILFE")
    june = ((level["2026-06-01"] / level["2026-03-01"]) ** 4 - 1) * 100
    assert as_series(trace(fig, LABELS["core_pce"]))["2026-06-01"] == pytest.approx(june, abs=1e-9)


def test_measure_in_url_selects_series(run_page):
    at = run_page(PAGE, measure="Core PCE")
    assert_clean(at)
    fig = by_title(at, "Is inflation back to 2%")
    assert [t["name"] for t in fig["data"]] == [LABELS["core_pce"]]
    assert_plots(fig["data"][0], annualised(fred("PCEPILFE"), 12))


@pytest.mark.parametrize("name, value", [("measure", "<img src=x onerror=alert(1)>"), ("transform", "12m"),
                                         ("tight_pce", "abc"), ("loose_5y5y", "1e9")])
def test_invalid_param_falls_back_with_note(run_page, name, value):
    at = run_page(PAGE, **{name: value})
    assert_clean(at)
    assert any(f"Ignored an invalid value for '{name}'" in i.value for i in at.info)
    assert all("onerror" not in m.value for m in at.markdown)
    fig = by_title(at, "Is inflation back to 2%")
    assert "year over year" in fig["layout"]["title"]["text"]
    assert len(fig["data"]) == len(MEASURES)
    defaults = PolicyFlagThresholds()
    thresholds = dict(zip(flag_table(at)["Condition"], flag_table(at)["Threshold"]))
    assert thresholds["3-month annualised core PCE below (<)"] == f"{defaults.tight_core_pce_3m_below:.2f}" == "2.50"
    assert thresholds["5y5y inflation expectation above (>)"] == f"{defaults.loose_5y5y_above:.2f}" == "2.50"


def test_breakevens_and_5y5y(page):
    fig = by_title(page, "expect inflation")
    readings = []
    for name, series_id in ((LABELS["breakeven_5y"], "T5YIE"), (LABELS["breakeven_10y"], "T10YIE")):
        assert_plots(trace(fig, name), fred(series_id), atol=1e-12)
        readings.append((name, fred(series_id)))
    fwd = forward_5y5y()
    assert_plots(trace(fig, "5y5y forward"), fwd)
    # By hand on 2026-08-20: T5YIE and T10YIE as in their CSVs.
    b5, b10 = fred("T5YIE")["2026-08-20"] / 100, fred("T10YIE")["2026-08-20"] / 100
    by_hand = (((1 + b10) ** 10 / (1 + b5) ** 5) ** 0.2 - 1) * 100
    assert as_series(trace(fig, "5y5y forward"))["2026-08-20"] == pytest.approx(by_hand, abs=1e-12)
    readings.append(("5y5y forward", fwd))
    text = " · ".join(f"{name} is {s.iloc[-1]:.2f}% ({s.index[-1]:%b %Y})" for name, s in readings) + "."
    assert text in [m.value for m in page.markdown]
    assert fig["layout"]["yaxis"]["title"]["text"] == "Percent"


def test_real_policy_rate_is_effr_minus_core_pce_known_that_day(page):
    """EFFR on the day minus core PCE YoY of the latest month dated 60 or more days earlier
    (``analytics.inflation.real_policy_rate``: FRED dates a month at its first day, the BEA
    publishes it about two months later)."""
    fig = by_title(page, "restrictive after inflation")
    real = as_series(trace(fig, "Real policy rate (EFFR − core PCE YoY)"))
    effr, core = fred("EFFR"), annualised(fred("PCEPILFE"), 12)
    # By hand around the lag boundaries: June 2026 is known from 2026-07-31, May from 2026-06-30,
    # November 2025 from 2025-12-31, October 2025 from 2025-11-30.
    for day, month in (("2026-08-20", "2026-06-01"), ("2026-07-31", "2026-06-01"), ("2026-07-30", "2026-05-01"),
                       ("2026-06-30", "2026-05-01"), ("2025-12-31", "2025-11-01"), ("2025-12-30", "2025-10-01"),
                       ("2025-11-28", "2025-09-01")):
        assert real[day] == pytest.approx(effr[day] - core[month], abs=1e-9), day
    expected = effr[real.index] - core_known_on(real.index)
    assert np.allclose(real.to_numpy(), expected.to_numpy(), rtol=0, atol=1e-9)
    assert real.index[-1] == effr.index[-1] and real.index[0] == effr.loc[WINDOW_START:].index[0]
    assert_plots(trace(fig, LABELS["effr"]), effr, atol=1e-12)
    value = real.iloc[-1]
    assert any(m.value == f"The real policy rate is {value:.2f}% ({real.index[-1]:%b %Y}), {pp_words(value - R_STAR)} "
               "the neutral r* of 1.0%, using the core PCE reading known on each day." for m in page.markdown)


def test_flags_show_inputs_thresholds_and_reading(page):
    table = flag_table(page).set_index("Condition")
    assert list(table["Flag"].unique()) == ["Too tight", "Too loose"]
    defaults = PolicyFlagThresholds()
    aug26 = yahoo("ZQQ26.CBT").iloc[-1]
    aug27 = yahoo("ZQQ27.CBT").iloc[-1]
    cuts = (aug27 - aug26) / 0.25  # August 2026 vs August 2027 implied rates (see test_fed_path)
    sahm_now = sahm().dropna()
    sahm_then = sahm()[sahm_now.index[-1] - pd.DateOffset(months=3)]
    core_3m = annualised(fred("PCEPILFE"), 3).iloc[-1]
    fwd = forward_5y5y().iloc[-1]
    real = real_rate().iloc[-1]
    expected = {  # condition: (reading, threshold, met)
        "Real policy rate above r* + margin (>)": (real, R_STAR + 1.0, real > R_STAR + 1.0),
        "Sahm indicator above its value 3 months earlier": (sahm_now.iloc[-1], sahm_then,
                                                            sahm_now.iloc[-1] > sahm_then),
        "3-month annualised core PCE below (<)": (core_3m, 2.5, core_3m < 2.5),
        "5y5y inflation expectation above (>)": (fwd, 2.5, fwd > 2.5),
        "3-month annualised core PCE above (>)": (core_3m, 3.0, core_3m > 3.0),
        "Cuts priced over 12 months above (>)": (cuts, defaults.loose_cuts_priced_above,
                                                  cuts > defaults.loose_cuts_priced_above),
    }
    assert list(table.index) == list(expected)
    for condition, (reading, threshold, met) in expected.items():
        row = table.loc[condition]
        assert row["Reading"] == f"{reading:.2f}", condition
        assert row["Threshold"] == f"{threshold:.2f}", condition
        assert row["Met"] == ("Yes" if met else "No"), condition
    too_tight = all(expected[c][2] for c in list(expected)[:3])
    hot = expected["5y5y inflation expectation above (>)"][2] or expected["3-month annualised core PCE above (>)"][2]
    too_loose = hot and expected["Cuts priced over 12 months above (>)"][2]
    yes_no = {True: "yes", False: "no"}
    reading = " ".join(a.value for a in [*page.success, *page.warning])
    assert f"**Too tight: {yes_no[too_tight]} · Too loose: {yes_no[too_loose]}.**" in reading
    assert any(METHOD_FUTURES in c.value for c in page.caption)


def test_threshold_in_url_flips_a_condition(run_page, page):
    core_3m = annualised(fred("PCEPILFE"), 3).iloc[-1]  # 2.885 % on June 2026
    row = "3-month annualised core PCE above (>)"
    before = flag_table(page).set_index("Condition").loc[row]
    assert (before["Threshold"], before["Met"]) == ("3.00", "No") and not core_3m > 3.0
    at = run_page(PAGE, loose_pce="2")
    assert_clean(at)
    after = flag_table(at).set_index("Condition").loc[row]
    assert (after["Threshold"], after["Met"]) == ("2.00", "Yes") and core_3m > 2.0
    assert after["Reading"] == f"{core_3m:.2f}"
