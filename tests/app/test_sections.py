"""Cached page sections (``components.loaders.section``): a view drawn from sections another view
left in the cache is exactly the view drawn from an empty cache, and drawing never changes a
finished figure (``components.charts.FinishedFigure``) that every session shares."""

from __future__ import annotations

import datetime as dt
import gc
import json

import plotly.graph_objects as go
import pytest
import streamlit as st

from components.charts import FinishedFigure
from tests.app.conftest import assert_clean, figures
from tools.sessions import VIEWS

PAGES = tuple(dict.fromkeys(path for path, _ in VIEWS))
WIDGET_PARAMS = ("range", "start", "end")  # bound widgets whose URL value AppTest drops on switch_page


def open_view(run_page, path: str, params: dict[str, str]):
    """``path`` with ``params`` as a visitor's link would open it (the date range set through its
    widgets, which AppTest does not take from the URL of a sub-page)."""
    if path == "app.py":
        return run_page(None, **params)
    at = run_page(path, **{k: v for k, v in params.items() if k not in WIDGET_PARAMS})
    widgets = {k: v for k, v in params.items() if k in WIDGET_PARAMS}
    if widgets:
        for name, value in widgets.items():
            at.session_state[name] = value if name == "range" else dt.date.fromisoformat(value)
        at.run()
    return at


def drawn(at) -> tuple[list[dict], list[str]]:
    """What a visitor gets: every figure (as sent) and every text block."""
    assert_clean(at)
    return figures(at), [m.value for m in at.markdown]


@pytest.mark.parametrize("path", PAGES)
def test_every_view_from_a_shared_cache_equals_the_view_from_an_empty_one(run_page, path):
    views = [params for page, params in VIEWS if page == path]
    cold = []
    for params in views:
        st.cache_resource.clear()  # nothing computed yet (the Parquet copy stays: data are the same)
        cold.append(drawn(open_view(run_page, path, params)))
    for params in views:  # every view's sections are now in the cache, next to the others'
        open_view(run_page, path, params)
    for params, expected in zip(views, cold):
        assert drawn(open_view(run_page, path, params)) == expected, params


def test_drawing_pages_never_changes_a_finished_figure(run_page):
    for path, params in VIEWS[::2]:
        open_view(run_page, path, params)
        open_view(run_page, path, params)  # a warm run draws the cached figures again
    done = [o for o in gc.get_objects() if isinstance(o, FinishedFigure)]
    assert len(done) >= len(PAGES)
    for fig in done:
        assert json.dumps(fig.to_dict(), sort_keys=True, default=str) == json.dumps(
            go.Figure.to_dict(fig), sort_keys=True, default=str)


def test_every_download_is_built_on_click_and_never_reruns_the_page(run_page):
    """Each "Download CSV" is a deferred file (built when clicked, not on every run) whose click
    does not rerun the page: a rerun registers a new file id while the browser asks for the old
    one, and a fast warm run won that race (no download, 1 click in 8 on this machine). Every
    page but the overview (cards, no chart blocks) has at least one."""
    buttons = {}
    for path in PAGES:
        params = next(params for page, params in VIEWS if page == path)
        buttons[path] = open_view(run_page, path, params).get("download_button")
    assert [path for path, found in buttons.items() if not found] == ["app.py"]
    for path, found in buttons.items():
        for button in found:
            assert button.proto.deferred_file_id and button.proto.ignore_rerun, (path, button.proto.label)
