"""Counting in Redis: a window that slides, one atomic check however many run at once, and
the database taking over, still counting, when Redis does not answer."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine

from accounts.models import RateBucket
from accounts.ratelimit import RateLimited, rate_consume
from tests.fixtures_sandbox import free_port

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = ("sms_per_phone", "+84912345001")


@pytest.fixture
def two_an_hour(settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_phone": ["2/1h"]}


def test_no_window_edge_lets_twice_the_cap_through(rate_redis, two_an_hour):
    with time_machine.travel(dt.datetime(2026, 12, 7, 10, 59, tzinfo=dt.UTC), tick=False):
        rate_consume(PHONE)
        rate_consume(PHONE)
    # A fixed window would start afresh at 11:00; the last hour still holds both.
    with time_machine.travel(dt.datetime(2026, 12, 7, 11, 1, tzinfo=dt.UTC), tick=False):
        with pytest.raises(RateLimited) as limited:
            rate_consume(PHONE)
    assert limited.value.wait == 58 * 60, "free when the first of the two is an hour old"
    with time_machine.travel(dt.datetime(2026, 12, 7, 11, 59, 1, tzinfo=dt.UTC), tick=False):
        rate_consume(PHONE)


def test_parallel_checks_let_exactly_the_cap_through(rate_redis, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "password_per_account": ["5/15m"]}

    def guess(_):
        try:
            rate_consume(("password_per_account", "001084567801"))
        except RateLimited:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        assert sum(pool.map(guess, range(40))) == 5


def test_without_redis_the_database_counts_and_still_refuses(settings, two_an_hour, caplog):
    settings.RATE_LIMIT_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    rate_consume(PHONE)
    rate_consume(PHONE)
    with pytest.raises(RateLimited):
        rate_consume(PHONE)
    assert list(RateBucket.objects.values_list("count", flat=True)) == [2]
    assert "rate limits counted in the database" in caplog.text


def test_with_redis_down_password_guesses_stay_capped(client, citizen, settings, sms_outbox):
    from tests.accounts.conftest import CAPTCHA, PASSWORD

    settings.RATE_LIMIT_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "password_per_account": ["3/15m"]}
    for _ in range(3):
        client.post("/dang-nhap/", {"username": citizen.username, "password": "Sai@2026x",
                                    **CAPTCHA})
    page = client.post("/dang-nhap/", {"username": citizen.username, "password": PASSWORD,
                                       **CAPTCHA}).content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in page
    assert sms_outbox == [], "no code for a password past the cap"


def test_clearing_forgets_the_counts_of_both_stores(rate_redis, settings, two_an_hour):
    from accounts.ratelimit import rate_clear

    redis_url = settings.RATE_LIMIT_REDIS_URL
    settings.RATE_LIMIT_REDIS_URL = ""  # Redis was down: the database counted
    rate_consume(PHONE)
    rate_consume(PHONE)
    settings.RATE_LIMIT_REDIS_URL = redis_url
    rate_consume(PHONE)
    rate_clear(PHONE)  # a password reset, Redis answering again
    assert not RateBucket.objects.filter(count__gt=0).exists()
    assert not list(rate_redis.scan_iter("rl:*"))
