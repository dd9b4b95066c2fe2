""""Đổi số điện thoại": a recent proof, the carrier's check of the new number against the
account (or a signature), an OTP to the new number; the old number is told."""

import time

import pytest
import time_machine
from django.test import Client

from accounts.fresh import FRESH
from accounts.models import Account
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
TUAN_PHONE, TUAN_SECOND_SIM = "+84912345017", "+84912345031"
PAGE = "/trang-ca-nhan/doi-so-dien-thoai/"


@pytest.fixture
def tuan(citizen, sms_outbox) -> Client:
    client = Client()
    client.post("/dang-nhap/", {"username": citizen.username, "password": PASSWORD, **CAPTCHA})
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    return client


def test_a_new_number_in_his_name_takes_its_otp_and_the_old_number_is_told(
        tuan, citizen, sms_outbox):
    assert tuan.post(PAGE, {"phone": "0912 345 031"}).url == PAGE + "xac-thuc-otp/"
    citizen.refresh_from_db()
    assert citizen.phone == TUAN_PHONE, "nothing changes before the code"
    code = last_code(sms_outbox, TUAN_SECOND_SIM)
    assert tuan.post(PAGE + "xac-thuc-otp/", {"code": code}).url == "/trang-ca-nhan/bao-mat/"
    citizen.refresh_from_db()
    assert citizen.phone == TUAN_SECOND_SIM


def test_a_number_not_in_his_name_is_refused_and_nothing_changes(tuan, citizen, sms_outbox):
    sent = len(sms_outbox)
    page = tuan.post(PAGE, {"phone": "0912345001"}).content.decode()  # An's SIM
    assert "không đăng ký chính chủ" in page
    assert len(sms_outbox) == sent, "no code goes to a number that is not his"
    page = tuan.post(PAGE, {"phone": "0912345013"}).content.decode()  # no subscriber
    assert "không tìm thấy thuê bao" in page
    page = tuan.post(PAGE, {"phone": "0912345017"}).content.decode()
    assert "số điện thoại hiện tại" in page
    page = tuan.post(PAGE, {"phone": "12ab"}).content.decode()
    assert "Số điện thoại không hợp lệ" in page
    citizen.refresh_from_db()
    assert citizen.phone == TUAN_PHONE


def test_a_wrong_code_changes_nothing(tuan, citizen):
    tuan.post(PAGE, {"phone": "0912345031"})
    page = tuan.post(PAGE + "xac-thuc-otp/", {"code": "000000"}).content.decode()
    assert "Mã OTP không đúng" in page
    citizen.refresh_from_db()
    assert citizen.phone == TUAN_PHONE


def test_the_change_needs_a_recent_proof(tuan, settings):
    later = time.time() + settings.PORTAL_LIMITS["fresh_valid_seconds"] + 5
    with time_machine.travel(later, tick=False):
        response = tuan.post(PAGE, {"phone": "0912345031"})
    assert response.url == "/xac-nhan-lai/?next=" + PAGE.replace("/", "%2F")


def test_a_business_account_needs_a_signature(db, sms_outbox):
    from accounts.flows.state import flow_record

    business = Account.objects.create(
        username="0101234567", full_name="Công ty TNHH Thử Nghiệm", account_type="business",
        phone="+84912345010", assurance_level=3, registration_method="usb")
    client = Client()
    client.force_login(business)
    session = client.session
    session[FRESH.session_key] = flow_record("proved", owner=business.pk, by="factor")
    session.save()
    page = client.post(PAGE, {"phone": "0912345031"}).content.decode()
    assert "cần xác nhận bằng chữ ký số" in page and not sms_outbox
    session = client.session
    session.pop(FRESH.session_key)
    session.save()
    page = client.get(PAGE).content.decode()  # no "Xác nhận lại" by SMS that cannot help
    assert "Đăng xuất để đăng nhập bằng chữ ký số" in page and not sms_outbox
    session = client.session
    session[FRESH.session_key] = flow_record("proved", owner=business.pk, by="signature")
    session.save()
    assert client.post(PAGE, {"phone": "0912345031"}).url == PAGE + "xac-thuc-otp/"
