"""The correlation id: one id for a web request and for the tasks it queues, so that an
operator can follow one person's step through the records of outside calls.

A request takes the id the reverse proxy gave it (`X-Request-ID`, when it is a plain
token of 8 to 64 letters, digits, `-` or `_`), or a new one; the answer carries it back
in the same header. A task queued while a request or another task runs carries the id in
its message headers and runs under it; a task queued from nowhere runs under its own id.
The id says nothing of the person: it is random, or the proxy's.
"""

import contextvars
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
# The task header that carries it: not "correlation_id", which Celery sets to the task's id.
TASK_HEADER = "portal_correlation_id"
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{8,64}", re.ASCII)
_current: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")


def correlation_id() -> str:
    """The id of the request or task running now ("" outside both)."""
    return _current.get()


class CorrelationMiddleware:
    """First in MIDDLEWARE: every later part of the request runs under its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


@before_task_publish.connect
def _carry(headers=None, **kwargs) -> None:
    if headers is not None and _current.get():
        headers.setdefault(TASK_HEADER, _current.get())


@task_prerun.connect
def _enter(task_id=None, task=None, **kwargs) -> None:
    if task is None:
        return
    request = task.request
    # A custom header is an attribute of the task's request (message protocol 2); a task
    # run in-process (no broker) runs inside the request that queued it.
    given = (getattr(request, TASK_HEADER, None)
             or (request.headers or {}).get(TASK_HEADER)
             or (_current.get() if request.is_eager else None))
    request.correlation_token = _current.set(
        given if isinstance(given, str) and _WELL_FORMED.fullmatch(given) else task_id or "")


@task_postrun.connect
def _leave(task=None, **kwargs) -> None:
    token = getattr(task.request, "correlation_token", None) if task is not None else None
    if token is not None:
        _current.reset(token)
