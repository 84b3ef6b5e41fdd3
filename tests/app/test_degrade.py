"""Every page loses exactly the panels that need a missing or broken series, and says so.

FAULTS.md rows: "any one catalogue series missing (snapshot file absent, upstream dead, store
empty)", "a series present but empty after the window cut, all-NaN, or one point", and odd
files (truncated mid-line, garbage or inf values, duplicate or unsorted dates, all blank).

How: a private mirror of the shared snapshot (symlinks; the shares file is a real copy so one
company can be cut out of it). Every page is rendered once on the whole mirror (the
baseline), then once per catalogue series with that series' file taken away and its Parquet
cache entry deleted. The mirror's path never changes, so the other series stay warm in the
Parquet cache and a case costs about five warm page runs.

What must hold on every page, for every series K:
- no exception element and no traceback text;
- every chart whose inputs (``layout.meta.inputs``, set by ``panels.chart_block``; for the
  overview's sparklines the claim's declared inputs) do not include K is drawn exactly as in
  the baseline, and so is every scorecard card whose claim does not read K;
- if anything on the page was drawn from K, a note names it by its source id, e.g.
  "(DFEDTARU)"; if nothing was, no note names it.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.views.overview import CLAIM_OPTIONAL, claim_inputs, claim_reads
from data_sources.cache import SeriesStore, SnapshotUpstream
from data_sources.catalogue import SeriesSpec, catalogue
from data_sources.snapshot import snapshot_path
from tests.app.conftest import APP
from tests.conftest import SNAPSHOT_AS_OF, SNAPSHOT_DIR

PAGES = ("pages/1_fed-path.py", "pages/2_small-caps.py", "pages/3_sp500-hybrid.py", "pages/4_inflation.py",
         "pages/5_events.py")
EVENTS_PAGE = "pages/5_events.py"
# Macro days draws only from the S&P 500, the Russell 2000 and the 2-year yield (its drill-down,
# which reads more, needs an ``event`` in the link; the baseline test checks the inputs). Besides
# the baseline it is rendered only when one of those series is changed, and for one unrelated
# series (the 10-year yield: a rate it must not read); the other ~70 cases would add about half a
# minute of identical renders.
EVENTS_INPUTS, EVENTS_CONTROL = {"spx", "rut", "t_2y"}, "t_10y"
EVENTS_RENDERED_FOR = EVENTS_INPUTS | {EVENTS_CONTROL}
SHARES_FILE = Path("shares") / "shares_outstanding.csv"
SPECS = {spec.key: spec for spec in catalogue(SNAPSHOT_AS_OF)}
SPARK_PREFIX = "overview.spark"
# Series a page reads for a panel that is not a chart (a table, a sentence): a note there is due.
TABLE_INPUTS = {"pages/4_inflation.py": {"unrate", "core_pce"}}


@dataclass
class Page:
    """What one page showed: charts by element key, notes, card texts by claim number."""

    charts: dict[str, dict]
    notes: list[str]
    cards: dict[int, str]
    texts: list[str]
    exceptions: list[str]

    def inputs(self, key: str) -> tuple[str, ...]:
        """The series a chart on this page was drawn from."""
        if key.startswith(SPARK_PREFIX):
            return claim_inputs(int(key.removeprefix(SPARK_PREFIX)), SNAPSHOT_AS_OF)
        return tuple(self.charts[key].get("layout", {}).get("meta", {}).get("inputs", ()))

    def drawn_from(self) -> set[str]:
        """Every series some chart or card on this page was drawn from."""
        used = {k for key in self.charts for k in self.inputs(key)}
        return used | {k for number in self.cards for k in claim_inputs(number, SNAPSHOT_AS_OF)}


def mirror(source: Path, target: Path) -> Path:
    """``target`` holding symlinks to every snapshot file, the shares file as a real copy."""
    for path in source.rglob("*"):
        if path.is_file():
            link = target / path.relative_to(source)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(path)
    shares = target / SHARES_FILE
    shares.unlink()
    shutil.copyfile(source / SHARES_FILE, shares)
    return target


def series_file(snapshot: Path, spec: SeriesSpec) -> Path:
    return snapshot / SHARES_FILE if spec.source == "yahoo_shares" else snapshot_path(snapshot, spec)


def take_away(snapshot: Path, spec: SeriesSpec) -> None:
    """Remove ``spec``'s data from the mirror: its file, or its company's rows of the shares file."""
    path = series_file(snapshot, spec)
    if spec.source == "yahoo_shares":
        counts = pd.read_csv(path)
        counts[counts["symbol"] != spec.source_id].to_csv(path, index=False)
    elif path.is_symlink() or path.exists():
        path.unlink()


def put_back(snapshot: Path, spec: SeriesSpec) -> None:
    path = series_file(snapshot, spec)
    original = SNAPSHOT_DIR / path.relative_to(snapshot)
    if spec.source == "yahoo_shares":
        shutil.copyfile(original, path)
    elif original.exists() and not path.is_symlink():
        path.symlink_to(original)


@contextlib.contextmanager
def changed(snapshot: Path, store: SeriesStore, spec: SeriesSpec, text: str | None = None):
    """``spec``'s data taken away from the mirror (``text`` None) or replaced by ``text``, with
    its Parquet cache entry deleted, for the duration of the block; put back afterwards."""
    entry = Path(store.entry_path(spec))
    take_away(snapshot, spec)
    if text is not None:
        snapshot_path(snapshot, spec).write_text(text, encoding="utf-8")
    entry.unlink(missing_ok=True)
    try:
        yield
    finally:
        if text is not None:
            snapshot_path(snapshot, spec).unlink()
        put_back(snapshot, spec)
        entry.unlink(missing_ok=True)


def render_all(changed_key: str | None = None) -> dict[str, Page]:
    """Every page's charts, notes and cards, in one session (overview first); with series
    ``changed_key`` changed, the events page only if it is in ``EVENTS_RENDERED_FOR``."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["history"] = "true"  # the verdict history open: its grid reads every claim's inputs
    at.run()
    pages = {"overview": collect(at)}
    skipped = () if changed_key is None or changed_key in EVENTS_RENDERED_FOR else (EVENTS_PAGE,)
    for page in (p for p in PAGES if p not in skipped):
        at.switch_page(page)
        at.run()
        pages[page] = collect(at)
    return pages


