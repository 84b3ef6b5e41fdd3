"""Shared fixtures: where the real data in ../shared lives, and how to read a snapshot series."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from data_sources.catalogue import catalogue
from data_sources.snapshot import read_series
from tools.paths import REPO, SHARED_DATA, SNAPSHOT_DIR  # noqa: F401  (imported from here by the tests)

SNAPSHOT_AS_OF = dt.date(2026, 8, 21)
# The verified release calendars the app's own calendar file is checked against, by release.
EVENTS_DIR = SHARED_DATA / "events"
REFERENCE_CALENDARS = {"cpi": EVENTS_DIR / "cpi_release.csv", "employment": EVENTS_DIR / "payrolls_release.csv",
                       "pio": EVENTS_DIR / "pce_release.csv", "jolts": EVENTS_DIR / "jolts_release.csv"}


def snapshot_series(key: str) -> pd.Series:
    """One catalogue series from the shared snapshot, as the data layer normalises it."""
    spec = next(s for s in catalogue(SNAPSHOT_AS_OF) if s.key == key)
    return read_series(SNAPSHOT_DIR, spec)


@pytest.fixture(scope="session")
def snapshot_dir() -> Path:
    """The real snapshot folder in ../shared/data (read-only)."""
    if not SNAPSHOT_DIR.is_dir():
        pytest.fail(f"shared snapshot not found at {SNAPSHOT_DIR}; set DASH_SHARED_DATA")
    return SNAPSHOT_DIR
