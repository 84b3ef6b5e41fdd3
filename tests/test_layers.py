"""Imports point down only: pages (and app.py) -> components -> analytics -> data_sources.
The benchmarks and tools (bench/, tools/) never import the tests.

Every .py file of the four layers is parsed with ``ast`` (nothing is imported or run), so a
folder that does not exist yet simply has no files to check.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

LAYER_RANK = {"data_sources": 0, "analytics": 1, "components": 2, "pages": 3}
ANALYTICS_ALLOWED = {"pandas", "numpy", "analytics"} | set(sys.stdlib_module_names)
DATA_SOURCES_BANNED = {"streamlit", "plotly"}


def layer_of(path: Path) -> str:
    """The layer a file belongs to; app.py is the overview page."""
    top = path.relative_to(REPO).parts[0]
    return "pages" if top == "app.py" else top


def layer_files() -> list[Path]:
    files = [REPO / "app.py"] if (REPO / "app.py").is_file() else []
    for folder in LAYER_RANK:
        files += sorted((REPO / folder).rglob("*.py")) if (REPO / folder).is_dir() else []
    return files


def imported_modules(source: str, own_layer: str) -> list[tuple[int, str]]:
    """(line, top-level module) of every import, including those inside functions."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, own_layer if node.level else node.module.split(".")[0]))
    return found


def violations(source: str, own_layer: str) -> list[str]:
    """Every import ``source`` (a file of ``own_layer``) must not make."""
    problems = []
    for line, module in imported_modules(source, own_layer):
        target = "pages" if module == "app" else module
        if LAYER_RANK.get(target, -1) > LAYER_RANK[own_layer]:
            problems.append(f"line {line}: {own_layer} imports {module} (upward)")
        if own_layer == "analytics" and module not in ANALYTICS_ALLOWED:
            problems.append(f"line {line}: analytics imports {module} (only pandas, numpy, stdlib)")
        if own_layer == "data_sources" and module in DATA_SOURCES_BANNED:
            problems.append(f"line {line}: data_sources imports {module}")
    return problems


FILES = layer_files()
TOOLING_FILES = sorted((REPO / "bench").rglob("*.py")) + sorted((REPO / "tools").rglob("*.py"))


def test_the_layers_are_there():
    layers = {layer_of(p) for p in FILES}
    assert {"data_sources", "analytics"} <= layers


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_imports_point_down_only(path):
    assert violations(path.read_text(encoding="utf-8"), layer_of(path)) == []


@pytest.mark.parametrize("path", TOOLING_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_benchmarks_and_tools_do_not_import_the_tests(path):
    source = path.read_text(encoding="utf-8")
    assert [line for line, module in imported_modules(source, "tools") if module == "tests"] == []


@pytest.mark.parametrize(
    ("layer", "source", "fragment"),
    [
        ("data_sources", "import analytics.rates", "upward"),
        ("analytics", "from components.charts import line_figure", "upward"),
        ("components", "def f():\n    import app", "upward"),
        ("analytics", "import scipy.stats", "only pandas"),
        ("analytics", "from data_sources import cache", "only pandas"),
        ("data_sources", "import plotly.graph_objects as go", "data_sources imports plotly"),
        ("data_sources", "from streamlit import cache_data", "data_sources imports streamlit"),
    ],
)
def test_the_checker_catches_bad_imports(layer, source, fragment):
    assert any(fragment in v for v in violations(source, layer))


@pytest.mark.parametrize(
    ("layer", "source"),
    [
        ("pages", "from components.frame import page_frame\nfrom analytics import rates"),
        ("components", "import streamlit as st\nfrom data_sources.cache import LoadResult"),
        ("analytics", "from __future__ import annotations\nimport numpy as np\nfrom . import transforms"),
        ("data_sources", "import pandas as pd\nimport yfinance as yf\nfrom .errors import SourceError"),
    ],
)
def test_the_checker_allows_downward_imports(layer, source):
    assert violations(source, layer) == []


# --- Views compute, pages load: components/views/ does no I/O and no layout ---------------------
VIEW_FILES = sorted((REPO / "components" / "views").glob("*.py"))
# What a view module may not import: Streamlit (layout), our loaders and page furniture (I/O and
# layout), and the data layer's fetching and storage modules. ``data_sources.cache`` is allowed
# for its ``LoadResult`` type, ``data_sources.catalogue`` for series keys and labels.
VIEW_BANNED = ("streamlit", "plotly", "components.loaders", "components.frame", "components.panels",
               "components.charts", "data_sources.storage", "data_sources.yahoo", "data_sources.fred",
               "data_sources.snapshot", "data_sources.shares")


def full_imports(source: str) -> list[tuple[int, str]]:
    """(line, dotted module) of every absolute import in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            found.append((node.lineno, node.module))
    return found


def view_violations(source: str) -> list[str]:
    return [f"line {line}: a view imports {module}" for line, module in full_imports(source)
            if any(module == banned or module.startswith(banned + ".") for banned in VIEW_BANNED)]


def test_there_is_one_view_module_per_page():
    pages = {"overview", *(p.stem.split("_", 1)[1].replace("-", "_") for p in (REPO / "pages").glob("*.py"))}
    views = {p.stem for p in VIEW_FILES}
    assert {name.replace("sp500_hybrid", "sp500") for name in pages} <= views


@pytest.mark.parametrize("path", VIEW_FILES, ids=lambda p: p.name)
def test_views_do_no_io_and_no_layout(path):
    assert view_violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("source", ["import streamlit as st", "from components.loaders import load",
                                    "from data_sources.yahoo import fetch_close"])
def test_the_view_checker_catches_io(source):
    assert view_violations(source)
