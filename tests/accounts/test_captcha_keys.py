"""Picture codes with signed keys (accounts/captcha_keys.py): a form page stores nothing,
only this portal can tell a key's answer, each picture takes one guess, and a key dies when
its minutes are up."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.captcha_keys import captcha_answer, captcha_key_new, captcha_take
from accounts.forms import LoginForm
from accounts.models import CaptchaUsed
from accounts.services import housekeeping_purge

pytestmark = pytest.mark.django_db


def test_a_form_page_stores_no_picture_code(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        str(LoginForm()["captcha"])
    assert client.get("/dang-nhap/").status_code == 200
    assert not CaptchaUsed.objects.exists()


def test_each_key_has_its_own_answer_of_five_letters():
    keys = {captcha_key_new() for _ in range(50)}
    answers = {captcha_answer(key) for key in keys}
    assert len(keys) == 50 and len(answers) > 45
    assert all(len(answer) == 5 and answer.isalpha() and answer.islower()
               for answer in answers)


def test_a_picture_takes_one_guess():
    key = captcha_key_new()
    answer = captcha_answer(key)
    assert captcha_take(key) == answer
    assert captcha_take(key) is None and captcha_answer(key) == answer  # drawn, not taken


@pytest.mark.parametrize("change", [
    lambda key: key[:16] + "ffffffff" + key[24:],  # a later expiry, the MAC kept
    lambda key: ("0" if key[0] != "0" else "1") + key[1:],  # another nonce
    lambda key: key[:39] + ("0" if key[39] != "0" else "1"),  # another MAC
    lambda key: key.upper(), lambda key: key[:-1], lambda key: "ｆ" * 40,
])
def test_a_key_not_made_here_has_no_answer(change):
    key = change(captcha_key_new())
    assert captcha_answer(key) is None and captcha_take(key) is None


def test_a_key_dies_after_its_minutes_and_its_record_is_purged(settings):
    key = captcha_key_new()
    later = timezone.now() + dt.timedelta(minutes=settings.CAPTCHA_TIMEOUT, seconds=1)
    with time_machine.travel(later):
        assert captcha_answer(key) is None and captcha_take(key) is None
    captcha_take(captcha_key_new())
    assert CaptchaUsed.objects.count() == 1
    with time_machine.travel(later):
        assert housekeeping_purge()["captchas"] == 0, "kept an hour past expiry"
    with time_machine.travel(later + dt.timedelta(hours=1)):
        assert housekeeping_purge()["captchas"] == 1
    assert not CaptchaUsed.objects.exists()


def test_the_picture_is_drawn_for_a_live_key_only(client):
    key = captcha_key_new()
    picture = client.get(f"/captcha/image/{key}/")
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    forged = key[:24] + "0" * 16
    assert client.get(f"/captcha/image/{forged}/").status_code == 410


def test_a_new_picture_on_request(client):
    assert client.get("/captcha/refresh/").status_code == 404  # only for the page's script
    body = client.get("/captcha/refresh/", headers={"x-requested-with": "XMLHttpRequest"}).json()
    assert captcha_answer(body["key"]) and body["image_url"] == f"/captcha/image/{body['key']}/"
