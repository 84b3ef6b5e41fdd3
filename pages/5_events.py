"""Macro days (``/events``): do stocks trade the cost of capital on the days it is repriced?"""

import streamlit as st

from analytics.events import INTERVAL_METHOD, REFERENCE_BETA_PER_10BP, ROLLING_YEARS, WINDOW_TRADING_DAYS
from components.charts.events import day_moves_figure, event_window_figure, reaction_scatter_figure, rolling_beta_figure
from components.charts import Drawn, finished
from components.controls import DateWindow, choice_control, show_notes, url_choice
from components.frame import page_frame
from components.loaders import (
    event_study_of,
    load,
    load_event_study,
    load_market,
    macro_announcements,
    next_releases,
    section,
)
from components.panels import (available, chart_block, clicked_customdata, csv_download, lazy_expander, markdown_table,
                               source_caption)
from components.views import events as ev
from components.views.common import labels, shown_through
from components.views.market import contract_months

CONTROL_WIDTHS = (5, 6, 3)  # room for every button of each control on one line


def table_section(loaded, today, window: DateWindow):
    """The reaction table: macro days against the other days (a view)."""
    return ev.reaction_table_view(event_study_of(loaded, today), window)


def reaction_table_section(loaded, today, window: DateWindow) -> str:
    """The reaction table as Markdown (``panels.markdown_table``), formatted once per data and
    window: days whole, mean moves plain, β, interval and correlation signed."""
    table = section(table_section, loaded, today, window)
    return markdown_table(table.frame.rename(columns=ev.TABLE_COLUMNS).rename_axis("Event type"), {
        label: "{:.0f}" if column == "n" else "{:.2f}" if column.startswith("mean") else "{:+.2f}"
        for column, label in ev.TABLE_COLUMNS.items()
    }, hide_index=False)


def scatter_section(loaded, today, kind: str, asset: str, window: DateWindow) -> Drawn:
    """``asset``'s move against the 2-year yield's on each ``kind`` day, with the fit."""
    scatter = ev.scatter_view(event_study_of(loaded, today), kind, asset, window)
    if scatter.empty:
        return Drawn(scatter)
    fig = reaction_scatter_figure(scatter.frame, f"{asset} vs the 2-year yield on {kind} days ({window.label})",
                                  kind, f"{asset}, % that day")
    return Drawn(scatter, scatter.frame, finished(fig, ev.EVENT_KEYS))


def rolling_section(loaded, today, asset: str, years: int, window: DateWindow) -> Drawn:
    """``asset``'s macro-day β over rolling ``years``-year windows."""
    rolling = ev.rolling_view(event_study_of(loaded, today), asset, years, window)
    if rolling.empty:
        return Drawn(rolling)
    fig = rolling_beta_figure(rolling.frame, f"{asset}: β per +10 bp in the 2-year yield, rolling {years} years "
                              f"({window.label})", REFERENCE_BETA_PER_10BP,
                              f"Bernanke–Kuttner {REFERENCE_BETA_PER_10BP:+.1f}%")
    return Drawn(rolling, rolling.frame, finished(fig, ev.EVENT_KEYS))


def latest_section(loaded, today, kind: str, window: DateWindow):
    """The latest ``kind`` days, one row each (a view)."""
    return ev.latest_events_view(event_study_of(loaded, today), kind, window)


def latest_table(latest) -> str | None:
    """The latest event days as a table whose rows can be clicked, with its CSV; returns the
    clicked row's day ('YYYY-MM-DD') or None. It sits in a closed expander: the data grid makes
    the browser load about 1.2 MB of JavaScript, 0.18 s of the page's draw (bench/README.md)."""
    picked = st.dataframe(
        latest.frame.rename(columns=ev.EVENT_TABLE_COLUMNS), width="stretch", key="events.latest",
        on_select="rerun", selection_mode="single-row",
        column_config={"_index": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
                       **{label: st.column_config.NumberColumn(format="%+.2f")
                          for column, label in ev.EVENT_TABLE_COLUMNS.items() if column != "events"}},
    )
    csv_download(latest.frame, "macro-days-latest", latest.end, key="events.latest.csv")
    rows = picked.selection.rows if picked else []
    return f"{latest.frame.index[rows[0]]:%Y-%m-%d}" if rows else None


ctx = page_frame("Macro days: do stocks trade the cost of capital when it is repriced?")
st.markdown(
    "If the rally is about cheaper money, stocks should move against the 2-year Treasury yield on the "
    "days scheduled news reprices it: FOMC decisions, CPI, the jobs report and PCE. Each event counts on "
    "the first trading day on or after its announcement; moves are close to close. β is the S&P 500's "
    f"return per +10 bp in the 2-year yield (OLS), with a 95% interval ({INTERVAL_METHOD})."
)
notes: list[str] = []
notes_box = st.container()  # notes about corrected URL values, filled once every control ran
left, middle, right = st.columns(CONTROL_WIDTHS)
with left:
    kind = choice_control("Event type", "type", ev.EVENT_TYPES, ev.ALL, notes)
