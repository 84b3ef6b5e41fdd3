"""S&P 500 hybrid (``/sp500-hybrid``): mega-cap earnings, or a rate-driven broadening?"""

import streamlit as st

from analytics.breadth import BETA_STEP_BP, WINDOWS
from components.charts import line_figure, shown_prices
from components.charts.equity import sector_bars_figure, stacked_figure, waterfall_figure
from components.frame import page_frame
from components.loaders import load
from components.controls import choice_control, scale_controls, url_choice
from components.panels import available, chart_block, clicked_customdata, metric_row, uneven_ends_caption
from components.views import sp500 as pv
from components.views.common import EMPTY, labels, series_of, shown_through, symbols
from data_sources.catalogue import MEGA_CAP_KEYS, SECTOR_KEYS, SHARE_COUNT_KEYS

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
    breadth = pv.breadth_view(*series_of(breadth_data, pv.BREADTH_KEYS), ctx.window)
    st.markdown(breadth.takeaway)
    if not breadth.empty:
        gaps = [pv.gap_column(label) for label in WINDOWS]
        frame = shown_prices(breadth.frame, breadth_data.frame(pv.BREADTH_KEYS), scale)
        fig = stacked_figure(
            [frame[list(pv.BREADTH_KEYS)], frame[gaps]],
            f"Is cap weight beating equal weight? SPY vs RSP, {scale.label} ({ctx.window.label})",
            (scale.axis_title("Index, start = 100", "Price, $"), "Cap minus equal, pp"), units=("", " pp"),
            names={g: f"{label} gap" for g, label in zip(gaps, WINDOWS)},
            zero_lines=(False, True), log_top=scale.log,
        )
        chart_block(fig, frame, shown_through(breadth_data, breadth.end), pv.BREADTH_KEYS, "spy-vs-rsp",
                    key="sp500-hybrid.breadth")

# --- Mega-cap contribution -------------------------------------------------------------------------
st.header("How much of the S&P 500's return came from seven stocks?")
mega_data = load(pv.MEGA_KEYS)
if available(mega_data, pv.MEGA_KEYS, "The mega-cap contribution"):
    price_keys = (*MEGA_CAP_KEYS, "spx")
    mega = pv.mega_cap_view(mega_data.frame(price_keys), mega_data.series["spx"], pv.share_counts(mega_data),
                            symbols(MEGA_CAP_KEYS), ctx.window)
    st.markdown(mega.takeaway)
    if not mega.empty:
        counts = [mega_data.provenance[k] for k in SHARE_COUNT_KEYS]
        fig = waterfall_figure(
            mega.frame["contribution_pp"],
            f"Who delivered the S&P 500's return, {mega.start:%Y-%m-%d} to {mega.end:%Y-%m-%d}?",
            "Contribution to the index return, pp", " pp",
            note=f"{pv.WEIGHTS_APPROXIMATION}\nShare counts as reported (split-adjusted here), latest "
                 f"{max(p.last_obs for p in counts)}; each count applies from its date on.",
        )
        chart_block(fig, mega.frame, shown_through(mega_data, mega.end), pv.MEGA_KEYS, "sp500-mega-cap-contribution",
                    key="sp500-hybrid.mega")
        uneven_ends_caption(mega_data, price_keys, ctx.as_of)

# --- Rotation -----------------------------------------------------------------------------------------
st.header("Which sectors lead?")
rotation_data = load(pv.ROTATION_KEYS)
if available(rotation_data, pv.ROTATION_KEYS, "Sector rotation"):
    sectors, spy = rotation_data.frame(SECTOR_KEYS), rotation_data.series["spy"]
    names = labels(SECTOR_KEYS)
    window_label = choice_control("Return window", "sector_window", pv.ROTATION_WINDOWS, pv.ROTATION_DEFAULT, notes)
    sector = url_choice("sector", SECTOR_KEYS, notes)
    board = pv.rotation_view(sectors, spy, window_label, names)
    st.markdown(board.takeaway)
    if not board.empty:
        fig = sector_bars_figure(board.frame, f"Which sectors beat SPY over the last {window_label}?",
                                 symbols(SECTOR_KEYS))
        clicked = clicked_customdata(chart_block(
            fig, board.frame, shown_through(rotation_data, board.end), pv.ROTATION_KEYS, "sectors-vs-spy",
            key="sp500-hybrid.sectors", selectable=True,
        ))
        if clicked in SECTOR_KEYS:
            sector = clicked
            st.query_params["sector"] = clicked
    if sector:
        drill = pv.sector_drill_view(sectors[sector], spy, names[sector], ctx.window)
        st.markdown(drill.takeaway)
        if not drill.empty:
            frame = shown_prices(drill.frame, rotation_data.frame([sector, "spy"]), scale)
            fig = stacked_figure(
                [frame[[sector, "spy"]], frame[["rs"]]], f"Is {names[sector]} beating SPY? ({ctx.window.label})",
                (scale.axis_title("Price, start = 100", "Price, $"), "RS, start = 100"),
                names={sector: names[sector], "spy": "SPY", "rs": f"{symbols([sector])[sector]} / SPY"},
                log_top=scale.log,
            )
            chart_block(fig, frame, shown_through(rotation_data, drill.end), (sector, "spy"),
                        f"{sector}-vs-spy", key="sp500-hybrid.sector")
    else:
        st.caption("Click a bar to open that sector's chart.")
if available(rotation_data, pv.BASKET_KEYS, "Cyclicals vs defensives"):
    cyclical = pv.cyclicals_view(rotation_data.frame(pv.BASKET_KEYS), ctx.window)
    st.markdown(cyclical.takeaway)
    if not cyclical.empty:
        fig = line_figure(cyclical.frame, f"Are cyclicals beating defensives? ({ctx.window.label})",
                          "Cyclicals / defensives, start = 100",
                          names={"cyclicals_vs_defensives": pv.baskets_label()}, log_y=scale.log)
        chart_block(fig, cyclical.frame, shown_through(rotation_data, cyclical.end), pv.BASKET_KEYS,
                    "cyclicals-vs-defensives", key="sp500-hybrid.cyclicals")

# --- Rate-driven share ------------------------------------------------------------------------------
st.header("How much of the equal-weight return is about yields?")
rate_data = load(pv.RATE_KEYS)
if available(rate_data, pv.RATE_KEYS, "The rate share"):
    share = pv.rate_share_view(*series_of(rate_data, pv.RATE_KEYS), ctx.window)
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
        fig = waterfall_figure(
            share.frame["contribution_pct"],
            f"How much of RSP's return came with 10-year yield moves? ({share.start:%Y-%m-%d} to {share.fit.end:%Y-%m-%d})",
            "Log return, % points", " pp",
        )
        chart_block(fig, share.frame, shown_through(rate_data, share.fit.end), pv.RATE_KEYS, "rsp-rate-share",
                    key="sp500-hybrid.rate-share")

with notes_box:
    for note in notes:
        st.info(note, icon=":material/info:")
