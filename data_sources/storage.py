"""Where cached files live: a local folder or any fsspec URL (e.g. ``s3://bucket/prefix``).

Three operations, all safe for concurrent readers: read a whole file, write one atomically
(locally a temp file renamed into place; on object stores a single PUT, which readers see
whole or not at all), and check that a location can be used. Replicas behind a load
balancer can share one store.

Every operation fails fast and says so as a store problem, never as a data problem:

- each call runs under our own deadline (``STORE_TIMEOUT_S``), and S3 clients get short
  connect/read timeouts and no retry storm (``S3_OPTIONS``): an endpoint refusing
  connections costs a second, not minutes;
- a file larger than ``MAX_ENTRY_BYTES`` is refused before it is read (``EntryTooLarge``);
- any other failure is a ``StoreError`` naming the location (credentials removed) and the
  reason ("permission denied", "disk full", "unknown protocol 'nosuch'").
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import fsspec

from data_sources.deadline import call_with_deadline
from data_sources.errors import StoreError

Location = Path | str

# An endpoint that refuses connections fails at once, one that does not answer the connect
# after CONNECT_TIMEOUT_S, a connected one that stalls after READ_TIMEOUT_S. Our own deadline
# is the backstop for anything else; it is generous because a store call may first build
# its client (botocore loads its service models: seconds of CPU on a busy machine).
CONNECT_TIMEOUT_S = 2.0
READ_TIMEOUT_S = 8.0
STORE_TIMEOUT_S = 15.0  # our deadline around one store call (read, write or check)
ATTEMPTS = 1  # s3fs's own retry loop (default 5, with backoff) would outlast our deadline
# botocore: connect/read timeouts and one attempt in total; s3fs: the rest of its options.
S3_OPTIONS = {
    "config_kwargs": {
        "connect_timeout": CONNECT_TIMEOUT_S,
        "read_timeout": READ_TIMEOUT_S,
        "retries": {"total_max_attempts": ATTEMPTS},
    },
}
REMOTE_OPTIONS = {"s3": S3_OPTIONS, "s3a": S3_OPTIONS}
OBJECT_STORES = ("s3", "s3a", "gs", "gcs", "az", "abfs", "abfss")  # first path part = bucket
# A series' Parquet file is well under 1 MiB (^GSPC, 24,777 rows: ~0.4 MiB). Anything 64
# times larger is not ours, and reading it would cost the server that much memory (a 1 GiB
# junk file once took one from 70 MB to 3.1 GB).
MAX_ENTRY_BYTES = 64 * 2**20

# Local errors that say what is wrong with the folder, in words.
LOCAL_REASONS = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.ENOTDIR: "a file is in the way: not a folder",
    errno.EEXIST: "a file is in the way: not a folder",
}


class EntryTooLarge(ValueError):
    """A stored file is larger than ``MAX_ENTRY_BYTES``: not a cache entry of ours."""


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


def display(location: Location) -> str:
    """``location`` as messages may show it: a URL without user, password or query."""
    if not is_url(location):
        return str(location)
    parts = urlsplit(location)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def read_bytes(location: Location, where: str, max_bytes: int = MAX_ENTRY_BYTES,
               timeout: float = STORE_TIMEOUT_S) -> bytes | None:
    """The whole file, or None if it does not exist. ``EntryTooLarge`` if it is larger than
    ``max_bytes`` (checked before reading); ``StoreError`` about ``where`` (the store as
    messages name it) if the store fails."""
    read = _read_url if is_url(location) else _read_local
    return _guarded(lambda: read(location, max_bytes), where, "read", timeout, is_url(location))


def write_atomic(location: Location, data: bytes, where: str, timeout: float = STORE_TIMEOUT_S) -> None:
    """Replace the file with ``data`` so that readers see the old or the new file, never
    half (and no temp file is left behind). ``StoreError`` about ``where`` if it fails."""
    write = _write_url if is_url(location) else _write_local
    _guarded(lambda: write(location, data), where, "write", timeout, is_url(location))


def check(location: Location, where: str, writable: bool, timeout: float = STORE_TIMEOUT_S) -> StoreError | None:
    """What is wrong with using ``location`` as the store, or None: an unknown protocol, a
    bucket that does not exist or cannot be reached, a file where the folder should be,
    or (when ``writable``) a folder that cannot be written."""
    probe = _check_url if is_url(location) else _check_local
    action = "write" if writable else "read"
    try:
        _guarded(lambda: probe(location, writable), where, action, timeout, is_url(location))
    except StoreError as exc:
        return exc
    return None


# -- local folders ------------------------------------------------------------------------


def _read_local(location: Location, max_bytes: int) -> bytes | None:
    path = Path(location)
    try:
        size = path.stat().st_size
    except (FileNotFoundError, NotADirectoryError):
        return None
    if size > max_bytes:
        raise EntryTooLarge(f"{size:,} bytes")
    try:
        with open(path, "rb") as handle:
            return _bounded(handle.read(max_bytes + 1), max_bytes)
    except FileNotFoundError:
        return None  # deleted since the stat


def _write_local(location: Location, data: bytes) -> None:
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


def _check_local(location: Location, writable: bool) -> None:
    path = Path(location)
    existing = next((p for p in (path, *path.parents) if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(existing))
    if writable:  # create and delete a file of our own (a unique name: replicas check too)
        path.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=path, prefix=".store-check.")
        os.close(fd)
        os.unlink(probe)


# -- fsspec URLs --------------------------------------------------------------------------


def _filesystem(location: str):
    """(file system, path) for a URL, with our timeouts; at most ``ATTEMPTS`` tries per call."""
    protocol = location.split("://", 1)[0].lower()
    fs, path = fsspec.core.url_to_fs(location, **REMOTE_OPTIONS.get(protocol, {}))
    if hasattr(fs, "retries"):
        fs.retries = ATTEMPTS
    return fs, path


def _read_url(location: str, max_bytes: int) -> bytes | None:
    fs, path = _filesystem(location)
    try:
        size = fs.size(path)
    except FileNotFoundError:
        return None
    if size is not None and size > max_bytes:
        raise EntryTooLarge(f"{size:,} bytes")
    return _bounded(fs.cat_file(path, start=0, end=max_bytes + 1), max_bytes)


def _write_url(location: str, data: bytes) -> None:
    fs, path = _filesystem(location)
    fs.pipe_file(path, data)


def _check_url(location: str, writable: bool) -> None:
    fs, path = _filesystem(location)  # an unknown protocol fails here
    protocol = location.split("://", 1)[0].lower()
    if protocol in OBJECT_STORES:
        fs.info(path.split("/", 1)[0])  # FileNotFoundError: no such bucket
    elif protocol in ("file", "local"):
        _check_local(path, writable)


def _bounded(data: bytes, max_bytes: int) -> bytes:
    if len(data) > max_bytes:
        raise EntryTooLarge(f"more than {max_bytes:,} bytes")
    return data


# -- failures -----------------------------------------------------------------------------


def _guarded(call, where: str, action: str, timeout: float, remote: bool):
    """``call()`` under ``timeout``; every failure but ``EntryTooLarge`` becomes a StoreError."""
    try:
        return call_with_deadline(call, timeout)
    except EntryTooLarge:
        raise
    except TimeoutError:
        raise StoreError(where, "cannot be reached", f"no answer within {timeout:g} s", unreachable=True) from None
    except Exception as exc:  # any library's failure is a store problem, said in words
        raise _store_error(exc, where, action, remote) from None


def _store_error(exc: Exception, where: str, action: str, remote: bool) -> StoreError:
    """Name ``exc`` in words. Remote failures stop further calls for a while (unreachable)."""
    verb = "cannot be written" if action == "write" else "cannot be read"
    if isinstance(exc, ValueError) and str(exc).startswith("Protocol not known"):
        return StoreError(where, "cannot be used", f"unknown protocol {where.split('://', 1)[0]!r}", unreachable=True)
    if isinstance(exc, ImportError):
        return StoreError(where, "cannot be used", "its file-system package is not installed", unreachable=True)
    if remote and isinstance(exc, FileNotFoundError):
        return StoreError(where, verb, "the bucket does not exist", unreachable=True)
    if remote and isinstance(exc, PermissionError):
        return StoreError(where, verb, "access denied", unreachable=True)
    if remote:
        return StoreError(where, "cannot be reached", type(exc).__name__, unreachable=True)
    reason = LOCAL_REASONS.get(getattr(exc, "errno", None)) or getattr(exc, "strerror", None) or type(exc).__name__
    return StoreError(where, verb, reason)
