import contextlib
import re
from pathlib import Path

import pytest

from accounts.models import OutboxMessage, OutgoingSms
from accounts.sms import SmsPermanentError, SmsTransientError
from accounts.sms.backends.http import HttpGatewayBackend
from accounts.sms.backends.outbox import OutboxBackend
from accounts.sms.services import sms_deliver, sms_text
from tests.local_http import answering

TEMPLATES = sorted(Path("templates/sms").glob("*.txt"))


@pytest.mark.parametrize("template", [t.stem for t in TEMPLATES])
def test_it_keeps_every_sms_within_one_ucs2_part(template):
    text = sms_text(template, {"code": "123456", "minutes": 5, "password": "Ab1!Ab1!Ab1!",
                               "when": "08:35 07/12", "hotline": "1800 0000"})
    assert len(text) <= 70, text
    assert re.search(r"[^\x00-\x7f]", text), "Vietnamese text with diacritics"


@pytest.mark.django_db(transaction=True)
def test_it_lists_outbox_messages_newest_first(client):
    OutboxBackend().send(phone="+84912345001", text="Mã OTP: 111111", message_id="a")
    OutboxBackend().send(phone="+84912345002", text="Mã OTP: 222222", message_id="b")
    page = client.get("/dev/sms/").content.decode()
    assert page.index("222222") < page.index("111111")
    assert OutboxMessage.objects.count() == 2


def test_it_sends_to_the_gateway_once_per_message_id(sandbox_server, sandbox_sms):
    sandbox_sms.clear()
    backend = HttpGatewayBackend(url=sandbox_server + "/sms/send", timeout=3)
    backend.send(phone="+84912345001", text="Mã OTP: 123456", message_id="m-1")
    backend.send(phone="+84912345001", text="Mã OTP: 123456", message_id="m-1")
    received = sandbox_sms.messages()
    assert [m["text"] for m in received] == ["Mã OTP: 123456"]


def test_it_treats_an_unreachable_gateway_as_transient():
    backend = HttpGatewayBackend(url="http://127.0.0.1:9/sms/send", timeout=1)
    with pytest.raises(SmsTransientError):
        backend.send(phone="+84912345001", text="x", message_id="m-2")


def test_it_treats_a_refusal_as_permanent(sandbox_server):
    backend = HttpGatewayBackend(url=sandbox_server + "/no-such-endpoint", timeout=3)
    with pytest.raises(SmsPermanentError):
        backend.send(phone="+84912345001", text="x", message_id="m-3")


@pytest.mark.parametrize("status,error", [
    (500, SmsTransientError), (503, SmsTransientError), (429, SmsTransientError),
    (400, SmsPermanentError), (401, SmsPermanentError), (404, SmsPermanentError),
])
def test_a_busy_gateway_is_transient_and_a_refusal_permanent(status, error):
    seen = []
    with answering(status, b"", seen) as url:
        backend = HttpGatewayBackend(url=url + "/sms/send", token="t-1", timeout=2)
        with pytest.raises(error):
            backend.send(phone="+84912345001", text="x", message_id="m-4")
    assert [(h["Idempotency-Key"], h["Authorization"]) for h in seen] == [("m-4", "Bearer t-1")]


@pytest.mark.django_db(transaction=True)
def test_it_does_not_send_a_delivered_message_again(sms_outbox):
    from accounts.crypto import seal

    sms = OutgoingSms.objects.create(phone="+84912345001", template="otp_login",
                                     sealed_context=seal({"code": "654321", "minutes": 5}))
    sms_deliver(sms_id=str(sms.pk))
    sms_deliver(sms_id=str(sms.pk))
    assert [m["text"] for m in sms_outbox] == [
        "Mã OTP đăng nhập DVCQG: 654321. Hiệu lực 5 phút. Không chia sẻ."
    ]


def _stored(context: dict) -> OutgoingSms:
    from accounts.crypto import seal

    return OutgoingSms.objects.create(phone="+84912345001", template="otp_login",
                                      sealed_context=seal(context))


@pytest.fixture
def gateway_answering(settings):
    """`gateway_answering(status)`: a context in which every SMS goes to a gateway that
    answers `status`."""
    from accounts.sms import sms_backends_reset

    @contextlib.contextmanager
    def answers(status: int):
        with answering(status, b"{}") as url:
            settings.SMS_BACKENDS = {"default": {
                "BACKEND": "accounts.sms.backends.http.HttpGatewayBackend",
                "OPTIONS": {"url": url + "/sms/send", "timeout": 3}}}
            sms_backends_reset()
            yield
        sms_backends_reset()

    yield answers
    sms_backends_reset()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status,after", [
    (200, ("sent", "", 1, True)),
    (400, ("failed", "", 1, False)),  # refused for good: the page offers to send another
])
def test_a_delivered_message_records_its_outcome_and_forgets_its_code(
    gateway_answering, status, after
):
    sms = _stored({"code": "654321", "minutes": 5})
    with gateway_answering(status):
        assert sms_deliver(sms_id=str(sms.pk)) == after[0]
    sms.refresh_from_db()
    assert (sms.status, sms.sealed_context, sms.attempts, sms.sent_at is not None) == after


@pytest.mark.django_db(transaction=True)
def test_a_busy_gateway_leaves_the_message_queued_and_counts_the_attempt(gateway_answering):
    sms = _stored({"code": "654321", "minutes": 5})
    with gateway_answering(503), pytest.raises(SmsTransientError):
        sms_deliver(sms_id=str(sms.pk))
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.sent_at) == ("queued", 1, None)
    assert sms.sealed_context, "kept for the task's next try"


@pytest.mark.django_db(transaction=True)
def test_a_message_queued_only_for_its_timing_is_dropped_unsent(sms_outbox):
    sms = _stored({"discard": True})
    assert sms_deliver(sms_id=str(sms.pk)) == "dropped"
    sms.refresh_from_db()
    assert (sms.status, sms.sealed_context, sms.attempts, sms.sent_at, list(sms_outbox)) == (
        "dropped", "", 0, None, [])


@pytest.mark.django_db(transaction=True)
def test_a_message_that_cannot_be_read_stays_queued_uncounted(sms_outbox):
    """An unforeseen error is no attempt: nothing is written, and the task's failure marks
    the message failed (SmsTask.on_failure) so the page offers another."""
    from cryptography.fernet import InvalidToken

    sms = OutgoingSms.objects.create(phone="+84912345001", template="otp_login",
                                     sealed_context="not a sealed context")
    with pytest.raises(InvalidToken):
        sms_deliver(sms_id=str(sms.pk))
    sms.refresh_from_db()
    assert (sms.status, sms.attempts, sms.sealed_context, list(sms_outbox)) == (
        "queued", 0, "not a sealed context", [])
