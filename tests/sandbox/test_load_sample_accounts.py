"""`manage.py load_sample_accounts` gives testers the documented sample accounts."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from accounts.models import Account
from operator_console.models import Administrator, Grant, Membership
from operator_console.selectors import unit_is_counter
from sandbox.people import people
from sandbox.staff import STAFF

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
    assert Account.objects.count() == len(with_accounts()) + len(STAFF)


def test_it_can_run_again_without_duplicating_and_restores_the_password():
    load()
    person = with_accounts()[0]
    account = Account.objects.get(username=person["id_number"])
    account.set_password("Changed#By-A-Tester1")
    account.save()
    load()
    assert Account.objects.count() == len(with_accounts()) + len(STAFF)
    account.refresh_from_db()
    assert account.check_password(person["account"]["password"])


def test_it_prints_ids_and_names_but_never_passwords():
    output = load()
    lines = output.strip().splitlines()
    everyone = [(p["id_number"], p["full_name"], p["account"]["password"])
                for p in with_accounts()]
    everyone += [(m["id_number"], m["full_name"], m["password"]) for m in STAFF]
    assert len(lines) == len(everyone)
    for (id_number, name, password), line in zip(everyone, lines, strict=True):
        assert id_number in line and name in line
        assert password not in output


def test_it_gives_the_sample_staff_their_units_and_rights():
    load()
    load()  # twice: nothing doubles
    for member in STAFF:
        account = Account.objects.get(username=member["id_number"])
        assert account.check_password(member["password"])
        memberships = Membership.objects.filter(account=account)
        assert [m.unit.code for m in memberships] == member["units"]
        assert [g.right for g in Grant.objects.filter(account=account)] == member["rights"]
    ha, _lan, hau = STAFF[:3]
    assert unit_is_counter(Membership.objects.get(account__username=ha["id_number"]).unit)
    assert not unit_is_counter(Membership.objects.get(account__username=hau["id_number"]).unit)
    top, ward = STAFF[3:]
    assert Administrator.objects.get(account__username=top["id_number"]).level == "province"
    assert Administrator.objects.get(account__username=ward["id_number"]).unit.code == "X11953"
