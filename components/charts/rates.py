"""Figure builders for the Fed path and Inflation pages: frame in, ``go.Figure`` out.

No Streamlit calls. Colours come from ``COLOURWAY`` or are semi-transparent so the light and
dark themes both read; long daily frames are thinned like ``line_figure`` does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from components.charts import (
    COLOURWAY,
    RANGE_SLIDER_LEGEND_DROP,
    REFERENCE_COLOUR,
    add_recessions,
    add_reference_line,
    has_range_slider,
    line_figure,
    plotted,
    series_name,
    shown_dates,
    styled,
    thin,
)

BAND_OPACITY, BAND_EDGE_OPACITY, INVERSION_OPACITY = 0.18, 0.55, 0.30
FOMC_LINE = "rgba(128,128,128,0.35)"
DECISION_SYMBOLS = {"cut": "triangle-down", "hike": "triangle-up", "hold": "circle-open"}
DECISION_MARKER_SIZE = 11
RECESSION_SHADING_MIN_YEARS = 5  # shorter windows contain at most one recession: no shading
EARLIER_DASHES = ("dash", "dot", "dashdot")
# Target-range bars: cuts in blues, hikes in reds, today's range grey; the further from
# today's range, the darker. The scale ends are kept off white and off black for both themes.
CUT_SCALE, HIKE_SCALE, UNCHANGED_COLOUR = "Blues", "Reds", "rgba(128,128,128,0.55)"
SCALE_NEAR, SCALE_FAR = 0.3, 0.85
LEGEND_BELOW = {"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0}
LEGEND_BELOW_WITH_AXIS_TITLE = {**LEGEND_BELOW, "y": -0.22}


def translucent(hex_colour: str, opacity: float) -> str:
    """``#rrggbb`` -> ``rgba(r,g,b,opacity)``: a colour that reads on light and dark themes."""
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{opacity})"


def legend_below(fig: go.Figure, axis_title: bool = False) -> go.Figure:
    """Move the legend under the plot (and under its range slider, if any) so long legends
    never cover the title."""
    legend = LEGEND_BELOW_WITH_AXIS_TITLE if axis_title else LEGEND_BELOW
    if has_range_slider(fig):
        legend = {**legend, "y": legend["y"] - RANGE_SLIDER_LEGEND_DROP}
    fig.update_layout(legend=legend)
    return fig


def rates_line_figure(frame: pd.DataFrame, title: str, y_title: str, hover_units: str = "",
                      names: dict[str, str] | None = None) -> go.Figure:
    """``line_figure`` with the legend below the plot (these pages' charts sit in columns) and
    recession shading when the dates shown span more than ~5 years."""
    fig = line_figure(frame, title, y_title, hover_units=hover_units, names=names)
    return legend_below(shade_recessions_if_long(fig, shown_dates(frame)))


def shade_recessions_if_long(fig: go.Figure, index: pd.Index) -> go.Figure:
    """NBER recession shading over ``index``'s span (the dates shown), but only when it spans
    more than ~5 years: shorter windows hold at most one recession."""
    if len(index) and index.max() - index.min() > pd.Timedelta(days=365 * RECESSION_SHADING_MIN_YEARS):
        add_recessions(fig, index.min(), index.max())
    return fig


def policy_band_figure(frame: pd.DataFrame, decisions: pd.DataFrame, title: str, band: tuple[str, str],
                       names: dict[str, str] | None = None) -> go.Figure:
    """Target range as a filled band, other rate columns as lines, FOMC decisions marked.

    ``band`` = (lower column, upper column); without both of them in ``frame`` no band is
    drawn (one bound alone is not a range). ``decisions`` has columns meeting, upper,
    change_bp, decision (see ``components.views.fed_path.fomc_decisions``).
    """
    data = thin(frame)
    lower_key, upper_key = band
    lines = [c for c in data.columns if c not in band]
    fig = rates_line_figure(frame[lines], title, "Percent", hover_units="%", names=names)
    for position, trace in enumerate(fig.data, start=1):  # COLOURWAY[0] is the band's
        trace.line.color = COLOURWAY[position % len(COLOURWAY)]
    if lower_key in data.columns and upper_key in data.columns:
        edge = {"width": 1, "color": translucent(COLOURWAY[0], BAND_EDGE_OPACITY), "shape": "hv"}
        band_traces = []
        for key, fill in ((lower_key, None), (upper_key, "tonexty")):
            series = plotted(data[key])
            band_traces.append(go.Scatter(
                x=series.index, y=series.to_numpy(), name=series_name(key, names), mode="lines", line=edge,
                fill=fill, fillcolor=translucent(COLOURWAY[0], BAND_OPACITY), legendgroup="band",
                showlegend=fill is not None, hovertemplate="%{y:.2f}%<extra>%{fullData.name}</extra>",
            ))
        fig.add_traces(band_traces)
        fig.data = fig.data[-2:] + fig.data[:-2]  # band first, so the lines draw over it
    # One layout update instead of an add_vline per meeting: add_vline re-validates every
    # shape each call, which dominated this page's run time (bench/pages.py profile).
    fig.update_layout(shapes=[
        {"type": "line", "xref": "x", "yref": "paper", "x0": meeting, "x1": meeting, "y0": 0, "y1": 1,
         "line": {"width": 1, "dash": "dot", "color": FOMC_LINE}}
        for meeting in decisions["meeting"]
    ])
    for decision, rows in decisions.groupby("decision"):
        fig.add_trace(go.Scatter(
            x=rows["meeting"], y=rows["upper"], mode="markers", name=f"FOMC: {decision}",
            marker={"symbol": DECISION_SYMBOLS[decision], "size": DECISION_MARKER_SIZE, "color": REFERENCE_COLOUR},
            customdata=rows["change_bp"], legendgroup="fomc",
            hovertemplate=f"FOMC {decision}: %{{customdata:+.0f}} bp, upper bound %{{y:.2f}}%<extra></extra>",
        ))
    return fig


