"""The sandbox HTTP server, run as a subprocess the way a developer runs it."""

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
START_WITHIN_SECONDS = 15


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, log_path: str) -> None:
    deadline = time.monotonic() + START_WITHIN_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with contextlib.suppress(requests.RequestException):
            if requests.get(url + "/health", timeout=1).ok:
                return
        time.sleep(0.1)
    log = Path(log_path).read_text(encoding="utf-8", errors="replace")[-2000:]
    pytest.fail(f"the sandbox server did not become healthy at {url}:\n{log}")


@contextlib.contextmanager
def running_sandbox(*extra_args: str, log: Path | None = None):
    """Start `manage.py run_sandbox` on a free port; yield its base URL; stop it. Its output
    goes to `log` when given (read it after the block: the server has stopped)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "manage.py", "run_sandbox", "--port", str(port), *extra_args]
    # Output goes to a file: an unread pipe would fill up and stall the server.
    opened = open(log, "wb") if log else tempfile.NamedTemporaryFile(  # noqa: SIM115
        prefix="sandbox-", suffix=".log")
    with opened as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_healthy(url, process, log.name)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def sandbox_server():
    with running_sandbox() as url:
        yield url


class SandboxSms:
    """The SMS gateway stand-in's received messages, as an operator would read them."""

    def __init__(self, base_url: str):
        self.url = base_url + "/sms/messages"

    def messages(self) -> list[dict]:
        response = requests.get(self.url, timeout=5)
        response.raise_for_status()
        return response.json()

    def clear(self) -> None:
        requests.delete(self.url, timeout=5).raise_for_status()


@pytest.fixture
def sandbox_sms(sandbox_server):
    sms = SandboxSms(sandbox_server)
    sms.clear()
    return sms
