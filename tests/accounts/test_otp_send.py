import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.models import OutgoingSms, VerificationCode
from accounts.otp import SendRefused, otp_send

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = "+84912345001"


def _send(ip="203.0.113.5", phone=PHONE):
    return otp_send(purpose="login", phone=phone, ip=ip)


def test_it_sends_the_code_by_sms_and_erases_the_text(sms_outbox):
    _send()
    assert len(sms_outbox) == 1 and sms_outbox[0]["phone"] == PHONE
    sms = OutgoingSms.objects.get()
    assert sms.status == "sent" and sms.sealed_context == ""


def test_it_refuses_a_resend_within_the_cooldown(sms_outbox):
    _send()
    with pytest.raises(SendRefused) as refused:
        _send(ip="198.51.100.7")
    assert refused.value.code == "cooldown" and refused.value.wait > 0
    assert len(sms_outbox) == 1


def test_it_caps_sends_per_phone_at_five_an_hour_and_ten_a_day(sms_outbox):
    # 01:00 UTC tomorrow: the eight hours below stay inside one day's window, whatever
    # the hour the suite runs at (from 21:00 UTC they used to cross midnight).
    midnight = timezone.now().astimezone(dt.UTC).replace(hour=0, minute=0, second=0,
                                                         microsecond=0)
    start = midnight + dt.timedelta(days=1, hours=1)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            _send(ip=f"203.0.113.{len(sms_outbox)}")
            traveller.shift(dt.timedelta(seconds=61))
        with pytest.raises(SendRefused) as refused:
            _send(ip="198.51.100.1")
        assert refused.value.code == "limit"
        for _ in range(5):
            traveller.shift(dt.timedelta(hours=1))
            _send(ip=f"203.0.114.{len(sms_outbox)}")
        traveller.shift(dt.timedelta(hours=1))
        with pytest.raises(SendRefused):
            _send(ip="198.51.100.2")
    assert len(sms_outbox) == 10


def test_it_caps_sends_per_address(sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_ip": ["3/1h"]}
    for n in range(3):
        _send(phone=f"+8491234500{n + 1}")
    with pytest.raises(SendRefused):
        _send(phone="+84912345009")
    assert len(sms_outbox) == 3


def test_it_keeps_no_code_and_no_charge_when_the_queue_is_down(monkeypatch, sms_outbox):
    from accounts.tasks import sms_deliver_task

    def broken(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(sms_deliver_task, "delay", broken)
    with pytest.raises(SendRefused) as refused:
        _send()
    assert refused.value.code == "unavailable"
    assert not VerificationCode.objects.exists()
    assert OutgoingSms.objects.get().status == "failed"
    assert sms_outbox == []
    monkeypatch.undo()
    for n in range(5):  # the failed try cost nothing: the hour's five sends are all there
        with time_machine.travel(timezone.now() + dt.timedelta(seconds=61 * (n + 1))):
            _send(ip=f"203.0.113.{n}")
    assert len(sms_outbox) == 5


def test_it_charges_neither_cap_when_one_is_full(sms_outbox, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_phone": ["1/1h"]}
    _send(ip="203.0.113.1")
    with pytest.raises(SendRefused):
        _send(ip="203.0.113.2")
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_ip": ["1/1h"]}
    _send(ip="203.0.113.2", phone="+84912345002")  # that address was not charged


def test_in_process_tasks_try_a_silent_gateway_once_and_say_so(client, citizen, settings):
    """Without a broker (the embedded default) the SMS task runs inside the web request:
    a gateway that never answers costs one time-out there, not one per retry, and the
    person reads that the SMS system is down, the form still filled in."""
    import socket
    import time

    from accounts.sms import sms_backends_reset
    from tests.accounts.conftest import CAPTCHA, PASSWORD

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        settings.SMS_BACKENDS = {"default": {
            "BACKEND": "accounts.sms.backends.http.HttpGatewayBackend",
            "OPTIONS": {"url": f"http://127.0.0.1:{silent.getsockname()[1]}/sms/send",
                        "timeout": 1.0}}}
        sms_backends_reset()
        try:
            started = time.monotonic()
            response = client.post("/dang-nhap/", {"username": citizen.username,
                                                   "password": PASSWORD, **CAPTCHA})
            took = time.monotonic() - started
        finally:
            sms_backends_reset()
    assert took < 3, f"the request waited {took:.1f} s on the gateway"
    page = response.content.decode()
    assert response.status_code == 200 and "Hệ thống gửi tin nhắn đang gián đoạn" in page
    assert f'value="{citizen.username}"' in page
    sms = OutgoingSms.objects.get()
    assert (sms.status, sms.attempts, sms.sealed_context) == ("failed", 1, "")
    assert not VerificationCode.objects.exists()
