"""FRED provider: real XML through real fredapi, real fredgraph.csv, faults at the transport.

Every fault test also checks that the fake key is in no exception text, log line or
provenance.
"""

from __future__ import annotations

import io
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from email.message import Message

import pandas as pd
import pytest

from data_sources import fred
from data_sources.contract import check_contract
from data_sources.fred import RateLimiter
from data_sources.parsing import parse_fredgraph_csv
from tests.data_sources.conftest import (
    FAST_TIMEOUT_S,
    FakeClock,
    assert_key_absent,
    expect_failure,
    fast_fred_client,
    live_store,
    spec,
)
from tools.fakes import FRED_KEY_NOT_REGISTERED, fred_error_body, fred_xml, fredgraph_csv

SP500_XML = "fredapi_test_sp500_obs_call.xml"
NGINX_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


def xml_observations(body: bytes) -> dict[pd.Timestamp, str]:
    """date -> value text of every observation in a FRED XML body, read with ElementTree."""
    return {pd.Timestamp(o.get("date")): o.get("value") for o in ET.fromstring(body).iter("observation")}


def failed_provenance(client, key: str, tmp_path):
    """Load ``key`` through a store over ``client``; the provenance must say "failed"."""
    provenance = live_store(tmp_path, fred=client).load([key]).provenance[key]
    assert provenance.status == "failed" and provenance.error
    return provenance


# -- the contract ---------------------------------------------------------------------------


def test_api_xml_through_fredapi_honours_the_contract(fred_key, fred_api, fredgraph):
    body = fred_xml(SP500_XML)
    fred_api.answers["SP500"] = body
    out = fast_fred_client().fetch("SP500", "sp500")
    assert check_contract(out) == [] and out.name == "sp500"
    assert out.to_dict() == {d: float(v) for d, v in xml_observations(body).items()}
    assert fred_api.calls["SP500"] == 1 and fredgraph.total_calls() == 0


def test_api_dot_values_are_missing(fred_key, fred_api, fredgraph):
    body = fred_xml(SP500_XML)
    observed = xml_observations(body)
    hole = sorted(observed)[1]
    fred_api.answers["SP500"] = body.replace(f'value="{observed[hole]}"'.encode(), b'value="."')
    out = fast_fred_client().fetch("SP500", "sp500")
    assert check_contract(out) == []
    assert hole not in out.index and len(out) == len(observed) - 1


# -- key missing / rejected -----------------------------------------------------------------


def test_key_missing_uses_keyless_download(fred_api, fredgraph):
    fredgraph.answers["UNRATE"] = fredgraph_csv("UNRATE")
    client = fast_fred_client()
    out = client.fetch("UNRATE", "unrate")
    assert fredgraph.calls["UNRATE"] == 1 and fred_api.total_calls() == 0
    assert fredgraph.timeouts == [FAST_TIMEOUT_S]
    pd.testing.assert_series_equal(out, parse_fredgraph_csv(fredgraph_csv("UNRATE"), "unrate"), check_exact=True)
    assert not client.key_rejected


@pytest.mark.parametrize(
    "rejection",
    [(400, fred_error_body(400, FRED_KEY_NOT_REGISTERED)), (403, fred_error_body(403, "Forbidden."))],
    ids=["400-not-registered", "403"],
)
def test_rejected_key_falls_back_to_keyless_without_leaking_it(fred_key, fred_api, fredgraph, caplog, tmp_path, rejection):
    fred_api.answers["UNRATE"] = rejection
    fredgraph.answers["UNRATE"] = fredgraph_csv("UNRATE")
    client = fast_fred_client()
    out = client.fetch("UNRATE", "unrate")
    assert client.key_rejected
    assert check_contract(out) == [] and len(out) > 900
    assert (fred_api.calls["UNRATE"], fredgraph.calls["UNRATE"]) == (1, 1)  # an auth error is not retried
    assert "FRED rejected the API key" in caplog.text
    client.fetch("UNRATE", "unrate")
    assert (fred_api.calls["UNRATE"], fredgraph.calls["UNRATE"]) == (1, 2)  # key not tried again
    result = live_store(tmp_path, fred=fast_fred_client()).load(["unrate"])
    assert result.provenance["unrate"].status == "ok"
    assert_key_absent(fred_key, None, caplog, result.provenance["unrate"])


