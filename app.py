"""Overview (``/``): the narrative scorecard — nine claims, each scored against the data."""

import pandas as pd
import streamlit as st

from analytics.claims import CLAIM_TEXT
from analytics.transforms import rebase
from components.charts import line_figure
from components.controls import mark_valid, note_if_invalid, parse_date, raw_param, shared_window_params
from components.frame import page_frame
from components.charts.scorecard import verdict_grid_figure
from components.loaders import load, load_point_in_time, next_releases, scorecard, specs, verdict_grid
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


def claim_card(scored: ov.ScoredClaim, loaded, shared: dict[str, str]) -> None:
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
        if not scored.spark.empty:
            clicked = sparkline(scored.spark, SPARK_KEY.format(result.number), scored.spark_label)
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
for note in notes:
    st.info(note, icon=":material/info:")

loaded = load(ov.score_keys(ctx.as_of))
pit = load_point_in_time(loaded, ctx.as_of)
card = scorecard(loaded, ctx.as_of, as_of)
shared_range = shared_window_params()
with verdict_box:
    st.subheader(card.verdict)
    st.caption(card.label)
st.markdown(card.summary)

for first in range(0, len(card.claims), CARDS_PER_ROW):
    for column, scored in zip(st.columns(CARDS_PER_ROW), card.claims[first:first + CARDS_PER_ROW]):
        with column:
            claim_card(scored, loaded, shared_range)

# --- Verdict history: every month-end since 2000, on what was published by then --------------
st.subheader("How the verdicts moved")
grid = verdict_grid(loaded, ctx.as_of)
titles = {number: title for number, (title, _) in CLAIM_TEXT.items()}
history_inputs = ov.history_inputs(ctx.as_of)
first_scored = ov.first_scored(grid)
available(loaded, history_inputs, "Part of the verdict history")  # the grid still shows what it can
clicked = clicked_day(st.plotly_chart(
    verdict_grid_figure(grid, titles, first_scored, (*history_inputs, *ov.optional_keys()), as_of), key="overview.history",
    on_select="rerun", selection_mode="points", config={"displayModeBar": False}, theme="streamlit"))
rescore_on_click(clicked)
st.caption(
    f"Each cell scores the claim on a month-end using only data published by that day ({pit.basis}); click a "
    "cell to open the scorecard as of that day (a dotted line marks an as-of day shown above). A row starts when "
    "the claim can first be scored."
)
upcoming = next_releases(ctx.as_of)
if upcoming:
    st.caption("Next scheduled releases (FRED): " + " · ".join(upcoming))
rates = ov.changes_per_year(grid)
st.dataframe(
    pd.DataFrame({"Claim": [f"{n}. {titles[n]}" for n in rates.index],
                  "Scored since": [f"{d:%Y-%m}" if pd.notna(d) else "never" for d in first_scored],
                  "Verdict changes per year": rates.round(1).to_numpy()}),
    hide_index=True, width="stretch",
)

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
