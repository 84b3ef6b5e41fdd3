"""Figure builders for the Small-cap barometer and S&P 500 hybrid pages: frame in, figure out.

No Streamlit calls, no template: colours come from ``COLOURWAY`` (readable on both themes)
or are semi-transparent; long daily frames are thinned like ``line_figure`` does; every
trace's hover carries its units.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from components.charts import (
    CHART_HEIGHT,
    COLOURWAY,
    REFERENCE_COLOUR,
    add_range_slider,
    apply_log_scale,
    plotted,
    series_name,
    styled,
    thin,
)

UP_COLOUR, DOWN_COLOUR = COLOURWAY[2], COLOURWAY[3]
TOTAL_COLOUR = COLOURWAY[0]
RECORD_COLOUR = COLOURWAY[1]
POINT_COLOUR = "rgba(47,126,216,0.45)"  # COLOURWAY[0], see-through so dense clouds read
DRAWDOWN_FILL = "rgba(214,39,40,0.20)"  # COLOURWAY[3] at low opacity
TOP_SHARE = 0.62  # height share of the upper panel in two-panel charts
PANEL_GAP = 0.08
TALL_HEIGHT = 560
PANEL_HEIGHT = 160  # extra height for each panel beyond two
MARGIN = {"l": 10, "r": 10, "t": 80, "b": 10}  # room for a two-line legend above the plot
# The approximation note under a chart: below the x tick labels, wrapped, in small type.
NOTE_OFFSET_PX, NOTE_LINE_PX, NOTE_FONT_PX = 32, 15, 11
NOTE_WIDTH = 150  # characters per line


def _layout(fig: go.Figure, title: str, height: int = CHART_HEIGHT, **extra) -> go.Figure:
    return styled(fig, title, **{"margin": MARGIN, "height": height, **extra})


def _lines(fig: go.Figure, frame: pd.DataFrame, names: dict[str, str] | None, units: str,
           row: int | None = None) -> None:
    for column in frame.columns:
        series = plotted(frame[column])
        trace = go.Scatter(
            x=series.index, y=series.to_numpy(), mode="lines", name=series_name(column, names),
            hovertemplate=f"%{{y:,.2f}}{units}<extra>%{{fullData.name}}</extra>",
        )
        fig.add_trace(trace, row=row, col=1 if row else None)


def stacked_figure(
    panels: list[pd.DataFrame], title: str, axis_titles: tuple[str, ...], units: tuple[str, ...] | None = None,
    names: dict[str, str] | None = None, log_top: bool = False, zero_lines: tuple[bool, ...] | None = None,
) -> go.Figure:
    """Lines of each frame in its own panel, top to bottom, on a shared date axis (thinned).

    The top panel gets ``TOP_SHARE`` of the height (the others split the rest);
    ``zero_lines[i]`` draws a dotted zero line in panel i; ``log_top`` puts the top panel
    (prices) on a log axis; long daily frames get a range slider under the bottom panel.
    """
    count = len(panels)
    heights = [TOP_SHARE] + [(1 - TOP_SHARE) / (count - 1)] * (count - 1) if count > 1 else [1.0]
    fig = make_subplots(rows=count, cols=1, shared_xaxes=True, vertical_spacing=PANEL_GAP, row_heights=heights)
    for row, frame in enumerate(panels, start=1):
        _lines(fig, thin(frame), names, (units or ("",) * count)[row - 1], row=row)
        fig.update_yaxes(title_text=axis_titles[row - 1], row=row, col=1)
        apply_log_scale(fig, log_top and row == 1, row=row)
        if (zero_lines or (False,) * count)[row - 1]:
            fig.add_hline(y=0, line_dash="dot", line_color=REFERENCE_COLOUR, row=row, col=1)
    add_range_slider(fig, panels[0].index, row=count)
    return _layout(fig, title, TALL_HEIGHT + (count - 2) * PANEL_HEIGHT, hovermode="x unified")


def drawdown_figure(frame: pd.DataFrame, title: str, name: str) -> go.Figure:
    """Percent below the all-time high (filled to 0) with record closes marked at 0."""
    data = thin(frame)
    records = frame.index[frame["record_high"].astype(bool)]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=data.index, y=data["drawdown_pct"].to_numpy(), mode="lines", name=f"{name}: distance from high",
        fill="tozeroy", fillcolor=DRAWDOWN_FILL, line={"color": DOWN_COLOUR},
        hovertemplate="%{y:.1f}% below the high<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=records, y=[0.0] * len(records), mode="markers", name="New record close",
        marker={"color": RECORD_COLOUR, "symbol": "diamond", "size": 7},
        hovertemplate="record close %{x|%Y-%m-%d}<extra></extra>",
    ))
    fig.update_yaxes(title_text="% below all-time high", ticksuffix="%")
    return add_range_slider(_layout(fig, title, hovermode="x"), frame.index)


def scatter_fit_figure(points: pd.DataFrame, title: str, x_title: str, y_title: str, fit_name: str) -> go.Figure:
    """Daily points (x = first column, y = second) and the fitted line (third column)."""
    x, y, fit = points.columns[:3]
    line = points.sort_values(x)
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=points[x].to_numpy(), y=points[y].to_numpy(), mode="markers", name="Trading days",
        marker={"color": POINT_COLOUR, "size": 6}, customdata=points.index.strftime("%Y-%m-%d"),
        hovertemplate="%{customdata}: %{x:+.1f} bp, %{y:+.2f}%<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=line[x].to_numpy(), y=line[fit].to_numpy(), mode="lines", name=fit_name,
        line={"color": RECORD_COLOUR, "width": 3}, hovertemplate="fit: %{y:+.2f}% at %{x:+.1f} bp<extra></extra>",
    ))
    fig.update_xaxes(title_text=x_title, zeroline=True)
    fig.update_yaxes(title_text=y_title, zeroline=True)
    return _layout(fig, title, hovermode="closest")


def value_bars_figure(values: pd.Series, title: str, y_title: str, units: str) -> go.Figure:
    """One bar per row of ``values``, labelled with its value and units."""
    fig = go.Figure(go.Bar(
        x=values.index.tolist(), y=values.to_numpy(), marker_color=list(COLOURWAY[: len(values)]),
        text=[f"{v:+.1f}{units}" for v in values], textposition="auto",
        hovertemplate=f"%{{x}}: %{{y:+.2f}}{units}<extra></extra>",
    ))
    fig.update_yaxes(title_text=y_title, ticksuffix=units)
    return _layout(fig, title, showlegend=False)


def waterfall_figure(values: pd.Series, title: str, y_title: str, units: str, note: str = "") -> go.Figure:
    """Parts stacking up to a total: every row is a step except the last, which is the total.

    ``note`` (plain text, paragraphs separated by newlines) is printed under the chart.
    """
    measure = ["relative"] * (len(values) - 1) + ["total"]
    fig = go.Figure(go.Waterfall(
        x=values.index.tolist(), y=values.to_numpy(), measure=measure, name=values.name or "",
        text=[f"{v:+.1f}" for v in values], textposition="outside",
        increasing={"marker": {"color": UP_COLOUR}}, decreasing={"marker": {"color": DOWN_COLOUR}},
        totals={"marker": {"color": TOTAL_COLOUR}}, connector={"line": {"color": REFERENCE_COLOUR}},
        hovertemplate=f"%{{x}}: %{{y:+.2f}}{units}<extra></extra>",
    ))
    fig.update_yaxes(title_text=y_title)
    margin = MARGIN
    if note:
        lines = [line for paragraph in note.split("\n") for line in textwrap.wrap(paragraph, NOTE_WIDTH)]
        fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=0, yshift=-NOTE_OFFSET_PX,
                           xanchor="left", yanchor="top", showarrow=False, align="left", font={"size": NOTE_FONT_PX})
        margin = {**MARGIN, "b": NOTE_OFFSET_PX + NOTE_LINE_PX * (len(lines) + 1)}
    return _layout(fig, title, TALL_HEIGHT if note else CHART_HEIGHT, showlegend=False, margin=margin)


def sector_bars_figure(board: pd.DataFrame, title: str, symbols: dict[str, str]) -> go.Figure:
    """Each sector's return minus SPY's (pp), best first; a bar's customdata is its catalogue key."""
    colours = [UP_COLOUR if beats else DOWN_COLOUR for beats in board["beats"]]
    fig = go.Figure(go.Bar(
        x=[symbols[k] for k in board.index], y=board["relative_pp"].to_numpy(), marker_color=colours,
        customdata=list(zip(board.index, board["name"], board["return_pct"])),
        text=[f"{v:+.1f}" for v in board["relative_pp"]], textposition="auto",
        hovertemplate="%{customdata[1]}: %{customdata[2]:+.1f}% return, %{y:+.2f} pp vs SPY<extra></extra>",
    ))
    fig.add_hline(y=0, line_color=REFERENCE_COLOUR)
    fig.update_yaxes(title_text="Return minus SPY's, pp")
    fig.update_xaxes(title_text="Sector ETF (click a bar for its chart)")
    return _layout(fig, title, showlegend=False, clickmode="event+select")