def collect(at: AppTest) -> Page:
    charts = {chart.key: json.loads(chart.proto.spec) for chart in at.get("plotly_chart")}
    notes = [e.value for e in (*at.info, *at.warning, *at.error)]
    markdown = [m.value for m in at.markdown]
    cards = {int(text[2]): text for text in markdown if text[:2] == "**" and text[2].isdigit() and text[3] == "."}
    texts = [*notes, *markdown, *(c.value for c in at.caption)]
    return Page(charts, notes, cards, texts, [e.value for e in at.exception])


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The mirror, its store (to delete cache entries), the baseline render and the series
    the snapshot has (it lacks a few, e.g. the 6-month bill: nothing new to say about those)."""
    root = tmp_path_factory.mktemp("degrade")
    snapshot = mirror(SNAPSHOT_DIR, root / "snapshot")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASH_SNAPSHOT", str(snapshot))
        patch.setenv("DASH_CACHE_DIR", str(root / "cache"))
        patch.delenv("FRED_API_KEY", raising=False)
        patch.delenv("DASH_SHARES", raising=False)
        store = SeriesStore(SnapshotUpstream(snapshot), root / "cache")
        present = set(store.load(SPECS).series)  # the snapshot lacks a few (e.g. the 6-month bill)
        baseline = render_all()
        yield snapshot, store, baseline, present
    st.cache_data.clear()
    st.cache_resource.clear()


def assert_clean(page: Page, where: str) -> None:
    assert not page.exceptions, (where, page.exceptions)
    assert not any("Traceback" in text for text in page.texts), where


def test_the_baseline_draws_every_page_cleanly(world):
    baseline = world[2]
    for name, page in baseline.items():
        assert_clean(page, name)
        assert page.charts, name
    assert sorted(baseline["overview"].cards) == list(range(1, 10))  # claim 9: macro days
    # The events page is skipped for the other series: it must draw from no other.
    assert baseline[EVENTS_PAGE].drawn_from() == EVENTS_INPUTS
    # Every chart names its inputs, so "unchanged" below really compares the panels without K.
    for name, page in baseline.items():
        for key in page.charts:
            assert page.inputs(key) or key == "small-caps.duration", (name, key)


@pytest.mark.parametrize("key", sorted(SPECS))
def test_one_missing_series_takes_only_its_panels_and_is_named(world, key):
    snapshot, store, baseline, present = world
    spec = SPECS[key]
    with changed(snapshot, store, spec):
        after = render_all(key)
    named = f"({spec.source_id})"
    for name, page in after.items():
        before = baseline[name]
        assert_clean(page, name)
        for chart, fig in before.charts.items():
            if key not in before.inputs(chart):
                assert page.charts.get(chart) == fig, f"{name}: {chart} changed without {key} among its inputs"
        for number, text in before.cards.items():
            if key not in claim_reads(number, SNAPSHOT_AS_OF):
                assert page.cards.get(number) == text, f"{name}: claim {number} changed without reading {key}"
        naming = [note for note in page.notes if named in note]
        if any(key in CLAIM_OPTIONAL.get(number, ()) for number in before.cards):  # scored without it: the card says so
            naming += [t for t in page.texts if t.startswith("Scored without") and named in t]
        if key in before.drawn_from() and key in present:
            assert naming, f"{name}: no note names the missing {spec.label} {named}"
        elif key not in before.drawn_from() | TABLE_INPUTS.get(name, set()):
            assert not naming, f"{name}: a note names {named}, but nothing on the page is drawn from it"


# --- Odd files: each replaces one series' file in the mirror ------------------------------------


def reversed_with_duplicates(text: str) -> str:
    header, *rows = text.strip().split("\n")
    return "\n".join([header, *reversed(rows), *rows[-5:]]) + "\n"


def with_values(text: str, value: str, every: int = 50) -> str:
    """Every ``every``-th row's last column (FRED's value, Yahoo's Volume) and Close set to ``value``."""
    header, *rows = text.strip().split("\n")
    columns = header.split(",")
    target = columns.index("Close") if "Close" in columns else 1
    out = []
    for n, row in enumerate(rows):
        cells = row.split(",")
        if n % every == 0:
            cells[target] = value
        out.append(",".join(cells))
    return "\n".join([header, *out]) + "\n"


