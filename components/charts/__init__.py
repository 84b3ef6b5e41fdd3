"""Figure builders: frame in, ``go.Figure`` out, no Streamlit calls.

This module holds the shared toolkit (lines, thinning, reference lines, recession shading,
export config); ``charts.rates`` and ``charts.equity`` hold the page-specific builders.

Figures carry no template of their own, so Streamlit's theme (light or dark) styles them;
only meaningful colours (targets, bands) are set here, semi-transparent so both themes read.
Long daily series are thinned for the browser (see ``thin``) and get a range slider (see
``add_range_slider``); price charts take a ``ScaleChoice`` (log axis, rebased or actual levels).
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics.calendar import recessions_between
from data_sources.catalogue import STATIC_BY_KEY

log = logging.getLogger(__name__)


def json_engine() -> str:
    """The engine ``plotly.io.to_json`` uses for every chart Streamlit sends: "orjson" when it
    is installed (requirements.txt pins it; 5–6× faster than "json", which Plotly's "auto"
    falls back to without a word)."""
    return "orjson" if importlib.util.find_spec("orjson") is not None else "json"


if json_engine() != "orjson":
    log.warning("orjson is not installed: every chart is serialised with the slower json engine "
                "(pip install -r requirements.txt)")

MAX_POINTS_PER_TRACE = 2500  # beyond this a daily line is thinned to week/month ends
THIN_RULES = ("W-FRI", "ME", "QE")  # week, month, quarter ends: coarser until it fits
# A daily chart spanning more than 5 years (the 10Y and Max views, long custom ranges) gets a
# slider. Not the default 3Y view: each slider redraws every trace, about 15% of a page's
# Plotly drawing time in headless Chromium, and the date presets already cover short spans.
RANGE_SLIDER_MIN_DAYS = 5 * 366
DAILY_MAX_MEDIAN_GAP = pd.Timedelta(days=4)  # median spacing of daily (trading-day) data
# A hole in a line: longer than a trading week for daily data (weekends and holidays are not
# holes), longer than 1.5 times the usual spacing otherwise (a skipped month in monthly data).
DAILY_HOLE = pd.Timedelta(days=7)
HOLE_FACTOR = 1.5
RANGE_SLIDER_THICKNESS = 0.07  # share of the plot height: a strip, not a second chart
RANGE_SLIDER_LEGEND_DROP = 0.14  # a legend under the plot moves this much lower (paper units)
PNG_EXPORT = {"format": "png", "width": 1400, "height": 700, "scale": 2}
REFERENCE_COLOUR = "rgba(128,128,128,0.8)"
RECESSION_FILL = "rgba(128,128,128,0.18)"
# Distinct hues that stay readable on white and on Streamlit's dark background.
COLOURWAY = ("#2f7ed8", "#f28f1c", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
CHART_HEIGHT = 420
LEGEND_ABOVE = {"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "left", "x": 0}
# The one layout every figure starts from (no Plotly template: Streamlit's theme styles the
# figures, light or dark); builders pass only what differs (height, legend, hovermode, ...).
BASE_LAYOUT = {
    "colorway": list(COLOURWAY),
    "legend": LEGEND_ABOVE,
    "margin": {"l": 10, "r": 10, "t": 70, "b": 10},
    "height": CHART_HEIGHT,
}

SPARKLINE_MARKER_PX = 5
SPARKLINE_HEIGHT = 64  # px: a trend at a glance, no axes


class Drawn(NamedTuple):
    """A page section's view and its finished figure (None when the view is empty), with the
    frame the figure plots (for the CSV). Built once and shared: never changed after."""

    view: object
    frame: pd.DataFrame | None = None
    fig: go.Figure | None = None


class FinishedFigure(go.Figure):
    """A figure that is done: its plain dict is computed once, when it is finished.

    ``st.plotly_chart`` serialises a ``go.Figure`` through ``to_dict()``, a deep copy with
    numeric arrays base64-encoded (1.5–3 ms a chart here, the largest part of a warm page run
    once figures are cached). A finished figure returns the dict it computed when finished, so
    every session drawing a cached figure skips that copy. Nobody may change a finished
    figure or the dict (``finished`` makes them; ``chart_block`` and ``st.plotly_chart`` only
    read); a test checks the dict still equals a fresh ``go.Figure.to_dict``.
    """

    def to_dict(self) -> dict:
        return self._finished_dict


def finished(fig: go.Figure, keys=None) -> FinishedFigure:
    """``fig``, done: with the catalogue ``keys`` it is drawn from in ``layout.meta`` (they
    travel with an exported JSON; None leaves meta alone) and its dict computed once
    (``FinishedFigure``). Finishing a finished figure again with the same keys is a no-op;
    with other keys it is a programming error (the figure may be shared by every session).
    """
    inputs = None if keys is None else list(keys)
    if isinstance(fig, FinishedFigure):
        if inputs is not None and (fig.layout.meta or {}).get("inputs") != inputs:
            raise ValueError(f"finished figure drawn from {fig.layout.meta}, not {inputs}")
        return fig
    if inputs is not None:
        fig.update_layout(meta={"inputs": inputs})
    compact_dates(fig)
    fig._finished_dict = go.Figure.to_dict(fig)
    fig.__class__ = FinishedFigure  # same object and state; only to_dict changes
    return fig


DATE_AXES = ("x", "y")  # trace coordinates that hold the dates of a time axis


def compact_dates(fig: go.Figure) -> None:
    """Dates at midnight in trace coordinates as ``YYYY-MM-DD`` instead of Plotly's
    ``YYYY-MM-DDT00:00:00.000000``: the same points on a date axis in 13 bytes of JSON
    instead of 29. Day dates are most of a daily chart's JSON (72% of the policy band's), and
    the browser handles every byte of it several times over: Streamlit applies its theme by
    running ~50 string replacements over the whole figure's JSON. Dates with a time of day
    are left as they are."""
    for trace in fig.data:
        for axis in DATE_AXES:
            days = day_strings(trace[axis]) if axis in trace else None
            if days is not None:
                trace[axis] = days


def day_strings(values) -> np.ndarray | None:
    """``values`` as ``YYYY-MM-DD`` strings if they are datetimes that all fall on midnight
    (NaT allowed), else None."""
    if values is None or isinstance(values, str) or len(values) == 0:
        return None
    array = np.asarray(values)
    if array.dtype == object and all(isinstance(v, (pd.Timestamp, np.datetime64)) or v is pd.NaT for v in array):
        array = pd.DatetimeIndex(array).to_numpy()
    if not np.issubdtype(array.dtype, np.datetime64):
        return None
    days = array.astype("datetime64[D]")
    at_midnight = (days == array) | np.isnat(array)
    return np.datetime_as_string(days, unit="D") if at_midnight.all() else None


def series_name(column: str, names: dict[str, str] | None = None) -> str:
    """The label of a plotted column: ``names`` (a page's derived series) first, then the
    catalogue's label (never retyped), else the column itself."""
    return (names or {}).get(column) or (STATIC_BY_KEY[column].label if column in STATIC_BY_KEY else str(column))


def series_names(columns, names: dict[str, str] | None = None) -> dict[str, str]:
    """``series_name`` for each of ``columns``."""
    return {column: series_name(column, names) for column in columns}


def styled(fig: go.Figure, title: str, **overrides) -> go.Figure:
    """``BASE_LAYOUT`` plus ``overrides`` and the title, in one layout update."""
    fig.update_layout(title={"text": title}, **{**BASE_LAYOUT, **overrides})
    return fig


@dataclass(frozen=True)
class ScaleChoice:
    """How a price chart is drawn: log or linear axis, rebased to 100 or actual levels."""

    log: bool = False
    rebase: bool = True

    def axis_title(self, rebased_title: str, level_title: str) -> str:
        return rebased_title if self.rebase else level_title

    @property
    def label(self) -> str:
        """Words for a chart title, e.g. 'rebased to 100, log scale'."""
        return ", ".join(["rebased to 100" if self.rebase else "actual levels", *(["log scale"] if self.log else [])])


def thin(frame: pd.DataFrame, max_points: int = MAX_POINTS_PER_TRACE) -> pd.DataFrame:
    """Keep at most about ``max_points`` rows: the last row of each week, then month, then quarter.

    Down-sampling rule: a frame of ``max_points`` rows or fewer is returned unchanged (about
    ten years of trading days at the default); a longer one keeps the last observation of each
    Friday-ending week, and if that is still too long, of each month, then each quarter. Values
    are period-end observations (not averages), so every plotted point is real and the latest
    observation is always kept; all-empty periods are dropped. With range=Max on a 1954-onwards
    daily series this gives month ends (~870 points a line), which keeps every page's figure
    JSON well under 1.5 MB (see bench/pages.py).
    """
    for rule in THIN_RULES:
        if len(frame) <= max_points:
            break
        frame = frame.groupby(pd.Grouper(freq=rule)).last().dropna(how="all")
    return frame


def plotted(series: pd.Series) -> pd.Series:
    """``series`` (date index) as a line should draw it: NaNs dropped, nothing filled, and one
    NaN point placed a day into each hole in the data so the line visibly breaks there
    (Plotly's ``connectgaps`` is off) instead of bridging missing observations.

    Hole: a step between observations longer than ``DAILY_HOLE`` when the median step is
    daily (≤ ``DAILY_MAX_MEDIAN_GAP``), else longer than ``HOLE_FACTOR`` × the median step.
    """
    values = series.dropna()
    if len(values) < 3 or not isinstance(values.index, pd.DatetimeIndex):
        return values
    steps = values.index.to_series().diff()
    usual = steps.median()
    limit = DAILY_HOLE if usual <= DAILY_MAX_MEDIAN_GAP else usual * HOLE_FACTOR
    before_holes = values.index[:-1][(steps > limit).to_numpy()[1:]]
    if before_holes.empty:
        return values
    breaks = pd.Series(float("nan"), index=before_holes + pd.Timedelta(days=1), name=values.name)
    return pd.concat([values, breaks]).sort_index()


def line_figure(
    frame: pd.DataFrame,
    title: str,
    y_title: str,
    hover_units: str = "",
    names: dict[str, str] | None = None,
    log_y: bool = False,
) -> go.Figure:
    """One line per column of ``frame`` (date index), thinned, with units in the hover; a log
    y axis with ``log_y``; a range slider when ``frame`` is long daily data."""
    data = thin(frame)
    fig = go.Figure()
    for column in data.columns:
        series = plotted(data[column])
        fig.add_trace(
            go.Scatter(
                x=series.index,
                y=series.to_numpy(),
                mode="lines",
                name=series_name(column, names),
                hovertemplate=f"%{{y:,.2f}}{hover_units}<extra>%{{fullData.name}}</extra>",
            )
        )
    styled(fig, title, hovermode="x unified")
    fig.update_yaxes(title_text=y_title)
    return add_range_slider(apply_log_scale(fig, log_y), frame.index)


def is_long_daily(index: pd.Index, min_days: int = RANGE_SLIDER_MIN_DAYS) -> bool:
    """Whether ``index`` (dates) is daily data spanning more than ``min_days`` days."""
    if len(index) < 3 or not isinstance(index, pd.DatetimeIndex):
        return False
    return index.max() - index.min() > pd.Timedelta(days=min_days) and pd.Series(index).diff().median() <= DAILY_MAX_MEDIAN_GAP


def has_range_slider(fig: go.Figure) -> bool:
    """Whether any x axis of ``fig`` shows a range slider."""
    return any(axis.rangeslider.visible for axis in fig.select_xaxes())


def add_range_slider(fig: go.Figure, index: pd.Index, row: int | None = None) -> go.Figure:
    """A thin range slider under the date axis when ``index`` (the unthinned dates) is long daily data.

    ``row`` = the bottom row of a stacked figure (the slider belongs to the lowest x axis).
    The slider redraws every trace in the browser but adds nothing to the figure JSON, so
    the payload is unchanged. A legend placed under the plot is moved below the slider.
    """
    if not is_long_daily(index):
        return fig
    fig.update_xaxes(rangeslider={"visible": True, "thickness": RANGE_SLIDER_THICKNESS}, row=row, col=1 if row else None)
    legend = fig.layout.legend
    if legend.y is not None and legend.y < 0:
        fig.update_layout(legend_y=legend.y - RANGE_SLIDER_LEGEND_DROP)
    return fig


def shown_prices(frame: pd.DataFrame, levels: pd.DataFrame, scale: ScaleChoice) -> pd.DataFrame:
    """``frame`` as given (its price columns rebased to 100) or, with ``scale.rebase`` off, with
    the columns of ``levels`` replaced by the actual levels on ``frame``'s dates."""
    if scale.rebase:
        return frame
    actual = levels.reindex(frame.index)[[c for c in levels.columns if c in frame.columns]]
    return frame.assign(**{column: actual[column] for column in actual.columns})


def apply_log_scale(fig: go.Figure, log: bool, row: int | None = None) -> go.Figure:
    """Log (or linear) y axis on ``fig``, or on one ``row`` of a stacked figure."""
    fig.update_yaxes(type="log" if log else "linear", row=row, col=1 if row else None)
    return fig


def add_reference_line(fig: go.Figure, y: float, label: str) -> go.Figure:
    """A dashed horizontal line (a target or threshold) with its label."""
    fig.add_hline(y=y, line_dash="dash", line_color=REFERENCE_COLOUR, annotation_text=label)
    return fig


def png_config(filename: str) -> dict:
    """Plotly config: PNG export at a good size named after the chart and its date."""
    return {"displaylogo": False, "toImageButtonOptions": {**PNG_EXPORT, "filename": filename}}


def add_recessions(fig: go.Figure, start, end) -> go.Figure:
    """Shade NBER recessions that overlap [start, end] (only those in view), clipped to it so
    a recession half inside the window does not stretch the date axis."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    for first, last in recessions_between(start, end):
        fig.add_vrect(x0=max(first, start), x1=min(last, end), fillcolor=RECESSION_FILL, line_width=0, layer="below")
    return fig


def shown_dates(frame: pd.DataFrame) -> pd.DatetimeIndex:
    """The dates a chart of ``frame`` actually shows: rows with at least one value."""
    return frame.dropna(how="all").index


def sparkline_figure(series: pd.Series, name: str, units: str = "") -> go.Figure:
    """A tiny line of ``series`` (no title, axes or legend; hover shows ``name``, date, value),
    built in one pass (one trace and one layout, no ``update_*`` calls: nine of them are drawn
    on every overview).

    Small markers make each observation selectable (a line alone gives Plotly nothing to
    select), so a click can return its date (``panels.sparkline``).
    """
    line = plotted(thin(series.to_frame("value"))["value"])
    return go.Figure(
        go.Scatter(x=line.index, y=line.to_numpy(), mode="lines+markers", name=name,
                   marker={"size": SPARKLINE_MARKER_PX, "opacity": 0.35},
                   hovertemplate=f"%{{x|%Y-%m-%d}}: %{{y:,.2f}}{units}<extra>{name}</extra>"),
        layout={**BASE_LAYOUT, "title": {"text": ""}, "height": SPARKLINE_HEIGHT,
                "margin": {"l": 0, "r": 0, "t": 4, "b": 4}, "showlegend": False, "hovermode": "closest",
                "clickmode": "event+select", "xaxis": {"visible": False, "rangeslider": {"visible": False}},
                "yaxis": {"visible": False}},
    )
