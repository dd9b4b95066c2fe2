"""PostgreSQL out of reach under a live portal: pages that need it answer 503 with the
Vietnamese outage page, promptly; the home page, which needs no database, still answers."""

import socket
import time

import pytest
import requests

from tests.fixtures_sandbox import free_port

OUTAGE = "Hệ thống tạm thời gián đoạn"
NEED_THE_DATABASE = ["/dang-nhap/", "/dang-ky/mobile/", "/health/"]


@pytest.fixture
def silent_listener():
    """A port that takes connections and never says a word: a PostgreSQL host whose
    packets vanish, or a server too stuck to answer."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield listener.getsockname()[1]


def timed_get(url: str) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=30)
    return response, time.monotonic() - started


def _answers_with_the_outage_page(url: str, within_seconds: float) -> None:
    home, seconds = timed_get(url + "/")
    assert home.status_code == 200 and seconds < 1, "the home page needs no database"
    for path in NEED_THE_DATABASE:
        response, seconds = timed_get(url + path)
        assert response.status_code == 503, (path, response.text[-2000:])
        assert OUTAGE in response.text and "thử lại sau ít phút" in response.text
        assert seconds < within_seconds, (path, f"{seconds:.1f} s")


@pytest.mark.timeout(60)
def test_it_answers_503_when_nothing_listens_at_the_database_port(live_portal):
    url = live_portal(DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/portal")
    _answers_with_the_outage_page(url, within_seconds=1)


@pytest.mark.timeout(90)
def test_it_answers_503_when_the_database_never_answers(live_portal, silent_listener):
    url = live_portal(DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent_listener}/portal")
    _answers_with_the_outage_page(url, within_seconds=5)
