"""Queueing and delivering SMS. The text (which may hold a code) is sealed until sent."""

import datetime as dt
import logging

from celery.result import EagerResult
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime

from accounts.models import OutgoingSms
from accounts.outbox import outbox_deliver, outbox_seal, outbox_unseal
from accounts.sms import SmsPermanentError, SmsTransientError, sms_backend
from portal.metrics import SMS, SMS_WAIT

log = logging.getLogger(__name__)


class SmsUnavailable(Exception):
    """The message could not be queued (the task queue is down)."""


def sms_text(template: str, context: dict) -> str:
    return " ".join(render_to_string(f"sms/{template}.txt", context).split())


def sms_queue(*, phone: str, template: str, context: dict) -> OutgoingSms:
    """Store the message and hand it to the worker (sms_store, then sms_hand_over).

    Raises SmsUnavailable when the queue refused it; the row is then marked failed.
    Called inside an outer transaction, the worker could look for the row before it is
    committed: so it must not be.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("sms_queue must run outside a transaction")
    sms = sms_store(phone=phone, template=template, context=context)
    sms_hand_over(sms)
    return sms


def sms_store(*, phone: str, template: str, context: dict) -> OutgoingSms:
    """The message stored (one INSERT, in the caller's transaction if there is one), not yet
    handed to the worker: sms_hand_over does that once the row is committed. It is written
    in the language of the page that sent it."""
    return OutgoingSms.objects.create(phone=phone, template=template,
                                      sealed_context=outbox_seal(context))


def sms_hand_over(sms: OutgoingSms) -> None:
    """Queue a committed message for the worker. Raises SmsUnavailable when the queue
    refused it (any broker failure: the page says so, the person retries); the row is then
    marked failed. So is a message the gateway refused when tasks run in-process."""
    from accounts.tasks import sms_deliver_task

    try:
        outcome = sms_deliver_task.delay(str(sms.pk))
    except Exception as error:
        log.error("sms not queued: %s", type(error).__name__)
        SMS.labels("not_queued").inc()
        sms_give_up(sms_id=sms.pk)
        raise SmsUnavailable() from None
    SMS.labels("queued").inc()
    # Tasks run in-process (no broker, `make run`): the gateway has already answered.
    if isinstance(outcome, EagerResult) and outcome.result == OutgoingSms.Status.FAILED:
        raise SmsUnavailable()


def sms_deliver(*, sms_id: str) -> str:
    """Send a queued message once (accounts/outbox.py); its status after ("" when it was
    not queued). It is counted once its outcome is committed."""
    waited = []
    status = outbox_deliver(OutgoingSms, sms_id,
                            ("phone", "template", "sealed_context", "created_at"),
                            lambda sms: _send(sms, waited), SmsTransientError)
    if status == OutgoingSms.Status.SENT:
        SMS.labels("sent").inc()
        SMS_WAIT.observe(waited[0])
    elif status == OutgoingSms.Status.FAILED:
        SMS.labels("failed").inc()
    return status


def _send(sms: dict, waited: list) -> str:
    """The message to the gateway; `waited` gets the seconds it waited for it."""
    context, language = outbox_unseal(sms["sealed_context"])
    if context.get("discard"):  # queued only so that its sender's page took the same time
        return OutgoingSms.Status.DROPPED
    with translation.override(language):
        text = sms_text(sms["template"], context)
    try:
        sms_backend().send(phone=sms["phone"], text=text, message_id=sms["id"])
    except SmsPermanentError:
        log.error("sms refused by the gateway for good")
        return OutgoingSms.Status.FAILED
    waited.append(_waited(sms["created_at"]))
    return OutgoingSms.Status.SENT


def _waited(created) -> float:
    """Seconds since the message was stored (SQLite's raw rows give text, naive UTC)."""
    if isinstance(created, str):
        created = parse_datetime(created)
    if timezone.is_naive(created):
        created = timezone.make_aware(created, dt.UTC)
    return max(0.0, (timezone.now() - created).total_seconds())


def sms_give_up(*, sms_id: str) -> None:
    log.error("sms not delivered after retries")
    if OutgoingSms.objects.filter(pk=sms_id, status=OutgoingSms.Status.QUEUED).update(
            status=OutgoingSms.Status.FAILED, sealed_context=""):
        SMS.labels("failed").inc()

