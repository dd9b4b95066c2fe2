from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Account
from sandbox.people import people

VERIFIED_BY = "Dữ liệu mẫu"


class Command(BaseCommand):
    help = "Create or refresh the accounts of the sample people who already have one."

    def handle(self, *args, **options):
        for person in people():
            if person["account"] is not None:
                created = self._save(person)
                action = "created" if created else "updated"
                self.stdout.write(f"{action}: {person['id_number']} {person['full_name']}")

    @transaction.atomic
    def _save(self, person: dict) -> bool:
        sample = person["account"]
        account, created = Account.objects.update_or_create(
            username=person["id_number"],
            defaults={
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
