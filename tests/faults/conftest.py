"""Real processes for the fault suite: a throwaway Redis, Celery workers, live portals.

Each process starts in a session of its own and its whole group is killed in teardown,
so a test that fails half-way leaves nothing running.
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.conftest import CI
from tests.fixtures_sandbox import free_port

ROOT = Path(__file__).resolve().parents[2]
START_WITHIN_SECONDS = 20


def needs(available: bool, what: str) -> None:
    """Outside CI a missing tool is a skip; under CI it fails the run."""
    if available:
        return
    if CI:
        pytest.fail(f"the fault suite needs {what}")
    pytest.skip(f"the fault suite needs {what}")


def kill_group(process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


class Processes:
    """Starts processes with their output in a log file each; stops them all at the end."""

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self._started: list[tuple[subprocess.Popen, object]] = []
        self._named: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict) -> subprocess.Popen:
        # A file, not a pipe: an unread pipe fills up and stalls the process.
        log = open(self.log_dir / f"{name}.log", "ab")  # closed in stop_all
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self._started.append((process, log))
        self._named[name] = process
        return process

    def stop_one(self, name: str) -> None:
        """Kill the process started as `name` (and its children) now, as a crash would."""
        process = self._named[name]
        kill_group(process)
        process.wait(timeout=5)

    def log(self, name: str, tail: int = 3000) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace")[-tail:] if path.exists() else ""

    def stop_all(self) -> None:
        for process, log in reversed(self._started):
            kill_group(process, signal.SIGCONT)  # a frozen process cannot handle SIGTERM
            kill_group(process, signal.SIGTERM)
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
            kill_group(process)  # the leader may be gone while its children live on
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=5)
            log.close()


@pytest.fixture
def processes(tmp_path):
    started = Processes(tmp_path)
    yield started
    started.stop_all()


def wait_until(condition, seconds: float, interval: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())


class ThrowawayRedis:
    """A redis-server of the test's own: nothing shared to stop, freeze or clean."""

    def __init__(self, processes: Processes):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = processes.start("redis", [
            "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no",
        ], env=dict(os.environ))
        if not wait_until(self._answers, 10):
            pytest.fail("the throwaway redis-server did not start:\n" + processes.log("redis"))

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def _answers(self) -> bool:
        try:
            return self.client().ping()
        except Exception:
            return False

    def kill(self) -> None:
        """Gone: connections are refused."""
        kill_group(self.process)
        self.process.wait(timeout=5)

    def freeze(self) -> None:
        """Hung: the kernel still accepts connections, nothing ever answers."""
        kill_group(self.process, signal.SIGSTOP)


@pytest.fixture
def throwaway_redis(processes):
    needs(shutil.which("redis-server") is not None, "redis-server (the Debian package)")
    return ThrowawayRedis(processes)


@pytest.fixture
def database_url(transactional_db):
    """The test database (test_<name>, made by pytest-django) as a DATABASE_URL, so that
    the processes started here read and write what the test sees."""
    from django.db import connection

    db = connection.settings_dict
    needs("postgresql" in db["ENGINE"], "PostgreSQL: other processes share the test database")
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return (f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
            f"/{quote(db['NAME'], safe='')}")


def portal_env(**overrides: str) -> dict:
    """The environment `make test` gives the portal, minus Redis, plus `overrides`."""
    env = {key: value for key, value in os.environ.items()
           if key not in {"REDIS_URL", "PYTEST_CURRENT_TEST"}}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", DEBUG="1",
               PORTAL_CAPTCHA_TEST_MODE="1",
               SMS_BACKEND="accounts.sms.backends.locmem.LocmemBackend")
    env.update(overrides)
    return env


@pytest.fixture
def live_portal(processes):
    """Start the portal under gunicorn, as in production: `live_portal(name, **env)`
    returns its base URL once it answers HTTP (any status: its database may be down)."""

    def start(name: str = "portal", **env: str) -> str:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        process = processes.start(name, [
            sys.executable, "-m", "gunicorn", "portal.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60",
            "--graceful-timeout", "2", "--access-logfile", "-",
        ], env=portal_env(**env))

        def answers() -> bool:
            assert process.poll() is None, "the portal exited:\n" + processes.log(name)
            try:  # the home page needs neither the database nor Redis: either may be down
                requests.get(url + "/", timeout=15)
            except requests.RequestException:
                return False
            return True

        if not wait_until(answers, START_WITHIN_SECONDS, 0.2):
            pytest.fail(f"the portal did not answer at {url}:\n" + processes.log(name))
        return url

    return start


def post_form(session: requests.Session, url: str, data: dict):
    """GET a form page (for its CSRF cookie), then POST it; return (response, seconds)."""
    page = session.get(url, timeout=15)
    assert page.status_code == 200, page.text[-2000:]
    data = {**data, "csrfmiddlewaretoken": session.cookies["csrftoken"]}
    started = time.monotonic()
    response = session.post(url, data=data, timeout=30, allow_redirects=False)
    return response, time.monotonic() - started
