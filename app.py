"""Overview (``/``): the narrative scorecard — nine claims, each scored against the data."""

from typing import NamedTuple

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.claims import CLAIM_TEXT
from analytics.transforms import rebase
from components.charts import finished, line_figure, sparkline_figure
from components.controls import mark_valid, note_if_invalid, parse_date, raw_param, shared_window_params, show_notes
from components.frame import page_frame
from components.charts.scorecard import verdict_grid_figure
from components.loaders import load, load_point_in_time, next_releases, scorecard, section, specs, verdict_grid
from components.panels import (available, chart_block, clicked_day, lazy_expander, scored_without, sparkline,
                               status_table)
from components.routes import CLAIM_EVIDENCE, PAGE_LABELS
from components.views import overview as ov
from components.views.small_caps import INDEX_KEYS

STATUS_BADGES = {  # status -> (badge colour, icon)
    "supported": ("green", ":material/check_circle:"),
    "mixed": ("orange", ":material/contrast:"),
    "not supported": ("red", ":material/cancel:"),
    "no data": ("gray", ":material/help:"),
}
VOTE_MARKS = {1: ":green[✓]", 0: ":gray[–]", -1: ":red[✗]"}  # for, inside the noise band, against
CARDS_PER_ROW = 2
SPARK_KEY = "overview.spark{}"
PENDING_AS_OF = "overview.pending_asof"


class ScoredPage(NamedTuple):
    """Everything the page draws from one scoring (built once per data, day and as-of date)."""

    card: ov.Scorecard
    sparks: dict[int, go.Figure]  # claim number -> its sparkline
    grid_figure: go.Figure
    changes: pd.DataFrame  # per claim: scored since, verdict changes per year
    history_summary: str


def scored_page(loaded, today, as_of) -> ScoredPage:
    """The scorecard as of ``as_of`` (None = latest), its sparklines, and the verdict history."""
    card = scorecard(loaded, today, as_of)
    grid = verdict_grid(loaded, today)
    titles = {number: title for number, (title, _) in CLAIM_TEXT.items()}
    first = ov.first_scored(grid)
    grid_figure = finished(verdict_grid_figure(grid, titles, first, (*ov.history_inputs(today), *ov.optional_keys()),
                                               as_of))
    rates = ov.changes_per_year(grid)
    changes = pd.DataFrame({"Claim": [f"{n}. {titles[n]}" for n in rates.index],
                            "Scored since": [f"{d:%Y-%m}" if pd.notna(d) else "never" for d in first],
                            "Verdict changes per year": rates.round(1).to_numpy()})
    sparks = {scored.result.number: finished(sparkline_figure(scored.spark, scored.spark_label))
              for scored in card.claims if not scored.spark.empty}
    return ScoredPage(card, sparks, grid_figure, changes, ov.history_summary(grid, titles, rates))


def claim_card(scored: ov.ScoredClaim, spark: go.Figure | None, loaded, shared: dict[str, str]) -> None:
    """One claim: status chip, claim, evidence with dates, checks, sparkline, rule, evidence link.

    The link carries the claim's own view parameters plus this page's shared date range, like the
    sidebar links: a different range would lose to the one already chosen in this session.
    """
    result = scored.result
    colour, icon = STATUS_BADGES[result.status]
    with st.container(border=True, height="stretch"):
        st.badge(result.status.capitalize(), icon=icon, color=colour)
        st.markdown(f"**{result.number}. {result.title}.** {result.claim}\n\n{result.evidence}")
        available(loaded, ov.claim_inputs(result.number, ctx.as_of), "Part of this claim's evidence")
        scored_without(loaded, ov.CLAIM_OPTIONAL.get(result.number, ()), "Scored")
        if result.checks:
            st.caption(" · ".join(f"{VOTE_MARKS[vote]} {text}" for text, vote in result.checks))
        rule = f"Rule: {result.rule}"
        if spark is not None:
            clicked = sparkline(spark, SPARK_KEY.format(result.number))
            rule = f"Line: {scored.spark_label}. Click a point to score the story as of that date.\n\n{rule}"
            rescore_on_click(clicked)
        st.caption(rule)
        page, params = CLAIM_EVIDENCE[result.number]
        st.page_link(page, label=f"Evidence: {PAGE_LABELS[page]}", icon=":material/arrow_forward:",
                     query_params={**shared, **params})


