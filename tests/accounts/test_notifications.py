"""The holder is told on their phone when the account's password changes, whoever changed
it; a notice that cannot go changes nothing of what was done."""

import pytest
from django.test import Client

from accounts.sms.services import SmsUnavailable
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code
from tests.sms import sms_to

pytestmark = pytest.mark.django_db(transaction=True)
TUAN = {"username": "001084567801", "phone": "0912345017"}
TUAN_PHONE = "+84912345017"
NEW = "Moi#Matkhau2027"
NOTICE = "DVCQG: mật khẩu đã đổi lúc "


def _logged_in(sms_outbox) -> Client:
    client = Client()
    client.post("/dang-nhap/", {"username": TUAN["username"], "password": PASSWORD, **CAPTCHA})
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    return client


def _change(client, old=PASSWORD, new=NEW):
    return client.post("/trang-ca-nhan/doi-mat-khau/",
                       {"old_password": old, "password1": new, "password2": new})


def _notices(sms_outbox) -> list[str]:
    return [m["text"] for m in sms_to(sms_outbox, TUAN_PHONE) if m["text"].startswith(NOTICE)]


def test_a_changed_password_is_told_to_the_phone_with_the_time_and_whom_to_call(
        citizen, sms_outbox, settings):
    assert _change(_logged_in(sms_outbox)).url == "/trang-ca-nhan/"
    [notice] = _notices(sms_outbox)
    assert settings.PORTAL_OPERATOR["hotline"] in notice
    assert len(notice) <= 70, "one SMS part"


def test_a_reset_password_is_told_to_the_phone(client, citizen, sms_outbox):
    client.post("/quen-mat-khau/", {**TUAN, **CAPTCHA})
    client.post("/quen-mat-khau/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    assert client.post("/quen-mat-khau/mat-khau-moi/",
                       {"password1": NEW, "password2": NEW}).url == "/dang-nhap/"
    assert len(_notices(sms_outbox)) == 1


def test_no_notice_goes_for_a_refused_change(citizen, sms_outbox):
    page = _change(_logged_in(sms_outbox), old="Sai#Matkhau2027").content.decode()
    assert "Mật khẩu hiện tại không đúng" in page
    assert _notices(sms_outbox) == []


def test_past_the_accounts_cap_the_change_stands_without_a_notice(citizen, sms_outbox,
                                                                    settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "notice_per_account": ["1/1h"]}
    client = _logged_in(sms_outbox)
    _change(client)
    assert _change(client, old=NEW, new=PASSWORD).url == "/trang-ca-nhan/"
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD) and len(_notices(sms_outbox)) == 1


def test_with_the_sms_system_down_the_change_stands(citizen, sms_outbox, monkeypatch):
    client = _logged_in(sms_outbox)

    def down(**kwargs):
        raise SmsUnavailable()

    monkeypatch.setattr("accounts.notifications.sms_queue", down)
    assert _change(client).url == "/trang-ca-nhan/"
    citizen.refresh_from_db()
    assert citizen.check_password(NEW) and _notices(sms_outbox) == []