def range_colours(ranges: list[str], current: str) -> dict[str, str]:
    """Colour per target-range label (ascending): cuts blue, hikes red, today's range grey,
    darker the further from today's range."""
    if current not in ranges:
        return {label: COLOURWAY[i % len(COLOURWAY)] for i, label in enumerate(ranges)}
    middle = ranges.index(current)
    below, above = ranges[:middle][::-1], ranges[middle + 1:]  # nearest first
    colours = {current: UNCHANGED_COLOUR}
    for scale, labels in ((CUT_SCALE, below), (HIKE_SCALE, above)):
        if labels:
            shades = sample_colorscale(scale, np.linspace(SCALE_NEAR, SCALE_FAR, len(labels)).tolist())
            colours.update(zip(labels, shades))
    return colours


def range_probabilities_figure(probabilities: pd.DataFrame, title: str, current: str) -> go.Figure:
    """FedWatch-style stacked bars: probability of each target range after each meeting.

    ``current`` is today's range label (a column of ``probabilities``), drawn grey."""
    fig = go.Figure()
    meetings = [f"{m:%d %b %Y}" for m in probabilities.index]
    ranges = [c for c in probabilities.columns if probabilities[c].max() > 0]
    colours = range_colours(ranges, current)
    for label in ranges:
        fig.add_trace(go.Bar(
            x=meetings, y=probabilities[label].to_numpy(), name=f"{label}%",
            marker_color=colours[label],
            hovertemplate=f"{label}%: %{{y:.1%}}<extra>%{{x}}</extra>",
        ))
    styled(fig, title, barmode="stack", legend={"title": {"text": "Target range"}, "orientation": "v"})
    fig.update_yaxes(title_text="Probability", tickformat=".0%", range=[0, 1])
    fig.update_xaxes(title_text="FOMC meeting (statement day)", type="category")
    return fig


def expected_path_figure(paths: pd.DataFrame, title: str, band: tuple[float, float]) -> go.Figure:
    """Expected rate after each meeting, one line per path (first = now, solid), with the
    current target range as dashed reference lines."""
    fig = go.Figure()
    for position, label in enumerate(paths.columns):
        series = paths[label].dropna()
        dash = "solid" if position == 0 else EARLIER_DASHES[(position - 1) % len(EARLIER_DASHES)]
        fig.add_trace(go.Scatter(
            x=series.index, y=series.to_numpy(), name=label, mode="lines+markers",
            line={"dash": dash, "color": COLOURWAY[position % len(COLOURWAY)]},
            hovertemplate="%{y:.3f}%<extra>%{fullData.name}</extra>",
        ))
    lower, upper = band
    add_reference_line(fig, upper, f"today's range {lower:.2f}–{upper:.2f}%")
    fig.add_hline(y=lower, line_dash="dash", line_color=REFERENCE_COLOUR)
    styled(fig, title, hovermode="x unified")
    fig.update_yaxes(title_text="Expected policy rate, percent")
    fig.update_xaxes(title_text="FOMC meeting (statement day)")
    return legend_below(fig, axis_title=True)


def spreads_figure(spreads: pd.DataFrame, title: str, names: dict[str, str] | None = None) -> go.Figure:
    """Curve spreads (pp) with the stretches below zero shaded: inversion."""
    fig = rates_line_figure(spreads, title, "Percentage points", hover_units=" pp", names=names)
    data = thin(spreads)
    for position, key in enumerate(data.columns):
        below_zero = plotted(data[key]).clip(upper=0.0)  # 0 where not inverted: no area there
        if (below_zero < 0).any():
            fig.add_trace(go.Scatter(
                x=below_zero.index, y=below_zero.to_numpy(), mode="none", fill="tozeroy",
                fillcolor=translucent(COLOURWAY[position % len(COLOURWAY)], INVERSION_OPACITY),
                name=f"{series_name(key, names)} inverted", hoverinfo="skip", legendgroup=key,
            ))
    fig.add_hline(y=0, line_color=REFERENCE_COLOUR, line_width=1)
    return fig


def threshold_figure(frame: pd.DataFrame, title: str, y_title: str, units: str, threshold: float,
                     threshold_label: str, names: dict[str, str] | None = None) -> go.Figure:
    """Lines with one dashed threshold (a trigger or a target) and recession shading if long."""
    return add_reference_line(rates_line_figure(frame, title, y_title, hover_units=units, names=names), threshold,
                              threshold_label)


def labour_figure(frame: pd.DataFrame, title: str, y_title: str, units: str,
                  names: dict[str, str] | None = None) -> go.Figure:
    """A labour-market line (or a few) with recession shading on long windows."""
    return rates_line_figure(frame, title, y_title, units, names)
