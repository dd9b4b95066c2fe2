import os

from celery import Celery
from celery.signals import task_postrun, task_prerun, worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def database_as_between_requests(**kwargs) -> None:
    """Treat a task like a web request: keep the database connection for DB_CONN_MAX_AGE,
    drop it after an error, and check it before its first use (CONN_HEALTH_CHECKS).

    Celery's Django fixup would otherwise close it around every task (settings:
    CELERY_DB_REUSE_MAX), and every SMS would open a new PostgreSQL connection, which costs
    more than the statements the task runs on it.
    """
    if not getattr(kwargs.get("task") and kwargs["task"].request, "is_eager", False):
        from django.db import close_old_connections

        close_old_connections()


@worker_init.connect
def metrics_serve(**kwargs) -> None:
    """The worker's metrics on WORKER_METRICS_BIND, from its main process: the pool's
    processes write theirs to PROMETHEUS_MULTIPROC_DIR (portal/metrics.py)."""
    from django.conf import settings

    if settings.WORKER_METRICS_BIND:
        from portal.metrics import worker_serve

        worker_serve(settings.WORKER_METRICS_BIND)
