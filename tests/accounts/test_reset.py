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


def _both_asked(citizen_client, stranger, sms_outbox) -> tuple:
    """Tuấn's own pair, then a pair that matches no account, on the same phone."""
    known = citizen_client.post("/quen-mat-khau/", {**TUAN, **CAPTCHA})
    VerificationCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    unknown = stranger.post("/quen-mat-khau/", {**TUAN, "username": "079192678902",
                                                 **CAPTCHA})
    return known, unknown


def _pages_alike(citizen_client, stranger, known, unknown) -> None:
    assert known.status_code == unknown.status_code == 302
    assert unknown.url == known.url == "/quen-mat-khau/xac-thuc-otp/"
    assert _comparable(stranger.get(unknown.url).content.decode()) == _comparable(
        citizen_client.get(known.url).content.decode())


def test_it_reads_the_same_when_the_sms_system_is_down(client, citizen, sms_outbox,
                                                       monkeypatch):
    from accounts import otp
    from accounts.sms.services import SmsUnavailable

    def down(*args, **kwargs):
        raise SmsUnavailable()

    monkeypatch.setattr(otp, "sms_hand_over", down)
    stranger = Client()
    known, unknown = _both_asked(client, stranger, sms_outbox)
    _pages_alike(client, stranger, known, unknown)
    page = client.get(known.url).content.decode()
    assert "gián đoạn" not in page and "Gửi lại OTP" in page
    monkeypatch.undo()  # the system is back: the owner sends another code and goes on
    VerificationCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    client.post("/quen-mat-khau/gui-lai-otp/")
    response = client.post(known.url, {"code": last_code(sms_outbox, "+84912345017")})
    assert response.url == "/quen-mat-khau/mat-khau-moi/"


def test_it_reads_the_same_when_the_gateway_gave_up(client, citizen, sms_outbox):
    from accounts.models import OutgoingSms

    stranger = Client()
    known, unknown = _both_asked(client, stranger, sms_outbox)
    OutgoingSms.objects.update(status=OutgoingSms.Status.FAILED)
    VerificationCode.objects.update(created_at=timezone.now())
    _pages_alike(client, stranger, known, unknown)
    assert "chưa gửi được" not in client.get(known.url).content.decode()


def test_it_reads_the_same_when_the_phone_used_up_its_own_allowance(client, citizen,
                                                                   sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_phone": ["2/1h"]}
    for _ in range(2):  # the owner's logins spend the phone's allowance
        _log_in(Client(), sms_outbox)
        VerificationCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
    sent = len(sms_outbox)
    stranger = Client()
    known, unknown = _both_asked(client, stranger, sms_outbox)
    _pages_alike(client, stranger, known, unknown)
    assert len(sms_outbox) == sent, "the phone's own cap still holds, silently"


def test_it_does_the_same_work_for_a_pair_that_matches_no_account(client, citizen, sms_outbox):
    """Not a timing (tests never time), but what takes the time: the same statements, in
    the same order, whether or not the pair matches. The message for a pair that matches
    nothing is queued too, and dropped by the worker."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def statements(pair: dict) -> list[str]:
        VerificationCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))
        with CaptureQueriesContext(connection) as captured:
            Client().post("/quen-mat-khau/", {**pair, **CAPTCHA})
        # The shape of each statement, without its values.
        return [re.sub(r"'[^']*'|\b\d+\b|NULL", "?", query["sql"]).replace("::timestamptz", "")
                for query in captured]

    known = statements(TUAN)
    unknown = statements({**TUAN, "username": "079192678902"})
    assert known == unknown
    assert [m["phone"] for m in sms_outbox] == ["+84912345017"]
