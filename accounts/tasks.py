from celery import Task, shared_task

from accounts.mail import MailTransientError
from accounts.mail.services import mail_deliver, mail_give_up
from accounts.models import OutgoingSms
from accounts.revocation import revocation_refresh
from accounts.services import housekeeping_purge
from accounts.sms import SmsTransientError
from accounts.sms.services import sms_deliver, sms_give_up


class SmsTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries exhausted: mark the message failed so the person is told to resend."""
        sms_give_up(sms_id=args[0])


@shared_task(
    bind=True,
    base=SmsTask,
    acks_late=True,
    autoretry_for=(SmsTransientError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=6,
)
def sms_deliver_task(self, sms_id: str) -> str:
    """Takes the message's id only: no code or text ever sits in the broker.

    Run in-process (no broker: the embedded default), a task would retry inside the web
    request, one gateway time-out after another: there it tries once, and a message the
    gateway did not take is marked failed, which the OTP page says, offering to resend.
    """
    try:
        return sms_deliver(sms_id=sms_id)
    except SmsTransientError:
        if not self.request.is_eager:
            raise
        sms_give_up(sms_id=sms_id)
        return OutgoingSms.Status.FAILED


# --- Email (accounts/mail/services.py): as for an SMS, the task takes the id only ---------
class MailTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        mail_give_up(mail_id=args[0])


@shared_task(bind=True, base=MailTask, acks_late=True, autoretry_for=(MailTransientError,),
             retry_backoff=2, retry_backoff_max=60, max_retries=6)
def mail_deliver_task(self, mail_id: str) -> None:
    """No code or text in the broker; in-process (no broker) it tries once, as SMS does."""
    try:
        mail_deliver(mail_id=mail_id)
    except MailTransientError:
        if not self.request.is_eager:
            raise
        mail_give_up(mail_id=mail_id)
# --- end of email ------------------------------------------------------------------------


@shared_task
def housekeeping_purge_task() -> None:
    housekeeping_purge()


@shared_task
def revocation_refresh_task() -> dict:
    """The CAs' revocation lists fetched again, before their nextUpdate passes."""
    return revocation_refresh()
