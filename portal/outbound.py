"""Calls to the outside systems (SMS gateway, registries) through one requests session per
thread and process: connections are kept alive between calls, and the environment's proxy
and CA settings are read once instead of at every call (they walked os.environ twice per
SMS: a quarter of the worker's time, bench/README.md).

A kept-alive connection the other side has dropped fails at once: such a call is made
once more on a new connection (registry look-ups change nothing, and an SMS carries its
idempotency key). The session keeps no cookies: no answer about one citizen may follow
the call about the next.
"""

import functools
import http.cookiejar
import os
import threading

import requests

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


def post(url: str, **kwargs) -> requests.Response:
    """requests.post(url, **kwargs), through this thread's session."""
    proxies = dict(_proxies(url))
    try:
        return _session().post(url, proxies=proxies, **kwargs)
    except requests.ConnectionError as error:
        if isinstance(error, requests.Timeout):  # a connect time-out: no second wait
            raise
        return _session().post(url, proxies=proxies, **kwargs)
