"""The sandbox mobile signature service: the sample SIMs of people.json, the phone's side
(pending, approve, refuse) and signatures the portal's validation accepts."""

import os
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from sandbox.dev_ca import SPECS, dev_ca_build, dev_ca_ensure
from sandbox.people import people
from sandbox.registries import SandboxSimSignatureService
from sandbox.sim_service import BEHAVIOURS, SIM_PIN, SimService, shared_service
from signing.errors import SignatureRefused
from signing.sim.base import SimState, digest_of, verification_code
from signing.validation import signature_verify

MESSAGE = bytes(range(64))  # stands in for SHA-256(origin) ‖ SHA-256(nonce)
AN, BINH_EC, TUAN, SAOMAI = "+84912345001", "+84912345002", "+84912345017", "+84912345010"
UNTRUSTED = "+84912345024"
BEHAVIOUR_PHONES = {
    "+84912345009": SimState.USER_CANCELLED,
    "+84912345012": SimState.NOT_A_SIGNING_SIM,
    "+84912345015": SimState.PHONE_UNREACHABLE,
    "+84912345016": SimState.SIM_ERROR,
}
TIMEOUT_PHONE = "+84912345014"


@pytest.fixture(scope="module")
def ca():
    return dev_ca_build()


@pytest.fixture
def service(ca):
    return SimService(ca=ca)


def _verify(ca, result, message=MESSAGE):
    return signature_verify(certificate_der=result.certificate_der,
                            intermediates_der=[ca.intermediate.der], signature=result.signature,
                            algorithm=result.algorithm, message=message, trust=ca.trust_config())


def _approved(service, phone, message=MESSAGE):
    session_id = service.start(phone, digest_of(message), "Đăng nhập Cổng Dịch vụ công")
    assert service.approve(session_id, SIM_PIN) is None
    return service.poll(session_id)


# The sample SIMs -------------------------------------------------------------------------


def test_people_json_gives_every_end_state_and_the_key_identities_a_sample_sim():
    sims = [person["sim"] for person in people() if person.get("sim")]
    identities = {sim["identity"] for sim in sims if "identity" in sim}
    behaviours = {sim["behaviour"] for sim in sims if "behaviour" in sim}
    assert all(set(sim) in ({"identity"}, {"behaviour"}) for sim in sims)
    assert identities <= {spec.name for spec in SPECS}
    assert {"citizen-an", "citizen-tuan", "business-saomai", "untrusted"} <= identities
    assert behaviours == BEHAVIOURS


@pytest.mark.parametrize("phone,state", BEHAVIOUR_PHONES.items())
def test_a_behaviour_sim_ends_at_once_in_its_state(service, phone, state):
    session_id = service.start(phone, digest_of(MESSAGE), "Đăng nhập")
    assert service.poll(session_id).state == state
    assert service.pending(phone) == []


@pytest.mark.parametrize("phone", ["+84912345003", "+84987654321", "not a phone"])
def test_a_phone_without_a_signing_sim_is_not_a_signing_sim(service, phone):
    session_id = service.start(phone, digest_of(MESSAGE), "Đăng nhập")
    assert service.poll(session_id).state == SimState.NOT_A_SIGNING_SIM


def test_the_timeout_sim_never_answers_even_after_the_phone_would_give_up(ca):
    clock = _Clock()
    service = SimService(ca=ca, now=clock)
    session_id = service.start(TIMEOUT_PHONE, digest_of(MESSAGE), "Đăng nhập")
    assert service.poll(session_id, wait_seconds=0.2).state == SimState.RUNNING
    clock.advance(minutes=10)
    assert service.poll(session_id).state == SimState.RUNNING
    assert service.pending(TIMEOUT_PHONE) == []


def test_it_accepts_the_number_in_national_form(service):
    session_id = service.start("0912345001", digest_of(MESSAGE), "Đăng nhập")
    assert [item["session_id"] for item in service.pending("0912 345 001")] == [session_id]


def test_it_wants_a_sha256_digest(service):
    with pytest.raises(ValueError):
        service.start(AN, MESSAGE, "Đăng nhập")


# The phone's side ------------------------------------------------------------------------


def test_the_phone_lists_its_pending_requests_newest_first_with_their_code(ca):
    clock = _Clock()
    service = SimService(ca=ca, now=clock)
    first = service.start(AN, digest_of(b"first"), "Đăng ký tài khoản")
    clock.advance(minutes=1)
    second = service.start(AN, digest_of(b"second"), "Đăng nhập")
    service.start(BINH_EC, digest_of(b"other phone"), "Đăng nhập")
    pending = service.pending(AN)
    assert [item["session_id"] for item in pending] == [second, first]
    assert pending[1] == {"session_id": first, "text": "Đăng ký tài khoản",
                          "code": verification_code(digest_of(b"first")),
                          "created": clock.start}


def test_approving_with_the_pin_signs_and_ends_the_request(service):
    session_id = service.start(AN, digest_of(MESSAGE), "Đăng nhập")
    assert service.poll(session_id).state == SimState.RUNNING
    assert service.approve(session_id, SIM_PIN) is None
    result = service.poll(session_id)
    assert result.state == SimState.OK and result.signature and result.certificate_der
    assert service.pending(AN) == []
    assert service.approve(session_id, SIM_PIN) == "not_pending"


