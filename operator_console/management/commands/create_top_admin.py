import getpass
import socket

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.identity import id_number_is_valid, phone_to_e164
from accounts.models import Account
from accounts.services import counter_citizen_register
from operator_console.models import Administrator, AuditEntry, Grant, Membership, Unit
from operator_console.rights import RIGHTS, right_label
from operator_console.services import audit_record


class Command(BaseCommand):
    help = (
        "Make a portal account the top administrator (Quản trị cấp cao) of a province, "
        "holding every right of the catalogue. There is no way to become one on the web. "
        "An account that does not exist yet is created with a one-time password, printed "
        "once, to be changed at first login."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True,
                            help="province code, e.g. 33 (Hưng Yên) or P33")
        parser.add_argument("--id-number", required=True, help="the person's CCCD")
        parser.add_argument("--full-name", help="only to create the account")
        parser.add_argument("--phone", help="only to create the account (their own mobile)")

    def handle(self, *args, province, id_number, full_name, phone, **options):
        unit = self._province(province)
        with transaction.atomic():
            account, password = self._account(id_number, full_name, phone)
            _appointment, appointed = Administrator.objects.update_or_create(
                account=account, unit=unit, defaults={"level": Administrator.Level.PROVINCE})
            Membership.objects.get_or_create(account=account, unit=unit)
            if appointed:
                self._audit(AuditEntry.Action.APPOINT, account, unit, "")
            for right in RIGHTS:
                if Grant.objects.get_or_create(account=account, unit=unit, right=right)[1]:
                    self._audit(AuditEntry.Action.GRANT, account, unit, right_label(right))
        self.stdout.write(f"{account.full_name} ({account.username}) is the top administrator "
                          f"of {unit.name}.")
        if password:
            self.stdout.write(f"One-time password (to be changed at first login): {password}")

    def _audit(self, action: str, account, unit: Unit, what: str) -> None:
        """Traced like any grant; the actor is the server, `detail` names who ran it."""
        by = f"{getpass.getuser()}@{socket.gethostname()}"
        detail = f"{account.username}: {what} " if what else f"{account.username} "
        audit_record(actor=None, action=action, unit=unit, target=account,
                     detail=f"{detail}(create_top_admin, {by})", ip=None)

    def _province(self, code: str) -> Unit:
        code = code.upper() if code.upper().startswith("P") else f"P{int(code):02d}"
        unit = Unit.objects.filter(code=code, kind=Unit.Kind.PROVINCE).first()
        if unit is None:
            raise CommandError(f"No province {code}: run `python manage.py load_units` first.")
        return unit

    def _account(self, id_number: str, full_name: str | None, phone: str | None):
        account = Account.objects.filter(username=id_number).first()
        if account is not None:
            return account, ""
        if not (id_number_is_valid(id_number) and full_name and phone and phone_to_e164(phone)):
            raise CommandError("No account with this ID number: give a valid --id-number, "
                               "--full-name and --phone to create it.")
        person = {"id_number": id_number, "full_name": full_name, "birth_date": None,
                  "phone": phone_to_e164(phone)}
        account, password = counter_citizen_register(
            person=person, clerk=None, verified_by="Lệnh create_top_admin",
            method=Account.Method.ADMIN)
        return account, password