def rescore_on_click(clicked) -> None:
    """A sparkline click asks for as-of mode at that date (applied before the picker next run)."""
    if clicked is not None and clicked.date() != st.session_state.get("asof"):
        st.session_state[PENDING_AS_OF] = clicked.date()
        st.rerun()


ctx = page_frame("Is this rally about the cost of capital?")
st.markdown(
    "Markets argue that US stocks are rising because the Fed is expected to keep cutting "
    "rates to cushion a cooling job market, even with inflation above 2%. Each card below "
    "checks one link of that story against the data, by a rule stated on the card."
)

# --- As-of date (URL ``asof``): checked and clamped before its widget is drawn ------------------
notes: list[str] = []
if PENDING_AS_OF in st.session_state:  # a sparkline click from the previous run
    st.session_state["asof"] = st.session_state.pop(PENDING_AS_OF)
requested = parse_date(raw_param("asof"))
note_if_invalid("asof", requested is not None, notes)
clamped, clamp_note = ov.clamp_as_of(requested, ctx.as_of)
if clamp_note:
    notes.append(clamp_note)
    st.session_state["asof"] = clamped

verdict_box, picker = st.columns([3, 1], vertical_alignment="bottom")
with picker:
    as_of = st.date_input(
        "Score as of", value=None, min_value=ov.EARLIEST_AS_OF, max_value=ctx.as_of, key="asof",
        bind="query-params", format="YYYY-MM-DD",
        help="Empty = the latest data. A date re-scores every claim on the data dated up to it.",
    )
if as_of is not None:  # set by the picker, a valid link, or a sparkline click: shared as shown
    mark_valid("asof")
show_notes(notes)

loaded = load(ov.score_keys(ctx.as_of))
pit = load_point_in_time(loaded, ctx.as_of)
page = section(scored_page, loaded, ctx.as_of, as_of)
card = page.card
shared_range = shared_window_params()
with verdict_box:
    st.subheader(card.verdict)
    st.caption(card.label)
st.markdown(card.summary)

for first in range(0, len(card.claims), CARDS_PER_ROW):
    for column, scored in zip(st.columns(CARDS_PER_ROW), card.claims[first:first + CARDS_PER_ROW]):
        with column:
            claim_card(scored, page.sparks.get(scored.result.number), loaded, shared_range)

# --- Verdict history: every month-end since 2000, on what was published by then --------------
def verdict_history() -> None:
    """The verdict grid (click a cell to score as of that day), the next releases, and how often
    each claim's verdict changed."""
    available(loaded, ov.history_inputs(ctx.as_of), "Part of the verdict history")  # the grid shows what it can
    clicked = clicked_day(st.plotly_chart(
        page.grid_figure, key="overview.history",
        on_select="rerun", selection_mode="points", config={"displayModeBar": False}, theme="streamlit"))
    rescore_on_click(clicked)
    st.caption(
        f"Each cell scores the claim on a month-end using only data published by that day ({pit.basis}); click a "
        "cell to open the scorecard as of that day (a dotted line marks an as-of day shown above). A row starts "
        "when the claim can first be scored."
    )
    upcoming = next_releases(ctx.as_of)
    if upcoming:
        st.caption("Next scheduled releases (FRED): " + " · ".join(upcoming))
    st.dataframe(page.changes, hide_index=True, width="stretch")


st.subheader("How the verdicts moved")
st.markdown(page.history_summary)
lazy_expander("Verdict history: every claim at every month-end since 2000", "history", verdict_history,
              bind=True)

# --- Supporting detail (computed only when opened) ---------------------------------------------
def relative_strength_chart() -> None:
    """The Russell 2000 and the S&P 500 rebased to 100 at the window's start."""
    equities = load(INDEX_KEYS)
    if not available(equities, INDEX_KEYS):
        return
    prices = ctx.window.clip(equities.frame(INDEX_KEYS))
    if prices.dropna().empty:
        st.info("No Russell 2000 or S&P 500 data in this window; widen the date range.")
        return
    rebased = rebase(prices)
    fig = line_figure(rebased, f"Russell 2000 vs S&P 500, rebased to 100 ({ctx.window.label})", "Index, start = 100")
    chart_block(fig, rebased, equities, INDEX_KEYS, "russell-2000-vs-sp500", key="overview.rs")


lazy_expander(f"Russell 2000 vs S&P 500, rebased ({ctx.window.label})", "overview.rs_open", relative_strength_chart)
lazy_expander("Data status", "overview.status_open", lambda: status_table(load(specs().keys())))
