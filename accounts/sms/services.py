"""Queueing and delivering SMS. The text (which may hold a code) is sealed until sent."""

import logging

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.crypto import seal, unseal
from accounts.models import OutgoingSms
from accounts.sms import SmsPermanentError, SmsTransientError, sms_backend

log = logging.getLogger(__name__)


class SmsUnavailable(Exception):
    """The message could not be queued (the task queue is down)."""


def sms_text(template: str, context: dict) -> str:
    return " ".join(render_to_string(f"sms/{template}.txt", context).split())


def sms_queue(*, phone: str, template: str, context: dict) -> OutgoingSms:
    """Store the message and hand its id to the worker once the transaction commits.

    Raises SmsUnavailable when the queue refused it; the row is then marked failed.
    Called inside an outer transaction, the hand-over would wait for that commit and
    a failure could not be reported: so it must not be.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("sms_queue must run outside a transaction")
    with transaction.atomic():
        sms = OutgoingSms.objects.create(
            phone=phone, template=template, sealed_context=seal(context)
        )
        transaction.on_commit(lambda: _enqueue(sms.pk))
    sms.refresh_from_db(fields=["status"])
    if sms.status == OutgoingSms.Status.FAILED:
        raise SmsUnavailable()
    return sms


def _enqueue(sms_id) -> None:
    from accounts.tasks import sms_deliver_task

    try:
        sms_deliver_task.delay(str(sms_id))
    except Exception as error:  # any broker failure: the page says so, the user retries
        log.error("sms not queued: %s", type(error).__name__)
        sms_give_up(sms_id=sms_id)


def sms_deliver(*, sms_id: str) -> None:
    """Send a queued message once. The row lock keeps two workers from sending it twice;
    the gateway's idempotency key covers a worker that dies after handing it over."""
    with transaction.atomic():
        sms = OutgoingSms.objects.select_for_update().filter(pk=sms_id).first()
        if sms is None or sms.status != OutgoingSms.Status.QUEUED:
            return
        context = unseal(sms.sealed_context)
        if context.get("discard"):  # queued only so that its sender's page took the same time
            _finish(sms, OutgoingSms.Status.DROPPED)
            return
        sms.attempts += 1
        text = sms_text(sms.template, context)
        try:
            sms_backend().send(phone=sms.phone, text=text, message_id=str(sms.pk))
        except SmsPermanentError:
            log.error("sms refused by the gateway for good")
            _finish(sms, OutgoingSms.Status.FAILED)
            return
        except SmsTransientError as error:
            sms.save(update_fields=["attempts"])  # counted, though the task retries
            transient = error
        else:
            _finish(sms, OutgoingSms.Status.SENT)
            return
    raise transient


def sms_give_up(*, sms_id: str) -> None:
    log.error("sms not delivered after retries")
    OutgoingSms.objects.filter(pk=sms_id, status=OutgoingSms.Status.QUEUED).update(
        status=OutgoingSms.Status.FAILED, sealed_context=""
    )


def _finish(sms: OutgoingSms, status: str) -> None:
    sms.status = status
    sms.sealed_context = ""
    sms.sent_at = timezone.now() if status == OutgoingSms.Status.SENT else None
    sms.save(update_fields=["status", "sealed_context", "sent_at", "attempts"])
