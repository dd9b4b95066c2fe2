"""Outside parts that fail: a message and a way to retry, nothing half-made."""

import pytest

from accounts.models import Account, OutgoingSms, VerificationCode
from tests.accounts.conftest import AN, CAPTCHA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(use_broker):
    use_broker("redis://127.0.0.1:1/0")


@pytest.mark.timeout(20)
def test_it_tells_the_person_when_redis_is_down(client, broker_down):
    response = client.post("/dang-ky/mobile/", {**AN, **CAPTCHA})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hệ thống gửi tin nhắn đang gián đoạn" in page and "thử lại" in page
    assert 'value="Nguyễn Văn An"' in page
    assert not Account.objects.exists() and not VerificationCode.objects.exists()
    assert OutgoingSms.objects.get().sealed_context == "", "no code left sealed in a dead row"


@pytest.mark.timeout(20)
def test_it_keeps_login_answering_when_redis_is_down(client, citizen, broker_down):
    response = client.post("/dang-nhap/", {"username": citizen.username,
                                           "password": "Dvc@2026mat", **CAPTCHA})
    assert response.status_code == 200
    assert "Hệ thống gửi tin nhắn đang gián đoạn" in response.content.decode()


def test_it_tells_the_person_when_the_gateway_refuses_the_sms(client, settings, sandbox_server):
    from accounts.sms import sms_backends_reset

    settings.SMS_BACKENDS = {"default": {
        "BACKEND": "accounts.sms.backends.http.HttpGatewayBackend",
        "OPTIONS": {"url": sandbox_server + "/no-such-endpoint", "timeout": 3},
    }}
    sms_backends_reset()
    try:
        page = client.post("/dang-ky/mobile/", {**AN, **CAPTCHA}).content.decode()
    finally:
        sms_backends_reset()
    assert "Hệ thống gửi tin nhắn đang gián đoạn" in page
    assert not VerificationCode.objects.exists()


def test_it_lets_the_person_resend_at_once_when_the_worker_gave_up(client, sms_outbox):
    from accounts.sms.services import sms_give_up

    client.post("/dang-ky/mobile/", {**AN, **CAPTCHA})
    code = VerificationCode.objects.get()
    OutgoingSms.objects.filter(pk=code.sms_id).update(status="queued")
    sms_give_up(sms_id=code.sms_id)  # what the task does when its retries run out
    page = client.get("/dang-ky/xac-thuc-otp/").content.decode()
    assert "chưa gửi được" in page
    assert "Có thể gửi lại sau" not in page
    client.post("/dang-ky/gui-lai-otp/")
    assert len(sms_outbox) == 2 and VerificationCode.objects.count() == 2
