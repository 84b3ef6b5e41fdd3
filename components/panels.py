"""Small display blocks: "Source · as of" captions, CSV export, status tables, KPI rows."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from data_sources.cache import LoadResult
from components.charts import png_config, thin
from components.loaders import SOURCE_NAMES


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
        parts.append(f"{SOURCE_NAMES.get(source, source)} ({ids})")
    as_of = max(p.last_obs for p in provs)
    stale = " · refresh failed, older copy shown" if any(p.stale for p in provs) else ""
    st.caption(f"Source: {'; '.join(parts)} · as of {as_of:%Y-%m-%d}{stale}")


def csv_download(frame: pd.DataFrame, name: str, as_of, key: str) -> None:
    """A download button with exactly ``frame`` as CSV, named ``<name>_<as_of>.csv``."""
    st.download_button(
        "Download CSV",
        frame.to_csv(date_format="%Y-%m-%d").encode(),
        file_name=f"{_slug(name)}_{as_of:%Y-%m-%d}.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


def status_frame(result: LoadResult) -> pd.DataFrame:
    """One row per series: what it is, where from, first/last date, fetched at, status."""
    rows = [
        {
            "Series": p.label,
            "Source": SOURCE_NAMES.get(p.source, p.source),
            "Id": p.source_id,
            "First": p.first_obs,
            "Last": p.last_obs,
            "Fetched (UTC)": p.fetched_at.strftime("%Y-%m-%d %H:%M") if p.fetched_at else None,
            "Status": p.status,
            "Problem": p.error or "",
        }
        for p in result.provenance.values()
    ]
    return pd.DataFrame(rows)


def status_table(result: LoadResult) -> None:
    """The data-status table for every series in ``result``."""
    st.dataframe(status_frame(result), hide_index=True, width="stretch")


def chart_block(fig, frame: pd.DataFrame, result: LoadResult, keys, name: str, key: str) -> None:
    """A chart with its "Source · as of" caption and a CSV of exactly the plotted data."""
    as_of = max((result.provenance[k].last_obs for k in keys if result.provenance.get(k) and result.provenance[k].last_obs), default=None)
    stamp = f"{as_of:%Y-%m-%d}" if as_of else "no-data"
    st.plotly_chart(fig, key=key, config=png_config(f"{_slug(name)}_{stamp}"), theme="streamlit")
    source_caption(result, keys)
    if as_of is not None:
        csv_download(thin(frame), name, as_of, key=f"{key}.csv")
