"""A Celery worker killed while it sends an SMS: after a restart the SMS is sent once.

The task is acknowledged late (CELERY_TASK_ACKS_LATE), so a worker that dies mid-send
leaves the message unacknowledged in Redis; it runs again, and the gateway's idempotency
key (the OutgoingSms id) keeps a message the gateway already took from going out twice.
"""

import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from accounts.models import OutgoingSms
from accounts.otp import otp_send
from tests.faults.conftest import kill_group, portal_env, wait_until

PHONE = "+84912345017"  # Cao Văn Tuấn


class HoldingGateway:
    """An SMS gateway in front of the sandbox's. It passes the first send on to the
    sandbox, which stores it, and then never answers: the sender dies after the gateway
    took the message and before it heard so. Later sends pass straight through."""

    def __init__(self, upstream: str):
        self.keys: list[str] = []  # the Idempotency-Key of every send, in order
        self.holding = threading.Event()
        self._release = threading.Event()
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = self.headers.get("Idempotency-Key", "")
                with gateway._lock:
                    gateway.keys.append(key)
                    first = len(gateway.keys) == 1
                answer = requests.post(upstream, data=body, timeout=10, headers={
                    "Content-Type": "application/json", "Idempotency-Key": key})
                if first:
                    gateway.holding.set()
                    gateway._release.wait(60)
                    return  # closes without an answer: its sender is dead by now
                self.send_response(answer.status_code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/sms/send"

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def start_worker(processes, database_url, throwaway_redis, use_broker):
    """`start_worker(name, gateway_url, pool)`: a worker on the throwaway Redis, sending
    through the HTTP gateway backend; returns its process once it is ready."""
    use_broker(throwaway_redis.url)

    def start(name: str, gateway_url: str, pool: str = "solo"):
        env = portal_env(
            DJANGO_SETTINGS_MODULE="tests.faults.worker_settings",
            REDIS_URL=throwaway_redis.url,
            DATABASE_URL=database_url,
            SMS_BACKEND="accounts.sms.backends.http.HttpGatewayBackend",
            SMS_GATEWAY_URL=gateway_url,
            SMS_GATEWAY_TIMEOUT="30",  # longer than the hold: the kill ends the send
        )
        process = processes.start(name, [
            sys.executable, "-m", "celery", "-A", "portal", "worker", f"--pool={pool}",
            "--concurrency=1", "--without-mingle", "--without-gossip", "--without-heartbeat",
            "-n", f"{name}@%h", "-l", "info",
        ], env)

        def ready() -> bool:
            return process.poll() is not None or " ready." in processes.log(name, tail=100_000)

        if not wait_until(ready, 30, 0.2) or process.poll() is not None:
            pytest.fail(f"{name} did not start:\n" + processes.log(name))
        return process

    return start


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _sent_once(sms: OutgoingSms, gateway: HoldingGateway, sandbox_sms) -> None:
    assert gateway.keys == [str(sms.pk)] * 2, "handed to the gateway twice, under one key"
    received = [message for message in sandbox_sms.messages() if message["to"] == PHONE]
    assert len(received) == 1, received
    assert received[0]["key"] == str(sms.pk)
    assert "Mã OTP đăng nhập DVCQG" in received[0]["text"]
    sms.refresh_from_db()
    assert (sms.status, sms.sealed_context) == ("sent", "")


@pytest.mark.timeout(60)
def test_it_sends_once_when_the_worker_is_killed_mid_send(
    start_worker, throwaway_redis, sandbox_server, sandbox_sms, processes
):
    broker = throwaway_redis.client()
    with HoldingGateway(sandbox_server + "/sms/send") as gateway:
        first = start_worker("worker-a", gateway.url)
        otp_send(purpose="login", phone=PHONE, ip="203.0.113.9")
        sms = OutgoingSms.objects.get()
        assert gateway.holding.wait(20), processes.log("worker-a")
        assert broker.hlen("unacked") == 1, "acknowledged late: unacknowledged while it runs"

        kill_group(first)  # SIGKILL: no warm shutdown, nothing is handed back to the queue
        first.wait(timeout=5)
        sms.refresh_from_db()
        assert sms.status == "queued", "the dead worker's transaction was rolled back"
        assert broker.hlen("unacked") == 1 and broker.llen("messages") == 0

        start_worker("worker-b", gateway.url)
        assert wait_until(lambda: OutgoingSms.objects.get().status == "sent", 30, 0.2), (
            processes.log("worker-b"))
        assert wait_until(lambda: broker.hlen("unacked") == 0, 5), "worker-b acknowledged it"
    _sent_once(sms, gateway, sandbox_sms)


@pytest.mark.timeout(60)
def test_it_sends_once_when_the_pool_process_is_killed_mid_send(
    start_worker, throwaway_redis, sandbox_server, sandbox_sms, processes
):
    """The out-of-memory killer takes the pool process; the worker itself lives on and,
    with reject_on_worker_lost, puts the message back at once."""
    broker = throwaway_redis.client()
    with HoldingGateway(sandbox_server + "/sms/send") as gateway:
        worker = start_worker("worker", gateway.url, pool="prefork")
        otp_send(purpose="login", phone=PHONE, ip="203.0.113.9")
        sms = OutgoingSms.objects.get()
        assert gateway.holding.wait(20), processes.log("worker")
        (pool_process,) = children_of(worker.pid)
        os.kill(pool_process, signal.SIGKILL)
        assert wait_until(lambda: OutgoingSms.objects.get().status == "sent", 20, 0.2), (
            processes.log("worker"))
        assert wait_until(lambda: broker.hlen("unacked") == 0, 5)
        assert worker.poll() is None
    assert "WorkerLostError" in processes.log("worker", tail=100_000)
    _sent_once(sms, gateway, sandbox_sms)
