"""Security notifications: the holder of an account is told by SMS (and by email, when
the account has one) when something that protects it changes, with when, and what to do
if it was not them; a change made by someone else then does not go unnoticed.

A notice is a courtesy on top of a change already made: it is queued once the change is
committed (never for a change rolled back), and if the account's notice cap is full or a
sending system is down, the change stands and the notice is only logged. One notice counts
once against the cap, whether it goes by SMS, email or both.
"""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.mail.services import MailUnavailable, mail_queue
from accounts.models import Account
from accounts.ratelimit import RateLimited, rate_consume
from accounts.sms.services import SmsUnavailable, sms_queue

log = logging.getLogger(__name__)
# Each has templates/sms/notice_<event>.txt and templates/email/notice_<event>_*.txt.
EVENTS = frozenset({
    "password_changed", "phone_changed", "email_changed", "factor_added", "factor_removed",
    "backup_code_used", "backup_codes_regenerated", "new_device",
})
# What takes an account from its holder counts on a cap of its own: whoever holds a login
# cannot silence these by filling the routine cap first (making backup codes five times).
CRITICAL = frozenset({"password_changed", "phone_changed", "email_changed", "factor_removed"})


def account_notify(account: Account, event: str, *, phone: str | None = None,
                   email: str | None = None) -> None:
    """Queue the notice of `event` to the account's phone and email once the current
    transaction commits. Both are read now: a caller about to change the phone or the
    email calls this first, or passes the old one (`phone=`, `email=`)."""
    if event not in EVENTS:
        raise ValueError(f"unknown notice: {event}")
    phone = account.phone if phone is None else phone
    email = account.email if email is None else email
    if phone or email:
        transaction.on_commit(functools.partial(_send, account.pk, phone, email, event))


def _send(account_id: int, phone: str, email: str, event: str) -> None:
    try:
        cap = "notice_critical_per_account" if event in CRITICAL else "notice_per_account"
        rate_consume((cap, str(account_id)))
    except RateLimited:
        log.warning("notice not sent: over the account's cap event=%s", event)
        return
    now = timezone.localtime()
    hotline = settings.PORTAL_OPERATOR["hotline"]
    if phone:
        _sms(phone, event, {"when": now.strftime("%H:%M %d/%m"), "hotline": hotline})
    if email:
        _mail(email, event, {"when": now.strftime("%H:%M %d/%m/%Y"), "hotline": hotline})


def _sms(phone: str, event: str, context: dict) -> None:
    try:
        sms_queue(phone=phone, template=f"notice_{event}", context=context)
    except SmsUnavailable:
        log.warning("notice not queued: the SMS system is down event=%s", event)


def _mail(email: str, event: str, context: dict) -> None:
    try:
        mail_queue(to=email, template=f"notice_{event}", context=context)
    except MailUnavailable:
        log.warning("notice not queued: the mail queue is down event=%s", event)
