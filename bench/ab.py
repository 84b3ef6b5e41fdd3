"""Benchmark: the same pages in two or more revisions of the app, side by side in the browser
(prints figures; asserts nothing).

For a change whose effect on the browser is a few tens of milliseconds, smaller than the
drift between two runs of ``bench/pages.py``: each revision is checked out with
``git worktree add`` into a temp folder (``.`` is the working tree as it is, uncommitted
edits included) and served by its own ``streamlit run`` on the offline snapshot; the
baseline (``bench/pages.BASELINE_APP``, one tiny chart) by one more. Each (revision, path) is
opened ``--loads`` times, each load right after a baseline load, and timed on the page's own clock
(``bench/pages.timed_load``: from the start of navigation until every Plotly chart is drawn).
Printed per (revision, path): the median of ``--loads`` loads, every load, and the ratio to
the median of the baseline loads taken beside it.

An experiment that is not a revision yet (say, a page cut after its first chart) is a
commit on a scratch branch: ``python bench/ab.py /inflation --rev main --rev scratch``.

Usage: python bench/ab.py PATH [PATH ...] [--rev REV ...] [--loads N]
(PATH like ``/`` or ``/inflation``; REV any git revision or ``.``; default ``--rev HEAD --rev .``)
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.pages import SHARES_CSV, baseline_script, timed_beside, timed_load  # noqa: E402
from tools.server import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: E402

WORKING_TREE = "."
DEFAULT_LOADS = 6


@contextlib.contextmanager
def checked_out(rev: str, folder: Path):
    """The app's folder at ``rev``: a detached git worktree in ``folder``, removed afterwards;
    the repo itself for ``.``."""
    if rev == WORKING_TREE:
        yield REPO
        return
    subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", "--quiet", str(folder), rev], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(folder)], check=True)


def compare(paths: list[str], revs: list[str], loads: int) -> dict[tuple[str, str], dict]:
    """{(rev, path): ``bench/pages.timed_beside``'s summary: "median" and "all" (seconds to all
    charts drawn), "base" (the median of the baseline loads beside them), ...}."""
    from playwright.sync_api import sync_playwright

    env = {"DASH_SHARES": str(SHARES_CSV)}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw, contextlib.ExitStack() as stack:
        tmp = Path(tmp)
        floor = stack.enter_context(running_app(tmp / "baseline", snapshot=None, script=baseline_script(tmp / "baseline")))
        urls = {}
        for n, rev in enumerate(revs):
            folder = stack.enter_context(checked_out(rev, tmp / f"rev{n}"))
            base = stack.enter_context(running_app(tmp / f"cache{n}", extra_env=env, script=folder / "app.py"))
            urls.update({(rev, path): base + path for path in paths})
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        for url in [floor + "/", *urls.values()]:  # warm-up: servers' and browser's caches
            timed_load(context, url)
        out = {case: timed_beside(context, floor + "/", url, loads)[0] for case, url in urls.items()}
        browser.close()
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--rev", action="append", dest="revs", metavar="REV")
    parser.add_argument("--loads", type=int, default=DEFAULT_LOADS)
    args = parser.parse_args(argv)
    revs = args.revs or ["HEAD", WORKING_TREE]
    print(f"{args.loads} loads per (revision, path), each after a baseline load; seconds to all charts drawn")
    for (rev, path), found in compare(args.paths, revs, args.loads).items():
        median, base = found["median"], found["base"]
        print(f"  {rev:<18} {path:<14} median {median:.3f}  baseline beside it {base:.3f}  "
              f"{median / base:.2f}×   " + " ".join(f"{s:.2f}" for s in found["all"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
