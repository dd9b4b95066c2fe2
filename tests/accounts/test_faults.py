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
