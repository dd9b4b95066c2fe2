"""HttpSimSignatureService against the real sandbox server (`run_sandbox` in a subprocess),
approving on the simulated phone through its test API and its HTML page."""

import threading
import time

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings

from signing.errors import SignatureRefused
from signing.sim.base import SimServiceUnavailable, SimState, digest_of, verification_code
from signing.sim.http import HttpSimSignatureService
from signing.validation import TrustConfig, signature_verify
from tests.fixtures_sandbox import free_port
from tests.local_http import answering, silent

MESSAGE = b"\x01" * 64  # stands in for SHA-256(origin) ‖ SHA-256(nonce)
PIN = "1234"
AN, BINH_EC, SAOMAI, UNTRUSTED = "+84912345001", "+84912345002", "+84912345010", "+84912345024"
TIMEOUT_PHONE = "+84912345014"
END_STATES = {
    "+84912345009": SimState.USER_CANCELLED,
    "+84912345012": SimState.NOT_A_SIGNING_SIM,
    "+84912345003": SimState.NOT_A_SIGNING_SIM,  # no `sim` record at all
    "+84912345015": SimState.PHONE_UNREACHABLE,
    "+84912345016": SimState.SIM_ERROR,
}


@pytest.fixture
def sim(sandbox_server):
    return HttpSimSignatureService(sandbox_server + "/sim", timeout=5.0)


@pytest.fixture
def phone(sandbox_server):
    return Phone(sandbox_server)


class Phone:
    """The sandbox's test API: what a person does on the simulated phone."""

    def __init__(self, base_url: str):
        self.url = base_url + "/sim"

    def pending(self, number: str) -> list[dict]:
        response = requests.get(self.url + "/pending", params={"phone": number}, timeout=5)
        response.raise_for_status()
        return response.json()["pending"]

    def approve(self, session_id: str, pin: str = PIN) -> requests.Response:
        return requests.post(self.url + "/approve", json={"session_id": session_id, "pin": pin},
                             timeout=10)

    def refuse(self, session_id: str) -> requests.Response:
        return requests.post(self.url + "/refuse", json={"session_id": session_id}, timeout=5)


def _start(sim, number, message=MESSAGE):
    return sim.start(phone=number, digest=digest_of(message), display_text="Đăng nhập Cổng")


def _verify(result):
    # The sandbox server signs with the development CA in settings.DEV_CA_DIR.
    folder = settings.DEV_CA_DIR
    trust = TrustConfig.from_pem_files([folder / "root.pem"], [folder / "crl.pem"])
    intermediate = x509.load_pem_x509_certificate((folder / "intermediate.pem").read_bytes())
    der = intermediate.public_bytes(Encoding.DER)
    return signature_verify(certificate_der=result.certificate_der, intermediates_der=[der],
                            signature=result.signature, algorithm=result.algorithm,
                            message=MESSAGE, trust=trust)


# A whole signature ----------------------------------------------------------------------


@pytest.mark.parametrize("number,algorithm,holder", [
    (AN, "RS256", "001090012345"), (BINH_EC, "ES256", "079185004567"),
    (SAOMAI, "RS256", "0101234567"),
])
def test_it_signs_once_the_person_approves_on_the_phone(sim, phone, number, algorithm, holder):
    session_id = _start(sim, number)
    assert sim.poll(session_id, wait_seconds=0).state == SimState.RUNNING
    waiting = [item for item in phone.pending(number) if item["session_id"] == session_id]
    assert waiting[0]["code"] == verification_code(digest_of(MESSAGE))
    assert waiting[0]["text"] == "Đăng nhập Cổng"
    assert phone.approve(session_id).json() == {"state": "ok"}
    result = sim.poll(session_id, wait_seconds=0)
    assert result.state == SimState.OK and result.algorithm == algorithm
    identity = _verify(result)
    assert holder in (identity.id_number, identity.mst)


@pytest.mark.parametrize("number,message,code", [
    (AN, b"another message", "bad_signature"),  # a signature of another hash
    (UNTRUSTED, MESSAGE, "untrusted"),  # a SIM certificate from a CA not trusted
])
def test_a_signature_that_does_not_verify_is_refused(sim, phone, number, message, code):
    session_id = _start(sim, number, message=message)
    phone.approve(session_id).raise_for_status()
    with pytest.raises(SignatureRefused) as refused:
        _verify(sim.poll(session_id))
    assert refused.value.code == code


def test_a_wrong_pin_keeps_the_request_waiting(sim, phone):
    session_id = _start(sim, AN)
    answer = phone.approve(session_id, pin="9999")
    assert (answer.status_code, answer.json()) == (403, {"error": "wrong_pin"})
    assert sim.poll(session_id, wait_seconds=0).state == SimState.RUNNING
    assert phone.approve(session_id).status_code == 200


def test_refusing_on_the_phone_ends_as_user_cancelled(sim, phone):
    session_id = _start(sim, AN)
    assert phone.refuse(session_id).json() == {"state": "user_cancelled"}
    assert sim.poll(session_id).state == SimState.USER_CANCELLED
    assert phone.refuse(session_id).status_code == 409
    assert phone.approve(session_id).json() == {"error": "not_pending"}


@pytest.mark.parametrize("number,state", END_STATES.items())
def test_each_sample_number_ends_in_its_state(sim, phone, number, state):
    assert sim.poll(_start(sim, number), wait_seconds=1).state == state
    assert phone.pending(number) == []


