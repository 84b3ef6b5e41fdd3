"""Imports point down only: pages (and app.py) -> components -> analytics -> data_sources.

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


def test_the_layers_are_there():
    layers = {layer_of(p) for p in FILES}
    assert {"data_sources", "analytics"} <= layers


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_imports_point_down_only(path):
    assert violations(path.read_text(encoding="utf-8"), layer_of(path)) == []


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
