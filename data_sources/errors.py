"""Typed failures of the data layer, and the scrubbing that keeps secrets out of them.

Every provider turns whatever its library raised into a ``SourceError`` with a ``kind``
the UI can explain to a person. Messages never contain the FRED API key.
"""

from __future__ import annotations

import os
import re

# What went wrong, as a person would want to hear it. Keys are ``SourceError.kind``.
KIND_MESSAGES = {
    "rate_limited": "is throttling requests, try again later",
    "not_found": "does not know this series",
    "network": "could not be reached (network error)",
    "timeout": "did not answer in time",
    "bad_response": "sent a response we could not read",
    "empty": "returned no data",
    "auth": "rejected the API key",
    "missing": "has no file for this series",
    "not_in_store": "is not in the shared store yet (run `python -m data_sources refresh`)",
}

_KEY_PARAM = re.compile(r"(api_key=)[^&\s'\"]+", re.IGNORECASE)


class SourceError(Exception):
    """A failed fetch of one series: ``source`` (yahoo/fred/snapshot), ``source_id``, ``kind``."""

    def __init__(self, source: str, source_id: str, kind: str, detail: str = ""):
        self.source = source
        self.source_id = source_id
        self.kind = kind
        self.detail = scrub(detail)
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """One short sentence naming the source, the series and what happened."""
        label = {"yahoo": "Yahoo Finance", "fred": "FRED", "snapshot": "The snapshot"}.get(
            self.source, self.source
        )
        text = f"{label} {KIND_MESSAGES.get(self.kind, 'failed')} ({self.source_id})"
        return f"{text}: {self.detail}" if self.detail else text


def scrub(text: str) -> str:
    """Remove the FRED API key from ``text``: any ``api_key=`` value and the literal key."""
    text = _KEY_PARAM.sub(r"\1***", str(text))
    key = os.environ.get("FRED_API_KEY", "")
    if len(key) >= 8:
        text = text.replace(key, "***")
    return text[:300]
