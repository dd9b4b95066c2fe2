"""The holder is told on their phone (and by email, when the account has one) when the
account's password, phone, email or factors change or a new device logs in, whoever did
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
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS,
                              "notice_critical_per_account": ["1/1h"]}
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


# --- Notices of other events (issue 17): each by SMS, and by email when there is one ----
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36")
DESKTOP_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")
TUAN_EMAIL = "tuan@example.vn"


def _with_email(account):
    account.email = TUAN_EMAIL
    account.save(update_fields=["email"])
    return account


def test_every_notice_fits_one_sms_part_and_its_email_says_whom_to_call(
        citizen, sms_outbox, mailoutbox, settings):
    from accounts.notifications import EVENTS, account_notify

    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "notice_per_account": ["20/1h"]}
    hotline = settings.PORTAL_OPERATOR["hotline"]
    for event in sorted(EVENTS):
        account_notify(_with_email(citizen), event)
    texts = [m["text"] for m in sms_to(sms_outbox, TUAN_PHONE)]
    assert len(texts) == len(EVENTS) == len(set(texts))
    for text in texts:
        assert text.startswith("DVCQG: ") and text.endswith(hotline), text
        assert len(text) <= 70, f"{text!r} is {len(text)} characters: two SMS parts"
    assert len(mailoutbox) == len(EVENTS)
    for message in mailoutbox:
        assert message.to == [TUAN_EMAIL] and "\n" not in message.subject
        assert hotline in message.body and "Cổng Dịch vụ công quốc gia" in message.subject
        assert message.from_email == settings.DEFAULT_FROM_EMAIL


def test_a_changed_phone_is_told_to_the_old_one(citizen, sms_outbox):
    from accounts.notifications import account_notify

    account_notify(citizen, "phone_changed", phone="+84912345099")
    [notice] = sms_outbox
    assert notice["phone"] == "+84912345099" and notice["text"].startswith("DVCQG: SĐT đã đổi")


def test_a_changed_password_is_told_by_email_too_without_the_password(
        citizen, sms_outbox, mailoutbox):
    _with_email(citizen)
    _change(_logged_in(sms_outbox))
    [message] = mailoutbox
    assert message.subject.startswith("Mật khẩu tài khoản của bạn đã được đổi")
    assert NEW not in message.body and PASSWORD not in message.body
    assert len(_notices(sms_outbox)) == 1


def test_no_email_goes_to_an_account_without_one(citizen, sms_outbox, mailoutbox):
    _change(_logged_in(sms_outbox))
    assert mailoutbox == [] and len(_notices(sms_outbox)) == 1


def test_one_notice_counts_once_against_the_cap_by_sms_and_email(
        citizen, sms_outbox, mailoutbox, settings):
    from accounts.notifications import account_notify

    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "notice_per_account": ["1/1h"]}
    account_notify(_with_email(citizen), "factor_added")
    account_notify(citizen, "backup_codes_regenerated")
    assert [m["text"][:25] for m in sms_outbox] == ["DVCQG: thêm cách xác thực"]
    assert len(mailoutbox) == 1


def test_routine_notices_cannot_silence_the_notice_of_a_takeover(citizen, sms_outbox,
                                                                  settings):
    from accounts.notifications import account_notify

    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "notice_per_account": ["1/1h"]}
    for _ in range(3):  # whoever holds a login makes backup codes again and again…
        account_notify(citizen, "backup_codes_regenerated")
    account_notify(citizen, "phone_changed")  # …then moves the phone: its holder is told
    assert [m["text"][:20] for m in sms_outbox][-1] == "DVCQG: SĐT đã đổi lú"
    assert len(sms_outbox) == 2


def test_a_new_device_is_told_but_neither_the_first_login_nor_a_known_device(
        citizen, sms_outbox):
    def log_in(user_agent):
        client = Client(HTTP_USER_AGENT=user_agent)
        client.post("/dang-nhap/", {"username": TUAN["username"], "password": PASSWORD,
                                    **CAPTCHA})
        client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})

    def told() -> int:
        return sum(m["text"].startswith("DVCQG: đăng nhập máy mới") for m in sms_outbox)

    log_in(PHONE_UA)
    log_in(PHONE_UA)
    assert told() == 0, "the first login, then a known device"
    log_in(DESKTOP_UA)
    assert told() == 1
    log_in(DESKTOP_UA)
    assert told() == 1
