"""The shared figure helpers: thinning, log and rebase toggles, range slider, recession shading,
finished (cached) figures."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from analytics.transforms import rebase
from components.charts import (
    MAX_POINTS_PER_TRACE,
    ScaleChoice,
    add_recessions,
    add_range_slider,
    day_strings,
    finished,
    has_range_slider,
    json_engine,
    line_figure,
    plotted,
    shown_prices,
    thin,
)
from components.charts.equity import stacked_figure
from components.charts.rates import legend_below, rates_line_figure


def daily(start: str, periods: int, columns=("a",)) -> pd.DataFrame:
    index = pd.bdate_range(start, periods=periods, name="date")
    values = np.arange(1.0, periods + 1.0)
    return pd.DataFrame({c: values * (i + 1) for i, c in enumerate(columns)}, index=index)


@pytest.mark.parametrize("periods", [10, MAX_POINTS_PER_TRACE, MAX_POINTS_PER_TRACE + 1, 20_000])
def test_thin_keeps_last_observation_and_at_most_max_points(periods):
    frame = daily("1950-01-02", periods)
    thinned = thin(frame)
    assert len(thinned) <= MAX_POINTS_PER_TRACE
    assert thinned.iloc[-1, 0] == frame.iloc[-1, 0]  # the latest value is a real, kept observation
    assert set(thinned["a"]) <= set(frame["a"])  # period ends, never averages
    if periods <= MAX_POINTS_PER_TRACE:
        pd.testing.assert_frame_equal(thinned, frame)


def test_thin_small_max_points_goes_to_coarser_periods():
    frame = daily("2000-01-03", 2600)  # ~10 years of trading days
    assert len(thin(frame, max_points=50)) <= 50


def test_log_toggle_sets_the_y_axis_type():
    frame = daily("2024-01-01", 30)
    assert line_figure(frame, "t", "y", log_y=True).layout.yaxis.type == "log"
    assert line_figure(frame, "t", "y").layout.yaxis.type == "linear"
    fig = stacked_figure([frame, frame], "t", ("top", "bottom"), log_top=True)
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis2.type == "linear"


def test_rebase_toggle_starts_at_100_or_shows_actual_levels():
    levels = daily("2024-01-01", 30, columns=("a", "b")) * 7.0
    rebased = rebase(levels).assign(rs=1.0)
    on = shown_prices(rebased, levels, ScaleChoice(rebase=True))
    assert on.iloc[0][["a", "b"]].tolist() == [100.0, 100.0]
    fig = line_figure(on[["a", "b"]], "t", "y")
    assert [trace.y[0] for trace in fig.data] == [100.0, 100.0]
    off = shown_prices(rebased, levels, ScaleChoice(rebase=False))
    pd.testing.assert_frame_equal(off[["a", "b"]], levels)
    assert (off["rs"] == 1.0).all()  # columns that are not prices are left alone


def test_scale_choice_words():
    assert ScaleChoice().label == "rebased to 100"
    assert ScaleChoice(log=True, rebase=False).label == "actual levels, log scale"
    assert ScaleChoice(rebase=False).axis_title("Index, start = 100", "Points") == "Points"


def test_range_slider_only_on_long_daily_windows():
    long_daily = daily("2015-01-01", 1600)  # > 6 years of trading days
    assert has_range_slider(line_figure(long_daily, "t", "y"))
    assert not has_range_slider(line_figure(daily("2022-01-01", 800), "t", "y"))  # the default 3Y view
    monthly = pd.DataFrame({"a": np.arange(120.0)}, index=pd.date_range("2010-01-31", periods=120, freq="ME"))
    assert not has_range_slider(line_figure(monthly, "t", "y"))  # long but not daily
    fig = stacked_figure([long_daily, long_daily], "t", ("top", "bottom"))
    assert fig.layout.xaxis2.rangeslider.visible and not fig.layout.xaxis.rangeslider.visible


def test_range_slider_adds_no_trace_data():
    frame = daily("2000-01-03", 6000)
    with_slider = line_figure(frame, "t", "y")
    without = line_figure(frame, "t", "y")
    without.update_xaxes(rangeslider_visible=False)
    assert len(with_slider.data) == len(without.data) == 1
    assert len(with_slider.to_json()) - len(without.to_json()) < 200


def test_legend_below_moves_under_the_slider():
    short = rates_line_figure(daily("2024-01-01", 100), "t", "y")
    long = rates_line_figure(daily("2015-01-01", 1600), "t", "y")
    assert long.layout.legend.y < short.layout.legend.y < 0
    assert legend_below(long).layout.legend.y == long.layout.legend.y


def rect_spans(fig) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    return [(pd.Timestamp(s.x0), pd.Timestamp(s.x1)) for s in fig.layout.shapes if s.type == "rect"]


def test_recession_shapes_only_those_in_range_and_clipped_to_it():
    fig = add_recessions(line_figure(daily("2005-01-03", 50), "t", "y"), "2005-01-01", "2012-12-31")
    assert len(rect_spans(fig)) == 1  # 2007-12 to 2009-06 only
    (start, end), = rect_spans(fig)
    assert start == pd.Timestamp("2007-12-01") and end == pd.Timestamp("2009-06-30")
    clipped = add_recessions(line_figure(daily("2008-06-02", 50), "t", "y"), "2008-06-01", "2012-12-31")
    assert rect_spans(clipped)[0][0] == pd.Timestamp("2008-06-01")
    assert rect_spans(add_recessions(line_figure(daily("2015-01-01", 5), "t", "y"), "2015-01-01", "2019-12-31")) == []


def test_long_macro_charts_shade_the_dates_actually_shown():
    index = pd.date_range("1995-01-31", "2024-12-31", freq="ME")
    frame = pd.DataFrame({"a": np.where(index >= "2005-01-01", 1.0, np.nan)}, index=index)
    spans = rect_spans(rates_line_figure(frame, "t", "y"))
    assert spans and all(end >= pd.Timestamp("2005-01-31") for _, end in spans)  # no 2001 recession
    assert rect_spans(rates_line_figure(frame.loc["2022":], "t", "y")) == []  # short: no shading


def test_add_range_slider_is_a_no_op_on_short_or_empty_frames():
    fig = line_figure(daily("2024-01-01", 5), "t", "y")
    assert not has_range_slider(add_range_slider(fig, pd.DatetimeIndex([])))


def test_plotted_breaks_the_line_at_holes_but_not_at_weekends_or_holidays():
    days = pd.bdate_range("2024-01-01", periods=60)
    holiday = days[10]
    hole = days[30:36]  # six trading days missing: Friday to the Monday after next is 10 days
    kept = days.drop([holiday, *hole])
    series = pd.Series(np.arange(len(kept), dtype=float), kept)
    series.iloc[5] = np.nan  # a NaN observation is dropped, never drawn as a value
    line = plotted(series)
    breaks = line[line.isna()].index
    assert list(breaks) == [days[29] + pd.Timedelta(days=1)]  # one break, a day into the hole
    assert line.dropna().index.equals(kept.drop(kept[5]))
    monthly = pd.Series(1.0, pd.date_range("2020-01-01", periods=24, freq="MS").drop(pd.Timestamp("2021-03-01")))
    assert list(plotted(monthly)[lambda s: s.isna()].index) == [pd.Timestamp("2021-02-02")]
    assert plotted(pd.Series(1.0, days)).notna().all()  # no holes, nothing added


def test_a_hole_in_the_data_is_a_break_in_the_drawn_line():
    days = pd.bdate_range("2024-01-01", periods=40)
    frame = pd.DataFrame({"a": np.arange(40.0)}, index=days).drop(days[20:27])
    (trace,) = line_figure(frame, "t", "y").data
    assert np.isnan(np.asarray(trace.y, dtype=float)).sum() == 1
    assert trace.connectgaps is not True


# --- Finished figures: their dict is computed once and never changes --------------------------------

def test_a_finished_figure_gives_the_dict_a_fresh_copy_would_and_carries_its_inputs():
    fig = line_figure(daily("2024-01-01", 300, ("a", "b")), "t", "y")
    done = finished(fig, ("a", "b"))
    assert done is fig and done.layout.meta == {"inputs": ["a", "b"]}
    assert json.dumps(done.to_dict(), sort_keys=True, default=str) == json.dumps(
        go.Figure.to_dict(done), sort_keys=True, default=str)
    assert done.to_dict() is done.to_dict()  # computed once, not per call
    assert finished(done, ["a", "b"]) is done  # finishing again with the same inputs is a no-op
    with pytest.raises(ValueError):
        finished(done, ("a",))  # would change a figure every session may be drawing


def test_finished_figures_send_days_as_dates_without_a_time():
    """Daily x as YYYY-MM-DD (13 bytes of JSON a point instead of 29); the same days."""
    frame = daily("2024-01-01", 300, ("a",))
    done = finished(line_figure(frame, "t", "y")).to_dict()
    xs = [trace["x"] for trace in done["data"] if len(trace.get("x", ())) == len(frame)]
    assert xs and all(list(x) == [f"{day:%Y-%m-%d}" for day in frame.index] for x in xs)
    assert "2024-01-01T00:00:00" not in json.dumps(done, default=str)


def test_only_dates_at_midnight_lose_their_time():
    days = pd.DatetimeIndex(["2024-01-02", None, "2024-01-04"])
    assert list(day_strings(days)) == ["2024-01-02", "NaT", "2024-01-04"]
    assert list(day_strings(list(days[[0, 2]]))) == ["2024-01-02", "2024-01-04"]  # Timestamps in a list
    assert day_strings(pd.DatetimeIndex(["2024-01-02 09:30", "2024-01-03"])) is None  # an intraday time
    assert day_strings(np.array([1.0, 2.0])) is None and day_strings(["a", "b"]) is None
    assert day_strings(None) is None and day_strings(()) is None


def draw_finished_and_fresh():
    """AppTest script: the same chart drawn finished and as a fresh figure."""
    import numpy as np
    import pandas as pd
    import streamlit as st

    from components.charts import compact_dates, finished, line_figure

    days = pd.bdate_range("2024-01-01", periods=300, name="date")
    frame = pd.DataFrame({"a": np.linspace(1.0, 2.0, 300)}, index=days)
    fig = line_figure(frame, "t", "y")
    fig.update_layout(meta={"inputs": ["a"]})
    compact_dates(fig)
    st.plotly_chart(finished(line_figure(frame, "t", "y"), ("a",)), key="finished")
    st.plotly_chart(fig, key="fresh")


def test_streamlit_sends_a_finished_figure_exactly_as_a_fresh_one():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(draw_finished_and_fresh).run()
    done, fresh = (json.loads(chart.proto.spec) for chart in at.get("plotly_chart"))
    assert done == fresh and done["layout"]["meta"] == {"inputs": ["a"]}


def test_charts_are_serialised_with_orjson():
    import plotly.io as pio

    assert json_engine() == "orjson" and pio.json.config.default_engine in ("auto", "orjson")
