"""Typed failures of the data layer, and the scrubbing that keeps secrets out of them.

Two kinds of failure, kept apart because they need different fixes:

- ``SourceError``: one series could not be fetched from its source (Yahoo Finance, FRED,
  SEC EDGAR, or a snapshot file). Every provider turns whatever its library raised into one, with a
  ``kind`` the UI can explain to a person.
- ``StoreError``: the data store (the Parquet cache folder or bucket) could not be read,
  written or reached. The data itself may be fine.

Messages never contain the FRED API key or credentials from a store URL.
"""

from __future__ import annotations

import os
import re
from typing import Literal

ErrorKind = Literal[
    "rate_limited",
    "not_found",
    "network",
    "timeout",
    "server_error",
    "bad_response",
    "empty",
    "auth",
    "user_agent",
    "missing",
    "not_in_store",
    "shrank",
    "store",
]

# What went wrong, as a person would want to hear it, after the source's name. Keys are
# ``SourceError.kind``; a ``{detail}`` in the text takes the error's detail in place.
KIND_MESSAGES: dict[ErrorKind, str] = {
    "rate_limited": "is throttling requests, try again later",
    "not_found": "does not know this series",
    "network": "could not be reached (network error)",
    "timeout": "did not answer in time",
    "server_error": "had a server error ({detail}), try again later",
    "bad_response": "sent a response we could not read",
    "empty": "returned no data",
    "auth": "rejected the API key",
    # SEC EDGAR refuses requests without a User-Agent naming a contact; only SEC raises it.
    "user_agent": 'needs a User-Agent naming a contact: set SEC_USER_AGENT to "Your Name you@example.com"',
    "missing": "has no file for this series",
    "not_in_store": "is not in the shared store yet (run `python -m data_sources refresh`)",
    "shrank": "returned a shorter history than the copy we have",
}

# How a snapshot file failed when the raise site gives no detail (the detail, when given,
# is the whole predicate: "is empty (header only)", "has no META rows").
SNAPSHOT_FILE_MESSAGES: dict[ErrorKind, str] = {
    "missing": "is missing",
    "empty": "is empty",
    "bad_response": "cannot be read",
}

# Sources by name, as a sentence can start with them (and progress messages name them).
SOURCE_NAMES = {
    "yahoo": "Yahoo Finance",
    "yahoo_shares": "Yahoo Finance (share counts)",
    "fred": "FRED",
    "sec": "SEC EDGAR",
    "snapshot": "the snapshot",
}

_KEY_PARAM = re.compile(r"(api_key=)[^&\s'\"]+", re.IGNORECASE)
MAX_DETAIL_CHARS = 300


class SourceError(Exception):
    """A failed fetch of one series.

    ``source``: "yahoo", "yahoo_shares", "fred", "sec" or "snapshot"; ``source_id``: the symbol or
    series id; ``kind``: one of ``ErrorKind``; ``detail``: what exactly happened;
    ``file``: for snapshot files, the file's path inside the snapshot (``yahoo/IJR.csv``).
    """

    def __init__(self, source: str, source_id: str, kind: ErrorKind, detail: str = "", file: str | None = None):
        self.source = source
        self.source_id = source_id
        self.kind = kind
        self.detail = scrub(detail)
        self.file = file
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One short sentence naming the source (or the snapshot file), the series and what
        happened, e.g. "FRED had a server error (HTTP 503), try again later (UNRATE)" or
        "The snapshot file yahoo/IJR.csv is empty (header only)"."""
        if self.file:
            return f"The snapshot file {self.file} {self.detail or SNAPSHOT_FILE_MESSAGES.get(self.kind, 'failed')}"
        name = source_name(self.source)
        template = KIND_MESSAGES.get(self.kind, "failed")
        if "{detail}" in template:
            return f"{name} {template.format(detail=self.detail)} ({self.source_id})"
        text = f"{name} {template} ({self.source_id})"
        return f"{text}: {self.detail}" if self.detail else text


class StoreError(Exception):
    """The data store at ``location`` (already safe to show) ``problem`` ("cannot be read",
    "cannot be written", "cannot be reached", "cannot be used") because of ``reason``.

    ``unreachable`` is True when every further call is likely to fail the same slow way (a
    remote store down or misconfigured), so callers stop asking for a while.
    """

    kind: ErrorKind = "store"

    def __init__(self, location: str, problem: str, reason: str, unreachable: bool = False):
        self.location = location
        self.problem = problem
        self.reason = scrub(reason)
        self.unreachable = unreachable
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """"The data store at /x cannot be written (permission denied)"."""
        return f"The data store at {self.location} {self.problem} ({self.reason})"


def source_name(source: str) -> str:
    """The source as a sentence starts with it: "FRED", "Yahoo Finance", "The snapshot"."""
    name = SOURCE_NAMES.get(source, source)
    return name[:1].upper() + name[1:]


def scrub(text: str) -> str:
    """Remove the FRED API key from ``text``: any ``api_key=`` value and the literal key."""
    text = _KEY_PARAM.sub(r"\1***", str(text))
    key = os.environ.get("FRED_API_KEY", "")
    if len(key) >= 8:
        text = text.replace(key, "***")
    return text[:MAX_DETAIL_CHARS]
