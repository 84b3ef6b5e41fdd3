"""S&P 500 hybrid (``/sp500-hybrid``): mega-cap earnings, or a rate-driven broadening?"""

import math
from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.breadth import BETA_STEP_BP, WINDOWS
from components.charts import Drawn, ScaleChoice, finished, line_figure, shown_prices
from components.charts.equity import earnings_split_figure, sector_bars_figure, stacked_figure, waterfall_figure
from components.frame import page_frame
from components.loaders import load, section
from components.controls import DateWindow, choice_control, scale_controls, show_notes, url_choice
from components.panels import (available, chart_block, clicked_customdata, lazy_expander, metric_row,
                               uneven_ends_caption)
from components.views import earnings as ev
from components.views import sp500 as pv
from components.views.common import EMPTY, has_all, labels, series_of, shown_through, symbols
from data_sources.catalogue import MEGA_CAP_KEYS, SECTOR_KEYS, SHARE_COUNT_KEYS, Key, ttm_eps_key


def breadth_section(loaded, window: DateWindow, scale: ScaleChoice) -> Drawn:
    """SPY vs RSP rebased (or levels) above their rolling return gaps."""
    breadth = pv.breadth_view(*series_of(loaded, pv.BREADTH_KEYS), window)
    if breadth.empty:
        return Drawn(breadth)
    gaps = [pv.gap_column(label) for label in WINDOWS]
    frame = shown_prices(breadth.frame, loaded.frame(pv.BREADTH_KEYS), scale)
    fig = stacked_figure(
        [frame[list(pv.BREADTH_KEYS)], frame[gaps]],
        f"Is cap weight beating equal weight? SPY vs RSP, {scale.label} ({window.label})",
        (scale.axis_title("Index, start = 100", "Price, $"), "Cap minus equal, pp"), units=("", " pp"),
        names={g: f"{label} gap" for g, label in zip(gaps, WINDOWS)},
        zero_lines=(False, True), log_top=scale.log,
    )
    return Drawn(breadth, frame, finished(fig, pv.BREADTH_KEYS))


def mega_section(loaded, window: DateWindow) -> Drawn:
    """Each mega cap's and the other 493's contribution to the index return (waterfall)."""
    mega = pv.mega_cap_view(loaded.frame((*MEGA_CAP_KEYS, "spx")), loaded.series["spx"], pv.share_counts(loaded),
                            symbols(MEGA_CAP_KEYS), window)
    if mega.empty:
        return Drawn(mega)
    latest = max(loaded.provenance[k].last_obs for k in SHARE_COUNT_KEYS)
    fig = waterfall_figure(
        mega.frame["contribution_pp"],
        f"Who delivered the S&P 500's return, {mega.start:%Y-%m-%d} to {mega.end:%Y-%m-%d}?",
        "Contribution to the index return, pp", " pp",
        note=f"{pv.WEIGHTS_APPROXIMATION}\nShare counts as reported (split-adjusted here), latest "
             f"{latest}; each count applies from its date on.",
    )
    return Drawn(mega, mega.frame, finished(fig, pv.MEGA_KEYS))


class EarnedDrawn(NamedTuple):
    """The earnings split, its bars and the trailing P/E panel (None when the split is empty)."""

    split: ev.EarningsView
    bars: go.Figure | None
    pe: go.Figure | None
    pe_frame: pd.DataFrame | None
    pe_keys: tuple[str, ...]


EARNED_KEYS = (*MEGA_CAP_KEYS, *SHARE_COUNT_KEYS, *ev.EPS_KEYS)


def earned_section(loaded, window: DateWindow) -> EarnedDrawn:
    """Each mega cap's price move as TTM EPS growth + P/E change, and the trailing P/E beside
    the 2-year yield."""
    split = ev.earnings_view(loaded.frame(MEGA_CAP_KEYS), loaded.series, pv.share_counts(loaded), window)
    has_yield = Key.t_2y in loaded.series
    pe_keys = (*MEGA_CAP_KEYS, *ev.EPS_KEYS, *((Key.t_2y,) if has_yield else ()))
    if split.empty:
        return EarnedDrawn(split, None, None, None, pe_keys)
    bars = earnings_split_figure(
        split.frame, f"Earned or re-rated? Price = TTM EPS growth + P/E change, {split.start:%Y-%m-%d} to "
                     f"{split.end:%Y-%m-%d}")
    pe_panels = [split.pe]
    if has_yield:
        pe_panels.append(window.clip(loaded.series[Key.t_2y]).loc[split.start:].to_frame())
    pe = stacked_figure(pe_panels, f"Did the mega caps' multiples move with rates? Trailing P/E and the 2-year "
                                   f"yield ({window.label})",
                        ("Trailing P/E (price ÷ TTM EPS)", "2-year yield, %")[: len(pe_panels)],
                        units=("×", "%")[: len(pe_panels)], names={Key.t_2y: "2-year Treasury yield"})
    pe_frame = split.pe.join(pe_panels[1], how="left") if has_yield else split.pe
    return EarnedDrawn(split, finished(bars, EARNED_KEYS), finished(pe, pe_keys), pe_frame, pe_keys)


