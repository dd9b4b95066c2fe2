"""What the abuse suite shares: the SMS outbox, the counter personas, an attacker's browser.

The attacks go through the portal's HTTP interface only (Django's test client, real views,
PostgreSQL); the outbox stands for the SMS gateway, the one thing outside the portal.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from accounts.models import Account

# The fixtures of the apps' suites, reused as they are.
from tests.accounts.conftest import PASSWORD, citizen, sms_outbox  # noqa: F401
from tests.operator_console.conftest import clerk, units  # noqa: F401

# What a refused send says, for the per-phone and the per-address caps alike.
SEND_CAPPED = "Đã gửi quá số lần cho phép tới số điện thoại này hoặc từ mạng của bạn"
PASSWORD_REFUSED = "Tên đăng nhập hoặc mật khẩu không đúng"
CODE_PATTERN = re.compile(r"\b(\d{6})\b")

# Sample people (sandbox/people.json) the sandbox carrier vouches for, with no account yet;
# "e164" is not a form field but how the SMS outbox names their phone.
REGISTRANTS = (
    {"id_number": "001090012345", "full_name": "Nguyễn Văn An", "birth_date": "15/03/1990",
     "phone": "0912345001", "email": "", "e164": "+84912345001"},
    {"id_number": "079185004567", "full_name": "Trần Thị Bình", "birth_date": "22/07/1985",
     "phone": "0912345002", "email": "", "e164": "+84912345002"},
    {"id_number": "048078123456", "full_name": "Lê Hoàng Cường", "birth_date": "02/11/1978",
     "phone": "0912345003", "email": "", "e164": "+84912345003"},
    {"id_number": "031301234567", "full_name": "Phạm Thị Dung", "birth_date": "30/01/2001",
     "phone": "0912345004", "email": "", "e164": "+84912345004"},
    {"id_number": "038203345678", "full_name": "Hoàng Minh Đức", "birth_date": "09/09/2003",
     "phone": "0912345005", "email": "", "e164": "+84912345005"},
    {"id_number": "036195456789", "full_name": "Vũ Thị Hương", "birth_date": "12/12/1995",
     "phone": "0912345006", "email": "", "e164": "+84912345006"},
    {"id_number": "092088567890", "full_name": "Đặng Quốc Huy", "birth_date": "04/04/1988",
     "phone": "0912345007", "email": "", "e164": "+84912345007"},
)


def attacker(ip: str, **headers) -> Client:
    """A fresh browser (no cookies) at address `ip`; TRUSTED_PROXY_COUNT is 0, so the
    portal goes by REMOTE_ADDR, whatever X-Forwarded-For a script writes in `headers`."""
    return Client(REMOTE_ADDR=ip, **headers)


def code_in(message: dict) -> str:
    return CODE_PATTERN.search(message["text"]).group(1)


def sms_to(outbox, phone: str) -> list[dict]:
    return [message for message in outbox if message["phone"] == phone]


# The coming midnight (UTC), taken once at import, outside any time travel. The windows of
# the caps are aligned on UTC, so a test that travels to a time after it knows which
# window it is in.
MIDNIGHT = dt.datetime.now(dt.UTC).replace(hour=0, minute=0, second=0, microsecond=0) + (
    dt.timedelta(days=1))


def after_midnight(**delta) -> dt.datetime:
    return MIDNIGHT + dt.timedelta(**delta)


def citizens(count: int) -> list[dict]:
    """Citizens with accounts and a phone each; one password hash, computed once (Argon2
    takes its time). Returned as what a script knows: ID number, phone, "e164"."""
    password = make_password(PASSWORD)
    known = [{"username": f"001{n:09d}", "phone": f"0916{n:06d}", "e164": f"+84916{n:06d}"}
             for n in range(count)]
    Account.objects.bulk_create(
        Account(username=k["username"], full_name="Công Dân Thử", name_folded="cong dan thu",
                phone=k["e164"], password=password)
        for k in known
    )
    return known


@pytest.fixture(autouse=True)
def scan_storage(settings, tmp_path):
    """Scans stored by any test here go to a directory of its own."""
    settings.SCAN_STORAGE_ROOT = tmp_path / "scans"
    return settings.SCAN_STORAGE_ROOT
