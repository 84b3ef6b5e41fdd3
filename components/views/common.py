"""What every page's view module shares: the ``View`` a chart shows, picking loaded series,
reading their latest values, and the words takeaways are made of.

Views compute; they never load (pages do, through ``components.loaders``), never draw and
never call Streamlit. Series names and symbols come from the catalogue.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from analytics.breadth import WINDOWS, trailing_return_pct
from analytics.transforms import BP_PER_PERCENTAGE_POINT
from components.controls import DateWindow
from data_sources.cache import LoadResult
from data_sources.catalogue import STATIC_BY_KEY

RECENT = "3M"  # "what it means now": the recent stretch every takeaway compares with
RECENT_OBS = WINDOWS[RECENT]
EQUAL_TOLERANCE_PCT = 0.05  # moves smaller than this (in % or pp) read as "flat"
CORE_PCE_YOY_NAME = "Core PCE inflation, YoY"  # a derived series two pages draw


@dataclass(frozen=True)
class View:
    """What one chart shows: its frame (also the CSV), the dates covered and a takeaway."""

    frame: pd.DataFrame
    takeaway: str
    start: pd.Timestamp | None = None
    end: pd.Timestamp | None = None

    @property
    def empty(self) -> bool:
        return self.frame.dropna(how="all").empty


EMPTY = View(pd.DataFrame(), "Not enough data in this date range.")


def no_data(available: pd.DataFrame | pd.Series) -> View:
    """The empty view, saying where the chart's data ends when it ends before the range."""
    if len(available) == 0:
        return EMPTY
    return View(pd.DataFrame(), f"Not enough data in this date range: this chart's data ends {day_text(available.index[-1])}.")


def has_all(result: LoadResult, keys) -> bool:
    """Whether every one of ``keys`` loaded with data (the load shows banners for the rest)."""
    return all(k in result.series for k in keys)


def series_of(result: LoadResult, keys) -> tuple[pd.Series, ...]:
    """The loaded series of ``keys``, in that order."""
    return tuple(result.series[k] for k in keys)


def day_text(stamp) -> str:
    return f"{pd.Timestamp(stamp):%Y-%m-%d}"


def span_words(window: DateWindow) -> str:
    """The window in words: "over the last 3Y", "over all history", "over 2024-01-02 to ..."."""
    return f"over the {window.label}" if window.label.startswith("last") else f"over {window.label}"


def sentence_start(text: str) -> str:
    return text[:1].upper() + text[1:]


def signed(value: float, unit: str = "%", digits: int = 1) -> str:
    return f"{value:+.{digits}f}{unit}" if not math.isnan(value) else "n/a"


def direction(value: float, up: str, down: str, flat: str) -> str:
    if math.isnan(value) or abs(value) < EQUAL_TOLERANCE_PCT:
        return flat
    return up if value > 0 else down


def on_common_dates(*series: pd.Series) -> pd.DataFrame:
    """The series side by side on the dates where all have a value."""
    return pd.concat(series, axis=1, join="inner", sort=True).dropna()


def window_rows(frame: pd.DataFrame, window: DateWindow) -> pd.DataFrame:
    return window.clip(frame).dropna(how="all")


def recent_change(level: pd.Series, window: DateWindow) -> float:
    """% change of ``level`` over the last ``RECENT`` months up to the window's end (full
    history, so a short window still gets its reading)."""
    return trailing_return_pct(level.loc[: pd.Timestamp(window.end)], RECENT_OBS)


def symbols(keys) -> dict[str, str]:
    """Catalogue key -> the source's symbol (``xle`` -> ``XLE``), for short chart labels."""
    return {k: STATIC_BY_KEY[k].source_id for k in keys}


def labels(keys) -> dict[str, str]:
    """Catalogue key -> its label (``xle`` -> ``Energy sector (SPDR XLE)``)."""
    return {k: STATIC_BY_KEY[k].label for k in keys}


def latest(series: pd.Series | None, day=None) -> float:
    """Last non-NaN value on or before ``day`` (default: the last one), else NaN."""
    if series is None:
        return math.nan
    known = series.dropna()
    if day is not None:
        known = known.loc[: pd.Timestamp(day)]
    return float(known.iloc[-1]) if not known.empty else math.nan


def last_date(series: pd.Series | None) -> pd.Timestamp | None:
    """Date of the last non-NaN value, or None."""
    known = series.dropna() if series is not None else None
    return known.index[-1] if known is not None and not known.empty else None


def signed_bp(value_pp: float) -> str:
    """A difference in percentage points as whole basis points, e.g. '35 bp above'
    ('an unknown distance from' when it is not a finite number)."""
    if not math.isfinite(value_pp):
        return "an unknown distance from"
    bp = round(value_pp * BP_PER_PERCENTAGE_POINT)
    return f"{abs(bp)} bp {'above' if bp > 0 else 'below' if bp < 0 else 'level with'}"


def signed_pp(value_pp: float) -> str:
    """A difference in percentage points, e.g. '1.3 pp above'."""
    if not math.isfinite(value_pp):
        return "an unknown distance from"
    side = "above" if value_pp > 0 else "below" if value_pp < 0 else "level with"
    return f"{abs(value_pp):.1f} pp {side}"


def last_reading(series: pd.Series, units: str, what: str, fmt: str = ",.2f") -> str:
    """'<what> is 4.10% (Jul 2026)' style reading of a series' last value."""
    day = last_date(series)
    if day is None:
        return f"No {what} reading in this window"
    return f"{what} is {latest(series):{fmt}}{units} ({day:%b %Y})"


def metric(label: str, series: pd.Series | None, units: str = "%", fmt: str = ".2f") -> dict:
    """``st.metric`` arguments for a series' latest value, its date in the label."""
    day = last_date(series)
    if day is None:
        return {"label": label, "value": "n/a", "help": "No data for this series."}
    return {"label": f"{label} · {day:%Y-%m-%d}", "value": f"{latest(series):{fmt}}{units}"}


def shown_through(result: LoadResult, last_shown) -> LoadResult:
    """``result`` with each series' last date capped at ``last_shown`` (a date or timestamp).

    For the "as of" of a chart whose data ends before some of its inputs do (a ratio with
    a series that stopped earlier, a regression on common dates): the caption then names
    the last date actually plotted, not the freshest input.
    """
    day = pd.Timestamp(last_shown).date()
    capped = {
        key: replace(p, last_obs=min(p.last_obs, day)) if p.last_obs else p for key, p in result.provenance.items()
    }
    return LoadResult(series=result.series, provenance=capped)
