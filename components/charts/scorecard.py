"""The overview's verdict history: a claims × months grid coloured by verdict. No Streamlit calls.

Statuses arrive as words (``analytics.claims.STATUSES``); each gets a code and a fixed colour
that reads on light and dark backgrounds. Months before a claim can first be scored are left
blank, so each row starts where its inputs allow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from components.charts import BASE_LAYOUT

# Status -> (code, colour); the order is the legend's.
STATUS_COLOURS = {
    "supported": (0, "#2ca02c"),
    "mixed": (1, "#f2a51c"),
    "not supported": (2, "#d62728"),
    "no data": (3, "rgba(128,128,128,0.35)"),
}
MARK_COLOUR = "rgba(128,128,128,0.9)"
ROW_HEIGHT_PX = 34
CLICK_TARGET_PX = 12
GRID_MARGIN_PX = 90


def _colourscale() -> list[list]:
    """A stepped colourscale: code k of n fills [k/n, (k+1)/n] with its colour."""
    steps = len(STATUS_COLOURS)
    scale = []
    for code, colour in STATUS_COLOURS.values():
        scale += [[code / steps, colour], [(code + 1) / steps, colour]]
    return scale


def _click_targets(codes: np.ndarray, days: pd.DatetimeIndex, labels: list[str], statuses: np.ndarray) -> go.Scatter:
    """Invisible markers on every scored cell: Plotly selects points of a scatter on a click,
    not cells of a heatmap, so these carry the hover text and make each cell clickable."""
    rows, columns = np.nonzero(~np.isnan(codes))
    invisible = {"marker": {"opacity": 0}}
    return go.Scatter(
        x=days[columns], y=[labels[r] for r in rows], customdata=statuses[rows, columns], mode="markers",
        marker={"size": CLICK_TARGET_PX, "opacity": 0}, selected=invisible, unselected=invisible, showlegend=False,
        hovertemplate="%{y}<br>%{x|%b %Y}: <b>%{customdata}</b><extra>click to score as of this day</extra>",
    )


def verdict_grid_figure(grid: pd.DataFrame, titles: dict[int, str], first: pd.Series, inputs,
                        marked=None) -> go.Figure:
    """Heatmap of ``grid`` (rows = claim numbers, columns = days, values = statuses).

    ``titles``: claim number -> row label; ``first``: the first day each claim is scored (cells
    before it are blank); ``inputs``: the series it is drawn from (``layout.meta.inputs``, as
    every chart carries); ``marked``: a day to draw a line at (the as-of day shown above).
    Hover says the claim, the month and the verdict; clicking a cell is read by the page as
    "score as of that day".
    """
    days = pd.DatetimeIndex(grid.columns)
    statuses = grid.to_numpy()
    codes = np.full(statuses.shape, np.nan)
    for status, (code, _) in STATUS_COLOURS.items():
        codes[statuses == status] = code
    for i, number in enumerate(grid.index):
        start = first.get(number)
        codes[i, days < start if pd.notna(start) else np.ones(len(days), bool)] = np.nan
    labels = [f"{number}. {titles[number]}" for number in grid.index]
    steps = len(STATUS_COLOURS)
    fig = go.Figure(go.Heatmap(
        z=codes, x=days, y=labels, zmin=0, zmax=steps, colorscale=_colourscale(), showscale=False,
        xgap=1, ygap=2, customdata=statuses, hoverinfo="skip",
    ))
    fig.add_trace(_click_targets(codes, days, labels, statuses))
    for status, (_, colour) in STATUS_COLOURS.items():  # a legend for the stepped colours
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=status,
                                 marker={"size": 10, "color": colour, "symbol": "square"}, hoverinfo="skip"))
    fig.update_layout(**{**BASE_LAYOUT, "height": GRID_MARGIN_PX + ROW_HEIGHT_PX * len(labels),
                         "margin": {"l": 10, "r": 10, "t": 40, "b": 10}},
                      clickmode="event+select", hovermode="closest", meta={"inputs": list(inputs)},
                      plot_bgcolor="rgba(0,0,0,0)", xaxis={"showgrid": False},
                      yaxis={"autorange": "reversed", "showgrid": False})
    if marked is not None:
        fig.add_vline(x=pd.Timestamp(marked), line={"color": MARK_COLOUR, "width": 2, "dash": "dot"})
    return fig
