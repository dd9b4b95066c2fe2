"""PostgreSQL out of reach under a live portal: what needs it answers 503 with the
Vietnamese outage page, promptly; the home page and the form pages, drawn without the
database (a picture code's key is signed, not stored), still answer, and the form sent
from them gets the outage page. The readiness check says the database failed."""

import re
import socket
import time

import pytest
import requests

from tests.fixtures_sandbox import free_port

OUTAGE = "Hệ thống tạm thời gián đoạn"
DRAWN_WITHOUT_IT = ["/", "/dang-ky/mobile/", "/dang-nhap/"]  # the login page last: it is sent


@pytest.fixture
def silent_listener():
    """A port that takes connections and never says a word: a PostgreSQL host whose
    packets vanish, or a server too stuck to answer."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


def timed(call, *args, **kwargs) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = call(*args, timeout=30, **kwargs)
    return response, time.monotonic() - started


def _answers_with_the_outage_page(url: str, within_seconds: float) -> None:
    browser = requests.Session()
    for path in DRAWN_WITHOUT_IT:
        page, seconds = timed(browser.get, url + path)
        assert page.status_code == 200 and seconds < 1, (path, "drawn without the database")
    token = re.search(r'name="csrfmiddlewaretoken" value="(\w+)"', page.text)[1]
    key = re.search(r'name="captcha_0" value="(\w+)"', page.text)[1]
    health, seconds = timed(browser.get, url + "/health/")
    login, login_seconds = timed(browser.post, url + "/dang-nhap/", headers={"Referer": url},
                                 data={"csrfmiddlewaretoken": token, "username": "001084567801",
                                       "password": "x", "captcha_0": key, "captcha_1": "abcde"})
    for response, took in ((health, seconds), (login, login_seconds)):
        assert response.status_code == 503, (response.url, response.text[-2000:])
        assert OUTAGE in response.text and "thử lại sau ít phút" in response.text
        assert took < within_seconds, (response.url, f"{took:.1f} s")
    ready, took = timed(browser.get, url + "/health/ready/",
                        headers={"Accept": "application/json"})
    failed = sorted(name for name, said in ready.json().items() if said != "OK")
    assert (ready.status_code, failed) == (503, ["Database(alias='default')", "QueueAge()"])
    assert took < within_seconds + 1, f"readiness took {took:.1f} s"


@pytest.mark.timeout(60)
def test_it_answers_503_when_nothing_listens_at_the_database_port(live_portal):
    url = live_portal(DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/portal")
    _answers_with_the_outage_page(url, within_seconds=1)


@pytest.mark.timeout(90)
def test_it_answers_503_when_the_database_never_answers(live_portal, silent_listener):
    url = live_portal(DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent_listener}/portal")
    _answers_with_the_outage_page(url, within_seconds=5)
