"""Redis gone or hung under a live portal: the registration and login pages answer at
once with a message and a way to retry, and leave nothing half-made behind."""

import datetime as dt

import pytest
import requests

from accounts.models import Account, OutgoingSms, VerificationCode
from tests.accounts.conftest import AN, CAPTCHA, PASSWORD
from tests.faults.conftest import post_form

SMS_DOWN = "Hệ thống gửi tin nhắn đang gián đoạn"
WITHIN_SECONDS = 5


@pytest.fixture(params=["killed", "frozen"])
def redis_down(request, database_url, throwaway_redis, live_portal):
    """A portal on its own Redis, which then dies (refuses connections) or freezes
    (accepts them and never answers, like a server stuck or a network black hole)."""
    url = live_portal(REDIS_URL=throwaway_redis.url, DATABASE_URL=database_url)
    assert requests.get(url + "/dang-ky/mobile/", timeout=10).status_code == 200
    if request.param == "killed":
        throwaway_redis.kill()
    else:
        throwaway_redis.freeze()
    return url


def _no_sms_waiting() -> None:
    """A message the queue refused is marked failed, its sealed code wiped."""
    assert set(OutgoingSms.objects.values_list("status", "sealed_context")) <= {("failed", "")}


@pytest.mark.timeout(60)
def test_it_tells_the_person_registering_when_redis_is_down(redis_down):
    response, seconds = post_form(requests.Session(), redis_down + "/dang-ky/mobile/",
                                  {**AN, **CAPTCHA})
    assert response.status_code == 200, response.text[-3000:]
    assert seconds < WITHIN_SECONDS
    assert SMS_DOWN in response.text and "thử lại" in response.text
    assert 'value="Nguyễn Văn An"' in response.text, "what they typed stays in the form"
    assert not Account.objects.exists() and not VerificationCode.objects.exists()
    _no_sms_waiting()


@pytest.mark.timeout(60)
def test_it_tells_the_person_logging_in_when_redis_is_down(redis_down):
    account = Account(username="001084567801", full_name="Cao Văn Tuấn", phone="+84912345017",
                      birth_date=dt.date(1984, 1, 21), assurance_level=2,
                      registration_method="mobile")
    account.set_password(PASSWORD)
    account.save()
    session = requests.Session()
    response, seconds = post_form(session, redis_down + "/dang-nhap/",
                                  {"username": account.username, "password": PASSWORD,
                                   **CAPTCHA})
    assert response.status_code == 200, response.text[-3000:]
    assert seconds < WITHIN_SECONDS
    assert SMS_DOWN in response.text
    assert not VerificationCode.objects.exists()
    _no_sms_waiting()
    profile = session.get(redis_down + "/trang-ca-nhan/", allow_redirects=False, timeout=10)
    assert profile.status_code == 302, "not logged in without the second factor"
