"""Figure builders for Macro days (``/events``): frame in, figure out, no Streamlit calls.

The scatter's event points carry their date as ``customdata`` so a click opens that event; the
other days are a faint cloud behind them (hover only).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from components.charts import CHART_HEIGHT, COLOURWAY, REFERENCE_COLOUR, add_reference_line, line_figure, styled
from components.charts.equity import DOWN_COLOUR, MARGIN, RECORD_COLOUR, UP_COLOUR, stacked_figure

EVENT_COLOUR = COLOURWAY[3]
OTHER_COLOUR = "rgba(128,128,128,0.25)"  # the days without macro news: context, not the subject
EVENT_MARKER_PX, OTHER_MARKER_PX = 8, 4


def reaction_scatter_figure(points: pd.DataFrame, title: str, event_name: str, y_title: str) -> go.Figure:
    """Days as points (x = ``change_bp``, y = ``return_pct``): the event days of ``event_name``
    (``event`` True) in colour and clickable (``customdata`` = the date), the other days faint,
    and the two OLS lines (``fit`` on event days, ``fit_other`` on days without macro news)."""
    events, others = points[points["event"]], points[~points["event"]]
    fig = go.Figure()
    fig.add_trace(go.Scatter(
        x=others["change_bp"].to_numpy(), y=others["return_pct"].to_numpy(), mode="markers", name="Other trading days",
        marker={"color": OTHER_COLOUR, "size": OTHER_MARKER_PX}, hoverinfo="skip",
    ))
    fig.add_trace(go.Scatter(
        x=events["change_bp"].to_numpy(), y=events["return_pct"].to_numpy(), mode="markers", name=f"{event_name} days",
        marker={"color": EVENT_COLOUR, "size": EVENT_MARKER_PX, "opacity": 0.8},
        customdata=list(zip(events.index.strftime("%Y-%m-%d"), events["events"])),
        hovertemplate="%{customdata[0]} (%{customdata[1]}): %{x:+.1f} bp, %{y:+.2f}%<extra></extra>",
    ))
    for column, name, colour, dash in (("fit", f"fit, {event_name} days", EVENT_COLOUR, "solid"),
                                       ("fit_other", "fit, days without macro news", RECORD_COLOUR, "dot")):
        line = points[["change_bp", column]].dropna().sort_values("change_bp")
        if not line.empty:
            fig.add_trace(go.Scatter(
                x=line["change_bp"].to_numpy()[[0, -1]], y=line[column].to_numpy()[[0, -1]], mode="lines", name=name,
                line={"color": colour, "width": 3, "dash": dash}, hovertemplate="%{y:+.2f}% at %{x:+.1f} bp<extra>fit</extra>",
            ))
    fig.update_xaxes(title_text="Change in 2-year yield that day, bp", zeroline=True)
    fig.update_yaxes(title_text=y_title, ticksuffix="%", zeroline=True)
    return styled(fig, title, margin=MARGIN, hovermode="closest", clickmode="event+select")


def rolling_beta_figure(frame: pd.DataFrame, title: str, reference: float, reference_label: str) -> go.Figure:
    """One line per event type (columns of ``frame``: β in % per +10 bp by date), a zero line
    and the reference magnitude as a dotted line."""
    fig = line_figure(frame, title, "β, % per +10 bp", hover_units="%")
    fig.add_hline(y=0.0, line_color=REFERENCE_COLOUR, line_width=1)
    add_reference_line(fig, reference, reference_label)
    return fig


def event_window_figure(frame: pd.DataFrame, title: str, day, names: dict[str, str]) -> go.Figure:
    """Around one event: the indices rebased to 100 at the close before (top) and the 2-year
    yield's change since then in bp (bottom), the event day marked."""
    fig = stacked_figure([frame[["spx", "rut"]], frame[["t_2y_bp"]]], title,
                         ("Close before the event = 100", "2-year yield, bp since"), units=("", " bp"), names=names,
                         zero_lines=(False, True))
    fig.add_vline(x=pd.Timestamp(day), line_dash="dot", line_color=EVENT_COLOUR)
    return fig


DAY_BAR_PX = 26  # height per bar of the event day's moves


def day_moves_figure(moves: pd.Series, title: str) -> go.Figure:
    """One horizontal bar per series (index = name, value = % move that day), green up, red down."""
    fig = go.Figure(go.Bar(
        x=moves.to_numpy(), y=moves.index.tolist(), orientation="h",
        marker_color=[UP_COLOUR if v >= 0 else DOWN_COLOUR for v in moves],
        text=[f"{v:+.2f}%" for v in moves], textposition="auto", hovertemplate="%{y}: %{x:+.2f}%<extra></extra>",
    ))
    fig.update_xaxes(title_text="Log return that day, %", ticksuffix="%", zeroline=True)
    return styled(fig, title, margin=MARGIN, showlegend=False, height=max(CHART_HEIGHT, DAY_BAR_PX * len(moves) + 120))
