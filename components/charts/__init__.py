"""Figure builders: frame in, ``go.Figure`` out, no Streamlit calls.

This module holds the shared toolkit (lines, thinning, reference lines, recession shading,
export config); ``charts.rates`` and ``charts.equity`` hold the page-specific builders.

Figures carry no template of their own, so Streamlit's theme (light or dark) styles them;
only meaningful colours (targets, bands) are set here, semi-transparent so both themes read.
Long daily series are thinned for the browser (see ``thin``).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.calendar import recessions_between

MAX_POINTS_PER_TRACE = 2500  # beyond this a daily line is thinned to week/month ends
PNG_EXPORT = {"format": "png", "width": 1400, "height": 700, "scale": 2}
REFERENCE_COLOUR = "rgba(128,128,128,0.8)"
RECESSION_FILL = "rgba(128,128,128,0.18)"
# Distinct hues that stay readable on white and on Streamlit's dark background.
COLOURWAY = ("#2f7ed8", "#f28f1c", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")


def thin(frame: pd.DataFrame, max_points: int = MAX_POINTS_PER_TRACE) -> pd.DataFrame:
    """Keep at most about ``max_points`` rows: the last row of each week, then month, if needed.

    Period-end values (not averages) so every plotted point is a real observation, and the
    latest observation is always kept. Shorter frames are returned unchanged.
    """
    for rule in ("W-FRI", "ME", "QE"):
        if len(frame) <= max_points:
            break
        frame = frame.groupby(pd.Grouper(freq=rule)).last().dropna(how="all")
    return frame


def line_figure(
    frame: pd.DataFrame,
    title: str,
    y_title: str,
    hover_units: str = "",
    names: dict[str, str] | None = None,
    log_y: bool = False,
) -> go.Figure:
    """One line per column of ``frame`` (date index), thinned, with units in the hover."""
    data = thin(frame)
    fig = go.Figure()
    for column in data.columns:
        series = data[column].dropna()
        fig.add_trace(
            go.Scatter(
                x=series.index,
                y=series.to_numpy(),
                mode="lines",
                name=(names or {}).get(column, column),
                hovertemplate=f"%{{y:,.2f}}{hover_units}<extra>%{{fullData.name}}</extra>",
            )
        )
    fig.update_layout(
        title={"text": title},
        hovermode="x unified",
        colorway=list(COLOURWAY),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0},
        margin={"l": 10, "r": 10, "t": 70, "b": 10},
        height=420,
    )
    fig.update_yaxes(title_text=y_title, type="log" if log_y else "linear")
    return fig


def add_reference_line(fig: go.Figure, y: float, label: str) -> go.Figure:
    """A dashed horizontal line (a target or threshold) with its label."""
    fig.add_hline(y=y, line_dash="dash", line_color=REFERENCE_COLOUR, annotation_text=label)
    return fig


def png_config(filename: str) -> dict:
    """Plotly config: PNG export at a good size named after the chart and its date."""
    return {"displaylogo": False, "toImageButtonOptions": {**PNG_EXPORT, "filename": filename}}


def add_recessions(fig: go.Figure, start, end) -> go.Figure:
    """Shade NBER recessions that overlap [start, end] (only those in view)."""
    for first, last in recessions_between(start, end):
        fig.add_vrect(x0=first, x1=last, fillcolor=RECESSION_FILL, line_width=0, layer="below")
    return fig
