"""Prometheus metrics (prometheus-client): what an operator watches, counted where it
happens, served at /metrics/ by each web process and on WORKER_METRICS_BIND by each
Celery worker. docs/operations.md lists them with the alerts to set.

With PROMETHEUS_MULTIPROC_DIR set (production: gunicorn's and Celery's several processes),
each process writes its counts to files there and a scrape adds them up; the directory must
be empty when the server starts (deploy/launch.py empties it; compose mounts a tmpfs).
Without it (development, tests) the counts live in the process.

No label holds anything of a person: views, methods, outcomes, systems and cap names only.
"""

import os
import time

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
    start_http_server,
)

if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):  # the files open as the metrics are made
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

SECONDS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
REQUESTS = Counter("portal_http_requests", "Requests answered, by view, method and status",
                   ["view", "method", "status"])
REQUEST_SECONDS = Histogram("portal_http_request_seconds", "Time to answer, by view",
                            ["view"], buckets=SECONDS)
LOGINS = Counter("portal_logins", "Logins by method (password, usb, sim, vneid) and outcome",
                 ["method", "outcome"])
SMS = Counter("portal_sms", "SMS queued, sent, failed (for good) and not queued "
              "(the queue refused)", ["event"])
SMS_WAIT = Histogram("portal_sms_queue_to_gateway_seconds",
                     "From the SMS stored to the gateway taking it",
                     buckets=(0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300))
CALLS = Counter("portal_outbound_calls", "Calls to outside systems by system and outcome",
                ["system", "outcome"])
CALL_SECONDS = Histogram("portal_outbound_call_seconds", "Calls to outside systems: time "
                         "to the answer, by system", ["system"], buckets=SECONDS)
RATE_LIMITED = Counter("portal_rate_limited", "Refusals by a cap, by the caps charged",
                       ["limits"])


def registry():
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        collected = CollectorRegistry()
        multiprocess.MultiProcessCollector(collected)
        return collected
    return REGISTRY


def exposition() -> tuple[bytes, str]:
    return generate_latest(registry()), CONTENT_TYPE_LATEST


def worker_serve(bind: str) -> None:
    """The worker's metrics on `bind` (host:port), from its main process's thread."""
    host, _, port = bind.rpartition(":")
    start_http_server(int(port), addr=host or "127.0.0.1", registry=registry())


class RequestMetrics:
    """Counts each answer and its time under the name of the view that gave it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match else "unresolved"
        REQUESTS.labels(view, request.method if request.method in METHODS else "other",
                        str(response.status_code)).inc()
        REQUEST_SECONDS.labels(view).observe(time.perf_counter() - started)
        return response


METHODS = {"GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"}
