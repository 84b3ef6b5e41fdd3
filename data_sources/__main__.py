"""Command line: ``python -m data_sources status|refresh|snapshot``.

status    one row per catalogue series: key, source, source id, first and last date,
          fetched at, and stale/error (and any rows dropped as data errors). Exits 1 when
          the store is unhealthy: a required series has no data, a refresh was refused
          because it would shrink history, the data store has a problem, or (live) a series
          is older than twice its TTL. Optional series (e.g. the 6-month bill) may be missing.
refresh   refresh every stale series once, share counts included (for a cron job feeding
          DASH_READ_ONLY replicas); exits 1 on the same problems as status.
snapshot  record every catalogue series from the live sources (or from DASH_SNAPSHOT)
          into OUT_DIR in the snapshot format, so it can be replayed with no network. SEC rows
          are recorded as SEC's companyfacts body (``sec/<SYMBOL>.json``), asked for once more
          for each company whose series loaded, so that replay runs the same parser.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from data_sources.cache import LoadResult, SeriesStore, default_store
from data_sources.calendars import calendar_warnings
from data_sources.errors import SourceError
from data_sources.snapshot import RAW_BODY_SOURCES, write_snapshot

STATUS_COLUMNS = ("key", "source", "source_id", "first", "last", "fetched_at", "status")


def status_rows(result: LoadResult) -> list[tuple[str, ...]]:
    """One text row per series, in catalogue order, for ``status``."""
    rows = []
    for p in result.provenance.values():
        state = p.status if not p.error else f"{p.status}: {p.error}"
        state = f"{state} · {p.note}" if p.note else state
        fetched = p.fetched_at.strftime("%Y-%m-%d %H:%M UTC") if p.fetched_at else "-"
        rows.append((p.key, p.source, p.source_id, str(p.first_obs or "-"), str(p.last_obs or "-"), fetched, state))
    return rows


def format_table(rows: list[tuple[str, ...]], header: tuple[str, ...] = STATUS_COLUMNS) -> str:
    """Left-aligned plain-text table."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in [header, *rows])


def load_everything(store: SeriesStore) -> LoadResult:
    """Every catalogue series of the store's reference date."""
    return store.load(s.key for s in store.specs())


def report(problems: list[str], prefix: str) -> int:
    """Print each problem on stderr; the exit code (1 if any)."""
    for problem in problems:
        print(f"{prefix}{problem}", file=sys.stderr)
    return 1 if problems else 0


def cmd_status(_args) -> int:
    store = default_store()
    result = load_everything(store)
    print(f"as of {store.as_of()} · upstream {store.upstream.namespace} · store {store.where}")
    print(format_table(status_rows(result)))
    report(calendar_warnings(store.as_of()), "calendar warning: ")  # a stale calendar warns, never fails (FAULTS.md)
    return report(store.health_problems(result), "unhealthy: ")


def cmd_refresh(_args) -> int:
    store = default_store()
    if store.read_only:
        print("DASH_READ_ONLY is set: a replica never refreshes", file=sys.stderr)
        return 2
    result = load_everything(store)
    print(f"{len(result.series)} series current, {len(result.failures())} failed to refresh")
    return report(store.health_problems(result), "  ")


def cmd_snapshot(args) -> int:
    store = default_store()
    specs = store.specs()
    result = store.load(s.key for s in specs)
    out = Path(args.out_dir)
    bodies, unrecorded = raw_bodies(store, result)
    write_snapshot(out, specs, result.series, bodies)
    print(f"wrote {len(result.series) - len(unrecorded)} of {len(specs)} series to {out}")
    for p in result.provenance.values():
        if p.status == "failed":
            print(f"  missing {p.key} ({p.source_id}): {p.error}", file=sys.stderr)
    for key, why in unrecorded.items():
        print(f"  missing {key} ({result.provenance[key].source_id}): {why}", file=sys.stderr)
    if result.store_problem:
        print(f"  store: {result.store_problem}", file=sys.stderr)
    return 0


def raw_bodies(store: SeriesStore, result: LoadResult) -> tuple[dict[str, bytes], dict[str, str]]:
    """The provider bodies a snapshot records for the loaded rows of ``RAW_BODY_SOURCES``
    (key -> body), and the loaded rows whose body could not be had (key -> why). A read-only
    replica never calls upstream, so it records none of them."""
    bodies, unrecorded = {}, {}
    for spec in store.specs():
        if spec.source not in RAW_BODY_SOURCES or spec.key not in result.series:
            continue
        if store.read_only:
            unrecorded[spec.key] = "not recorded: a DASH_READ_ONLY replica keeps only the derived series"
            continue
        try:
            bodies[spec.key] = store.upstream.raw_body(spec)
        except SourceError as exc:
            unrecorded[spec.key] = exc.message
    return bodies, unrecorded


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
