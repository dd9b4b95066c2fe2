"""Security notifications: the holder of an account is told by SMS when something that
protects it changes, with when, and what to do if it was not them; a change made by
someone else then does not go unnoticed.

A notice is a courtesy on top of a change already made: it is queued once the change is
committed (never for a change rolled back), and if the account's notice cap is full or the
SMS system is down, the change stands and the notice is only logged.
"""

import functools
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from accounts.ratelimit import RateLimited, rate_consume
from accounts.sms.services import SmsUnavailable, sms_queue

log = logging.getLogger(__name__)
EVENTS = frozenset({"password_changed"})


def account_notify(account: Account, event: str) -> None:
    """Queue the notice of `event` (templates/sms/notice_<event>) to the account's phone
    once the current transaction commits."""
    if event not in EVENTS:
        raise ValueError(f"unknown notice: {event}")
    if account.phone:
        transaction.on_commit(functools.partial(_send, account.pk, account.phone, event))


def _send(account_id: int, phone: str, event: str) -> None:
    try:
        rate_consume(("notice_per_account", str(account_id)))
    except RateLimited:
        log.warning("notice not sent: over the account's cap event=%s", event)
        return
    context = {"when": timezone.localtime().strftime("%H:%M %d/%m"),
               "hotline": settings.PORTAL_OPERATOR["hotline"]}
    try:
        sms_queue(phone=phone, template=f"notice_{event}", context=context)
    except SmsUnavailable:
        log.warning("notice not queued: the SMS system is down event=%s", event)
