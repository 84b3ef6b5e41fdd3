"""``page_frame()``: the first call of every page.

Page config, the FRED key and the SEC User-Agent from st.secrets into the environment, our own navigation
(Streamlit's automatic menu is off in config.toml; links carry the shared URL state), a
"Share" popover with a copyable link to the current view, the shared sidebar date range,
and the data-status badge.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import streamlit as st

from components.controls import (
    DateWindow,
    date_window_control,
    shareable_params,
    shared_window_params,
    show_notes,
    track_shareable_params,
)
from components.loaders import begin_page, data_as_of, snapshot_mode
from components.routes import PAGES
from data_sources.sec import SEC_USER_AGENT_ENV

APP_TITLE = "Cost-of-capital rally monitor"
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class PageContext:
    """What every page needs after the frame: the data's date and the chosen window."""

    as_of: dt.date
    window: DateWindow


def page_frame(title: str, icon: str = ":material/monitoring:") -> PageContext:
    """Set up the page; returns the as-of date and the sidebar's date window."""
    st.set_page_config(page_title=f"{title} · {APP_TITLE}", page_icon=icon, layout="wide")
    begin_page()
    copy_secret_to_env("FRED_API_KEY")
    copy_secret_to_env(SEC_USER_AGENT_ENV)
    with st.sidebar:
        st.markdown(f"**{APP_TITLE}**")
        links = st.container()  # filled once the shared date range has been checked
        st.divider()
    share_link()
    as_of = data_as_of()
    window = date_window_control(as_of)
    navigation(links, shared_window_params())
    data_badge(as_of)
    st.title(title)
    show_notes(window.notes)
    return PageContext(as_of=as_of, window=window)


def copy_secret_to_env(name: str) -> None:
    """Copy one secret from st.secrets into the environment, if there is one (never shown)."""
    if os.environ.get(name):
        return
    try:
        value = st.secrets.get(name)
    except Exception:  # no secrets file at all is the normal case for local runs
        value = None
    if value:
        os.environ[name] = str(value)


def navigation(links, shared: dict[str, str]) -> None:
    """Links to every existing page in the ``links`` container, carrying the shared date
    parameters that were validated this run (never a raw URL value)."""
    existing = [(path, label) for path, label in PAGES if (ROOT / path).is_file()]
    with links:
        # With no pages/ folder Streamlit runs single-page and has nothing to link to.
        for path, label in existing if len(existing) > 1 else ():
            st.page_link(path, label=label, query_params=shared)


def share_url(page_url: str | None, params: list[tuple[str, str]]) -> str:
    """The link to share: ``page_url`` (scheme, host and path only) plus ``params`` urlencoded.

    ``page_url`` comes from the browser (``st.context.url``, which has no query string); a
    scheme other than http(s) is dropped, leaving a relative link, and the path is
    percent-quoted. ``params`` must already be validated (see ``controls.shareable_params``).
    """
    parts = urlsplit(page_url or "")
    base = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
    path = quote(parts.path or "/", safe="/-._~") if base else ""
    query = urlencode(params)
    return f"{base}{path}{'?' + query if query else ''}" or "/"


def share_link() -> None:
    """A "Share" popover in the sidebar with the current view's link in a copyable code box.

    The box is redrawn each time a control's check changes the link (so it ends up with every
    validated parameter of the page); nothing unchecked is ever echoed. A check that leaves
    the link as it was (a parameter the URL does not carry) sends nothing.
    """
    with st.sidebar.popover("Share", icon=":material/link:", width="stretch"):
        st.caption("Link to this page with the current settings (copy button at the right):")
        slot = st.empty()
    shown = None  # the link in the box

    def redraw() -> None:
        nonlocal shown
        link = share_url(st.context.url, shareable_params())
        if link != shown:
            shown = link
            slot.code(link, language=None, wrap_lines=True)

    track_shareable_params(redraw)
    redraw()


def data_badge(as_of: dt.date) -> None:
    """Where the data comes from (live, snapshot) and its reference date."""
    mode = "Offline snapshot" if snapshot_mode() else "Live: Yahoo Finance + FRED + SEC EDGAR"
    key_note = " · FRED API key" if os.environ.get("FRED_API_KEY") else ""
    st.sidebar.caption(f":material/database: {mode}{key_note} · data as of {as_of:%Y-%m-%d}")