def test_fake_key_really_reaches_the_wire(fred_key, fred_api):
    # Guards the leak checks: fredapi puts the key in its URL, so there is something to leak.
    fred_api.answers["SP500"] = fred_xml(SP500_XML)
    fast_fred_client().fetch("SP500", "sp500")
    assert fred_api.keys_seen == [fred_key]


# -- throttling, server errors, hangs, unknown series ---------------------------------------


@pytest.mark.parametrize(
    ("answer", "kind", "message"),
    [
        (429, "rate_limited", "FRED is throttling requests, try again later (UNRATE): Too Many Requests.  Exceeded Rate Limit"),
        (500, "server_error", "FRED had a server error (HTTP 500), try again later (UNRATE)"),
        (503, "server_error", "FRED had a server error (HTTP 503), try again later (UNRATE)"),
        ((502, NGINX_502), "server_error", "FRED had a server error (HTTP 502), try again later (UNRATE)"),
        ((503, b""), "server_error", "FRED had a server error (HTTP 503), try again later (UNRATE)"),
        ((429, b"<html>Too Many Requests</html>\r\n<p>"), "rate_limited",
         "FRED is throttling requests, try again later (UNRATE): HTTP 429"),
    ],
    ids=["429", "500-xml", "503-xml", "502-html", "503-empty", "429-html"],
)
def test_api_throttling_and_server_errors_retry_then_fail(fred_key, fred_api, fredgraph, caplog, tmp_path, answer,
                                                         kind, message):
    fred_api.answers["UNRATE"] = answer
    client = fast_fred_client()
    exc = expect_failure(client.fetch, "UNRATE", "unrate")
    assert (exc.kind, exc.source, exc.message) == (kind, "fred", message)
    assert "network" not in exc.message
    assert fred_api.calls["UNRATE"] == 1 + len(client.backoff)
    assert fredgraph.total_calls() == 0 and not client.key_rejected
    assert_key_absent(fred_key, exc, caplog, failed_provenance(client, "unrate", tmp_path))


@pytest.mark.parametrize(("status", "kind"), [(429, "rate_limited"), (500, "server_error"), (503, "server_error")])
def test_keyless_throttling_and_server_errors_retry_then_fail(fredgraph, status, kind, tmp_path):
    fredgraph.answers["UNRATE"] = status
    client = fast_fred_client()
    exc = expect_failure(client.fetch, "UNRATE", "unrate")
    assert exc.kind == kind
    if kind == "server_error":
        assert exc.message == f"FRED had a server error (HTTP {status}), try again later (UNRATE)"
    assert fredgraph.calls["UNRATE"] == 1 + len(client.backoff)
    failed_provenance(client, "unrate", tmp_path)


def test_retries_are_bounded_by_the_backoff_schedule(fredgraph):
    fredgraph.answers["UNRATE"] = 503
    client = fast_fred_client(backoff=(0.05, 0.1, 0.15))
    started = time.monotonic()
    expect_failure(client.fetch, "UNRATE", "unrate")
    assert fredgraph.calls["UNRATE"] == 4
    assert time.monotonic() - started >= 0.3


def test_server_error_with_a_warm_cache_serves_stale_data(fredgraph, tmp_path):
    fredgraph.answers["UNRATE"] = fredgraph_csv("UNRATE")
    clock = FakeClock()
    store = live_store(tmp_path, clock=clock)
    fresh = store.load(["unrate"]).series["unrate"]
    fredgraph.answers["UNRATE"] = 503
    clock.advance(2 * 24 * 3600)
    result = store.load(["unrate"])
    assert result.provenance["unrate"].stale and result.provenance["unrate"].error
    pd.testing.assert_series_equal(result.series["unrate"], fresh, check_exact=True, check_index_type=False)


def test_api_hang_is_cut_by_our_timeout(fred_key, fred_api, caplog, tmp_path):
    fred_api.answers["UNRATE"] = "hang"
    client = fast_fred_client()
    started = time.monotonic()
    exc = expect_failure(client.fetch, "UNRATE", "unrate")
    assert exc.kind == "timeout" and time.monotonic() - started < FAST_TIMEOUT_S + 1.0
    assert fred_api.calls["UNRATE"] == 1  # a timeout is not retried
    assert_key_absent(fred_key, exc, caplog, failed_provenance(client, "unrate", tmp_path))


def test_keyless_hang_is_cut_by_our_timeout(fredgraph):
    fredgraph.answers["UNRATE"] = "hang"
    started = time.monotonic()
    exc = expect_failure(fast_fred_client().fetch, "UNRATE", "unrate")
    assert exc.kind == "timeout" and time.monotonic() - started < FAST_TIMEOUT_S + 1.0
    assert fredgraph.timeouts == [FAST_TIMEOUT_S]


