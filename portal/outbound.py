"""The one client for every call to an outside system: registries, the SMS gateway, the SIM
signature service, the CAs' revocation lists and OCSP responders.

One requests session per thread and process: connections are kept alive between calls,
and the environment's proxy and CA settings are read once, not at every call (requests
walks os.environ for them on each call, which costs a busy SMS worker dearly). The session
keeps no cookies: no answer about one citizen may follow the call about the next.

A kept-alive connection the other side has dropped fails at once: such a call is made once
more on a new connection (a look-up changes nothing, and an SMS carries its idempotency
key). Redirects are not followed: a request carrying personal data goes where configured.

Every failure is an `Unavailable` (or the adapter's own subclass of it) whose `reason` is
one of REASONS; only that reason and the system's name are logged, never the payload or
the answer: they hold ID numbers, phone numbers and names. Every call, answered or not, is
told to `recorder` with the same restraint (portal/calls.py keeps the record operators
read). Nothing here imports the apps, so `signing`, a library, may use it too.
"""

import contextlib
import functools
import http.cookiejar
import json
import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext_lazy as _
from urllib3.exceptions import ReadTimeoutError

from portal.refusals import Refusal

log = logging.getLogger(__name__)

# A system that cannot even accept the connection quickly will not answer well either.
CONNECT_TIMEOUT_CAP = 3.0
# A JSON answer is a few kilobytes at most (the largest: a SIM signature and certificate).
ANSWER_MAX_BYTES = 1024 * 1024
REASONS = frozenset({"timeout", "unreachable", "error", "bad_answer", "too_large"})

Answer = TypeVar("Answer")


class Unavailable(Refusal):
    """An outside system did not answer usably: `reason` is one of REASONS, logged, never
    shown, free of personal data. `status` is the HTTP status when one came back. What a
    person reads is the "unavailable" sentence of the system's subclass."""

    texts = {"unavailable": _("Hệ thống bên ngoài đang không phản hồi. Vui lòng thử lại sau "
                              "ít phút.")}
    status: int | None = None

    def __init__(self, reason: str, **params):
        super().__init__("unavailable", **params)
        self.args = (reason,)
        self.reason = reason


def unavailable(kind: type[Unavailable], reason: str, *, system: str,
                status: int | None = None) -> Unavailable:
    """Log that `system` failed for `reason`, and return the `kind` of error to raise."""
    log.warning("%s unavailable: %s", system, reason)
    error = kind(reason)
    error.status = status
    return error


def request(method: str, url: str, *, system: str, read: Callable[[bytes], Any] | None = None,
            **kwargs):
    """The body of a 2xx answer, streamed and refused past `limit` bytes ("too_large"), or
    `read(body)` when given: what `read` raises (say `unavailable(kind, "bad_answer")` for
    an answer it cannot read) is then the call's outcome in its record.

    `timeout` bounds each wait for the other side (the connection within
    CONNECT_TIMEOUT_CAP); `read_timeout`, when given, replaces it once connected. `retry`
    False: a call that starts something and carries no idempotency key is never sent twice
    (the other side may have taken the first before the connection dropped). The call is
    recorded (`recorder`)."""
    with _recorded(method, url, system):
        body = _request(method, url, system=system, **kwargs)
        return body if read is None else read(body)


def _request(method: str, url: str, *, system: str, timeout: float,
            kind: type[Unavailable] = Unavailable, read_timeout: float | None = None,
            limit: int = ANSWER_MAX_BYTES, retry: bool = True, **kwargs) -> bytes:
    """`request`, not recorded."""
    read_timeout = timeout if read_timeout is None else read_timeout
    try:
        with _send(method, url, retry=retry, stream=True, allow_redirects=False,
                   timeout=(min(timeout, CONNECT_TIMEOUT_CAP), read_timeout),
                   **kwargs) as response:
            if not 200 <= response.status_code < 300:
                raise unavailable(kind, "error", system=system, status=response.status_code)
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > limit:
                    raise unavailable(kind, "too_large", system=system)
            return bytes(body)
    except requests.RequestException as error:
        raise unavailable(kind, _reason(error), system=system) from error


def post_json(url: str, payload: Any, read: Callable[[Any], Answer] = lambda answer: answer,
              *, system: str, kind: type[Unavailable] = Unavailable, **kwargs) -> Answer:
    """POST `payload` as JSON and return `read(decoded answer)`; an answer that is not JSON,
    or that `read` cannot read (KeyError, TypeError, ValueError), is "bad_answer".
    `kwargs` as for `request`."""
    with _recorded("POST", url, system):
        body = _request("POST", url, system=system, kind=kind, json=payload, **kwargs)
        try:
            return read(json.loads(body))
        except (ValueError, TypeError, KeyError) as error:
            raise unavailable(kind, "bad_answer", system=system) from error


# Who records each call: portal.calls.call_record, set when the portal app is ready
# (this module imports no app). Told the system, the operation (method and path, never the
# query), when it started (epoch seconds), the time taken, the outcome ("ok" or a reason;
# "error" for anything else raised) and the HTTP status, if any.
recorder: Callable[..., None] | None = None


@contextlib.contextmanager
def _recorded(method: str, url: str, system: str):
    started, clock, outcome, status = time.time(), time.monotonic(), "ok", None
    try:
        yield
    except Unavailable as failure:
        outcome, status = failure.reason, failure.status
        raise
    except BaseException:
        outcome = "error"
        raise
    finally:
        if recorder is not None:
            try:
                recorder(system=system, operation=f"{method} {urlsplit(url).path}",
                         started=started, duration_ms=round(1000 * (time.monotonic() - clock)),
                         outcome=outcome, status=status)
            except Exception as error:  # noqa: BLE001 - a record never fails its call
                log.warning("outbound call not recorded: %s", type(error).__name__)


def _reason(error: requests.RequestException) -> str:
    # requests reports a read time-out in the middle of a body as a ConnectionError.
    if isinstance(error, requests.Timeout) or (
            error.args and isinstance(error.args[0], ReadTimeoutError)):
        return "timeout"
    if isinstance(error, requests.ConnectionError):
        return "unreachable"
    return "error"


def _send(method: str, url: str, *, retry: bool, **kwargs) -> requests.Response:
    proxies = dict(_proxies(url))
    try:
        return _session().request(method, url, proxies=proxies, **kwargs)
    except requests.ConnectionError as error:
        if not retry or isinstance(error, requests.Timeout):  # a connect time-out: no second
            raise
        return _session().request(method, url, proxies=proxies, **kwargs)


_local = threading.local()


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None or _local.pid != os.getpid():  # never a parent's sockets after fork
        session = requests.Session()
        session.cookies.set_policy(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
        session.trust_env = False  # read below, once
        session.verify = (os.environ.get("REQUESTS_CA_BUNDLE")
                          or os.environ.get("CURL_CA_BUNDLE") or True)
        _local.session, _local.pid = session, os.getpid()
    return session


@functools.lru_cache(maxsize=64)
def _proxies(url: str) -> tuple[tuple[str, str], ...]:
    """HTTP(S)_PROXY and NO_PROXY as requests would apply them to `url`."""
    return tuple(sorted(requests.utils.get_environ_proxies(url).items()))
