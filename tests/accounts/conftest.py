import datetime as dt

import pytest

import tests.sms
from accounts.flows.state import flow_record
from accounts.fresh import FRESH
from accounts.models import Account
from accounts.registries import registries_reset
from accounts.sms.backends import locmem

CAPTCHA = {"captcha_0": "test", "captcha_1": "PASSED"}
PASSWORD = "Dvc@2026mat"

# Sample people from sandbox/people.json, by what they are for.
AN = {"id_number": "001090012345", "full_name": "Nguyễn Văn An",
      "birth_date": "15/03/1990", "phone": "0912345001", "email": ""}
KHOA_NOT_OWNER = {"id_number": "034082789012", "full_name": "Ngô Văn Khoa",
                  "birth_date": "14/02/1982", "phone": "0912345009", "email": ""}
QUYNH_TIMEOUT = {"id_number": "027191234560", "full_name": "Dương Thị Quỳnh",
                 "birth_date": "19/09/1991", "phone": "0912345014", "email": ""}


@pytest.fixture(autouse=True)
def sms_outbox():
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def last_code(outbox, phone="+84912345001") -> str:
    """The code An's phone (or `phone`) received last."""
    return tests.sms.last_code(outbox, phone)


def fresh_login(client, account) -> None:
    """Logged in, with a proof of identity younger than 15 minutes (no "Xác nhận lại")."""
    client.force_login(account)
    session = client.session
    session[FRESH.session_key] = flow_record("proved", owner=account.pk, by="factor")
    session.save()


@pytest.fixture
def citizen(db):
    """Tuấn, who already has an account registered by phone."""
    account = Account(
        username="001084567801", full_name="Cao Văn Tuấn", birth_date=dt.date(1984, 1, 21),
        phone="+84912345017", assurance_level=2, registration_method="mobile",
    )
    account.set_password(PASSWORD)
    account.save()
    return account


# One person, two ID numbers (tests/accounts/test_one_person.py) -------------------------
XUAN_CMND, XUAN_CCCD, XUAN_PHONE = "012345678", "001058004321", "+84912345019"
YEN_CMND, YEN_CCCD = "271234567", "079165001234"
POPULATION_DOWN = "Hệ thống CSDL quốc gia về dân cư đang không phản hồi"


@pytest.fixture
def xuan(db):
    """His account as `load_sample_accounts` makes it: under the CMND, with the CCCD."""
    account = Account(username=XUAN_CMND, other_id_number=XUAN_CCCD, full_name="Tạ Văn Xuân",
                      birth_date=dt.date(1958, 4, 30), phone=XUAN_PHONE, assurance_level=2,
                      registration_method="mobile")
    account.set_password(PASSWORD)
    account.save()
    return account


@pytest.fixture
def population_down(settings):
    from tests.fixtures_sandbox import free_port

    settings.REGISTRIES = {**settings.REGISTRIES, "population": {
        "BACKEND": "accounts.registries.http.HttpPopulationRegistry",
        "OPTIONS": {"url": f"http://127.0.0.1:{free_port()}/population", "timeout": 1.0}}}
    registries_reset()
    yield
    registries_reset()
