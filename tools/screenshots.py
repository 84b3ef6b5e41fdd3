"""Full-page screenshots of every page on the snapshot, for a person to look at.

Usage: python -m tools.screenshots [OUT_DIR] [--dark]   (default OUT_DIR: screenshots/)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from components.routes import PAGES
from tools.paths import REPO
from tools.server import CHROMIUM, CHROMIUM_ARGS, running_app, wait_for_charts
from tools.sessions import page_name


def page_url(base: str, path: str) -> str:
    """``app.py`` -> ``/``; ``pages/1_fed-path.py`` -> ``/fed-path``."""
    return f"{base}/{page_name(path)}"


def main(argv: list[str]) -> int:
    dark = "--dark" in argv
    args = [a for a in argv if not a.startswith("--")]
    out = Path(args[0] if args else REPO / "screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp)) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900}, color_scheme="dark" if dark else "light")
        page = context.new_page()
        for path, label in PAGES:
            if not (REPO / path).is_file():
                continue
            page.goto(page_url(base, path))
            charts = wait_for_charts(page)
            target = out / f"{Path(path).stem}{'-dark' if dark else ''}.png"
            height = page.evaluate('document.querySelector(\'[data-testid="stMain"]\').scrollHeight')
            page.set_viewport_size({"width": 1400, "height": max(900, int(height) + 40)})
            page.wait_for_timeout(500)
            page.screenshot(path=str(target), full_page=True)
            page.set_viewport_size({"width": 1400, "height": 900})
            print(f"{label}: {charts} charts -> {target}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
