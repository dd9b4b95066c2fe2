"""The one client for outside calls: one session per thread and process, the environment's
proxy settings applied as requests would, and every failure mapped to one reason, against
a real local HTTP server."""

import os
import threading
import time
from http.server import BaseHTTPRequestHandler

import pytest
import requests

from portal import outbound
from tests.fixtures_sandbox import free_port
from tests.local_http import serving, silent

PAYLOAD = {"id_number": "001090012345", "phone": "+84912345001"}


class _Handler(BaseHTTPRequestHandler):
    """/json, /not-json, /status/<n>, /redirect, /bytes/<n>, /stall (a body that stops)."""

    def do_GET(self):
        path = self.path
        if path.startswith("/status/"):
            return self._answer(int(path.rsplit("/", 1)[1]), b"{}")
        if path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/json")
            self.send_header("Content-Length", "0")
            return self.end_headers()
        if path.startswith("/bytes/"):
            return self._answer(200, b"x" * int(path.rsplit("/", 1)[1]))
        if path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.write(b"x" * 10)
            self.wfile.flush()
            time.sleep(2)
            return None
        return self._answer(200, b"not json" if path == "/not-json" else b'{"found": false}')

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.do_GET()

    def _answer(self, status, body):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    with serving(_Handler) as url:
        yield url


class Lookup(outbound.Unavailable):
    """An adapter's own kind, as RegistryUnavailable is."""


def failure(call, *args, **kwargs) -> Lookup:
    with pytest.raises(Lookup) as raised:
        call(*args, system="test registry", kind=Lookup, timeout=1.0, **kwargs)
    return raised.value


@pytest.fixture(autouse=True)
def fresh():
    outbound._proxies.cache_clear()
    yield
    outbound._proxies.cache_clear()


# What comes back ---------------------------------------------------------------------


def test_it_posts_json_and_reads_the_answer(server):
    answer = outbound.post_json(server + "/json", PAYLOAD, lambda data: data["found"],
                                system="test registry", timeout=1.0)
    assert answer is False


def test_it_reads_a_body_up_to_its_limit(server):
    body = outbound.request("GET", server + "/bytes/200000", system="CA", timeout=1.0,
                            limit=200000)
    assert len(body) == 200000


def test_it_posts_to_the_gateway_stand_in(sandbox_server, sandbox_sms):
    outbound.request("POST", sandbox_server + "/sms/send", system="sms gateway", timeout=5,
                     json={"to": "+84912345001", "text": "Mã OTP: 123456"},
                     headers={"Idempotency-Key": "k-1"})
    assert [m["key"] for m in sandbox_sms.messages()] == ["k-1"]


# Every failure, one reason -------------------------------------------------------------


@pytest.mark.parametrize("path,reason,status", [
    ("/status/503", "error", 503), ("/status/404", "error", 404), ("/redirect", "error", 302),
    ("/not-json", "bad_answer", None), ("/json", "bad_answer", None),  # read() finds no key
])
def test_an_unusable_answer_has_its_reason(server, path, reason, status):
    error = failure(outbound.post_json, server + path, PAYLOAD, lambda data: data["verdict"])
    assert (error.reason, error.status) == (reason, status)


def test_a_body_past_its_limit_is_too_large(server):
    error = failure(outbound.request, "GET", server + "/bytes/200001", limit=200000)
    assert error.reason == "too_large"


def test_a_refused_connection_is_unreachable():
    url = f"http://127.0.0.1:{free_port()}/"
    assert failure(outbound.post_json, url, PAYLOAD).reason == "unreachable"


def test_a_system_that_does_not_answer_times_out_after_its_bounds():
    with silent() as url:
        started = time.monotonic()
        assert failure(outbound.post_json, url, PAYLOAD).reason == "timeout"
        assert 1 <= time.monotonic() - started < 2
        started = time.monotonic()
        error = failure(outbound.request, "GET", url, read_timeout=1.5)
        assert error.reason == "timeout" and 1.5 <= time.monotonic() - started < 2.5


def test_a_body_that_stops_coming_times_out(server):
    assert failure(outbound.request, "GET", server + "/stall").reason == "timeout"


