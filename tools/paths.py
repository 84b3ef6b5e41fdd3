"""Where the repo and the real data in ../shared live (``DASH_SHARED_DATA`` overrides the
latter), for the tests, the benchmarks and the tools."""

from __future__ import annotations

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("DASH_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
SNAPSHOT_DIR = SHARED_DATA / "snapshot"
