"""Where cached files live: a local folder or any fsspec URL (e.g. ``s3://bucket/prefix``).

Two operations, both safe for concurrent readers: read a whole file, and write one
atomically (locally a temp file renamed into place; on object stores a single PUT, which
readers see whole or not at all). Replicas behind a load balancer can share one store.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import fsspec

Location = Path | str


def is_url(location: Location) -> bool:
    """True for ``scheme://...`` locations (handled by fsspec), False for local paths."""
    return isinstance(location, str) and "://" in location


def as_location(value: str | Path) -> Location:
    """A URL stays a string; anything else becomes a ``Path``."""
    return value if is_url(value) else Path(value)


def join(location: Location, *parts: str) -> Location:
    """``location / part / ...`` for a Path, ``location/part/...`` for a URL."""
    if is_url(location):
        return "/".join([location.rstrip("/"), *parts])
    return Path(location).joinpath(*parts)


def read_bytes(location: Location) -> bytes | None:
    """The whole file, or None if it does not exist."""
    if is_url(location):
        fs, path = fsspec.core.url_to_fs(location)
        try:
            return fs.cat_file(path)
        except FileNotFoundError:
            return None
    path = Path(location)
    return path.read_bytes() if path.is_file() else None


def write_atomic(location: Location, data: bytes) -> None:
    """Replace the file with ``data`` so that readers see the old or the new file, never half."""
    if is_url(location):
        fs, path = fsspec.core.url_to_fs(location)
        fs.pipe_file(path, data)
        return
    path = Path(location)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
