"""Calls to the outside systems (SMS gateway, registries) through one requests session per
thread and process: connections are kept alive between calls, and the environment's proxy
and CA settings are read once instead of at every call (they walked os.environ twice per
SMS: a quarter of the worker's time, bench/README.md)."""

import functools
import os
import threading

import requests

_local = threading.local()


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None or _local.pid != os.getpid():  # never a parent's sockets after fork
        session = requests.Session()
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
    return _session().post(url, proxies=dict(_proxies(url)), **kwargs)
