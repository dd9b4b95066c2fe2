""""Đổi email": a code mailed to the new address, the change only after it, behind a
recent proof of identity."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.crypto import unseal
from accounts.flows.state import flow_record
from accounts.fresh import FRESH
from accounts.models import Account, AccountEvent, OutgoingMail, VerificationCode

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = "/trang-ca-nhan/doi-email/"
CODE_PAGE = "/trang-ca-nhan/doi-email/xac-thuc/"
RESEND = "/trang-ca-nhan/doi-email/gui-lai-ma/"
OLD, NEW = "tuan.cu@example.vn", "tuan.moi@example.vn"


@pytest.fixture
def tuan(citizen):
    citizen.email = OLD
    citizen.save(update_fields=["email"])
    return citizen


def fresh_client(account) -> Client:
    """Logged in, with a proof of identity younger than its limit."""
    client = Client(REMOTE_ADDR="203.0.113.57")
    client.force_login(account)
    session = client.session
    session[FRESH.session_key] = flow_record("proved", owner=account.pk)
    session.save()
    return client


def mailed_code(mailoutbox, to=NEW) -> str:
    bodies = [mail.body for mail in mailoutbox if mail.to == [to]]
    assert bodies, f"no mail to {to}: {[mail.to for mail in mailoutbox]}"
    return re.search(r"(?<!\d)\d{6}(?!\d)", bodies[-1]).group()


def wrong(code: str) -> str:
    return "".join(str((int(digit) + 1) % 10) for digit in code)


def email_of(account) -> str:
    return Account.objects.get(pk=account.pk).email


def test_it_mails_a_code_to_the_new_address_only(tuan, mailoutbox, sms_outbox):
    client = fresh_client(tuan)
    assert "Đổi email" in client.get("/trang-ca-nhan/").content.decode()
    response = client.post(PAGE, {"email": NEW})
    assert response.status_code == 302 and response.url == CODE_PAGE
    assert [mail.to for mail in mailoutbox] == [[NEW]] and sms_outbox == []
    assert mailoutbox[0].subject == "Mã xác thực đổi email – Cổng Dịch vụ công quốc gia"
    assert "Cao Văn Tuấn" not in mailoutbox[0].body, "an unproven address learns no name"
    page = client.get(CODE_PAGE).content.decode()
    assert "Mã xác thực đã được gửi tới email:" in page and NEW in page
    assert email_of(tuan) == OLD


def test_the_code_is_never_in_the_broker_in_clear(tuan, mailoutbox, monkeypatch):
    from accounts.mail.services import mail_deliver
    from accounts.tasks import mail_deliver_task

    handed = []
    monkeypatch.setattr(mail_deliver_task, "delay", lambda *args: handed.append(args))
    fresh_client(tuan).post(PAGE, {"email": NEW})
    mail = OutgoingMail.objects.get()
    assert handed == [(str(mail.pk),)]
    code = unseal(mail.sealed_context)["code"]
    assert code not in mail.sealed_context and code not in VerificationCode.objects.get().digest
    mail_deliver(mail_id=str(mail.pk))
    assert mailed_code(mailoutbox) == code
    mail.refresh_from_db()
    assert (mail.status, mail.sealed_context) == ("sent", "")


def test_the_email_changes_only_after_the_right_code(tuan, mailoutbox, sms_outbox):
    client = fresh_client(tuan)
    client.post(PAGE, {"email": NEW})
    code = mailed_code(mailoutbox)
    page = client.post(CODE_PAGE, {"code": wrong(code)}).content.decode()
    assert "Mã OTP không đúng. Bạn còn 4 lần thử." in page and email_of(tuan) == OLD
    response = client.post(CODE_PAGE, {"code": code}, follow=True)
    assert response.redirect_chain[-1][0] == "/trang-ca-nhan/"
    assert "Đổi email thành công." in response.content.decode() and NEW in (
        response.content.decode())
    assert email_of(tuan) == NEW
    assert AccountEvent.objects.filter(account=tuan, kind="email_changed").count() == 1
    told = [mail for mail in mailoutbox if mail.to == [OLD]]
    assert [mail.subject for mail in told] == [
        "Email của tài khoản đã được đổi – Cổng Dịch vụ công quốc gia"]
    assert "DVCQG: email đã đổi lúc" in sms_outbox[-1]["text"]
    assert client.get(CODE_PAGE).status_code == 302, "the flow ends with the change"


def test_wrong_codes_count_and_exhaust_the_code(tuan, mailoutbox):
    client = fresh_client(tuan)
    client.post(PAGE, {"email": NEW})
    code = mailed_code(mailoutbox)
    for _ in range(5):
        page = client.post(CODE_PAGE, {"code": wrong(code)}).content.decode()
    assert "Bạn đã nhập sai mã OTP quá số lần cho phép." in page
    page = client.post(CODE_PAGE, {"code": code}).content.decode()
    assert "Bạn đã nhập sai mã OTP quá số lần cho phép." in page
    assert VerificationCode.objects.get().failures == 5 and email_of(tuan) == OLD


def test_without_a_recent_proof_it_sends_to_reauth_and_back(tuan, mailoutbox):
    client = Client()
    client.force_login(tuan)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url == "/xac-nhan-lai/?next=%2Ftrang-ca-nhan%2Fdoi-email%2F"
    response = client.post(PAGE, {"email": NEW})
    assert response.url.startswith("/xac-nhan-lai/?next=") and mailoutbox == []
    assert Client().get(PAGE).url == "/dang-nhap/?next=%2Ftrang-ca-nhan%2Fdoi-email%2F"


def test_a_proof_that_ran_out_mid_way_changes_nothing(tuan, mailoutbox):
    client = fresh_client(tuan)
    client.post(PAGE, {"email": NEW})
    code = mailed_code(mailoutbox)
    session = client.session
    session.pop(FRESH.session_key)
    session.save()
    response = client.post(CODE_PAGE, {"code": code})
    assert response.url == "/xac-nhan-lai/?next=%2Ftrang-ca-nhan%2Fdoi-email%2Fxac-thuc%2F"
    assert email_of(tuan) == OLD and VerificationCode.objects.get().used_at is None


@pytest.mark.parametrize("typed,message", [
    ("khong-phai-email", "Email không hợp lệ."),
    ("", "Bạn phải nhập email mới."),
    ("Tuan.Cu@EXAMPLE.vn", "Email mới trùng với email hiện tại của tài khoản."),
])
def test_a_bad_address_is_told_in_vietnamese_and_changes_nothing(tuan, mailoutbox, typed,
                                                                 message):
    page = fresh_client(tuan).post(PAGE, {"email": typed}).content.decode()
    assert message in page
    assert mailoutbox == [] and not VerificationCode.objects.exists() and email_of(tuan) == OLD


def test_an_address_another_account_uses_is_not_told_apart(tuan, mailoutbox):
    Account.objects.create_user(username="079192678902", full_name="Người Khác",
                                email=NEW, password=None)
    response = fresh_client(tuan).post(PAGE, {"email": NEW})
    assert response.url == CODE_PAGE and [mail.to for mail in mailoutbox] == [[NEW]]


def test_a_resend_waits_for_the_cooldown_and_replaces_the_code(tuan, mailoutbox):
    client = fresh_client(tuan)
    client.post(PAGE, {"email": NEW})
    first = mailed_code(mailoutbox)
    page = client.post(RESEND, follow=True).content.decode()
    assert "Mã xác thực vừa được gửi tới email này. Vui lòng đợi" in page
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        page = client.post(RESEND, follow=True).content.decode()
        assert "Mã xác thực mới đã được gửi. Mã cũ không còn dùng được." in page
        second = mailed_code(mailoutbox)
        assert len(mailoutbox) == 2
        if first != second:
            client.post(CODE_PAGE, {"code": first})
            assert email_of(tuan) == OLD
        client.post(CODE_PAGE, {"code": second})
    assert email_of(tuan) == NEW


def test_it_caps_codes_per_account(tuan, mailoutbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "email_per_account": ["2/1h"]}
    with time_machine.travel(_early_in_an_hour()):
        client = fresh_client(tuan)
        for n in range(2):
            assert client.post(PAGE, {"email": f"moi{n}@example.vn"}).status_code == 302
        page = client.post(PAGE, {"email": "moi9@example.vn"}).content.decode()
    assert "Đã gửi quá số lần cho phép tới email này hoặc cho tài khoản của bạn." in page
    assert len(mailoutbox) == 2


def test_it_caps_codes_to_one_address_from_many_accounts(tuan, mailoutbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "email_per_address": ["1/1h"],
                              "code_resend_after_seconds": 0}
    other = Account.objects.create_user(username="079192678902", full_name="Người Khác",
                                        password=None)
    with time_machine.travel(_early_in_an_hour()):
        assert fresh_client(tuan).post(PAGE, {"email": NEW}).status_code == 302
        page = fresh_client(other).post(PAGE, {"email": NEW}).content.decode()
    assert "Đã gửi quá số lần cho phép" in page and len(mailoutbox) == 1


def test_it_caps_code_guesses_per_account(tuan, mailoutbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "email_code_guess": ["3/1h"]}
    with time_machine.travel(_early_in_an_hour()):
        client = fresh_client(tuan)
        client.post(PAGE, {"email": NEW})
        code = mailed_code(mailoutbox)
        for _ in range(3):
            client.post(CODE_PAGE, {"code": wrong(code)})
        page = client.post(CODE_PAGE, {"code": code}).content.decode()
    assert "Bạn đã thử quá nhiều lần." in page and email_of(tuan) == OLD


def test_a_queue_that_is_down_costs_nothing_and_says_so(tuan, mailoutbox, monkeypatch):
    from accounts.tasks import mail_deliver_task

    def broken(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(mail_deliver_task, "delay", broken)
    page = fresh_client(tuan).post(PAGE, {"email": NEW}).content.decode()
    assert "Hệ thống gửi thư điện tử đang gián đoạn" in page
    assert not VerificationCode.objects.exists() and mailoutbox == []
    assert OutgoingMail.objects.get().status == "failed"


def test_the_code_page_needs_a_flow(tuan):
    response = fresh_client(tuan).get(CODE_PAGE, follow=True)
    assert response.redirect_chain[-1][0] == PAGE
    assert "Phiên thực hiện đã hết hạn" in response.content.decode()


def _early_in_an_hour() -> dt.datetime:
    """A minute past the next hour: a test's caps stay in one window of their own."""
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    return hour + dt.timedelta(hours=1, minutes=1)
