"""The people the stack's walks take through the portal, in the test database (the live
processes read and write it too), and the fault suite's fixtures for live processes."""

import datetime as dt

import pytest

from accounts.models import Account
from operator_console.models import Grant, Membership, Unit
from operator_console.units import units_load, units_sample_rows
from sandbox.people import people
from sandbox.staff import STAFF
from tests.faults.conftest import database_url, processes, throwaway_redis  # noqa: F401

AN, UYEN, TUAN = "001090012345", "079192678902", "001084567801"
# A walk-in citizen no registry knows and with no account (born 1995: the CCCD's digits
# 4-6 read "095"), as in tests/operator_console.
WALK_IN = {"id_number": "033095012345", "full_name": "Hoàng Văn Nam",
           "birth_date": "1995-05-12", "phone": "+84912345111", "email": "nam@example.vn"}


def sample(id_number: str) -> dict:
    return next(person for person in people() if person["id_number"] == id_number)


def account_of(person: dict, *, password: str = "", level: int = 2,
               method: str = Account.Method.MOBILE) -> Account:
    account = Account(username=person["id_number"], full_name=person["full_name"],
                      birth_date=dt.date.fromisoformat(person["birth_date"]),
                      phone=person["phone"], assurance_level=level,
                      registration_method=method)
    if password:
        account.set_password(password)
    else:
        account.set_unusable_password()
    account.save()
    return account


@pytest.fixture
def registrant(transactional_db) -> dict:
    """Nguyễn Văn An: the carrier knows him as the owner of his SIM; no account yet."""
    person = sample(AN)
    assert not Account.objects.filter(username=person["id_number"]).exists()
    return person


@pytest.fixture
def password_holder(transactional_db) -> dict:
    """Lương Thị Uyên: an account with a password; the SMS code is her second factor."""
    person = sample(UYEN)
    password = person["account"]["password"]
    account_of(person, password=password)
    return {**person, "password": password}


@pytest.fixture
def sim_holder(transactional_db) -> dict:
    """Cao Văn Tuấn: an account; his SIM ký số holds the certificate citizen-tuan."""
    person = sample(TUAN)
    account_of(person)
    return person


@pytest.fixture
def counter_clerk(transactional_db) -> dict:
    """Phạm Thị Thúy Hà (sandbox/staff.py): the right to create citizens' accounts, at
    the counter of Phố Hiến; logs in with her password and the SMS code."""
    member = STAFF[0]
    units_load(units_sample_rows())
    account = account_of(member, password=member["password"], level=3,
                         method=Account.Method.ADMIN)
    for unit in Unit.objects.filter(code__in=member["units"]):
        Membership.objects.create(account=account, unit=unit)
        for right in member["rights"]:
            Grant.objects.create(account=account, unit=unit, right=right)
    return member


@pytest.fixture
def walk_in(transactional_db) -> dict:
    assert not Account.objects.filter(username=WALK_IN["id_number"]).exists()
    return dict(WALK_IN)
