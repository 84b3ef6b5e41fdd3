"""Every catalogue series is used by the app: no row is dead weight (DESIGN.md, "The catalogue")."""

from __future__ import annotations

import re

import pytest

from data_sources import catalogue
from tests.conftest import REPO

APP_SOURCES = ["app.py", *sorted(p.relative_to(REPO).as_posix() for d in ("pages", "components") for p in (REPO / d).rglob("*.py"))]
# Keys reached through a catalogue constant rather than spelled out.
GROUPS = {"SECTOR_KEYS": catalogue.SECTOR_KEYS, "MEGA_CAP_KEYS": catalogue.MEGA_CAP_KEYS,
          "SHARE_COUNT_KEYS": catalogue.SHARE_COUNT_KEYS, "TTM_EPS_KEYS": catalogue.TTM_EPS_KEYS}


def app_text() -> str:
    return "\n".join((REPO / path).read_text() for path in APP_SOURCES)


@pytest.mark.parametrize("spec", catalogue.STATIC_SERIES, ids=lambda s: s.key)
def test_every_static_key_is_used_by_a_page_or_component(spec):
    text = app_text()
    spelled = re.search(rf"[\"']{re.escape(spec.key)}[\"']|\bKey\.{re.escape(spec.key)}\b", text) is not None
    grouped = any(spec.key in keys and name in text for name, keys in GROUPS.items())
    assert spelled or grouped, f"{spec.key} ({spec.source_id}) is in the catalogue but no page uses it"


def test_futures_strip_is_used():
    assert "fed_funds_contracts" in app_text()
