"""Widgets <-> URL query parameters, with validation before any value is used.

Widgets are bound to the URL with Streamlit's ``bind="query-params"`` (the widget key is the
parameter name), so a shared link reproduces the view. Raw URL values are checked here first
so that a bad one is dropped with a short note instead of silently.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
import streamlit as st

from components.charts import ScaleChoice

DATE_PRESETS = ("1M", "3M", "6M", "YTD", "1Y", "3Y", "5Y", "10Y", "Max")
CUSTOM = "Custom"
DEFAULT_PRESET = "3Y"
PRESET_MONTHS = {"1M": 1, "3M": 3, "6M": 6, "1Y": 12, "3Y": 36, "5Y": 60, "10Y": 120}
EARLIEST_DATE = dt.date(1900, 1, 1)
SHARED_PARAMS = ("range", "start", "end")


@dataclass(frozen=True)
class DateWindow:
    """The date range a page shows, and any notes about URL values that were corrected."""

    start: dt.date | None  # None = from the first observation ("Max")
    end: dt.date
    label: str
    notes: tuple[str, ...] = field(default=())

    def clip(self, data: pd.DataFrame | pd.Series) -> pd.DataFrame | pd.Series:
        """Rows of ``data`` (date index) inside the window, both ends included."""
        start = pd.Timestamp(self.start) if self.start else None
        return data.loc[start : pd.Timestamp(self.end)]


def parse_date(raw: str | None) -> dt.date | None:
    """ISO ``YYYY-MM-DD`` -> date, or None for anything else (too long, bad digits, ...)."""
    if not raw or len(raw) > 10:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def parse_choice(raw: str | None, allowed: tuple[str, ...]) -> str | None:
    """``raw`` if it is exactly one of ``allowed`` (an allowlist), else None."""
    return raw if raw in allowed else None


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months earlier (``pd.DateOffset``: clamped to the
    month's last day, e.g. 31 May - 3 months = 28 or 29 February)."""
    return (pd.Timestamp(day) - pd.DateOffset(months=months)).date()


def resolve_window(preset: str | None, start: dt.date | None, end: dt.date | None, as_of: dt.date) -> DateWindow:
    """Turn a preset or a custom start/end into a valid window ending no later than ``as_of``.

    Rules: an unknown preset falls back to the default; a custom range is clamped to
    [1900-01-01, as_of]; start after end is swapped; each correction adds a note.
    """
    notes: list[str] = []
    if preset == CUSTOM:
        start = start or months_before(as_of, PRESET_MONTHS[DEFAULT_PRESET])
        end = end or as_of
        if end > as_of or start > as_of:
            notes.append(f"Dates after the latest data ({as_of}) were moved back to it.")
            end, start = min(end, as_of), min(start, as_of)
        if start < EARLIEST_DATE or end < EARLIEST_DATE:
            notes.append("Dates before 1900 were moved to 1900-01-01.")
            start, end = max(start, EARLIEST_DATE), max(end, EARLIEST_DATE)
        if start > end:
            notes.append("The start came after the end, so the two were swapped.")
            start, end = end, start
        return DateWindow(start, end, f"{start} to {end}", tuple(notes))
    if preset not in DATE_PRESETS:
        preset = DEFAULT_PRESET
    if preset == "Max":
        return DateWindow(None, as_of, "all history")
    if preset == "YTD":
        return DateWindow(dt.date(as_of.year, 1, 1), as_of, f"year to date ({as_of.year})")
    return DateWindow(months_before(as_of, PRESET_MONTHS[preset]), as_of, f"last {preset}")


def parse_float(raw: str | None, low: float, high: float) -> float | None:
    """A plain decimal number within [low, high], or None (no exponents, inf, nan or junk)."""
    if not raw or len(raw) > 12 or not all(c in "0123456789.-" for c in raw):
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


def raw_param(name: str, last: bool = False) -> str | None:
    """The URL value of ``name``, or None. For a repeated key, the value the bound widget
    will use: the FIRST for segmented controls, toggles and date inputs, the LAST
    (``last=True``) for number inputs and sliders (Streamlit 1.67's binding rules)."""
    values = st.query_params.get_all(name)
    return (values[-1] if last else values[0]) if values else None


def show_notes(notes) -> None:
    """Each note (e.g. from ``note_if_invalid``) as an info box where the caller is drawing."""
    for note in notes:
        st.info(note, icon=":material/info:")


