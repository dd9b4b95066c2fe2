"""The production shape on this machine, for `make bench`: a Redis of its own, the sandbox
server (carrier registry and SMS gateway stand-ins), gunicorn and a Celery worker, all on
the bench's own PostgreSQL database, started and stopped together. Their process handling
(Processes) also starts the peer (bench/peer_stack.py)."""

import base64
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import requests

from federation.keys import key_new_pem

ROOT = Path(__file__).resolve().parents[1]
START_WITHIN_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_recreate(url: str) -> None:
    """Drop and create the bench database: every run starts from the same empty state."""
    name = urlsplit(url).path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit(f"refusing to drop {name!r}: the bench database's name starts 'bench'")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def environment_clean() -> dict:
    """This shell's environment without the settings a Django process would read from it."""
    return {key: value for key, value in os.environ.items()
            if not key.startswith(("DJANGO_", "PORTAL_", "SMS_", "CELERY_"))}


class Processes:
    """Processes in sessions of their own, run in `self.env` from the repository's root,
    logs in `log_dir`, stopped whole by stop(). Subclasses set `env` and start()."""

    env: dict

    def __init__(self, log_dir: Path):
        self.log_dir = log_dir
        self._started: list[tuple[str, subprocess.Popen]] = []

    def run(self, *command: str) -> str:
        """A command to its end in the bench's environment; its output, or exit on failure."""
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def _start(self, name: str, command: list[str]) -> None:
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - kept by the process
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self._started.append((name, process))

    def _wait(self, url: str, name: str) -> None:
        def answers() -> bool:
            with contextlib.suppress(requests.RequestException):
                return requests.get(url, timeout=5).status_code == 200
            return False

        self._until(answers, name)

    def _wait_log(self, name: str, text: str) -> None:
        self._until(lambda: text in self.log(name), name)

    def _until(self, condition, name: str) -> None:
        deadline = time.monotonic() + START_WITHIN_SECONDS
        while time.monotonic() < deadline:
            for started, process in self._started:
                if process.poll() is not None:
                    raise SystemExit(f"{started} exited:\n{self.log(started)}")
            if condition():
                return
            time.sleep(0.2)
        raise SystemExit(f"{name} did not start in {START_WITHIN_SECONDS} s:\n{self.log(name)}")

    def log(self, name: str, tail: int = 4000) -> str:
        path = self.log_dir / f"{name}.log"
        return path.read_text(encoding="utf-8", errors="replace")[-tail:] if path.exists() else ""

    def pids(self, name: str) -> list[int]:
        """The process group of `name` (gunicorn's master and workers), for a profiler."""
        process = dict(self._started)[name]
        found = subprocess.run(["pgrep", "-g", str(process.pid)], capture_output=True,
                               text=True)
        return [int(pid) for pid in found.stdout.split()]

    def stop(self) -> None:
        for _name, process in reversed(self._started):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for _name, process in reversed(self._started):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


class Stack(Processes):
    """The portal: Redis, the sandbox server, gunicorn and a Celery worker."""

    def __init__(self, log_dir: Path, database_url: str, *, web_workers: int):
        super().__init__(log_dir)
        self.web_workers = web_workers
        self.web_port, self.sandbox_port, self.redis_port = free_port(), free_port(), free_port()
        self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        self.web = f"http://127.0.0.1:{self.web_port}"
        self.sandbox = f"http://127.0.0.1:{self.sandbox_port}"
        self.people_file = log_dir / "people.json"
        self.env = self._env(database_url)

    def _env(self, database_url: str) -> dict:
        env = environment_clean()
        env.update(
            PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="bench.settings", DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            SCAN_ENCRYPTION_KEY=base64.b64encode(secrets.token_bytes(32)).decode(),
            SCAN_STORAGE_ROOT=str(self.log_dir / "scans"), SECURE_SSL_REDIRECT="0",
            SANDBOX_BACKENDS_ALLOWED="1", ALLOWED_HOSTS="127.0.0.1",
            PORTAL_ORIGIN=self.web, DATABASE_URL=database_url, REDIS_URL=self.redis_url,
            WEBAUTHN_RP_ID="localhost",  # required with DEBUG off; passkeys are not benched
            OIDC_RSA_PRIVATE_KEY=key_new_pem(),  # required with DEBUG off (ID tokens)
            SMS_BACKEND="accounts.sms.backends.http.HttpGatewayBackend",
            SMS_GATEWAY_URL=self.sandbox + "/sms/send",
            CARRIER_REGISTRY="accounts.registries.http.HttpCarrierRegistry",
            CARRIER_REGISTRY_URL=self.sandbox + "/carrier/check",
            POPULATION_REGISTRY="accounts.registries.http.HttpPopulationRegistry",
            POPULATION_REGISTRY_URL=self.sandbox + "/population/numbers",
            LOG_LEVEL="WARNING",
        )
        return env

    def start(self) -> None:
        python = sys.executable
        self._start("redis", ["redis-server", "--port", str(self.redis_port),
                              "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        self._start("sandbox", [python, "manage.py", "run_sandbox", "--port",
                                str(self.sandbox_port), "--people", str(self.people_file)])
        self._start("web", [python, "-m", "gunicorn", "portal.wsgi:application",
                            "--bind", f"127.0.0.1:{self.web_port}",
                            "--workers", str(self.web_workers), "--timeout", "60"])
        self._start("worker", [python, "-m", "celery", "-A", "portal", "worker",
                               "-l", "info", "--without-gossip", "--without-mingle"])
        self._wait(self.sandbox + "/health", "sandbox")
        self._wait(self.web + "/health/", "web")
        self._wait_log("worker", "ready.")
