"""ALFRED first releases and FRED release calendars, with only the wire faked.

No ALFRED or ``release/dates`` body is recorded in ../shared/data, so the bodies here are
built by hand in FRED's layout: the XML goes through real fredapi (only
``fredapi.fred.urlopen`` is replaced), the JSON through our own urllib call (only
``urllib.request.urlopen`` is replaced). Their numbers test the parsers; they are not data.
Every failure test also checks that the fake key is in no exception text or log line.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import urllib.error
import urllib.request
from email.message import Message
from urllib.parse import parse_qs, urlparse

import fredapi.fred
import pandas as pd
import pytest

from components.views import overview as ov
from data_sources.cache import LoadResult
from data_sources.calendars import CALENDAR_RELEASES, read_calendar, read_calendars
from data_sources.contract import check_contract
from tests.data_sources.conftest import (
    FAKE_FRED_KEY,
    FAST_TIMEOUT_S,
    assert_key_absent,
    expect_failure,
    fast_fred_client,
)
from tests.conftest import REFERENCE_CALENDARS, SNAPSHOT_AS_OF, snapshot_series
from tools.fakes import FRED_KEY_NOT_REGISTERED, FakeFredApi, fred_error_body, fredgraph_csv

SERIES = "CPIAUCSL"
RELEASE_ID = 10
# FRED's wording for an unknown release is assumed (shaped like its "series does not exist").
UNKNOWN_RELEASE = "Bad Request.  The release does not exist."
NGINX_502 = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"

# (observation date, realtime_start, realtime_end, value): one row per vintage in which the
# value changed, as ALFRED's ``series/observations`` answers with the whole real-time period.
# Deliberately out of order: nothing may rely on FRED's sorting.
REVISED_ROWS = [
    ("2025-07-01", "2026-02-11", "9999-12-31", "100.5"),  # July, revised ...
    ("2025-07-01", "2025-08-12", "2026-02-10", "100.0"),  # ... from its first release
    ("2025-08-01", "2025-09-11", "2025-10-23", "101.0"),
    ("2025-08-01", "2025-10-24", "2026-02-10", "101.2"),
    ("2025-08-01", "2026-02-11", "9999-12-31", "101.1"),
    ("2025-09-01", "2025-10-24", "9999-12-31", "101.5"),
    ("2025-11-01", "2025-12-18", "9999-12-31", "102.3"),
    ("2025-10-01", "2025-12-18", "9999-12-31", "102.0"),  # October first appeared with November
]
# Worked out by hand from REVISED_ROWS: date -> (first value, day it was first published).
FIRST_RELEASES = {
    "2025-07-01": (100.0, "2025-08-12"),
    "2025-08-01": (101.0, "2025-09-11"),
    "2025-09-01": (101.5, "2025-10-24"),
    "2025-10-01": (102.0, "2025-12-18"),
    "2025-11-01": (102.3, "2025-12-18"),
}
MISSING_ROWS = [
    ("2025-12-01", "2026-01-13", "9999-12-31", "."),  # never published with a value
    ("2026-01-01", "2026-02-11", "2026-02-19", "."),  # first sent as missing ...
    ("2026-01-01", "2026-02-20", "9999-12-31", "103.0"),  # ... then filled
]


def alfred_body(rows: list[tuple[str, str, str, str]]) -> bytes:
    """An ALFRED ``series/observations`` XML answer (all vintages, output_type 1) of ``rows``."""
    observations = "".join(
        f'  <observation realtime_start="{start}" realtime_end="{end}" date="{date}" value="{value}"/>\n'
        for date, start, end, value in rows
    )
    return (
        '<?xml version="1.0" encoding="utf-8" ?>\n'
        '<observations realtime_start="1776-07-04" realtime_end="9999-12-31" observation_start="1600-01-01" '
        'observation_end="9999-12-31" units="lin" output_type="1" file_type="xml" order_by="observation_date" '
        f'sort_order="asc" count="{len(rows)}" offset="0" limit="100000">\n{observations}</observations>\n'
    ).encode()


def first_releases_of(frame: pd.DataFrame) -> dict[str, tuple[float, str]]:
    """A first-releases frame as FIRST_RELEASES spells it."""
    return {f"{d:%Y-%m-%d}": (row.value, f"{row.published:%Y-%m-%d}") for d, row in frame.iterrows()}


def fred_json_error(status: int, message: str) -> bytes:
    """FRED's JSON error document (the body of an API error when file_type=json)."""
    return json.dumps({"error_code": status, "error_message": message}).encode()