with middle:
    asset = choice_control("Asset", "asset", ev.ASSET_CHOICES, ev.ASSET_CHOICES[0], notes)
with right:
    roll = choice_control("Rolling window", "roll", ev.ROLL_CHOICES, f"{ROLLING_YEARS}Y", notes)

data = load(ev.EVENT_KEYS)
if available(data, ev.STUDY_KEYS, "The event study"):
    available(data, ev.SMALL_CAP_KEYS, "The Russell 2000 side (its β, scatter and lines)")
    study = load_event_study(data, ctx.as_of)
    st.caption(ev.coming_up(macro_announcements(ctx.as_of), ctx.as_of, next_releases(ctx.as_of)))

    # --- The answer: macro days against the other days --------------------------------------------
    st.header("Do stocks move against the 2-year yield on macro days?")
    table = section(table_section, data, ctx.as_of, ctx.window)
    st.markdown(table.takeaway)
    clicked = None
    if not table.empty:
        st.markdown(section(reaction_table_section, data, ctx.as_of, ctx.window))
        shown = shown_through(data, table.end)
        source_caption(shown, ev.EVENT_KEYS)
        csv_download(table.frame, "macro-day-reactions", table.end, key="events.table.csv")
        scatter = section(scatter_section, data, ctx.as_of, kind, asset, ctx.window)
        st.markdown(scatter.view.takeaway)
        if scatter.fig is not None:
            clicked = clicked_customdata(chart_block(scatter.fig, scatter.frame, shown_through(data, scatter.view.end),
                                                     ev.EVENT_KEYS, "macro-day-scatter", key="events.scatter",
                                                     selectable=True))

    # --- Through time ------------------------------------------------------------------------------
    st.header("Has the reaction changed over time?")
    years = ev.roll_years(roll)
    rolling = section(rolling_section, data, ctx.as_of, asset, years, ctx.window)
    st.markdown(rolling.view.takeaway)
    if rolling.fig is not None:
        chart_block(rolling.fig, rolling.frame, shown_through(data, rolling.view.end), ev.EVENT_KEYS,
                    "macro-day-rolling-beta", key="events.rolling")

    # --- The events ----------------------------------------------------------------------------------
    st.header("The events, one by one")
    latest = section(latest_section, data, ctx.as_of, kind, ctx.window)
    st.markdown(latest.takeaway)
    row_day = None
    if not latest.empty:
        row_day = lazy_expander(f"The latest {len(latest.frame)} {kind} days, one row each: click a row to open it",
                                "latest", lambda: latest_table(latest), bind=True)
    current = st.query_params.get("event")
    for choice in (clicked, row_day):  # a new click (point or row) opens its event
        if choice and choice != current:
            st.query_params["event"] = choice
            break
    event = url_choice("event", ev.event_days_of(study), notes)
    if event:
        drill = ev.event_drill_view(study, event)
        st.subheader(f"{event}: {ev.event_label(study, event)}")
        st.markdown(drill.takeaway)
        if not drill.empty:
            fig = event_window_figure(drill.frame, f"{WINDOW_TRADING_DAYS} trading days around {event}", event,
                                      {"spx": "S&P 500", "rut": "Russell 2000", "t_2y_bp": "2-year yield"})
            chart_block(fig, drill.frame, shown_through(data, drill.end), ev.EVENT_KEYS, f"macro-day-{event}",
                        key="events.drill")
        others = load(ev.DAY_MOVE_KEYS)
        day = ev.day_moves_view(study, others.frame(ev.DAY_MOVE_KEYS), event)
        st.markdown(day.takeaway)
        fig = day_moves_figure(day.frame["return_pct"], f"What moved on {event}? Close to close, %")
        chart_block(fig, day.frame, shown_through(data.merged(others), day.end), (*ev.EVENT_KEYS, *others.series),
                    f"macro-day-{event}-moves", key="events.day")
        missing = [key for key in ev.DAY_MOVE_KEYS if key not in others.series]
        if missing:
            st.caption(f"Left out of the bars, no data loaded: {', '.join(labels(missing).values())}.")
        if ev.FOMC in ev.event_label(study, event):
            futures, _ = load_market(ctx.as_of)
            st.markdown(ev.path_change_sentence(futures, contract_months(ctx.as_of), event,
                                                ev.previous_trading_day(study, event), macro_announcements(ctx.as_of)[ev.FOMC]))
    else:
        st.caption("Click a point of the scatter or a row of the table to open that day.")

with notes_box:
    show_notes(notes)
