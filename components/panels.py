"""Small display blocks: "Source · as of" captions, CSV export, status tables, KPI rows."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import TypeVar

import numpy as np
import pandas as pd
import streamlit as st

from data_sources.cache import LoadResult
from components.charts import finished, png_config, thin
from components.controls import bool_param_valid, note_if_invalid, show_notes
from components.loaders import first_mention, no_data_said
from data_sources.errors import source_name

T = TypeVar("T")  # what a lazy expander's content returns


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def source_caption(result: LoadResult, keys) -> None:
    """Caption under a chart: each source with its ids and the latest as-of date shown."""
    provs = [result.provenance[k] for k in keys if k in result.provenance and result.provenance[k].last_obs]
    if not provs:
        return
    parts = []
    for source in dict.fromkeys(p.source for p in provs):
        ids = ", ".join(p.source_id for p in provs if p.source == source)
        parts.append(f"{source_name(source)} ({ids})")
    as_of = max(p.last_obs for p in provs)
    stale = " · refresh failed, older copy shown" if any(p.stale for p in provs) else ""
    st.caption(f"Source: {'; '.join(parts)} · as of {as_of:%Y-%m-%d}{stale}")


def csv_download(frame: pd.DataFrame, name: str, as_of, key: str, plotted_rows: bool = False) -> None:
    """A download button with exactly ``frame`` as CSV, named ``<name>_<as_of>.csv``; with
    ``plotted_rows`` only the rows a chart draws of it (``charts.thin``).

    The CSV (and the thinning, 20–40 ms on a long daily frame) is built only when someone clicks
    (a callable), not on every run of the page. The click does not rerun the page
    (``on_click="ignore"``): a rerun would replace the button's deferred file id while the
    browser is still asking for the old one, and a fast warm run lost that race (no download).
    """
    st.download_button(
        "Download CSV",
        lambda: (thin(frame) if plotted_rows else frame).to_csv(date_format="%Y-%m-%d").encode(),
        file_name=f"{_slug(name)}_{as_of:%Y-%m-%d}.csv",
        mime="text/csv",
        key=key,
        on_click="ignore",
        icon=":material/download:",
    )


def status_frame(result: LoadResult) -> pd.DataFrame:
    """One row per series: what it is, where from, first/last date, fetched at, status."""
    rows = [
        {
            "Series": p.label,
            "Source": source_name(p.source),
            "Id": p.source_id,
            "First": p.first_obs,
            "Last": p.last_obs,
            "Fetched (UTC)": p.fetched_at.strftime("%Y-%m-%d %H:%M") if p.fetched_at else None,
            "Status": p.status,
            "Problem": p.error or "",
            "Data notes": p.note or "",
        }
        for p in result.provenance.values()
    ]
    return pd.DataFrame(rows)


def available(result: LoadResult, keys, what: str = "This chart") -> bool:
    """True when every series of ``keys`` loaded with data. Otherwise shows one note naming
    the missing series (label and source id) and why each failed, and returns False, so the
    panel is skipped and the rest of the page is unaffected.

    The reason is given the first time a series comes up on a page; panels after that only
    name it. Nothing is said once the page has shown its "no data yet" banner.
    """
    missing = [result.provenance[k] for k in keys if k not in result.series and k in result.provenance]
    if not missing or no_data_said():
        return not missing
    named = []
    for p in missing:
        reason = f": {p.error}" if p.error and first_mention(f"missing:{p.key}") else ""
        named.append(f"{p.label} ({p.source_id}){reason}")
    st.warning(f"{what} is not shown: it needs {'; '.join(named)}. The rest of the page still works.",
               icon=":material/block:")
    return False


def scored_without(result: LoadResult, keys, what: str) -> None:
    """A caption naming the optional series of ``keys`` that did not load (label and source id),
    which ``what`` goes on without; nothing once the page said no data could be loaded."""
    missing = [result.provenance[k] for k in keys if k not in result.series and k in result.provenance]
    if missing and not no_data_said():
        st.caption(f"{what} without {'; '.join(f'{p.label} ({p.source_id})' for p in missing)}.")


def lazy_expander(label: str, key: str, draw: Callable[[], T], bind: bool = False) -> T | None:
    """A collapsed expander whose content (``draw()``) runs only while it is open: opening or
    closing it reruns the page, so a closed one costs neither server time nor browser drawing.
    ``bind``: its state is the URL parameter ``key``, so a shared link opens it as it was; a
    value other than true/false leaves it closed, with a note above it.
    Returns what ``draw()`` returned, or None while closed."""
    if bind:  # a valid value is recorded as such, so the Share link carries it
        notes: list[str] = []
        note_if_invalid(key, bool_param_valid(key), notes)
        show_notes(notes)
    expander = st.expander(label, key=key, on_change="rerun", bind="query-params" if bind else None)
    if not expander.open:
        return None
    with expander:
        return draw()


MARKDOWN_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|$~"})  # markup in a table cell


def static_table(frame: pd.DataFrame, formats: dict[str, str], hide_index: bool = True) -> None:
    """A small read-only table as a Markdown table (``markdown_table``), numbers shown by
    ``formats`` ({column: format string, e.g. "{:+.2f}"}).

    For tables of a few rows that nobody sorts or selects. ``st.table`` and ``st.dataframe``
    make the browser load and run the Arrow decoder (about 0.75 MB of JavaScript for
    ``st.table``, 1.5 MB for the data grid): a four-row ``st.table`` added 0.25-0.4 s to a
    page's time to all charts drawn (bench/README.md); Markdown is already loaded.
    """
    st.markdown(markdown_table(frame, formats, hide_index))


def markdown_table(frame: pd.DataFrame, formats: dict[str, str], hide_index: bool = True) -> str:
    """``frame`` as a GitHub-flavoured Markdown table: a header row, numbers right-aligned,
    then one line per row (the index first unless ``hide_index``); cells by ``table_cell``."""
    shown = frame if hide_index else frame.reset_index(names=frame.index.name or "")
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) and not pd.api.types.is_bool_dtype(shown[c])
               for c in shown.columns]
    lines = ["| " + " | ".join(table_cell(c) for c in shown.columns) + " |",
             "|" + "|".join("---:" if right else "---" for right in numeric) + "|"]
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(table_cell(v, formats.get(c)) for c, v in zip(shown.columns, row)) + " |")
    return "\n".join(lines)


def table_cell(value, fmt: str | None = None) -> str:
    """One cell's text: "–" when missing, "Yes"/"No" for a boolean, a date as YYYY-MM-DD,
    else ``fmt`` (or ``str``); Markdown's markup characters escaped, so a label is shown as
    written (a ``$`` would start LaTeX in Streamlit, a ``|`` end the cell)."""
    if isinstance(value, (bool, np.bool_)):
        text = "Yes" if value else "No"
    elif value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    elif isinstance(value, (dt.date, pd.Timestamp)) and fmt is None:
        text = f"{value:%Y-%m-%d}"
    else:
        text = fmt.format(value) if fmt else str(value)
    return text.translate(MARKDOWN_ESCAPES)


def status_table(result: LoadResult) -> None:
    """The data-status table for every series in ``result``."""
    st.dataframe(status_frame(result), hide_index=True, width="stretch")


def chart_block(fig, frame: pd.DataFrame, result: LoadResult, keys, name: str, key: str, selectable: bool = False):
    """A chart with its "Source · as of" caption and a CSV of exactly the plotted data.

    ``selectable=True`` lets a person click points; Streamlit's selection event is returned.
    """
    as_of = max((result.provenance[k].last_obs for k in keys if result.provenance.get(k) and result.provenance[k].last_obs), default=None)
    stamp = f"{as_of:%Y-%m-%d}" if as_of else "no-data"
    options = {"on_select": "rerun", "selection_mode": "points"} if selectable else {}
    fig = finished(fig, keys)  # a figure finished in a cached section is only read
    event = st.plotly_chart(fig, key=key, config=png_config(f"{_slug(name)}_{stamp}"), theme="streamlit", **options)
    source_caption(result, keys)
    if as_of is not None:
        csv_download(frame, name, as_of, key=f"{key}.csv", plotted_rows=True)
    return event


METRICS_PER_ROW = 3  # more tiles per row truncate labels like "2-year yield · 2026-08-20"


def metric_row(metrics, per_row: int = METRICS_PER_ROW) -> None:
    """Rows of ``st.metric`` tiles; each item is a dict of st.metric arguments (label, value, ...)."""
    for first in range(0, len(metrics), per_row):
        chunk = metrics[first:first + per_row]
        for column, metric in zip(st.columns(per_row), chunk):
            with column:
                st.metric(**metric, border=True)


def model_chart_block(fig, frame: pd.DataFrame, name: str, note: str, as_of, key: str) -> None:
    """A chart of a model rather than of market data: ``note`` as its caption, CSV of ``frame``."""
    st.plotly_chart(fig, key=key, config=png_config(f"{_slug(name)}_{as_of:%Y-%m-%d}"), theme="streamlit")
    st.caption(note)
    csv_download(frame, name, as_of, key=f"{key}.csv")


def clicked_customdata(event):
    """The ``customdata`` of the first clicked point of a Plotly selection event (or None).

    A list-valued customdata gives its first item (by convention: the row's key).
    """
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    if not points:
        return None
    data = points[0].get("customdata")
    return data[0] if isinstance(data, (list, tuple)) and data else data


def uneven_ends_caption(result: LoadResult, keys, last_shown) -> None:
    """Caption naming inputs that end before ``last_shown`` (their data stops earlier)."""
    day = pd.Timestamp(last_shown).date()
    early = {}
    for p in (result.provenance[k] for k in keys if k in result.provenance):
        if p.last_obs and p.last_obs < day:
            early.setdefault(p.last_obs, []).append(p.source_id)
    if early:
        parts = "; ".join(f"{', '.join(ids)} end {d:%Y-%m-%d}" for d, ids in sorted(early.items()))
        st.caption(f"Not every input reaches {day:%Y-%m-%d}: {parts}.")


def sparkline(fig, key: str) -> pd.Timestamp | None:
    """Draw a ``charts.sparkline_figure`` (no mode bar); its points can be clicked: returns the
    date of the clicked point, or None."""
    event = st.plotly_chart(fig, key=key, config={"displayModeBar": False}, theme="streamlit",
                            on_select="rerun", selection_mode="points")
    return clicked_day(event)


def clicked_day(event) -> pd.Timestamp | None:
    """The x date of the first point selected in a ``st.plotly_chart(on_select=...)`` event."""
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    return pd.Timestamp(points[0]["x"]) if points and points[0].get("x") is not None else None
