"""The simulated phone of `make run` (/dev/dien-thoai/): it answers the in-process SIM
service's requests, and is routed only in development (tests/portal/test_settings.py)."""

import pytest
from django.utils.html import escape

from sandbox.dev_ca import dev_ca_ensure
from sandbox.registries import SandboxSimSignatureService
from signing.sim.base import SimState, digest_of, verification_code
from signing.validation import signature_verify

pytestmark = pytest.mark.django_db

PAGE = "/dev/dien-thoai/"
MESSAGE = b"\x02" * 64
TEXT = "Đăng ký tài khoản Cổng Dịch vụ công"


@pytest.fixture(scope="module")
def ca_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-ca")
    return folder, dev_ca_ensure(folder)[0]


@pytest.fixture
def sim(settings, ca_dir):
    settings.DEBUG = True
    settings.DEV_CA_DIR = ca_dir[0]
    return SandboxSimSignatureService()


def _start(sim, number="+84912345001"):
    return sim.start(phone=number, digest=digest_of(MESSAGE), display_text=TEXT)


def _answer(client, session_id, action, pin=""):
    return client.post(PAGE, {"session_id": session_id, "so": "0912345001", "action": action,
                              "pin": pin}, follow=True)


def test_it_lists_a_pending_request_with_its_code(client, sim):
    session_id = _start(sim)
    page = client.get(PAGE, {"so": "0912345001"}).content.decode()
    assert "Điện thoại mô phỏng" in page and escape(TEXT) in page and session_id in page
    assert verification_code(digest_of(MESSAGE)) in page
    assert '<label for="pin-1"' in page and "Xác nhận" in page and "Từ chối" in page
    assert "thay cho điện thoại" in page


def test_approving_with_the_pin_lets_the_poll_say_ok(client, sim, ca_dir):
    session_id = _start(sim)
    wrong = _answer(client, session_id, "approve", pin="0000").content.decode()
    assert "Mã PIN không đúng" in wrong and session_id in wrong
    assert sim.poll(session_id, wait_seconds=0).state == SimState.RUNNING
    right = _answer(client, session_id, "approve", pin="1234")
    assert right.redirect_chain == [(f"{PAGE}?so=0912345001&ket-qua=approved", 302)]
    assert "Đã xác nhận" in right.content.decode()
    assert session_id not in right.content.decode()
    result = sim.poll(session_id, wait_seconds=0)
    assert result.state == SimState.OK
    ca = ca_dir[1]
    identity = signature_verify(certificate_der=result.certificate_der,
                                intermediates_der=[ca.intermediate.der],
                                signature=result.signature, algorithm=result.algorithm,
                                message=MESSAGE, trust=ca.trust_config())
    assert identity.id_number == "001090012345"


def test_refusing_ends_the_request(client, sim):
    session_id = _start(sim)
    assert "Đã từ chối" in _answer(client, session_id, "refuse").content.decode()
    assert sim.poll(session_id, wait_seconds=0).state == SimState.USER_CANCELLED
    again = _answer(client, session_id, "approve", pin="1234").content.decode()
    assert "không còn chờ" in again


def test_it_shows_only_the_chosen_phones_requests(client, sim):
    session_id = _start(sim, "+84912345002")
    page = client.get(PAGE, {"so": "0912345017"}).content.decode()
    assert session_id not in page and "Không có yêu cầu nào đang chờ" in page


def test_it_says_when_the_number_is_not_a_mobile_number(client, sim):
    assert "Số điện thoại không hợp lệ" in client.get(PAGE, {"so": "12"}).content.decode()

