"""Calls to the outside systems go through one session per thread and process, with the
environment's proxy settings applied as requests would apply them."""

import os
import threading

import pytest
import requests

from portal import outbound


@pytest.fixture(autouse=True)
def fresh():
    outbound._proxies.cache_clear()
    yield
    outbound._proxies.cache_clear()


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


def test_it_posts_to_the_gateway_stand_in(sandbox_server, sandbox_sms):
    answer = outbound.post(sandbox_server + "/sms/send", json={"to": "+84912345001",
                           "text": "Mã OTP: 123456"}, headers={"Idempotency-Key": "k-1"},
                           timeout=5)
    assert answer.status_code == 200
    assert [m["key"] for m in sandbox_sms.messages()] == ["k-1"]


def test_an_unreachable_system_raises_as_requests_does():
    with pytest.raises(requests.ConnectionError):
        outbound.post("http://127.0.0.1:9/", json={}, timeout=2)


def test_a_dropped_kept_alive_connection_is_tried_once_more(monkeypatch):
    calls = []

    def flaky(self, url, **kwargs):
        calls.append(url)
        if len(calls) == 1:
            raise requests.ConnectionError("Connection aborted: RemoteDisconnected")
        return "answer"

    monkeypatch.setattr(requests.Session, "post", flaky)
    assert outbound.post("http://registry.example.vn/check", json={}) == "answer"
    assert len(calls) == 2


def test_a_connect_time_out_is_not_waited_for_twice(monkeypatch):
    calls = []

    def slow(self, url, **kwargs):
        calls.append(url)
        raise requests.ConnectTimeout("connect timed out")

    monkeypatch.setattr(requests.Session, "post", slow)
    with pytest.raises(requests.ConnectTimeout):
        outbound.post("http://registry.example.vn/check", json={})
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
