"""Password guessing at /dang-nhap/: the caps per account and per address, and one answer.

A throttled try, a wrong password and an unknown ID read the same, so a script learns
neither that it is throttled nor that an account exists. The caps count in fixed
15-minute windows aligned on UTC; each test starts just after one opens.
"""

import re

import pytest
import time_machine

from tests.abuse.conftest import PASSWORD_REFUSED, after_midnight, attacker, citizens
from tests.accounts.conftest import CAPTCHA, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

UNKNOWN_ID = "031301234567"  # a valid CCCD with no account


def _try(ip: str, username: str, password: str, **headers):
    return attacker(ip, **headers).post("/dang-nhap/", {"username": username,
                                                        "password": password, **CAPTCHA})


def _refusal(response, username: str) -> str:
    """The refusal page as a script compares it: without the CSRF token, the captcha key and
    the ID number it typed, which differ on every page by nature."""
    assert response.status_code == 200
    page = response.content.decode()
    assert PASSWORD_REFUSED in page
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r"\b[0-9a-f]{40}\b", "CAPTCHA", page).replace(username, "ID-NUMBER")


def _logged_in_step(response) -> bool:
    return response.status_code == 302 and response.url == "/dang-nhap/xac-thuc-otp/"


def test_the_eleventh_try_on_an_account_is_refused_even_with_the_right_password(
    citizen, sms_outbox
):
    with time_machine.travel(after_midnight(seconds=5), tick=True) as traveller:
        for n in range(10):  # ten wrong guesses, each from its own address
            wrong = _refusal(_try(f"203.0.113.{n}", citizen.username, f"Sai#{n}matkhau"),
                             citizen.username)
        for n in range(5):  # the right password, from yet other addresses
            right = _try(f"198.51.100.{n}", citizen.username, PASSWORD)
            assert _refusal(right, citizen.username) == wrong
        assert sms_outbox == []

        traveller.move_to(after_midnight(minutes=15, seconds=5))  # the next window
        assert _logged_in_step(_try("198.51.100.99", citizen.username, PASSWORD))
        assert len(sms_outbox) == 1


def test_fifty_tries_from_one_address_shut_it_out_of_every_account(sms_outbox):
    known = citizens(11)
    address = "203.0.113.50"
    with time_machine.travel(after_midnight(seconds=5), tick=True):
        for n in range(50):  # five on each of ten accounts: no account reaches its own cap
            target = known[n % 10]["username"]
            forged = {"HTTP_X_FORWARDED_FOR": f"198.18.0.{n}"}  # ignored: no proxy is trusted
            wrong = _refusal(_try(address, target, f"Sai#{n}matkhau", **forged), target)
        untouched = known[10]["username"]
        assert _refusal(_try(address, untouched, PASSWORD), untouched) == wrong
        assert _refusal(_try(address, UNKNOWN_ID, PASSWORD), UNKNOWN_ID) == wrong
        assert sms_outbox == []

        # The cap was the address's: elsewhere the same passwords work.
        assert _logged_in_step(_try("198.51.100.1", untouched, PASSWORD))
        assert _logged_in_step(_try("198.51.100.2", known[0]["username"], PASSWORD))
        assert len(sms_outbox) == 2


def test_wrong_throttled_and_unknown_read_the_same(citizen, sms_outbox):
    with time_machine.travel(after_midnight(seconds=5), tick=True):
        wrong = _refusal(_try("203.0.113.1", citizen.username, "Sai#matkhau1"), citizen.username)
        unknown = _refusal(_try("203.0.113.2", UNKNOWN_ID, PASSWORD), UNKNOWN_ID)
        for n in range(10):  # the unknown ID is capped like an account: it tells nothing
            _try(f"203.0.113.{10 + n}", UNKNOWN_ID, f"Sai#{n}matkhau")
            _try(f"203.0.113.{30 + n}", citizen.username, f"Sai#{n}matkhau")
        throttled = _refusal(_try("203.0.113.3", citizen.username, PASSWORD), citizen.username)
        throttled_unknown = _refusal(_try("203.0.113.4", UNKNOWN_ID, PASSWORD), UNKNOWN_ID)
    assert wrong == unknown == throttled == throttled_unknown
    assert sms_outbox == []
