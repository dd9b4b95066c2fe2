"""`/health/ready/` tells the proxy and the probes whether this process may take traffic:
PostgreSQL, the cache, the broker, and how long the oldest SMS or email has waited for the
worker. Only the proxy's and the probes' addresses may ask."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from accounts.crypto import seal
from accounts.models import OutgoingMail, OutgoingSms

URL = "/health/ready/"
JSON = {"HTTP_ACCEPT": "application/json"}

pytestmark = pytest.mark.django_db(transaction=True)  # the checks run in threads of their own


def get(client, url: str, **extra):
    """`client.get`, from a thread of its own: the view is async, and a browser test run
    earlier in this process leaves an event loop in the main thread, where Django's
    async_to_sync refuses to run (under gunicorn a request's thread has none)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(client.get, url, **extra).result()


def ready(client, **extra):
    response = get(client, URL, **{**JSON, **extra})
    return response.status_code, response.json() if response.status_code != 404 else None


def test_a_process_with_everything_answering_is_ready(client):
    status, checks = ready(client)
    assert status == 200, checks
    assert set(checks.values()) == {"OK"}
    assert {name.split("(")[0] for name in checks} == {"Database", "Cache", "QueueAge"}


def test_it_checks_the_broker_when_there_is_one(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url
    status, checks = ready(client)
    assert status == 200 and any(name.startswith("Redis(") for name in checks), checks
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # nothing listens there
    status, checks = ready(client)
    failed = {name: text for name, text in checks.items() if text != "OK"}
    assert status == 503 and list(failed) == [next(n for n in checks if n.startswith("Redis("))]


@pytest.mark.parametrize("queue", [OutgoingSms, OutgoingMail])
def test_a_message_waiting_too_long_for_the_worker_makes_it_unready(client, settings, queue):
    settings.READINESS_QUEUE_MAX_SECONDS = 120
    fields = ({"phone": "+84912345001"} if queue is OutgoingSms else {"to": "an@example.vn"})
    message = queue.objects.create(template="otp_login", sealed_context=seal({"code": "1"}),
                                   created_at=timezone.now() - dt.timedelta(seconds=100),
                                   **fields)
    assert ready(client)[0] == 200
    queue.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - dt.timedelta(seconds=300))
    status, checks = ready(client)
    assert status == 503
    assert checks["QueueAge()"].startswith("Unavailable: a message has waited 30")  # 300 s +
    queue.objects.filter(pk=message.pk).update(status=queue.Status.SENT)
    assert ready(client)[0] == 200, "a sent message waits for nothing"


def test_only_the_proxy_and_the_probes_may_ask(client, settings):
    assert get(client, URL, REMOTE_ADDR="203.0.113.9").status_code == 404
    assert get(client, URL, REMOTE_ADDR="10.1.2.3", **JSON).status_code == 200
    settings.READINESS_NETWORKS = ["192.0.2.0/24"]
    assert get(client, URL, REMOTE_ADDR="127.0.0.1").status_code == 404
    assert get(client, URL, REMOTE_ADDR="192.0.2.7", **JSON).status_code == 200