def earnings_split_figure(frame: pd.DataFrame, title: str) -> go.Figure:
    """Per row (a company, then the cap-weighted total): stacked bars of EPS growth and P/E
    change (percent log points) that add up to the price move, drawn as a diamond; a bar's
    customdata is the row's catalogue key ('' for the total) and the row's label."""
    keys = list(zip(frame["key"], frame.index))
    fig = go.Figure()
    for column, name, colour in (("eps_pct", "TTM EPS growth", UP_COLOUR), ("multiple_pct", "P/E change", RECORD_COLOUR)):
        fig.add_trace(go.Bar(
            x=frame.index.tolist(), y=frame[column].to_numpy(), name=name, marker_color=colour, customdata=keys,
            hovertemplate=f"%{{x}}: %{{y:+.1f}} log points of {name}<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        x=frame.index.tolist(), y=frame["price_pct"].to_numpy(), mode="markers", name="Price move",
        marker={"symbol": "diamond", "size": 11, "color": TOTAL_COLOUR, "line": {"width": 1, "color": "white"}},
        customdata=keys, hovertemplate="%{x}: price %{y:+.1f} log points<extra></extra>",
    ))
    fig.add_hline(y=0, line_color=REFERENCE_COLOUR)
    fig.update_yaxes(title_text="Log points (100 × Δln)")
    fig.update_xaxes(title_text="Company (click a bar for its chart)")
    return _layout(fig, title, barmode="relative", clickmode="event+select")