def release_dates_body(dates: list[str]) -> bytes:
    """A ``release/dates`` JSON answer listing ``dates`` for RELEASE_ID."""
    entries = [{"release_id": RELEASE_ID, "date": d} for d in dates]
    return json.dumps(
        {"realtime_start": "1776-07-04", "realtime_end": "9999-12-31", "order_by": "release_date",
         "sort_order": "asc", "count": len(entries), "offset": 0, "limit": 10000, "release_dates": entries}
    ).encode()


class ScriptedFredApi(FakeFredApi):
    """``FakeFredApi`` whose answer for a series may be a list: one per request, in order, the
    last one repeating. ``queries`` holds every request's query parameters but the key."""

    def __init__(self, answers: dict | None = None, valid_key: str | None = None):
        super().__init__(answers, valid_key)
        self.queries: list[dict] = []

    def _answer(self, series_id: str):
        answer = super()._answer(series_id)
        if isinstance(answer, list):
            return answer.pop(0) if len(answer) > 1 else answer[0]
        return answer

    def __call__(self, url, *args, **kwargs):
        query = parse_qs(urlparse(url).query)
        query.pop("api_key", None)
        self.queries.append(query)
        return super().__call__(url, *args, **kwargs)


class FakeReleaseDates:
    """Stand-in for ``urllib.request.urlopen`` answering FRED's ``release/dates``.

    Answers come in order, the last repeating: bytes are a 200 body; an int or a
    ``(status, body)`` pair an HTTPError (an int carries FRED's JSON error); an exception is
    raised as is. ``requests`` holds (query without the key, timeout); ``keys_seen`` the keys.
    """

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[tuple[dict, float]] = []
        self.keys_seen: list[str] = []

    def __call__(self, url: str, timeout: float):
        query = parse_qs(urlparse(url).query)
        self.keys_seen.append(query.pop("api_key", [""])[0])
        self.requests.append((query, timeout))
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, int):
            answer = (answer, fred_json_error(answer, f"HTTP error {answer}"))
        if isinstance(answer, tuple):
            status, body = answer
            raise urllib.error.HTTPError(url, status, "error", Message(), io.BytesIO(body))
        return io.BytesIO(answer)


@pytest.fixture
def alfred(monkeypatch):
    """fredapi's ``urlopen`` replaced by a ScriptedFredApi; its hangs end at teardown."""
    fake = ScriptedFredApi()
    monkeypatch.setattr(fredapi.fred, "urlopen", fake)
    yield fake
    fake.release()


def serve_release_dates(monkeypatch, *answers) -> FakeReleaseDates:
    """``urllib.request.urlopen`` replaced by a FakeReleaseDates giving ``answers``."""
    fake = FakeReleaseDates(*answers)
    monkeypatch.setattr(urllib.request, "urlopen", fake)
    return fake


# -- first releases: parsing ----------------------------------------------------------------


def test_first_release_is_each_dates_earliest_vintage(fred_key, alfred):
    alfred.answers[SERIES] = alfred_body(REVISED_ROWS)
    frame = fast_fred_client().first_releases(SERIES)
    assert first_releases_of(frame) == FIRST_RELEASES
    assert list(frame.columns) == ["value", "published"]
    assert frame.loc["2025-07-01", "value"] == 100.0  # the first release, not the revised 100.5
    assert alfred.queries == [
        {"series_id": [SERIES], "realtime_start": ["1776-07-04"], "realtime_end": ["9999-12-31"]}
    ]  # every vintage, as ALFRED has them
    assert alfred.keys_seen == [fred_key]


def test_missing_values_are_dropped_before_the_earliest_vintage_is_picked(fred_key, alfred):
    alfred.answers[SERIES] = alfred_body(REVISED_ROWS + MISSING_ROWS)
    frame = fast_fred_client().first_releases(SERIES)
    assert pd.Timestamp("2025-12-01") not in frame.index
    assert first_releases_of(frame) == {**FIRST_RELEASES, "2026-01-01": (103.0, "2026-02-20")}


