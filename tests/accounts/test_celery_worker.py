"""An OTP SMS travels through Redis and a real Celery worker to the HTTP gateway."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import OutgoingSms
from accounts.otp import otp_send

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(redis_url, sandbox_server, transactional_db, tmp_path, use_broker):
    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        pytest.skip("the worker shares the test database: PostgreSQL only")
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "SMS_BACKEND": "accounts.sms.backends.http.HttpGatewayBackend",
        "SMS_GATEWAY_URL": sandbox_server + "/sms/send",
    }
    log = open(tmp_path / "worker.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--pool=solo",
         "--without-mingle", "--without-gossip", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    use_broker(redis_url)
    yield process
    process.terminate()
    process.wait(timeout=10)
    log.close()


def test_it_delivers_an_otp_through_the_queue(worker, sandbox_sms, tmp_path):
    sandbox_sms.clear()
    otp_send(purpose="login", phone="+84912345017", ip="203.0.113.9")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not sandbox_sms.messages():
        time.sleep(0.2)
    received = sandbox_sms.messages()
    log = (tmp_path / "worker.log").read_text()
    assert len(received) == 1, log[-3000:]
    assert received[0]["to"] == "+84912345017"
    assert "Mã OTP đăng nhập DVCQG" in received[0]["text"]
    assert OutgoingSms.objects.get().status == "sent"


def test_the_gateway_call_carries_the_id_of_the_request_that_queued_it(worker, sandbox_sms,
                                                                        tmp_path):
    """A person's request queues the SMS; the worker's call to the gateway is recorded
    under that request's correlation id (portal/correlation.py), through the broker."""
    from portal.correlation import _current
    from portal.models import OutboundCall

    token = _current.set("request-0123456789abcdef")
    try:
        otp_send(purpose="login", phone="+84912345017", ip="203.0.113.9")
    finally:
        _current.reset(token)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not OutboundCall.objects.exists():
        time.sleep(0.2)
    log = (tmp_path / "worker.log").read_text()
    assert list(OutboundCall.objects.values_list("system", "outcome", "correlation_id")) == [
        ("sms gateway", "ok", "request-0123456789abcdef")], log[-3000:]
