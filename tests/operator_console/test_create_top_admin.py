"""The one way to become a province's top administrator: a command on the server."""

import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Account
from operator_console.models import Administrator, Grant
from operator_console.rights import RIGHTS
from tests.operator_console.conftest import person


def run(**options) -> str:
    out = io.StringIO()
    call_command("create_top_admin", stdout=out, **options)
    return out.getvalue()


def test_it_makes_an_existing_account_the_top_administrator(units):
    account = person("033180000001", "Lê Thu Thảo", "+84912345301")
    output = run(province="33", id_number=account.username)
    appointment = Administrator.objects.get(account=account)
    assert (appointment.unit.code, appointment.level) == ("P33", "province")
    assert set(Grant.objects.filter(account=account).values_list("right", flat=True)) == set(RIGHTS)
    assert "Tỉnh Hưng Yên" in output and "password" not in output
    run(province="P33", id_number=account.username)  # again: nothing doubles
    assert Administrator.objects.filter(account=account).count() == 1


def test_it_creates_the_account_with_a_one_time_password_to_change(units):
    output = run(province="33", id_number="033180000009", full_name="Lê Thu Thảo",
                 phone="0912 345 309")
    password = output.split("first login): ")[1].strip()
    account = Account.objects.get(username="033180000009")
    assert account.check_password(password) and account.must_change_password
    assert account.phone == "+84912345309" and account.registration_method == "admin"


@pytest.mark.django_db
def test_it_refuses_an_unknown_province_or_a_missing_person(units):
    with pytest.raises(CommandError, match="No province P99"):
        run(province="99", id_number="033180000001")
    with pytest.raises(CommandError, match="--full-name and --phone"):
        run(province="33", id_number="033180000001")
    assert not Administrator.objects.exists()


def test_it_leaves_the_appointment_and_grants_in_the_audit_trail(units):
    from operator_console.models import AuditEntry

    account = person("033180000001", "Lê Thu Thảo", "+84912345301")
    run(province="33", id_number=account.username)
    entries = AuditEntry.objects.filter(target=account)
    assert entries.filter(action="appoint", actor=None).count() == 1
    assert entries.filter(action="grant").count() == len(RIGHTS)
    assert all("create_top_admin" in entry.detail for entry in entries)
