import pytest
from django.test import Client

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


def test_it_answers_the_same_for_a_pair_that_matches_no_account(client, citizen, sms_outbox):
    known = client.post("/quen-mat-khau/", {**TUAN, **CAPTCHA})
    known_page = client.get(known.url).content.decode()
    stranger = Client()
    unknown = stranger.post("/quen-mat-khau/", {**TUAN, "phone": "0912345018", **CAPTCHA})
    unknown_page = stranger.get(unknown.url).content.decode()
    assert unknown.url == known.url
    assert known_page.replace("017", "018").count("Nếu số CMT/CCCD") == unknown_page.count(
        "Nếu số CMT/CCCD") == 1
    assert [m["phone"] for m in sms_outbox] == ["+84912345017"], "no SMS to a stranger's phone"
    refused = stranger.post(unknown.url, {"code": "123456"}).content.decode()
    assert "Mã OTP không đúng" in refused
