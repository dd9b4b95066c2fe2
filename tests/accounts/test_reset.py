import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import VerificationCode
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
TUAN = {"username": "001084567801", "phone": "0912345017"}
NEW = "Moi#Matkhau2027"


def _log_in(client, sms_outbox, password=PASSWORD):
    client.post("/dang-nhap/", {"username": TUAN["username"], "password": password, **CAPTCHA})
    return client.post("/dang-nhap/xac-thuc-otp/",
                       {"code": last_code(sms_outbox, "+84912345017")})


def test_it_resets_the_password_and_ends_other_sessions(client, citizen, sms_outbox):
    other_device = Client()
    _log_in(other_device, sms_outbox)
    assert other_device.get("/trang-ca-nhan/").status_code == 200

    response = client.post("/quen-mat-khau/", {**TUAN, **CAPTCHA})
    assert response.url == "/quen-mat-khau/xac-thuc-otp/"
    response = client.post(response.url, {"code": last_code(sms_outbox, "+84912345017")})
    assert response.url == "/quen-mat-khau/mat-khau-moi/"
    response = client.post(response.url, {"password1": NEW, "password2": NEW})
    assert response.url == "/dang-nhap/"

    assert other_device.get("/trang-ca-nhan/").status_code == 302
    assert _log_in(client, sms_outbox, NEW).url == "/trang-ca-nhan/"


def _comparable(page: str) -> str:
    """A page without what differs by nature: the CSRF token and the masked number."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r"091\*\*\*\*0\d\d", "091****0NN", page)


def test_it_answers_the_same_for_a_pair_that_matches_no_account(client, citizen, sms_outbox):
    known = client.post("/quen-mat-khau/", {**TUAN, **CAPTCHA})
    stranger = Client()
    unknown = stranger.post("/quen-mat-khau/", {**TUAN, "phone": "0912345018", **CAPTCHA})
    assert unknown.url == known.url == "/quen-mat-khau/xac-thuc-otp/"
    assert _comparable(stranger.get(unknown.url).content.decode()) == _comparable(
        client.get(known.url).content.decode())
    assert [m["phone"] for m in sms_outbox] == ["+84912345017"], "no SMS to a stranger's phone"
    refused = stranger.post(unknown.url, {"code": "123456"}).content.decode()
    assert "Mã OTP không đúng" in refused


def test_it_spends_no_sms_allowance_of_a_phone_on_strangers_requests(client, citizen,
                                                                     sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_phone": ["1/1h"]}
    stranger = Client()
    stranger.post("/quen-mat-khau/", {"username": "079192678902", "phone": TUAN["phone"],
                                      **CAPTCHA})
    # The stranger's request holds the phone's 60 s cooldown like any reset would (so it
    # tells nothing), but not its hourly allowance.
    VerificationCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    response = client.post("/quen-mat-khau/", {**TUAN, **CAPTCHA})
    assert response.url == "/quen-mat-khau/xac-thuc-otp/"
    assert [m["phone"] for m in sms_outbox] == ["+84912345017"]


def test_it_ends_a_password_lockout_with_the_reset(client, citizen, sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "password_per_account": ["2/15m"]}
    for _ in range(2):
        client.post("/dang-nhap/", {"username": TUAN["username"], "password": "Sai#2026x",
                                    **CAPTCHA})
    response = client.post("/quen-mat-khau/", {**TUAN, **CAPTCHA})
    client.post(response.url, {"code": last_code(sms_outbox, "+84912345017")})
    client.post("/quen-mat-khau/mat-khau-moi/", {"password1": NEW, "password2": NEW})
    assert _log_in(client, sms_outbox, NEW).url == "/trang-ca-nhan/"
