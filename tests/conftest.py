"""What every test may rely on. Under CI=true a missing service fails the run at once."""

import os
import shutil
import socket
from urllib.parse import urlsplit

import pytest

pytest_plugins = ["tests.fixtures_sandbox", "tests.fixtures_browser", "tests.fixtures_signing",
                  "tests.ratelimit"]

CI = os.environ.get("CI", "").lower() == "true"


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=2):
            return True
    except OSError:
        return False


def pytest_sessionstart(session):
    if not CI:
        return
    missing = []
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        missing.append("PostgreSQL (DATABASE_URL)")
    elif not _reachable(os.environ["DATABASE_URL"]):
        missing.append("PostgreSQL at " + os.environ["DATABASE_URL"])
    if not _reachable(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")):
        missing.append("Redis")
    if not shutil.which("chromium") and not os.path.exists("/usr/bin/chromium"):
        missing.append("Chromium")
    if not os.path.exists("/usr/lib/softhsm/libsofthsm2.so"):
        missing.append("SoftHSM2")
    if missing:
        pytest.exit("CI needs: " + ", ".join(missing), returncode=3)


def service_or_skip(url: str, what: str) -> None:
    """Outside CI a developer without the service sees a skip; under CI it fails."""
    if _reachable(url):
        return
    if CI:
        pytest.fail(f"{what} is not reachable at {url}")
    pytest.skip(f"{what} is not reachable at {url}")


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    service_or_skip(url, "Redis")
    return url


@pytest.fixture
def use_broker():
    """Send tasks to a real broker at `url` for one test (tasks run in-process otherwise).

    The Celery app caches its connection pools: forget them on each switch.
    """
    from portal.celery import app

    def forget_pools() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    keys = ("task_always_eager", "broker_url", "broker_write_url", "broker_read_url")
    saved = {key: app.conf[key] for key in keys}

    def switch(url: str) -> None:
        forget_pools()
        app.conf.update(task_always_eager=False, broker_url=url, broker_write_url=url,
                        broker_read_url=url)

    yield switch
    forget_pools()
    app.conf.update(saved)
