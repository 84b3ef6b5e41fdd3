"""Command line: ``python -m data_sources status`` and ``python -m data_sources snapshot OUT_DIR``.

status    one row per catalogue series: key, source, source id, first and last date,
          fetched at, and stale/error. Exits 1 when a series is missing, failing or older
          than twice its TTL (with DASH_SNAPSHOT: when a series the snapshot holds fails).
refresh   refresh every stale series once, and the mega caps' share counts (for a cron job
          feeding DASH_READ_ONLY replicas); exits 1 on the same problems as status, or when
          share counts are missing.
snapshot  record every catalogue series from the live sources (or from DASH_SNAPSHOT)
          into OUT_DIR in the snapshot format, so it can be replayed with no network.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data_sources.cache import LoadResult, SeriesStore, default_store
from data_sources.catalogue import MEGA_CAP_KEYS
from data_sources.shares import counts_file, load_share_counts
from data_sources.snapshot import write_series

STATUS_COLUMNS = ("key", "source", "source_id", "first", "last", "fetched_at", "status")


def status_rows(result: LoadResult) -> list[tuple[str, ...]]:
    """One text row per series, in catalogue order, for ``status``."""
    rows = []
    for p in result.provenance.values():
        state = p.status if not p.error else f"{p.status}: {p.error}"
        fetched = p.fetched_at.strftime("%Y-%m-%d %H:%M UTC") if p.fetched_at else "-"
        rows.append((p.key, p.source, p.source_id, str(p.first_obs or "-"), str(p.last_obs or "-"), fetched, state))
    return rows


def format_table(rows: list[tuple[str, ...]], header: tuple[str, ...] = STATUS_COLUMNS) -> str:
    """Left-aligned plain-text table."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows])


def cmd_status(_args) -> int:
    store = default_store()
    result = store.load(s.key for s in store.specs())
    print(f"as of {store.as_of()} · upstream {store.upstream.namespace}")
    print(format_table(status_rows(result)))
    problems = store.health_problems(result)
    for problem in problems:
        print(f"unhealthy: {problem}", file=sys.stderr)
    return 1 if problems else 0


def cmd_refresh(_args) -> int:
    store = default_store()
    if store.read_only:
        print("DASH_READ_ONLY is set: a replica never refreshes", file=sys.stderr)
        return 2
    result = store.load(s.key for s in store.specs())
    problems = store.health_problems(result)
    print(f"{len(result.series)} series current, {len(result.failures())} failed to refresh")
    shares_problem = refresh_share_counts(store)
    problems += [shares_problem] if shares_problem else []
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


def refresh_share_counts(store: SeriesStore) -> str | None:
    """Refresh the mega caps' share counts where stale (the S&P 500 page's weights read them;
    replicas only read them). Returns the problem, if any symbol has no counts."""
    if counts_file() is not None:
        print("share counts: read from a file (DASH_SHARES or the snapshot), nothing to refresh")
        return None
    symbols = tuple(s.source_id for s in store.specs() if s.key in MEGA_CAP_KEYS)
    counts = load_share_counts(symbols, read_only=False)
    print(f"share counts: {len(symbols) - len(counts.missing)} of {len(symbols)} symbols current ({counts.source})")
    return counts.problem


def cmd_snapshot(args) -> int:
    store = default_store()
    specs = store.specs()
    result = store.load(s.key for s in specs)
    out = Path(args.out_dir)
    for spec in specs:
        if spec.key in result.series:
            write_series(out, spec, result.series[spec.key])
    failed = [p for p in result.provenance.values() if p.status == "failed"]
    print(f"wrote {len(result.series)} of {len(specs)} series to {out}")
    for p in failed:
        print(f"  missing {p.key} ({p.source_id}): {p.error}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_sources", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="one row per catalogue series").set_defaults(run=cmd_status)
    commands.add_parser("refresh", help="refresh every stale series once").set_defaults(run=cmd_refresh)
    snap = commands.add_parser("snapshot", help="record every series into a snapshot folder")
    snap.add_argument("out_dir")
    snap.set_defaults(run=cmd_snapshot)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
