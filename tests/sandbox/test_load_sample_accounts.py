"""`manage.py load_sample_accounts` gives testers the documented sample accounts."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from accounts.models import Account
from sandbox.people import people

pytestmark = pytest.mark.django_db


def with_accounts():
    return [person for person in people() if person["account"]]


def load() -> str:
    out = io.StringIO()
    call_command("load_sample_accounts", stdout=out)
    return out.getvalue()


def test_it_creates_an_account_for_each_sample_person_who_has_one():
    load()
    for person in with_accounts():
        account = Account.objects.get(username=person["id_number"])
        assert account.full_name == person["full_name"]
        assert account.birth_date == dt.date.fromisoformat(person["birth_date"])
        assert account.phone == person["phone"]
        assert account.assurance_level == person["account"]["level"]
        assert account.registration_method == person["account"]["method"]
        assert account.verified_by == "Dữ liệu mẫu"
        assert account.check_password(person["account"]["password"])
    assert Account.objects.count() == len(with_accounts())


def test_it_can_run_again_without_duplicating_and_restores_the_password():
    load()
    person = with_accounts()[0]
    account = Account.objects.get(username=person["id_number"])
    account.set_password("Changed#By-A-Tester1")
    account.save()
    load()
    assert Account.objects.count() == len(with_accounts())
    account.refresh_from_db()
    assert account.check_password(person["account"]["password"])


def test_it_prints_ids_and_names_but_never_passwords():
    output = load()
    lines = output.strip().splitlines()
    assert len(lines) == len(with_accounts())
    for person, line in zip(with_accounts(), lines, strict=True):
        assert person["id_number"] in line and person["full_name"] in line
        assert person["account"]["password"] not in output
