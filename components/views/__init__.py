"""One view module per page: data in (already loaded), view objects out; no I/O, no layout."""
