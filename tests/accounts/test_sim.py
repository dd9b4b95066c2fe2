"""Registration and login by signing SIM, through the Django client and the in-process
sandbox service (tests/accounts/test_sim_http.py drives the HTTP adapter)."""

import time

import pytest
from django.utils.html import escape

from accounts.flows import sim
from accounts.models import Account, SignatureRequest
from accounts.signatures import trust_reset
from sandbox.dev_ca import dev_ca_ensure
from sandbox.sim_service import SIM_PIN, shared_service
from signing.errors import MESSAGES
from signing.sim.base import SimRefused
from tests.accounts.conftest import CAPTCHA

pytestmark = pytest.mark.django_db(transaction=True)
AN, MAI_SAOMAI, TUAN = "0912345001", "0912345010", "0912345017"


@pytest.fixture(scope="module")
def ca_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-ca")
    dev_ca_ensure(folder)
    return folder


@pytest.fixture(autouse=True)
def sandbox_sim(ca_dir, settings):
    settings.DEV_CA_DIR = ca_dir
    settings.SIM_SIGNATURE_SERVICE = {
        "BACKEND": "sandbox.registries.SandboxSimSignatureService", "OPTIONS": {}}
    settings.SIGNING_TRUST = {"ROOTS": [str(ca_dir / "root.pem")],
                              "INTERMEDIATES": [str(ca_dir / "intermediate.pem")],
                              "CRLS": [str(ca_dir / "crl.pem")]}
    trust_reset()
    yield shared_service()
    trust_reset()


class Waiting:
    """A request sent to the phone, as its waiting page sees it."""

    def __init__(self, client, url, phone):
        response = client.post(url, {"phone": phone})
        assert response.url.startswith("/ky-so/sim/"), response.content.decode()[:500]
        self.client, self.url = client, response.url
        self.token = self.url.split("/")[-2]
        self.page = client.get(self.url).content.decode()

    def status(self):
        return self.client.post(self.url + "trang-thai/").json()


def _start(client, url, phone) -> Waiting:
    return Waiting(client, url, phone)


def _approve(service, phone, pin=SIM_PIN):
    newest = service.pending("+84" + phone[1:])[0]  # the core is shared across tests
    return newest, service.approve(newest["session_id"], pin)


def test_it_registers_a_citizen_approving_on_the_phone(client, sandbox_sim):
    waiting = _start(client, "/dang-ky/sim-ky-so/cong-dan/", AN)
    request, refusal = _approve(sandbox_sim, AN)
    assert refusal is None
    assert request["code"] in waiting.page, "the phone shows the code the page shows"
    details = f"/dang-ky/chu-ky-so/{waiting.token}/"
    assert waiting.status() == {"state": "done", "next": details}
    client.post(details, {"email": "", **CAPTCHA})
    account = Account.objects.get()
    assert (account.username, account.assurance_level, account.registration_method) == (
        "001090012345", 3, "sim")


def test_it_registers_a_business_and_logs_it_in(client, sandbox_sim):
    waiting = _start(client, "/dang-ky/sim-ky-so/doanh-nghiep/", MAI_SAOMAI)
    _approve(sandbox_sim, MAI_SAOMAI)
    client.post(waiting.status()["next"], {"email": "ketoan@saomai.vn", **CAPTCHA})
    assert Account.objects.get().username == "0101234567"
    waiting = _start(client, "/dang-nhap/sim-ky-so/", MAI_SAOMAI)
    _approve(sandbox_sim, MAI_SAOMAI)
    done = f"/dang-nhap/ky-so/{waiting.token}/"
    assert waiting.status() == {"state": "done", "next": done}
    assert client.get(done).url == "/trang-ca-nhan/"
    assert "CÔNG TY TNHH PHẦN MỀM SAO MAI" in client.get("/trang-ca-nhan/").content.decode()


def test_it_keeps_waiting_while_the_phone_has_not_answered(client, sandbox_sim):
    assert _start(client, "/dang-nhap/sim-ky-so/", AN).status()["state"] == "running"


def test_it_refuses_a_wrong_sim_pin_and_then_takes_the_right_one(client, sandbox_sim):
    waiting = _start(client, "/dang-nhap/sim-ky-so/", TUAN)
    _request, refusal = _approve(sandbox_sim, TUAN, pin="0000")
    assert refusal == "wrong_pin" and waiting.status()["state"] == "running"


@pytest.mark.parametrize("phone,state", [
    ("0912345009", sim.SimState.USER_CANCELLED),
    ("0912345012", sim.SimState.NOT_A_SIGNING_SIM),
    ("0912345015", sim.SimState.PHONE_UNREACHABLE),
    ("0912345016", sim.SimState.SIM_ERROR),
])
def test_it_explains_every_end_state(client, phone, state):
    waiting = _start(client, "/dang-nhap/sim-ky-so/", phone)
    answer = waiting.status()
    assert answer == {"state": "failed", "message": SimRefused(state.value).message}
    assert waiting.status() == answer, "the request is over, and says why again"
    reloaded = client.get(waiting.url).content.decode()
    assert escape(SimRefused(state.value).message) in reloaded and "Gửi lại yêu cầu" in reloaded


def test_it_stops_waiting_after_two_minutes(client, monkeypatch):
    waiting = _start(client, "/dang-nhap/sim-ky-so/", "0912345014")  # never answers
    started = time.time()
    monkeypatch.setattr(sim.time, "time", lambda: started + sim.TIME_LIMIT + 1)
    assert waiting.status()["message"] == SimRefused(sim.SimState.TIMEOUT.value).message


def test_it_refuses_an_untrusted_certificate(client, sandbox_sim):
    waiting = _start(client, "/dang-nhap/sim-ky-so/", "0912345024")
    _approve(sandbox_sim, "0912345024")
    assert waiting.status() == {"state": "failed", "message": str(MESSAGES["untrusted"])}


def test_it_refuses_a_signature_of_another_hash(client, sandbox_sim):
    waiting = _start(client, "/dang-nhap/sim-ky-so/", TUAN)
    _approve(sandbox_sim, TUAN)
    # The portal checks the signature over its own message: another nonce kept for the
    # request means the SIM signed some other hash.
    SignatureRequest.objects.filter(token=waiting.token).update(nonce="A" * 43 + "=")
    assert waiting.status() == {"state": "failed", "message": str(MESSAGES["bad_signature"])}


def test_it_sends_an_unknown_waiting_page_back_to_the_start(client):
    assert client.get("/ky-so/sim/khong-co/").url == "/dang-nhap/sim-ky-so/"
    assert client.post("/ky-so/sim/khong-co/trang-thai/").json()["state"] == "failed"


def test_it_caps_sim_requests_per_phone(client, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sim_per_phone": ["2/1h"]}
    for _ in range(2):
        _start(client, "/dang-nhap/sim-ky-so/", TUAN)
    page = client.post("/dang-nhap/sim-ky-so/", {"phone": TUAN}).content.decode()
    assert "Bạn đã thử quá nhiều lần" in page
