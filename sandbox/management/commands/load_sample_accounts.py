from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Account
from operator_console.models import Administrator, Grant, Membership, Unit
from operator_console.units import units_load, units_sample_rows
from sandbox.people import other_id_number, people
from sandbox.staff import STAFF

VERIFIED_BY = "Dữ liệu mẫu"


class Command(BaseCommand):
    help = ("Create or refresh the accounts of the sample people who already have one, "
            "and the sample staff of the sample units (which it loads too).")

    def handle(self, *args, **options):
        for person in people():
            if person["account"] is not None:
                created = self._save(person)
                action = "created" if created else "updated"
                self.stdout.write(f"{action}: {person['id_number']} {person['full_name']}")
        units_load(units_sample_rows())
        for member in STAFF:
            self._save_staff(member)
            self.stdout.write(f"staff: {member['id_number']} {member['full_name']}")

    @transaction.atomic
    def _save_staff(self, member: dict) -> None:
        account, _created = Account.objects.update_or_create(
            username=member["id_number"],
            defaults={"full_name": member["full_name"], "phone": member["phone"],
                      "birth_date": member["birth_date"], "assurance_level": 3,
                      "registration_method": Account.Method.ADMIN,
                      "verified_by": VERIFIED_BY},
        )
        account.set_password(member["password"])
        account.save(update_fields=["password"])
        for code in member["units"]:
            unit = Unit.objects.get(code=code)
            Membership.objects.get_or_create(account=account, unit=unit)
            for right in member["rights"]:  # the sample staff hold their rights in each unit
                Grant.objects.get_or_create(account=account, unit=unit, right=right)
        if "administers" in member:
            level, code = member["administers"]
            Administrator.objects.get_or_create(account=account, unit=Unit.objects.get(code=code),
                                                defaults={"level": level})

    @transaction.atomic
    def _save(self, person: dict) -> bool:
        sample = person["account"]
        account, created = Account.objects.update_or_create(
            username=person["id_number"],
            defaults={
                "other_id_number": other_id_number(person),
                "full_name": person["full_name"],
                "birth_date": person["birth_date"],
                "phone": person["phone"],
                "assurance_level": sample["level"],
                "registration_method": sample["method"],
                "verified_by": VERIFIED_BY,
            },
        )
        # Re-running restores the documented password, whatever a tester changed it to.
        account.set_password(sample["password"])
        account.save(update_fields=["password"])
        return created