def test_it_logs_the_system_and_the_reason_only(server, caplog):
    failure(outbound.post_json, server + "/status/503", PAYLOAD)
    assert "test registry unavailable: error" in caplog.text
    assert not any(value in caplog.text for value in PAYLOAD.values())


def test_the_connect_wait_is_capped(monkeypatch):
    seen = {}

    def record(self, method, url, **kwargs):
        seen.update(kwargs)
        raise requests.ConnectTimeout("connect timed out")

    monkeypatch.setattr(requests.Session, "request", record)
    failure(outbound.request, "GET", "http://ca.example.vn/crl", read_timeout=30)
    assert seen["timeout"] == (1.0, 30)
    with pytest.raises(outbound.Unavailable):
        outbound.request("GET", "http://ca.example.vn/crl", system="CA", timeout=60)
    assert seen["timeout"] == (outbound.CONNECT_TIMEOUT_CAP, 60)
    assert seen["allow_redirects"] is False and seen["stream"] is True


# The session -----------------------------------------------------------------------------


def test_the_environment_proxy_is_used_except_for_no_proxy_hosts(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.vn:3128")
    monkeypatch.setenv("NO_PROXY", "registry.internal")
    assert dict(outbound._proxies("https://sms.example.vn/send"))["https"] == (
        "http://proxy.example.vn:3128")
    assert outbound._proxies("https://registry.internal/check") == ()


def test_one_session_per_thread_and_a_new_one_after_a_fork(monkeypatch):
    first = outbound._session()
    assert outbound._session() is first and first.trust_env is False
    other = []
    thread = threading.Thread(target=lambda: other.append(outbound._session()))
    thread.start()
    thread.join()
    assert other[0] is not first
    monkeypatch.setattr(os, "getpid", lambda: -1)  # as a forked child sees it
    assert outbound._session() is not first


def test_a_dropped_kept_alive_connection_is_tried_once_more(monkeypatch, server):
    calls = []
    real = requests.Session.request

    def flaky(self, method, url, **kwargs):
        calls.append(url)
        if len(calls) == 1:
            raise requests.ConnectionError("Connection aborted: RemoteDisconnected")
        return real(self, method, url, **kwargs)

    monkeypatch.setattr(requests.Session, "request", flaky)
    assert outbound.post_json(server + "/json", {}, system="test", timeout=1) == {
        "found": False}
    assert len(calls) == 2


def test_a_sim_signature_is_never_started_twice(monkeypatch):
    """The service may have pushed the first request to the phone before the connection
    dropped: a second start would ask the person to sign twice."""
    from signing.sim.base import SimServiceUnavailable
    from signing.sim.http import HttpSimSignatureService

    calls = []

    def dropped(self, method, url, **kwargs):
        calls.append(url)
        raise requests.ConnectionError("Connection aborted: RemoteDisconnected")

    monkeypatch.setattr(requests.Session, "request", dropped)
    service = HttpSimSignatureService("http://sim.example.vn", timeout=1)
    with pytest.raises(SimServiceUnavailable):
        service.start(phone="+84912345001", digest=bytes(32), display_text="Cổng DVCQG")
    assert calls == ["http://sim.example.vn/start"]


def test_a_connect_time_out_is_not_waited_for_twice(monkeypatch):
    calls = []

    def slow(self, method, url, **kwargs):
        calls.append(url)
        raise requests.ConnectTimeout("connect timed out")

    monkeypatch.setattr(requests.Session, "request", slow)
    assert failure(outbound.post_json, "http://registry.example.vn/check", {}).reason == (
        "timeout")
    assert len(calls) == 1


def test_no_cookie_from_one_answer_goes_with_the_next_call():
    session = outbound._session()
    response = requests.Response()
    response.headers["Set-Cookie"] = "tracking=abc; Path=/"
    response.url = "http://registry.example.vn/check"
    request = requests.Request("POST", response.url).prepare()
    session.cookies.extract_cookies(requests.cookies.MockResponse(_Headers(response.headers)),
                                    requests.cookies.MockRequest(request))
    assert len(session.cookies) == 0


class _Headers:
    def __init__(self, headers):
        self._headers = headers

    def info(self):
        return self

    def get_all(self, name, default=None):
        value = self._headers.get(name)
        return [value] if value else (default or [])