def test_first_releases_honour_the_contract(fred_key, alfred):
    alfred.answers[SERIES] = alfred_body(MISSING_ROWS + REVISED_ROWS)
    frame = fast_fred_client().first_releases(SERIES)
    values = frame["value"].rename("cpi")  # the column as the scorecard uses it, named by its key
    assert check_contract(values) == [] and values.name == "cpi"
    assert frame.index.name == "date" and frame.index.tz is None
    assert frame.index.is_monotonic_increasing and frame.index.is_unique
    assert frame["value"].dtype == "float64"
    assert pd.api.types.is_datetime64_dtype(frame["published"]) and frame["published"].dt.tz is None
    assert frame.index.dtype == frame["published"].dtype  # one date resolution throughout


@pytest.mark.parametrize("rows", [[], MISSING_ROWS[:2]], ids=["no-observations", "all-missing"])
def test_no_published_value_is_empty(fred_key, alfred, rows):
    alfred.answers[SERIES] = alfred_body(rows)
    exc = expect_failure(fast_fred_client().first_releases, SERIES)
    assert exc.kind == "empty" and alfred.calls[SERIES] == 1


# -- first releases: the key ----------------------------------------------------------------


def test_first_releases_without_a_key_make_no_request(alfred):
    exc = expect_failure(fast_fred_client().first_releases, SERIES)
    assert (exc.kind, exc.source, exc.source_id) == ("auth", "fred", SERIES)
    assert "need a FRED API key" in exc.message
    assert alfred.total_calls() == 0


def test_first_releases_after_a_rejected_key_make_no_request(fred_key, alfred, caplog):
    exc = expect_failure(fast_fred_client(key_rejected=True).first_releases, SERIES)
    assert exc.kind == "auth" and alfred.total_calls() == 0
    assert_key_absent(fred_key, exc, caplog)


def test_a_refused_key_is_auth_and_series_go_keyless(fred_key, alfred, fredgraph, caplog):
    alfred.answers[SERIES] = (400, fred_error_body(400, FRED_KEY_NOT_REGISTERED))
    fredgraph.answers["UNRATE"] = fredgraph_csv("UNRATE")
    client = fast_fred_client()
    exc = expect_failure(client.first_releases, SERIES)
    assert exc.kind == "auth" and alfred.calls[SERIES] == 1 and client.key_rejected  # not retried
    assert_key_absent(fred_key, exc, caplog)
    client.fetch("UNRATE", "unrate")
    assert fredgraph.calls["UNRATE"] == 1 and alfred.calls["UNRATE"] == 0


# -- first releases: throttling, server errors, hangs, network ------------------------------


def test_throttled_then_answered_is_retried(fred_key, alfred, caplog):
    alfred.answers[SERIES] = [429, alfred_body(REVISED_ROWS)]
    frame = fast_fred_client().first_releases(SERIES)
    assert first_releases_of(frame) == FIRST_RELEASES and alfred.calls[SERIES] == 2
    assert_key_absent(fred_key, None, caplog)


@pytest.mark.parametrize(
    ("answer", "kind", "detail", "retried"),
    [
        (429, "rate_limited", "Too Many Requests.  Exceeded Rate Limit", True),
        (500, "server_error", "HTTP 500", True),
        ((502, NGINX_502), "server_error", "HTTP 502", True),
        (400, "not_found", "Bad Request.  The series does not exist.", False),
        ("hang", "timeout", f"no answer within {FAST_TIMEOUT_S:g} s", False),
        (alfred_body(REVISED_ROWS).replace(b'"101.5"', b'"n/a"'), "bad_response", "could not convert", False),
    ],
    ids=["429", "500", "502-html", "unknown-series", "hang", "unreadable-value"],
)
def test_first_release_failures(fred_key, alfred, caplog, answer, kind, detail, retried):
    alfred.answers[SERIES] = answer
    client = fast_fred_client()
    exc = expect_failure(client.first_releases, SERIES)
    assert (exc.kind, exc.source, exc.source_id) == (kind, "fred", SERIES)
    assert exc.detail.startswith(detail)
    assert alfred.calls[SERIES] == (1 + len(client.backoff) if retried else 1)
    assert not client.key_rejected
    assert_key_absent(fred_key, exc, caplog)


