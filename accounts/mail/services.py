"""Queueing and delivering email. The context (which may hold a code) is sealed until
sent, as for an SMS (accounts/sms/services.py): the broker carries the message's id only.

A message is two templates: templates/email/<name>_subject.txt and <name>_body.txt.
"""

import logging
import smtplib

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from accounts.mail import MailPermanentError, MailTransientError
from accounts.models import OutgoingMail
from accounts.outbox import outbox_deliver, outbox_seal, outbox_unseal

log = logging.getLogger(__name__)


class MailUnavailable(Exception):
    """The message could not be queued (the task queue is down)."""


def mail_render(template: str, context: dict) -> tuple[str, str]:
    """The subject (one line) and the plain-text body."""
    subject = " ".join(render_to_string(f"email/{template}_subject.txt", context).split())
    return subject, render_to_string(f"email/{template}_body.txt", context).strip() + "\n"


def mail_queue(*, to: str, template: str, context: dict) -> OutgoingMail:
    """Store the message and hand its id to the worker once the transaction commits.

    Raises MailUnavailable when the queue refused it. Like sms_queue, it must run outside
    a transaction, or the hand-over would wait for the outer commit and its failure could
    not be reported.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("mail_queue must run outside a transaction")
    with transaction.atomic():
        mail = OutgoingMail.objects.create(to=to, template=template,
                                           sealed_context=outbox_seal(context))
        transaction.on_commit(lambda: _enqueue(mail.pk))
    mail.refresh_from_db(fields=["status"])
    if mail.status == OutgoingMail.Status.FAILED:
        raise MailUnavailable()
    return mail


def _enqueue(mail_id) -> None:
    from accounts.tasks import mail_deliver_task

    try:
        mail_deliver_task.delay(str(mail_id))
    except Exception as error:  # any broker failure: the page says so, the user retries
        log.error("mail not queued: %s", type(error).__name__)
        mail_give_up(mail_id=mail_id)


def mail_deliver(*, mail_id: str) -> str:
    """Send a queued message once (accounts/outbox.py); its status after ("" when it was
    not queued)."""
    return outbox_deliver(OutgoingMail, mail_id, ("to", "template", "sealed_context"),
                          _deliver, MailTransientError)


def _deliver(mail: dict) -> str:
    context, language = outbox_unseal(mail["sealed_context"])
    with translation.override(language):  # the language of the page that sent it
        subject, body = mail_render(mail["template"], context)
    try:
        _send(to=mail["to"], subject=subject, body=body)
    except MailPermanentError:
        log.error("mail refused by the server for good")
        return OutgoingMail.Status.FAILED
    return OutgoingMail.Status.SENT


def _send(*, to: str, subject: str, body: str) -> None:
    """One message through settings.EMAIL_BACKEND; its errors as ours. A 5xx answer is
    final; a 4xx one, a refused connection or a time-out may pass later."""
    try:
        EmailMessage(subject, body, to=[to]).send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        raise (MailPermanentError if min(codes) >= 500 else MailTransientError)() from None
    except smtplib.SMTPResponseException as error:
        raise (MailPermanentError if error.smtp_code >= 500 else MailTransientError)() from None
    except (smtplib.SMTPException, OSError):
        raise MailTransientError() from None


def mail_give_up(*, mail_id: str) -> None:
    log.error("mail not delivered after retries")
    OutgoingMail.objects.filter(pk=mail_id, status=OutgoingMail.Status.QUEUED).update(
        status=OutgoingMail.Status.FAILED, sealed_context="")