def blank_values(text: str) -> str:
    header, *rows = text.strip().split("\n")
    return "\n".join([header, *(row.split(",")[0] + "," * header.count(",") for row in rows)]) + "\n"


def header_only(text: str) -> str:
    return text.split("\n", 1)[0] + "\n"


def one_point(text: str) -> str:
    header, *rows = text.strip().split("\n")
    return f"{header}\n{rows[-1]}\n"


def truncated_mid_line(text: str) -> str:
    return text.rstrip()[:-7]


def future_row(text: str) -> str:
    header, *rows = text.strip().split("\n")
    return "\n".join([header, *rows, "2099-01-01" + rows[-1][len("2026-08-21"):]]) + "\n"


ODD_FILES = {  # name -> (text -> text, whether the series is still usable afterwards)
    "reversed-with-duplicates": (reversed_with_duplicates, True),
    "inf-values": (lambda text: with_values(text, "inf"), True),
    "huge-values": (lambda text: with_values(text, "1e999"), True),
    "zero-prices": (lambda text: with_values(text, "0"), True),
    "truncated-mid-line": (truncated_mid_line, True),
    "future-dated-row": (future_row, True),
    "one-point": (one_point, True),
    "all-blank-values": (blank_values, False),
    "header-only": (header_only, False),
    "empty-file": (lambda text: "", False),
    "garbage": (lambda text: "\x00\x17<html>not a table</html>\n", False),
}
ODD_SERIES = ("t_2y", "rut")


@pytest.mark.parametrize("key", ODD_SERIES)
@pytest.mark.parametrize("odd", sorted(ODD_FILES))
def test_odd_files_degrade_to_a_named_note_or_clean_data(world, odd, key):
    snapshot, store, baseline, _ = world
    spec = SPECS[key]
    change, usable = ODD_FILES[odd]
    with changed(snapshot, store, spec, change(snapshot_path(SNAPSHOT_DIR, spec).read_text(encoding="utf-8"))):
        after = render_all(key)
    named = f"({spec.source_id})"
    for name, page in after.items():
        before = baseline[name]
        assert_clean(page, name)
        assert not any("inf%" in text or "nan%" in text.lower() for text in page.texts), name
        for chart, fig in before.charts.items():
            if key not in before.inputs(chart) or odd in ("reversed-with-duplicates", "future-dated-row"):
                assert page.charts.get(chart) == fig, f"{name}: {chart} changed ({odd} {key})"
        if not usable and key in before.drawn_from():
            assert any(named in note for note in page.notes), f"{name}: no note names the unusable {named}"
    # The data's date comes from clean data: never 2099, never an older date from a reversed file.
    assert f"Scored on the data as of {SNAPSHOT_AS_OF:%Y-%m-%d}." in after["overview"].texts