def test_api_unknown_series_is_not_found(fred_key, fred_api, fredgraph, caplog, tmp_path):
    exc = expect_failure(fast_fred_client().fetch, "UNRATE", "unrate")  # FRED: "series does not exist"
    assert exc.kind == "not_found" and fred_api.calls["UNRATE"] == 1 and fredgraph.total_calls() == 0
    assert_key_absent(fred_key, exc, caplog, failed_provenance(fast_fred_client(), "unrate", tmp_path))


@pytest.mark.parametrize("status", [400, 404])
def test_keyless_unknown_series_is_not_found(fredgraph, status):
    fredgraph.answers["UNRATE"] = status
    exc = expect_failure(fast_fred_client().fetch, "UNRATE", "unrate")
    assert exc.kind == "not_found" and fredgraph.calls["UNRATE"] == 1


@pytest.mark.parametrize(
    "body", [b"<html><body>Service temporarily unavailable</body></html>", b"observation_date,UNRATE\n"],
    ids=["html-200", "header-only"],
)
def test_keyless_garbage_body_is_bad_response(fredgraph, body):
    fredgraph.answers["UNRATE"] = body
    exc = expect_failure(fast_fred_client().fetch, "UNRATE", "unrate")
    assert exc.kind == ("empty" if b"observation_date" in body else "bad_response") and "FRED" in exc.message


def test_api_200_with_a_body_that_is_not_xml_is_a_bad_response(fred_key, fred_api, fredgraph):
    fred_api.answers["UNRATE"] = NGINX_502  # served with HTTP 200 by a confused proxy
    exc = expect_failure(fast_fred_client().fetch, "UNRATE", "unrate")
    assert exc.kind == "bad_response" and fred_api.calls["UNRATE"] == 1


def test_api_network_down_is_a_network_error(fred_key, fred_api, caplog, monkeypatch):
    import fredapi.fred

    def down(url, *args, **kwargs):
        raise urllib.error.URLError(f"no route to {url}")  # the URL carries the key

    monkeypatch.setattr(fredapi.fred, "urlopen", down)
    exc = expect_failure(fast_fred_client().fetch, "UNRATE", "unrate")
    assert exc.kind == "network"
    assert_key_absent(fred_key, exc, caplog)


# -- the real keyless transport, over a patched urllib ---------------------------------------


def test_http_get_returns_status_and_body(monkeypatch):
    class Response(io.BytesIO):
        status = 200

    seen = []
    monkeypatch.setattr(
        urllib.request, "urlopen", lambda url, timeout: seen.append((url, timeout)) or Response(fredgraph_csv("UNRATE"))
    )
    url = fred.FREDGRAPH_URL.format(series_id="UNRATE")
    assert fred._http_get(url, 0.5) == (200, fredgraph_csv("UNRATE"))
    assert seen == [(url, 0.5)]


def test_http_get_turns_http_errors_into_statuses(monkeypatch):
    def throttled(url, timeout):
        raise urllib.error.HTTPError(url, 429, "Too Many Requests", Message(), io.BytesIO(b""))

    monkeypatch.setattr(urllib.request, "urlopen", throttled)
    assert fred._http_get(fred.FREDGRAPH_URL.format(series_id="UNRATE"), 0.5) == (429, b"")


# -- rate limit -----------------------------------------------------------------------------


def test_rate_limiter_spaces_calls_across_threads():
    rate, threads, per_thread = 40.0, 6, 3
    limiter = RateLimiter(rate)
    start = time.monotonic()
    times, lock = [], threading.Lock()

    def worker():
        for _ in range(per_thread):
            limiter.acquire()
            with lock:
                times.append(time.monotonic())

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    times.sort()
    interval = 1.0 / rate
    # The k-th call to get through cannot be earlier than k intervals after the start.
    for k, t in enumerate(times):
        assert t - start >= k * interval - 1e-3, (k, t - start)
    assert times[-1] - start < len(times) * interval + 1.0


def test_store_provenance_for_a_fred_series_names_it(fredgraph, tmp_path):
    fredgraph.answers["UNRATE"] = 404
    provenance = failed_provenance(fast_fred_client(), "unrate", tmp_path)
    assert provenance.source_id == spec("unrate").source_id and "UNRATE" in provenance.error