def company_section(loaded, company: str, start, end) -> Drawn:
    """One mega cap's price and TTM EPS (start = 100, log), trailing P/E and the 2-year yield."""
    drill = ev.company_view(loaded.series[company], loaded.series[ttm_eps_key(company)],
                            loaded.series.get(Key.t_2y), company, start, end)
    if drill.empty:
        return Drawn(drill)
    name = symbols((company,))[company]
    panels = [drill.frame[["price", "ttm_eps"]], drill.frame[["pe"]]]
    if "t_2y" in drill.frame:
        panels.append(drill.frame[["t_2y"]])
    fig = stacked_figure(panels, f"{name}: price vs earnings, and what the market paid for them",
                         ("Start = 100 (log scale)", "Trailing P/E", "2-year yield, %")[: len(panels)],
                         log_top=True,
                         units=("", "×", "%")[: len(panels)],
                         names={"price": f"{name} price", "ttm_eps": f"{name} TTM EPS (from its first filing)",
                                "pe": "Trailing P/E", "t_2y": "2-year Treasury yield"})
    keys = (company, ttm_eps_key(company), *((Key.t_2y,) if "t_2y" in drill.frame else ()))
    return Drawn(drill, drill.frame, finished(fig, keys))


def rotation_section(loaded, window_label: str) -> Drawn:
    """Each sector's return minus SPY's over ``window_label`` (bars)."""
    board = pv.rotation_view(loaded.frame(SECTOR_KEYS), loaded.series["spy"], window_label, labels(SECTOR_KEYS))
    if board.empty:
        return Drawn(board)
    fig = sector_bars_figure(board.frame, f"Which sectors beat SPY over the last {window_label}?",
                             symbols(SECTOR_KEYS))
    return Drawn(board, board.frame, finished(fig, pv.ROTATION_KEYS))


def sector_section(loaded, sector: str, window: DateWindow, scale: ScaleChoice) -> Drawn:
    """One sector against SPY, and their relative strength."""
    names = labels(SECTOR_KEYS)
    drill = pv.sector_drill_view(loaded.series[sector], loaded.series["spy"], names[sector], window)
    if drill.empty:
        return Drawn(drill)
    frame = shown_prices(drill.frame, loaded.frame([sector, "spy"]), scale)
    fig = stacked_figure(
        [frame[[sector, "spy"]], frame[["rs"]]], f"Is {names[sector]} beating SPY? ({window.label})",
        (scale.axis_title("Price, start = 100", "Price, $"), "RS, start = 100"),
        names={sector: names[sector], "spy": "SPY", "rs": f"{symbols([sector])[sector]} / SPY"},
        log_top=scale.log,
    )
    return Drawn(drill, frame, finished(fig, (sector, "spy")))


def cyclicals_section(loaded, window: DateWindow, log: bool) -> Drawn:
    """The cyclicals / defensives basket ratio, start = 100."""
    cyclical = pv.cyclicals_view(loaded.frame(pv.BASKET_KEYS), window)
    if cyclical.empty:
        return Drawn(cyclical)
    fig = line_figure(cyclical.frame, f"Are cyclicals beating defensives? ({window.label})",
                      "Cyclicals / defensives, start = 100",
                      names={"cyclicals_vs_defensives": pv.baskets_label()}, log_y=log)
    return Drawn(cyclical, cyclical.frame, finished(fig, pv.BASKET_KEYS))


def rate_share_section(loaded, window: DateWindow) -> Drawn:
    """RSP's return split into the part that moved with 10-year yields and the rest (None
    without a fit)."""
    share = pv.rate_share_view(*series_of(loaded, pv.RATE_KEYS), window)
    if share is None:
        return Drawn(None)
    fig = waterfall_figure(
        share.frame["contribution_pct"],
        f"How much of RSP's return came with 10-year yield moves? ({share.start:%Y-%m-%d} to {share.fit.end:%Y-%m-%d})",
        "Log return, % points", " pp",
    )
    return Drawn(share, share.frame, finished(fig, pv.RATE_KEYS))