def note_if_invalid(name: str, valid: bool, notes: list[str]) -> None:
    """Add a note when the link carried an invalid ``name``; the value itself is never echoed.

    Bound widgets drop invalid URL values themselves; this only tells the person why.
    """
    if raw_param(name) is not None and not valid:
        notes.append(f"Ignored an invalid value for '{name}' in the link.")
    _record_checked_param(name, valid)


# --- Which URL parameters a shared link may carry ------------------------------------------
# Every parameter the app reads goes through ``note_if_invalid``; the ones found valid in the
# current run form the allowlist of ``shareable_params``. Per script-run thread, reset by
# ``track_shareable_params`` at the start of each run (``page_frame`` does it).
_RUN = threading.local()


def track_shareable_params(on_change: Callable[[], None] | None = None) -> None:
    """Start a run's allowlist empty; ``on_change()`` is called each time a parameter is checked."""
    _RUN.valid, _RUN.on_change = set(), on_change


def _record_checked_param(name: str, valid: bool) -> None:
    checked = getattr(_RUN, "valid", None)
    if checked is None:
        return
    if valid:
        checked.add(name)
    else:
        checked.discard(name)
    if _RUN.on_change:
        _RUN.on_change()


def shareable_params() -> list[tuple[str, str]]:
    """(name, value) pairs of the URL that were checked and found valid this run, in URL order
    (repeated keys kept in order); unknown or invalid parameters are never included."""
    allowed = getattr(_RUN, "valid", set())
    return [(name, value) for name in st.query_params if name in allowed for value in st.query_params.get_all(name)]


def mark_valid(name: str) -> None:
    """Record ``name`` as checked and valid this run (a widget that holds a value the app set
    itself, e.g. a date picked by clicking a chart), so a shared link carries it."""
    _record_checked_param(name, True)


def shared_window_params() -> dict[str, str]:
    """The date-range parameters (``SHARED_PARAMS``) of this URL that were checked and found
    valid this run, for links to other pages; for a repeated key the first value (the one the
    bound widgets use)."""
    chosen: dict[str, str] = {}
    for name, value in shareable_params():
        if name in SHARED_PARAMS:
            chosen.setdefault(name, value)
    return chosen


def note_if_out_of_range(name: str, day: dt.date | None, as_of: dt.date, notes: list[str]) -> None:
    """Say why a well-formed date from the link is not used (the bound widget drops it)."""
    if day is not None and day < EARLIEST_DATE:
        notes.append(f"Ignored '{name}' from the link: dates before 1900 are not available.")
    elif day is not None and day > as_of:
        notes.append(f"Ignored '{name}' from the link: it is after the latest data ({as_of}).")


def date_window_control(as_of: dt.date) -> DateWindow:
    """Sidebar date range: presets 1M..Max or a custom range, mirrored into the URL."""
    notes: list[str] = []
    note_if_invalid("range", parse_choice(raw_param("range"), (*DATE_PRESETS, CUSTOM)) is not None, notes)
    for name in ("start", "end"):
        note_if_invalid(name, parse_date(raw_param(name)) is not None, notes)
        note_if_out_of_range(name, parse_date(raw_param(name)), as_of, notes)
    preset = st.sidebar.segmented_control(
        "Date range", (*DATE_PRESETS, CUSTOM), default=DEFAULT_PRESET, key="range", bind="query-params"
    )
    start = end = None
    if preset == CUSTOM:
        default_start = months_before(as_of, PRESET_MONTHS[DEFAULT_PRESET])
        start = st.sidebar.date_input(
            "From", value=default_start, min_value=EARLIEST_DATE, max_value=as_of, key="start", bind="query-params"
        )
        end = st.sidebar.date_input(
            "To", value=as_of, min_value=EARLIEST_DATE, max_value=as_of, key="end", bind="query-params"
        )
    window = resolve_window(preset or DEFAULT_PRESET, start, end, as_of)
    return DateWindow(window.start, window.end, window.label, (*notes, *window.notes))


BOOL_PARAM_VALUES = ("true", "false")


def bool_param_valid(key: str) -> bool:
    """Whether the URL value of ``key`` (the first, as a bound toggle or expander reads it) is
    true or false in any case, the values Streamlit's binding accepts."""
    raw = raw_param(key)
    return parse_choice(raw.lower() if raw else None, BOOL_PARAM_VALUES) is not None


