from celery import Task, shared_task

from accounts.services import housekeeping_purge
from accounts.sms import SmsTransientError
from accounts.sms.services import sms_deliver, sms_give_up


class SmsTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries exhausted: mark the message failed so the person is told to resend."""
        sms_give_up(sms_id=args[0])


@shared_task(
    base=SmsTask,
    acks_late=True,
    autoretry_for=(SmsTransientError,),
    retry_backoff=2,
    retry_backoff_max=60,
    max_retries=6,
)
def sms_deliver_task(sms_id: str) -> None:
    """Takes the message's id only: no code or text ever sits in the broker."""
    sms_deliver(sms_id=sms_id)


@shared_task
def housekeeping_purge_task() -> None:
    housekeeping_purge()