ctx = page_frame("S&P 500 hybrid: mega-cap earnings or a rate-driven broadening?")
st.markdown(
    "The S&P 500 is two markets in one: a handful of giant companies whose earnings carry the "
    "index, and everyone else, who should benefit most from cheaper money. If the rally is "
    "about rates, the average stock (equal weight) should catch up and rate-sensitive sectors lead."
)
notes: list[str] = []
notes_box = st.container()  # notes about corrected URL values, filled once every control ran
scale = scale_controls("sp", notes)

# --- Cap weight vs equal weight -----------------------------------------------------------------
st.header("Is the rally narrow or broad?")
breadth_data = load(pv.BREADTH_KEYS)
if available(breadth_data, pv.BREADTH_KEYS):
    breadth = section(breadth_section, breadth_data, ctx.window, scale)
    st.markdown(breadth.view.takeaway)
    if breadth.fig is not None:
        chart_block(breadth.fig, breadth.frame, shown_through(breadth_data, breadth.view.end), pv.BREADTH_KEYS,
                    "spy-vs-rsp", key="sp500-hybrid.breadth")

# --- Mega-cap contribution -------------------------------------------------------------------------
st.header("How much of the S&P 500's return came from seven stocks?")
mega_data = load(pv.MEGA_KEYS)
if available(mega_data, pv.MEGA_KEYS, "The mega-cap contribution"):
    mega = section(mega_section, mega_data, ctx.window)
    st.markdown(mega.view.takeaway)
    if mega.fig is not None:
        chart_block(mega.fig, mega.frame, shown_through(mega_data, mega.view.end), pv.MEGA_KEYS,
                    "sp500-mega-cap-contribution", key="sp500-hybrid.mega")
        uneven_ends_caption(mega_data, (*MEGA_CAP_KEYS, "spx"), ctx.as_of)

# --- Earned or re-rated -------------------------------------------------------------------------------
def trailing_pe(earned, earnings_data, end) -> None:
    """Each mega cap's close over its TTM EPS as filed by then, beside the 2-year yield."""
    chart_block(earned.pe, earned.pe_frame, shown_through(earnings_data, end), earned.pe_keys,
                "mega-caps-trailing-pe", key="sp500-hybrid.pe")
    if Key.t_2y not in earnings_data.series:
        available(earnings_data, (Key.t_2y,), "The 2-year yield beside the P/E")


st.header("Earned or re-rated? The mega caps' earnings vs their multiples")
st.markdown(
    "A price move is earnings growth plus a change in the multiple investors pay for them (P/E). "
    "Earnings growth is the company's own doing; a higher multiple is what cheaper money buys. "
    "TTM diluted EPS comes from each company's SEC filings, counted from the day it was first filed "
    "(at its value as since restated)."
)
earnings_data = load(ev.PANEL_KEYS)
rate_data = load(pv.RATE_KEYS)
rated = section(rate_share_section, rate_data, ctx.window) if has_all(rate_data, pv.RATE_KEYS) else None
share = rated.view if rated is not None else None
available(earnings_data, ev.PRICE_KEYS, "Part of the earnings split")  # a company without prices: named, left out
available(earnings_data, ev.WEIGHT_KEYS, "Part of the cap-weighted total of the earnings split")
if any(k in earnings_data.series for k in ev.PRICE_KEYS):
    earned = section(earned_section, earnings_data, ctx.window)
    split = earned.split
    note = ev.missing_note(earnings_data, split.missing)
    if note:
        st.info(note, icon=":material/description:")
    company = url_choice("company", MEGA_CAP_KEYS, notes)
    st.markdown(split.takeaway)
    if not split.empty:
        if share is not None and math.isfinite(share.fit.rate_share):
            st.markdown(f"For contrast, the equal-weight side: RSP returned {share.fit.total_return_pct:+.1f}% (log) "
                        f"from {share.start:%Y-%m-%d} to {share.fit.end:%Y-%m-%d}, and {share.fit.rate_share:.0%} of "
                        f"it moved with 10-year yields (R² {share.fit.r2:.2f} of daily returns on yields; last section).")
        clicked = clicked_customdata(chart_block(
            earned.bars, split.frame, shown_through(earnings_data, split.end), EARNED_KEYS,
            "mega-caps-earned-or-rerated", key="sp500-hybrid.earned", selectable=True,
        ))
        if clicked in MEGA_CAP_KEYS and clicked not in split.missing:
            company = clicked
            st.query_params["company"] = clicked
        lazy_expander("Trailing P/E of each mega cap beside the 2-year yield", "pe",
                      lambda: trailing_pe(earned, earnings_data, split.end), bind=True)
    if company in split.missing:
        st.info(f"{ev.missing_words((company,))} has no SEC earnings here, so it has no drill-down.",
                icon=":material/info:")
    elif company and company not in set(split.frame.get("key", ())):
        st.info(f"{ev.missing_words((company,))} has no split in this view (its prices or this window), so no "
                "drill-down.", icon=":material/info:")
    elif company:
        drill = section(company_section, earnings_data, company, split.start, split.end)
        st.markdown(drill.view.takeaway)
        if drill.fig is not None:
            chart_block(drill.fig, drill.frame, shown_through(earnings_data, drill.view.end),
                        drill.fig.layout.meta["inputs"], f"{company}-earned-or-rerated", key="sp500-hybrid.company")
    elif not split.empty:
        st.caption("Click a company's bar to open its price, earnings and P/E.")

