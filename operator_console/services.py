"""Writes of the console. Each function owns its transaction."""

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.activity import activity_record
from accounts.ratelimit import rate_consume
from accounts.services import account_password_issue, counter_citizen_register
from accounts.sms.services import SmsUnavailable, sms_queue
from operator_console.counter.scans import scan_delete, scan_names_older_than
from operator_console.models import AuditEntry, CounterRecord, Unit


def audit_record(*, actor, action: str, ip: str | None, unit: Unit | None = None,
                 target=None, detail: str = "") -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor, action=action, unit=unit, target=target, detail=detail[:200], ip=ip
    )


def counter_account_create(*, clerk, unit: Unit, person: dict, scan: dict, ip: str,
                           mismatch_reason: str = ""):
    """Create the citizen's account, its counter record and the audit line together.
    Raises accounts.services.AccountExists. Returns the account and its first password,
    for counter_password_send only."""
    with transaction.atomic():
        account, password = counter_citizen_register(
            person=person, clerk=clerk,
            verified_by=_("Cán bộ một cửa – %(unit)s") % {"unit": unit.name},
        )
        CounterRecord.objects.create(
            account=account, unit=unit, clerk=clerk, scan_name=scan["name"],
            scan_type=scan["type"], mismatch_reason=mismatch_reason,
        )
        audit_record(actor=clerk, action=AuditEntry.Action.CREATE, unit=unit,
                     target=account, detail=account.username, ip=ip)
        # The citizen's own history says where (the unit), not who: the clerk's name is
        # in the audit trail, for those who may read it.
        activity_record(account, "counter_created", unit=unit.name)
    return account, password


def counter_password_send(*, account, password: str) -> bool:
    """Text the citizen their first password; False when the SMS could not be queued (the
    account stands; the clerk sends a new one from the account's page)."""
    return _password_text(account, password)


def counter_password_resend(*, clerk, record: CounterRecord, ip: str) -> bool:
    """A new first password by SMS, while the citizen has not yet chosen their own.

    Counted like any SMS, per clerk and per phone (raises RateLimited past the caps).
    """
    rate_consume(("sms_per_clerk", str(clerk.pk)), ("sms_per_phone", record.account.phone))
    password = account_password_issue(account=record.account)
    audit_record(actor=clerk, action=AuditEntry.Action.PASSWORD_RESEND, unit=record.unit,
                 target=record.account, detail=record.account.username, ip=ip)
    activity_record(record.account, "counter_password_issued", unit=record.unit.name)
    return _password_text(record.account, password)


def _password_text(account, password: str) -> bool:
    """The citizen's password by SMS, in Vietnamese whatever the officer's page shows."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            sms_queue(phone=account.phone, template="counter_password",
                      context={"username": account.username, "password": password})
    except SmsUnavailable:
        return False
    return True


def scans_orphaned_purge() -> int:
    """Delete the scans of counter flows that never created an account (a flow lives 15
    minutes; a day's margin leaves any flow in progress alone). Returns how many."""
    stale = scan_names_older_than(24 * 3600)
    kept = set(CounterRecord.objects.filter(scan_name__in=stale)
               .values_list("scan_name", flat=True))
    for name in stale:
        if name not in kept:
            scan_delete(name)
    return len(stale) - len(kept)
