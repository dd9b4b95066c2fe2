from celery import shared_task

from operator_console.services import scans_orphaned_purge


@shared_task
def scans_orphaned_purge_task() -> None:
    scans_orphaned_purge()