def test_first_releases_network_down(fred_key, monkeypatch, caplog):
    def down(url, *args, **kwargs):
        raise urllib.error.URLError(f"no route to {url}")  # the URL carries the key

    monkeypatch.setattr(fredapi.fred, "urlopen", down)
    exc = expect_failure(fast_fred_client().first_releases, SERIES)
    assert exc.kind == "network"
    assert_key_absent(fred_key, exc, caplog)


# -- release dates ----------------------------------------------------------------------------


def test_release_dates_past_and_future_sorted(fred_key, monkeypatch):
    listed = ["2026-09-11", "1999-01-15", "2027-01-13", "2026-09-11", "2026-10-15"]
    wire = serve_release_dates(monkeypatch, release_dates_body(listed))
    dates = fast_fred_client().release_dates(RELEASE_ID)
    assert [d.isoformat() for d in dates] == ["1999-01-15", "2026-09-11", "2026-10-15", "2027-01-13"]
    assert wire.requests == [
        (
            {"release_id": [str(RELEASE_ID)], "file_type": ["json"], "include_release_dates_with_no_data": ["true"],
             "sort_order": ["asc"], "limit": ["10000"]},
            FAST_TIMEOUT_S,
        )
    ]
    assert wire.keys_seen == [FAKE_FRED_KEY]


def test_release_dates_without_a_key_make_no_request(monkeypatch):
    wire = serve_release_dates(monkeypatch, release_dates_body(["2026-09-11"]))
    exc = expect_failure(fast_fred_client().release_dates, RELEASE_ID)
    assert (exc.kind, exc.source_id) == ("auth", f"release {RELEASE_ID}") and wire.requests == []


def test_release_dates_throttled_then_answered(fred_key, monkeypatch):
    wire = serve_release_dates(monkeypatch, 429, release_dates_body(["2026-09-11"]))
    assert [d.isoformat() for d in fast_fred_client().release_dates(RELEASE_ID)] == ["2026-09-11"]
    assert len(wire.requests) == 2


@pytest.mark.parametrize(
    ("answer", "kind", "detail", "retried"),
    [
        (429, "rate_limited", "HTTP error 429", True),
        (500, "server_error", "HTTP 500", True),
        ((502, NGINX_502), "server_error", "HTTP 502", True),
        ((404, b""), "not_found", "HTTP 404", False),
        ((400, fred_json_error(400, UNKNOWN_RELEASE)), "not_found", UNKNOWN_RELEASE, False),
        ((400, fred_json_error(400, FRED_KEY_NOT_REGISTERED)), "auth",
         "Bad Request.  The value for variable api_key", False),
        (b"<html>maintenance</html>", "bad_response", "not FRED's release dates JSON", False),
        (b'{"release_dates": [{"release_id": 10, "date": "2026-13-40"}]}', "bad_response",
         "not FRED's release dates JSON", False),
        (release_dates_body([]), "empty", "", False),
        (TimeoutError("timed out"), "timeout", f"no answer within {FAST_TIMEOUT_S:g} s", False),
        (urllib.error.URLError(f"no route to https://api.stlouisfed.org/?api_key={FAKE_FRED_KEY}"), "network",
         "URLError", False),
    ],
    ids=["429", "500", "502-html", "404-empty", "unknown-release", "bad-key", "html-200", "bad-date", "no-dates",
         "timeout", "network"],
)
def test_release_date_failures(fred_key, monkeypatch, caplog, answer, kind, detail, retried):
    wire = serve_release_dates(monkeypatch, answer)
    client = fast_fred_client()
    exc = expect_failure(client.release_dates, RELEASE_ID)
    assert (exc.kind, exc.source, exc.source_id) == (kind, "fred", f"release {RELEASE_ID}")
    assert exc.detail.startswith(detail)
    assert len(wire.requests) == (1 + len(client.backoff) if retried else 1)
    assert client.key_rejected == (kind == "auth")
    assert_key_absent(fred_key, exc, caplog)


# -- through to the scorecard -----------------------------------------------------------------


