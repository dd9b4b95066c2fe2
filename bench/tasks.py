from celery import shared_task


@shared_task(acks_late=True)
def noop_task(number: int) -> None:
    """The baseline of the SMS figure: a task that only travels through the same worker."""
