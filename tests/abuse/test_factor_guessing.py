"""Guessing an authenticator app's code or a backup code: capped per account whatever the
address, on top of each factor's own back-off; and the lost-phone page, which takes
nothing and tells nothing about any account.

The caps count in fixed windows aligned on UTC; each test starts just after one opens.
"""

import pytest
import time_machine
from django.test import Client

from accounts.factors.services import app_enrol_confirm, app_enrol_start, backup_codes_issue
from tests.abuse.conftest import PASSWORD, after_midnight, attacker
from tests.accounts.conftest import CAPTCHA

pytestmark = pytest.mark.django_db(transaction=True)
BACKUP_PAGE = "/dang-nhap/nhap-ma-xac-thuc/"


@pytest.fixture(autouse=True)
def app_first(citizen):
    """An app is asked first, so the logins of a script send no SMS (their own caps)."""
    app_enrol_confirm(app_enrol_start(citizen))


def _at_backup_step(ip: str, citizen) -> Client:
    """A script that knows the password (stolen) and now guesses backup codes."""
    client = attacker(ip)
    client.post("/dang-nhap/", {"username": citizen.username, "password": PASSWORD, **CAPTCHA})
    backup = citizen.backupcodedevice_set.get()
    client.post("/dang-nhap/phuong-thuc-khac/", {"device": backup.persistent_id})
    return client


def test_backup_code_guesses_are_capped_per_account_across_addresses(citizen, settings):
    settings.OTP_BACKUP_THROTTLE_FACTOR = 0  # the cap, not the back-off, is under test
    codes = backup_codes_issue(citizen)
    with time_machine.travel(after_midnight(seconds=5), tick=True) as clock:
        for guess in range(10):  # ten addresses, one guess each, each after the back-off
            clock.shift(70)
            client = _at_backup_step(f"198.51.100.{guess}", citizen)
            page = client.post(BACKUP_PAGE, {"code": f"{guess:05d}-00000"}).content.decode()
            assert "Mã xác thực không đúng" in page
        clock.shift(70)
        client = _at_backup_step("198.51.100.200", citizen)
        page = client.post(BACKUP_PAGE, {"code": codes[0]}).content.decode()
    assert "Bạn đã thử quá nhiều lần" in page, "the right code waits too once over the cap"
    assert client.get("/trang-ca-nhan/").status_code == 302


def test_a_wrong_code_makes_the_next_guess_wait(citizen):
    codes = backup_codes_issue(citizen)
    client = _at_backup_step("198.51.100.7", citizen)
    client.post(BACKUP_PAGE, {"code": "00000-00000"})
    client.post(BACKUP_PAGE, {"code": "00000-00001"})
    page = client.post(BACKUP_PAGE, {"code": codes[0]}).content.decode()
    assert "Bạn đã nhập sai mã nhiều lần" in page, "django-otp's back-off: 1, 2, 4… s"


def test_the_lost_phone_page_is_the_same_for_everyone_and_takes_nothing(citizen):
    pages = [attacker(ip).get("/ho-tro/mat-so-dien-thoai/", {"username": name})
             for ip, name in (("198.51.100.1", citizen.username), ("198.51.100.2", "031301234567"))]
    assert pages[0].content == pages[1].content
    assert attacker("198.51.100.3").post("/ho-tro/mat-so-dien-thoai/",
                                         {"username": citizen.username}).status_code == 405