def test_with_a_key_the_as_of_scorecard_shows_the_first_release(fred_key, fred_api):
    """UNRATE's vintages for 2023-01 .. 2025-11, built from the snapshot's values and the
    reference release days, except that November 2025 first came out 0.1 pp higher than today's
    value and was revised on the next release (a hand-built revision, to see which one is used).
    As of 2025-12-31 the card must read November's FIRST release, dated November, and say so."""
    unrate = snapshot_series("unrate").loc["2023-01-01":"2025-11-01"].dropna()
    releases = pd.read_csv(REFERENCE_CALENDARS["employment"], dtype=str)
    released = {pd.Period(m, "M"): d for m, d in zip(releases["reference_month"], releases["date"])}
    first_day = {month: min(d for m, d in released.items() if m >= month) for month in unrate.index.to_period("M")}
    rows = []
    for day, value in unrate.items():
        start = first_day[day.to_period("M")]
        if day == pd.Timestamp("2025-11-01"):
            rows += [(f"{day:%Y-%m-%d}", start, "2026-01-08", f"{value + 0.1:.1f}"),
                     (f"{day:%Y-%m-%d}", "2026-01-09", "9999-12-31", f"{value:.1f}")]
        else:
            rows.append((f"{day:%Y-%m-%d}", start, "9999-12-31", f"{value:.1f}"))
    fred_api.answers["UNRATE"] = alfred_body(rows)
    first = fast_fred_client().first_releases("UNRATE")
    assert first.loc["2025-11-01", "value"] == pytest.approx(unrate.loc["2025-11-01"] + 0.1)

    loaded = LoadResult(series={k: snapshot_series(k) for k in ("unrate", "payrolls")})
    calendars = read_calendars()
    pit = ov.point_in_time(loaded, calendars, {"unrate": first})
    card = ov.score_all(loaded, SNAPSHOT_AS_OF, dt.date(2025, 12, 31), pit)
    reading = card.claims[2].result.readings[0]
    assert (reading.label, reading.as_of) == ("unemployment", dt.date(2025, 11, 1))
    assert reading.value == pytest.approx(unrate.loc["2025-11-01"] + 0.1)  # 4.6, not today's 4.5
    assert card.label.startswith("As published on 2025-12-31")
    today = ov.score_all(loaded, SNAPSHOT_AS_OF, None, pit)  # today: the latest revised values
    assert today.claims[2].result.readings[0].value == snapshot_series("unrate").dropna().iloc[-1]


def test_with_a_key_the_release_calendars_grow_from_fred_and_name_the_next_release(fred_key, monkeypatch, tmp_path):
    """The page's release schedule (``components.loaders.release_schedule``) on the live path: FRED's
    release days after the shipped CPI calendar become the next reference months, and days after
    today are the scheduled ones. (The dates are a hand-built answer, the same for every release.)"""
    from components import loaders

    monkeypatch.delenv("DASH_SNAPSHOT", raising=False)
    monkeypatch.setenv("DASH_CACHE_DIR", str(tmp_path / "cache"))
    loaders.store.clear()
    loaders.release_schedule.clear()
    shipped = read_calendar("cpi")
    later = ["2026-09-11", "2026-10-14", "2026-11-13", "2026-12-10", "2027-01-13"]
    fake = serve_release_dates(monkeypatch, release_dates_body([f"{d:%Y-%m-%d}" for d in shipped["date"]] + later))
    today = dt.date(2026, 11, 30)
    try:
        calendars, upcoming = loaders.release_schedule(today)
        cpi = calendars["cpi"]
        assert cpi.iloc[: len(shipped)].equals(shipped)
        added = cpi.iloc[len(shipped):]
        assert list(added["date"]) == list(pd.to_datetime(later[:3]))
        assert list(added["reference_month"]) == list(pd.period_range("2026-08", "2026-10", freq="M"))
        assert upcoming["cpi"] == list(pd.to_datetime(later[3:]))
        assert "CPI 2026-12-10" in loaders.next_releases(today)
        assert len(fake.requests) == len(CALENDAR_RELEASES) and set(fake.keys_seen) == {fred_key}
    finally:
        loaders.store.clear()
        loaders.release_schedule.clear()