def test_a_wrong_pin_leaves_the_request_pending(service):
    session_id = service.start(AN, digest_of(MESSAGE), "Đăng nhập")
    assert service.approve(session_id, "0000") == "wrong_pin"
    assert service.poll(session_id).state == SimState.RUNNING
    assert [item["session_id"] for item in service.pending(AN)] == [session_id]
    assert service.approve(session_id, SIM_PIN) is None


def test_refusing_ends_the_request_as_user_cancelled(service):
    session_id = service.start(AN, digest_of(MESSAGE), "Đăng nhập")
    assert service.refuse(session_id) is None
    assert service.poll(session_id).state == SimState.USER_CANCELLED
    assert service.refuse(session_id) == "not_pending"
    assert service.approve(session_id, SIM_PIN) == "not_pending"


def test_a_behaviour_session_cannot_be_approved(service):
    session_id = service.start(TIMEOUT_PHONE, digest_of(MESSAGE), "Đăng nhập")
    assert service.approve(session_id, SIM_PIN) == "not_pending"
    assert service.refuse(session_id) == "not_pending"


def test_an_unknown_session_is_a_sim_error(service):
    assert service.poll("no-such-session").state == SimState.SIM_ERROR
    assert service.approve("no-such-session", SIM_PIN) == "not_pending"


def test_an_unanswered_request_times_out_after_three_minutes_and_is_later_forgotten(ca):
    clock = _Clock()
    service = SimService(ca=ca, now=clock)
    session_id = service.start(AN, digest_of(MESSAGE), "Đăng nhập")
    clock.advance(minutes=2, seconds=59)
    assert service.poll(session_id).state == SimState.RUNNING
    clock.advance(seconds=2)
    assert service.poll(session_id).state == SimState.TIMEOUT
    assert service.pending(AN) == [] and service.approve(session_id, SIM_PIN) == "not_pending"
    clock.advance(minutes=15)
    service.start(AN, digest_of(MESSAGE), "Đăng nhập")  # a start sweeps old sessions out
    assert service.poll(session_id).state == SimState.SIM_ERROR


def test_a_poll_waits_for_the_answer_and_no_longer(service):
    session_id = service.start(AN, digest_of(MESSAGE), "Đăng nhập")
    started = time.monotonic()
    assert service.poll(session_id, wait_seconds=0.3).state == SimState.RUNNING
    assert 0.3 <= time.monotonic() - started < 2
    threading.Timer(0.2, service.approve, (session_id, SIM_PIN)).start()
    started = time.monotonic()
    assert service.poll(session_id, wait_seconds=10).state == SimState.OK
    assert time.monotonic() - started < 2


# Signatures ------------------------------------------------------------------------------


@pytest.mark.parametrize("phone,algorithm,holder", [
    (AN, "RS256", "001090012345"), (TUAN, "RS256", "001084567801"),
    (BINH_EC, "ES256", "079185004567"), (SAOMAI, "RS256", "0101234567"),
])
def test_the_signature_verifies_over_the_message_the_hash_was_made_from(
        ca, service, phone, algorithm, holder):
    result = _approved(service, phone)
    assert result.algorithm == algorithm
    identity = _verify(ca, result)
    assert holder in (identity.id_number, identity.mst)


@pytest.mark.parametrize("phone", [AN, BINH_EC])
def test_a_signature_of_another_hash_is_refused(ca, service, phone):
    result = _approved(service, phone, message=b"another message")
    with pytest.raises(SignatureRefused) as refused:
        _verify(ca, result)
    assert refused.value.code == "bad_signature"


def test_the_untrusted_sim_signs_but_its_certificate_is_refused(ca, service):
    result = _approved(service, UNTRUSTED)
    with pytest.raises(SignatureRefused) as refused:
        _verify(ca, result)
    assert refused.value.code == "untrusted"


# The in-process backend ------------------------------------------------------------------


@pytest.fixture(scope="module")
def ca_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-ca")
    return folder, dev_ca_ensure(folder)[0]


def test_the_in_process_backend_and_the_shared_core_see_the_same_requests(settings, ca_dir):
    folder, ca = ca_dir
    settings.DEV_CA_DIR = folder
    backend = SandboxSimSignatureService(url="ignored", timeout=5.0)
    session_id = backend.start(phone=SAOMAI, digest=digest_of(MESSAGE), display_text="Đăng ký")
    assert backend.poll(session_id, wait_seconds=0).state == SimState.RUNNING
    assert shared_service().approve(session_id, SIM_PIN) is None
    result = backend.poll(session_id, wait_seconds=0)
    assert result.state == SimState.OK
    assert _verify(ca, result).mst == "0101234567"


def test_the_shared_core_follows_the_settings(settings, tmp_path):
    first = shared_service()
    assert shared_service() is first
    settings.DEV_CA_DIR = tmp_path
    assert shared_service() is not first


def test_the_dev_ca_is_made_in_its_folder_on_first_approval(tmp_path):
    service = SimService(ca_dir=tmp_path / "dev-ca")
    session_id = service.start(AN, digest_of(MESSAGE), "Đăng nhập")
    assert not os.path.exists(tmp_path / "dev-ca")
    assert service.approve(session_id, SIM_PIN) is None
    assert (tmp_path / "dev-ca" / "root.pem").exists()


class _Clock:
    def __init__(self):
        self.start = self.now = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)