# --- Rotation -----------------------------------------------------------------------------------------
st.header("Which sectors lead?")
rotation_data = load(pv.ROTATION_KEYS)
if available(rotation_data, pv.ROTATION_KEYS, "Sector rotation"):
    window_label = choice_control("Return window", "sector_window", pv.ROTATION_WINDOWS, pv.ROTATION_DEFAULT, notes)
    sector = url_choice("sector", SECTOR_KEYS, notes)
    board = section(rotation_section, rotation_data, window_label)
    st.markdown(board.view.takeaway)
    if board.fig is not None:
        clicked = clicked_customdata(chart_block(
            board.fig, board.frame, shown_through(rotation_data, board.view.end), pv.ROTATION_KEYS, "sectors-vs-spy",
            key="sp500-hybrid.sectors", selectable=True,
        ))
        if clicked in SECTOR_KEYS:
            sector = clicked
            st.query_params["sector"] = clicked
    if sector:
        drill = section(sector_section, rotation_data, sector, ctx.window, scale)
        st.markdown(drill.view.takeaway)
        if drill.fig is not None:
            chart_block(drill.fig, drill.frame, shown_through(rotation_data, drill.view.end), (sector, "spy"),
                        f"{sector}-vs-spy", key="sp500-hybrid.sector")
    else:
        st.caption("Click a bar to open that sector's chart.")
if available(rotation_data, pv.BASKET_KEYS, "Cyclicals vs defensives"):
    cyclical = section(cyclicals_section, rotation_data, ctx.window, scale.log)
    st.markdown(cyclical.view.takeaway)
    if cyclical.fig is not None:
        chart_block(cyclical.fig, cyclical.frame, shown_through(rotation_data, cyclical.view.end), pv.BASKET_KEYS,
                    "cyclicals-vs-defensives", key="sp500-hybrid.cyclicals")

# --- Rate-driven share ------------------------------------------------------------------------------
st.header("How much of the equal-weight return is about yields?")
if available(rate_data, pv.RATE_KEYS, "The rate share"):
    if share is None:
        st.markdown(EMPTY.takeaway)
    else:
        st.markdown(share.takeaway)
        metric_row([
            {"label": "Rate share of the return", "value": f"{share.fit.rate_share:.0%}"},
            {"label": "R² of daily returns on yields", "value": f"{share.fit.r2:.2f}"},
            {"label": "β, nominal 10y", "value": f"{share.fit.beta_nominal_10bp_pct:+.2f}%",
             "help": f"RSP's daily log return per +{BETA_STEP_BP:.0f} bp in DGS10, holding DFII10 fixed"},
            {"label": "β, real 10y", "value": f"{share.fit.beta_real_10bp_pct:+.2f}%",
             "help": f"RSP's daily log return per +{BETA_STEP_BP:.0f} bp in DFII10, holding DGS10 fixed"},
        ])
        chart_block(rated.fig, rated.frame, shown_through(rate_data, share.fit.end), pv.RATE_KEYS, "rsp-rate-share",
                    key="sp500-hybrid.rate-share")

with notes_box:
    show_notes(notes)
