"""`/health/ready/`: whether this process may be given traffic, for the reverse proxy and
the operator's probes (django-health-check). `/health/` stays the liveness check.

Ready means: PostgreSQL answers, the cache (Redis, or local memory in development)
stores and reads a key, the task broker answers when there is one, and no SMS or email
has waited for the worker longer than READINESS_QUEUE_MAX_SECONDS (a worker down or far
behind: people are waiting for their codes). A failure answers 503 with the check that
failed (JSON when asked for it); no check's message names a person.

Only the addresses of READINESS_NETWORKS may ask (the proxy, the probes); anyone else gets
a 404: each probe writes to the cache and reads the database.
"""

import dataclasses
import datetime as dt
import ipaddress

import redis.asyncio
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connections
from django.db.models import Min
from django.http import Http404
from django.utils import timezone
from health_check import checks
from health_check.base import HealthCheck
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from accounts.http import client_ip
from accounts.models import OutgoingMail, OutgoingSms


async def _apart(work):
    """`work()` in a thread of its own, whose database connection is closed after: a check
    waiting on a silent database must hold up neither the others nor the request's thread,
    and no pool thread may keep a connection open."""

    def run():
        try:
            return work()
        finally:
            connections.close_all()

    return await sync_to_async(run, thread_sensitive=False)()


@dataclasses.dataclass
class Database(checks.Database):
    async def run(self):
        await _apart(lambda: checks.Database.run(self))


@dataclasses.dataclass
class QueueAge(HealthCheck):
    """The oldest SMS or email still waiting for the worker is younger than the limit."""

    async def run(self):
        oldest = await _apart(_oldest_waiting)
        waited = (timezone.now() - oldest).total_seconds() if oldest else 0
        if waited > settings.READINESS_QUEUE_MAX_SECONDS:
            raise ServiceUnavailable(f"a message has waited {waited:.0f} s for the worker")


def _oldest_waiting() -> dt.datetime | None:
    queued = [queue.objects.filter(status=queue.Status.QUEUED).aggregate(at=Min("created_at"))
              ["at"] for queue in (OutgoingSms, OutgoingMail)]
    return min((at for at in queued if at), default=None)


def _broker():
    return redis.asyncio.Redis.from_url(settings.CELERY_BROKER_URL,
                                        socket_timeout=settings.REDIS_TIMEOUT,
                                        socket_connect_timeout=settings.REDIS_TIMEOUT)


class ReadinessView(HealthCheckView):
    def get_checks(self):
        yield Database()
        yield checks.Cache()
        if settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
            yield Redis(client_factory=_broker)
        yield QueueAge()

    async def dispatch(self, request, *args, **kwargs):
        if not probe_allowed(request):
            raise Http404
        response = await super().dispatch(request, *args, **kwargs)
        if response.status_code == 500:  # the library's "a check failed": not ready
            response.status_code = 503
        return response


def probe_allowed(request) -> bool:
    """Whether the client is a probe: its address is in READINESS_NETWORKS (the proxy,
    the monitoring). Readiness and metrics answer others with a 404."""
    try:
        ip = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(network) for network in settings.READINESS_NETWORKS)


readiness = ReadinessView.as_view()