def test_an_unknown_session_is_a_sim_error(sim):
    assert sim.poll("no-such-session").state == SimState.SIM_ERROR


# Waiting ---------------------------------------------------------------------------------


def test_a_poll_waits_for_the_phone_then_answers_at_once(sim, phone):
    session_id = _start(sim, AN)
    started = time.monotonic()
    assert sim.poll(session_id, wait_seconds=1).state == SimState.RUNNING
    assert 1 <= time.monotonic() - started < 3
    threading.Timer(0.3, phone.approve, (session_id,)).start()
    started = time.monotonic()
    assert sim.poll(session_id, wait_seconds=5).state == SimState.OK
    assert time.monotonic() - started < 3


def test_the_timeout_number_stays_running_and_the_server_caps_the_wait(sim):
    session_id = _start(sim, TIMEOUT_PHONE)
    started = time.monotonic()
    assert sim.poll(session_id, wait_seconds=30).state == SimState.RUNNING
    assert 5 <= time.monotonic() - started < 8


# Failures --------------------------------------------------------------------------------


def test_a_service_that_is_not_listening_is_unreachable(caplog):
    sim = HttpSimSignatureService(f"http://127.0.0.1:{free_port()}/sim", timeout=1.0)
    with pytest.raises(SimServiceUnavailable) as error:
        _start(sim, AN)
    assert error.value.reason == "unreachable"
    assert "912345001" not in caplog.text and "unreachable" in caplog.text


def test_a_service_that_does_not_answer_times_out_after_its_bounds():
    with silent() as url:
        sim = HttpSimSignatureService(url + "/sim", timeout=0.5)
        started = time.monotonic()
        with pytest.raises(SimServiceUnavailable) as error:
            _start(sim, AN)
        assert error.value.reason == "timeout" and time.monotonic() - started < 2
        started = time.monotonic()
        with pytest.raises(SimServiceUnavailable) as error:
            sim.poll("some-session", wait_seconds=1)
        # The read timeout is the wait plus the adapter's timeout.
        assert error.value.reason == "timeout" and 1.4 <= time.monotonic() - started < 3


def test_an_error_status_is_an_error(sandbox_server):
    sim = HttpSimSignatureService(sandbox_server + "/nowhere")
    with pytest.raises(SimServiceUnavailable) as error:
        _start(sim, AN)
    assert error.value.reason == "error"


def test_a_digest_that_is_not_sha256_is_refused_by_the_service(sim):
    with pytest.raises(SimServiceUnavailable) as error:
        sim.start(phone=AN, digest=b"short", display_text="Đăng nhập")
    assert error.value.reason == "error"


@pytest.mark.parametrize("body", [
    b"not json", b"[]", b'{"state": "finished"}', b'{"state": "ok"}',
    b'{"state": "ok", "signature": "!!", "certificate": "AAAA", "algorithm": "RS256"}',
    b'{"state": "ok", "signature": "AAAA", "certificate": "", "algorithm": "RS256"}',
    b'{"state": "ok", "signature": "AAAA", "certificate": "AAAA", "algorithm": "HS256"}',
])
def test_a_poll_answer_outside_the_protocol_is_a_bad_answer(body):
    with answering(200, body) as url:
        with pytest.raises(SimServiceUnavailable) as error:
            HttpSimSignatureService(url + "/sim").poll("some-session", wait_seconds=0)
    assert error.value.reason == "bad_answer"


@pytest.mark.parametrize("body", [b"{}", b'{"session_id": ""}', b'{"session_id": 5}', b"[1]"])
def test_a_start_answer_without_a_session_id_is_a_bad_answer(body):
    with answering(200, body) as url:
        with pytest.raises(SimServiceUnavailable) as error:
            _start(HttpSimSignatureService(url + "/sim"), AN)
    assert error.value.reason == "bad_answer"


# The sandbox server's own phone page -----------------------------------------------------


def test_the_servers_phone_page_shows_the_request_and_takes_the_pin(sim, sandbox_server):
    session_id = _start(sim, AN)
    page = requests.get(sandbox_server + "/sim/phone", params={"number": "0912345001"},
                        timeout=5).text
    assert "Điện thoại mô phỏng" in page and session_id in page
    assert verification_code(digest_of(MESSAGE)) in page
    form = {"session_id": session_id, "pin": "0000", "number": "0912345001"}
    wrong = requests.post(sandbox_server + "/sim/phone/approve", data=form, timeout=5)
    assert "Mã PIN không đúng" in wrong.text  # followed the 303 back to the page
    right = requests.post(sandbox_server + "/sim/phone/approve", data={**form, "pin": PIN},
                          timeout=10)
    assert "Đã xác nhận" in right.text and session_id not in right.text
    assert sim.poll(session_id).state == SimState.OK


def test_the_servers_phone_page_refuses(sim, sandbox_server):
    session_id = _start(sim, AN)
    form = {"session_id": session_id, "number": "0912345001"}
    page = requests.post(sandbox_server + "/sim/phone/refuse", data=form, timeout=5).text
    assert "Đã từ chối" in page
    assert sim.poll(session_id).state == SimState.USER_CANCELLED


def test_the_pending_api_wants_a_mobile_number(sandbox_server):
    answer = requests.get(sandbox_server + "/sim/pending", params={"phone": "abc"}, timeout=5)
    assert answer.status_code == 400
