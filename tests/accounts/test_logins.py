""""Phiên đăng nhập": the holder sees where the account is logged in and ends a login."""

import pytest
from django.test import Client

from accounts.device_sessions import address_masked, device_described
from accounts.models import Account, AccountSession
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
TUAN_PHONE = "+84912345017"
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36")
DESKTOP_UA = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0")
PAGE = "/trang-ca-nhan/phien-dang-nhap/"


def _logged_in(sms_outbox, user_agent: str, username="001084567801") -> Client:
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR="203.0.113.57")
    client.post("/dang-nhap/", {"username": username, "password": PASSWORD, **CAPTCHA})
    client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)})
    assert client.get("/trang-ca-nhan/").status_code == 200
    return client


def test_it_lists_each_device_with_a_coarse_description_and_a_hidden_address(
        citizen, sms_outbox):
    phone = _logged_in(sms_outbox, PHONE_UA)
    _logged_in(sms_outbox, DESKTOP_UA)
    page = phone.get(PAGE).content.decode()
    assert "Chrome · Android" in page and "Edge · Windows" in page
    assert "203.0.113.*" in page and "203.0.113.57" not in page
    assert page.count("Thiết bị bạn đang dùng") == 1 and "SM-A546E" not in page


def test_ending_another_login_logs_that_device_out(citizen, sms_outbox):
    phone = _logged_in(sms_outbox, PHONE_UA)
    desktop = _logged_in(sms_outbox, DESKTOP_UA)
    other = AccountSession.objects.get(device="Edge · Windows")
    answer = phone.post(f"{PAGE}{other.pk}/dang-xuat/", follow=True).content.decode()
    assert "Đã đăng xuất khỏi thiết bị đó." in answer and "Edge · Windows" not in answer
    assert desktop.get("/trang-ca-nhan/").status_code == 302
    assert phone.get("/trang-ca-nhan/").status_code == 200


def test_ending_every_other_login_keeps_this_one(citizen, sms_outbox):
    phone = _logged_in(sms_outbox, PHONE_UA)
    others = [_logged_in(sms_outbox, DESKTOP_UA) for _ in range(2)]
    answer = phone.post(f"{PAGE}dang-xuat-thiet-bi-khac/", follow=True).content.decode()
    assert "Đã đăng xuất khỏi 2 thiết bị khác." in answer
    assert [c.get("/trang-ca-nhan/").status_code for c in others] == [302, 302]
    assert phone.get("/trang-ca-nhan/").status_code == 200


def test_a_login_ended_elsewhere_is_no_longer_listed(citizen, sms_outbox):
    phone = _logged_in(sms_outbox, PHONE_UA)
    desktop = _logged_in(sms_outbox, DESKTOP_UA)
    desktop.post("/dang-xuat/")
    assert "Edge · Windows" not in phone.get(PAGE).content.decode()
    assert AccountSession.objects.count() == 1


def test_nobody_ends_another_accounts_login(citizen, sms_outbox):
    desktop = _logged_in(sms_outbox, DESKTOP_UA)
    stranger = Account.objects.create_user(username="079192678902", password=PASSWORD,
                                           full_name="Người Khác", phone="+84912345099")
    intruder = Client()
    intruder.force_login(stranger)
    row = AccountSession.objects.get()
    intruder.post(f"{PAGE}{row.pk}/dang-xuat/")
    assert desktop.get("/trang-ca-nhan/").status_code == 200
    assert intruder.get(PAGE).status_code == 200 and AccountSession.objects.count() == 1


def test_it_needs_a_login_and_a_post():
    assert Client().get(PAGE).status_code == 302
    assert Client().get(f"{PAGE}dang-xuat-thiet-bi-khac/").status_code == 405


@pytest.mark.parametrize("user_agent,described", [
    (PHONE_UA, "Chrome · Android"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
     "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari · iOS"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "coc_coc_browser/125.0.174 Chrome/119.0.0.0 Safari/537.36", "Cốc Cốc · Windows"),
    ("curl/8.5.0", ""),
])
def test_it_tells_a_device_coarsely(user_agent, described):
    assert device_described(user_agent) == described


@pytest.mark.parametrize("address,masked", [
    ("203.0.113.57", "203.0.113.*"), ("2001:db8:85a3::8a2e:370:7334", "2001:0db8:85a3:*"),
    ("not an address", "—"),
])
def test_it_hides_the_last_part_of_the_address(address, masked):
    assert address_masked(address) == masked


def test_housekeeping_drops_the_records_of_ended_logins(citizen, sms_outbox, settings):
    from accounts.services import housekeeping_purge

    alive = _logged_in(sms_outbox, PHONE_UA)
    _logged_in(sms_outbox, DESKTOP_UA).post("/dang-xuat/")  # its row goes at once
    AccountSession.objects.create(account=citizen, session_key="ended-long-ago", device="")
    settings.SESSION_COOKIE_AGE = 0
    assert housekeeping_purge()["logins"] == 1
    assert list(AccountSession.objects.values_list("device", flat=True)) == ["Chrome · Android"]
    assert alive.get("/trang-ca-nhan/").status_code == 200


def test_an_expired_login_is_no_longer_listed(citizen, sms_outbox):
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    phone = _logged_in(sms_outbox, PHONE_UA)
    desktop = _logged_in(sms_outbox, DESKTOP_UA)
    Session.objects.filter(session_key=desktop.session.session_key).update(
        expire_date=timezone.now())
    assert "Edge · Windows" not in phone.get(PAGE).content.decode()


def test_after_a_password_change_only_this_login_is_listed(citizen, sms_outbox):
    phone = _logged_in(sms_outbox, PHONE_UA)
    _logged_in(sms_outbox, DESKTOP_UA)
    new = "Moi#Matkhau2027"
    phone.post("/trang-ca-nhan/doi-mat-khau/",
               {"old_password": PASSWORD, "password1": new, "password2": new})
    page = phone.get(PAGE).content.decode()
    assert "Chrome · Android" in page and "Thiết bị bạn đang dùng" in page
    assert "Edge · Windows" not in page, "the other login ended with the old password"