def number_control(label: str, key: str, default: float, low: float, high: float, step: float,
                   notes: list[str], help: str | None = None) -> float:
    """A URL-bound number input (param ``key``) limited to [low, high]; a bad link value
    falls back to ``default`` with a note in ``notes``."""
    note_if_invalid(key, parse_float(raw_param(key, last=True), low, high) is not None, notes)
    return st.number_input(label, min_value=low, max_value=high, value=default, step=step, key=key,
                           bind="query-params", help=help)


def choices_valid(key: str, allowed: tuple[str, ...]) -> bool:
    """Whether every (possibly repeated) URL value of ``key`` is in the allowlist."""
    return all(parse_choice(value, allowed) is not None for value in st.query_params.get_all(key))


def choice_control(label: str, key: str, options: tuple[str, ...], default: str, notes: list[str],
                   help: str | None = None) -> str:
    """URL-bound segmented buttons (param ``key``); a value outside ``options`` falls back to
    ``default`` with a note in ``notes``."""
    note_if_invalid(key, choices_valid(key, options), notes)
    chosen = st.segmented_control(label, options, default=default, key=key, bind="query-params", help=help)
    return chosen or default


def tabs_control(key: str, panels: dict[str, Callable[[], None]]) -> str:
    """URL-bound tabs (param ``key`` = a tab label, the first by default), one per entry of
    ``panels`` ({label: function drawing that tab}); returns the open tab's label.

    Only the open tab's function runs: the others are neither computed on the server nor
    drawn in the browser until chosen, which keeps long pages fast. A label outside
    ``panels`` opens the first tab, with a note shown above the tabs; for a repeated key the
    last value counts, as it does for Streamlit's bound tabs.
    """
    labels, notes = tuple(panels), []
    note_if_invalid(key, parse_choice(raw_param(key, last=True), labels) is not None, notes)
    show_notes(notes)
    tabs = st.tabs(labels, default=labels[0], key=key, bind="query-params")
    for label, tab in zip(labels, tabs):
        if tab.open:
            with tab:
                panels[label]()
            return label
    return labels[0]


def url_choice(name: str, allowed: tuple[str, ...], notes: list[str]) -> str | None:
    """A URL parameter that no widget owns (e.g. a clicked chart point): the value if it is in
    ``allowed``, else None, with a note in ``notes`` when the link carried something else."""
    value = parse_choice(raw_param(name), allowed)
    note_if_invalid(name, value is not None, notes)
    return value


def slider_control(label: str, key: str, default: float, low: float, high: float, step: float,
                   notes: list[str], help: str | None = None) -> float:
    """A URL-bound slider (param ``key``) on [low, high]; a bad link value falls back to
    ``default`` with a note in ``notes``."""
    note_if_invalid(key, parse_float(raw_param(key, last=True), low, high) is not None, notes)
    return st.slider(label, min_value=low, max_value=high, value=default, step=step, key=key,
                     bind="query-params", help=help)


def scale_controls(prefix: str, notes: list[str], rebase: bool = True,
                   legacy_log: str | None = None) -> ScaleChoice:
    """A compact sidebar pair of URL-bound toggles for a page's price charts: "Log scale"
    (param ``<prefix>_log``, off by default) and, with ``rebase``, "Rebase to 100" (param
    ``<prefix>_rebase``, on by default; off shows actual levels). ``legacy_log`` names an
    older log parameter whose true/false value is still honoured (links already shared).
    """
    log_key, rebase_key = f"{prefix}_log", f"{prefix}_rebase"
    if legacy_log:
        _adopt_legacy_bool(legacy_log, log_key, notes)
    for key in (log_key, rebase_key) if rebase else (log_key,):
        note_if_invalid(key, bool_param_valid(key), notes)
    st.sidebar.caption("Price charts")
    with st.sidebar.container(horizontal=True):
        log = st.toggle("Log scale", key=log_key, bind="query-params", help="Logarithmic price axis")
        rebased = st.toggle("Rebase to 100", value=True, key=rebase_key, bind="query-params",
                            help="Off: actual prices instead of 100 at the window start") if rebase else True
    return ScaleChoice(log=log, rebase=rebased)


def _adopt_legacy_bool(old: str, new: str, notes: list[str]) -> None:
    """Give the widget ``new`` the true/false value of the older parameter ``old`` (then drop it)."""
    raw = raw_param(old)
    if raw is None:
        return
    valid = bool_param_valid(old)
    note_if_invalid(old, valid, notes)
    _record_checked_param(old, False)  # the link carries ``new`` from now on
    del st.query_params[old]
    if valid and raw_param(new) is None and new not in st.session_state:
        st.session_state[new] = raw.lower() == "true"
