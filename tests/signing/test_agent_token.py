"""The agent against a real SoftHSM2 token: listing, RS256 and ES256, PIN and token errors."""

import base64
import hashlib
import io
import os

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding
from django.core.management import call_command
from pkcs11 import TokenFlag

from sandbox.softhsm import Identity, object_id, provision
from signing.agent import __version__
from signing.agent.server import AgentHandler, signed_message
from signing.agent.token import TokenAccess, TokenError
from tests.fixtures_signing import TEST_ORIGIN, TEST_PIN, make_identity

ORIGIN = {"Origin": TEST_ORIGIN}


def new_nonce() -> str:
    return base64.b64encode(os.urandom(32)).decode("ascii")


def expected_message(nonce: str) -> bytes:
    """docs/signing.md, written out again rather than imported from the agent."""
    return (hashlib.sha256(TEST_ORIGIN.encode("utf-8")).digest()
            + hashlib.sha256(nonce.encode("ascii")).digest())


@pytest.fixture(scope="module")
def identities():
    return {"rsa": make_identity("NGUYỄN VĂN AN", "rsa"), "ec": make_identity("CÔNG TY BÌNH", "ec")}


@pytest.fixture(scope="module")
def agent(softhsm_token, signing_agent, identities):  # noqa: F811
    return signing_agent(softhsm_token(list(identities.values())))


def sign(agent_url: str, certificate, pin: str = TEST_PIN, nonce: str | None = None):
    body = {"certificate_id": object_id(certificate).hex(), "pin": pin,
            "nonce": nonce or new_nonce()}
    return requests.post(agent_url + "/sign", json=body, headers=ORIGIN, timeout=10)


def test_status_reports_the_token(agent):
    answer = requests.get(agent + "/status", headers=ORIGIN, timeout=5)
    assert answer.json() == {"agent": "dvc-signing-agent", "version": "1",
                             "agent_version": __version__, "token": True}


def test_lists_each_certificate_with_its_key_id(agent, identities):
    listed = requests.get(agent + "/certificates", headers=ORIGIN, timeout=5).json()
    by_id = {entry["id"]: entry for entry in listed["certificates"]}
    for certificate, _key in identities.values():
        entry = by_id[object_id(certificate).hex()]
        assert x509.load_der_x509_certificate(base64.b64decode(entry["certificate"])) == (
            certificate
        )
        assert entry["subject"] == certificate.subject.rfc4514_string().removeprefix("CN=")
        assert entry["not_after"] == certificate.not_valid_after_utc.date().isoformat()
    assert len(by_id) == 2


def test_rsa_key_signs_rs256_over_origin_and_nonce(agent, identities):
    certificate, _key = identities["rsa"]
    nonce = new_nonce()
    answer = sign(agent, certificate, nonce=nonce)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["algorithm"] == "RS256"
    der = certificate.public_bytes(serialization.Encoding.DER)
    assert base64.b64decode(body["certificate"]) == der
    certificate.public_key().verify(base64.b64decode(body["signature"]),
                                    expected_message(nonce), padding.PKCS1v15(), hashes.SHA256())


def test_ec_key_signs_es256_in_der_over_origin_and_nonce(agent, identities):
    certificate, _key = identities["ec"]
    nonce = new_nonce()
    answer = sign(agent, certificate, nonce=nonce)
    assert answer.status_code == 200, answer.text
    assert answer.json()["algorithm"] == "ES256"
    certificate.public_key().verify(base64.b64decode(answer.json()["signature"]),
                                    expected_message(nonce), ec.ECDSA(hashes.SHA256()))


def test_wrong_pin_is_refused_without_a_count_softhsm_does_not_give(agent, identities):
    certificate, _key = identities["rsa"]
    for _attempt in range(5):
        answer = sign(agent, certificate, pin="000000")
        assert answer.status_code == 401
        assert answer.json() == {"error": "wrong_pin", "message": "Mã PIN không đúng."}
    # SoftHSM2 counts no tries and never locks the user PIN: the right PIN still works.
    assert sign(agent, certificate).status_code == 200


def test_agent_message_is_the_portals():
    challenge = pytest.importorskip("signing.challenge")
    nonce = new_nonce()
    assert signed_message(TEST_ORIGIN, nonce) == challenge.signed_message(TEST_ORIGIN, nonce)
    assert signed_message(TEST_ORIGIN, nonce) == expected_message(nonce)


def test_no_token_when_the_module_has_none(softhsm_token, signing_agent, identities):  # noqa: F811
    url = signing_agent(softhsm_token.empty())
    assert requests.get(url + "/status", headers=ORIGIN, timeout=5).json()["token"] is False
    listed = requests.get(url + "/certificates", headers=ORIGIN, timeout=5)
    assert (listed.status_code, listed.json()["error"]) == (409, "no_token")
    signed = sign(url, identities["rsa"][0])
    assert (signed.status_code, signed.json()["error"]) == (409, "no_token")


def test_no_token_when_the_configured_label_is_absent(softhsm_token, signing_agent):  # noqa: F811
    url = signing_agent(softhsm_token(label="DVC-OTHER"), label="DVC-MISSING")
    assert requests.get(url + "/status", headers=ORIGIN, timeout=5).json()["token"] is False


def test_token_without_certificates_has_no_certificate(softhsm_token, signing_agent):  # noqa: F811
    url = signing_agent(softhsm_token(label="DVC-EMPTY"))
    listed = requests.get(url + "/certificates", headers=ORIGIN, timeout=5)
    assert (listed.status_code, listed.json()["error"]) == (404, "no_certificate")


def test_token_recreated_under_a_running_agent_is_seen(softhsm_token, signing_agent,  # noqa: F811
                                                      identities, tmp_path):
    first, _key = identities["rsa"]
    conf = softhsm_token([identities["rsa"]], label="DVC-REPLUG")
    url = signing_agent(conf, label="DVC-REPLUG")
    assert sign(url, first).status_code == 200
    # Re-provisioning deletes the token files the agent's module has open.
    ec_cert, ec_key = identities["ec"]
    (tmp_path / "c.pem").write_bytes(ec_cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "k.pem").write_bytes(ec_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    provision(conf.parent, "DVC-REPLUG", TEST_PIN, "12345678",
              [Identity(tmp_path / "c.pem", tmp_path / "k.pem", "ec")])
    listed = requests.get(url + "/certificates", headers=ORIGIN, timeout=5).json()
    assert [c["id"] for c in listed["certificates"]] == [object_id(ec_cert).hex()]
    assert sign(url, first).json()["error"] == "no_certificate"


def test_developer_token_from_the_dev_ca(signing_agent, tmp_path):  # noqa: F811
    """README's steps: `dev_ca`, then `provision_token`, then the agent signs."""
    output = io.StringIO()
    call_command("dev_ca", out=str(tmp_path / "ca"), stdout=output)
    call_command("provision_token", directory=str(tmp_path / "hsm"), ca_dir=str(tmp_path / "ca"),
                 only=["citizen-an", "citizen-binh-ec"], stdout=output)
    assert f"export SOFTHSM2_CONF={tmp_path / 'hsm' / 'softhsm2.conf'}" in output.getvalue()
    url = signing_agent(tmp_path / "hsm" / "softhsm2.conf")
    listed = requests.get(url + "/certificates", headers=ORIGIN, timeout=5).json()
    assert [c["subject"] for c in listed["certificates"]] == ["Nguyễn Văn An", "Trần Thị Bình"]
    for entry in listed["certificates"]:
        body = {"certificate_id": entry["id"], "pin": "123456", "nonce": new_nonce()}
        answer = requests.post(url + "/sign", json=body, headers=ORIGIN, timeout=10)
        assert answer.status_code == 200, answer.text


# The flags real tokens report and SoftHSM2 never does, on a stand-in token object.

class FlaggedToken:
    def __init__(self, flags: TokenFlag):
        self.flags = flags | TokenFlag.TOKEN_INITIALIZED

    def open(self, **_kwargs):
        raise AssertionError("a locked token must not be sent a PIN")


def access_with(flags: TokenFlag) -> TokenAccess:
    access = TokenAccess("/nonexistent/module.so")
    access._refresh = lambda: None
    access._token = lambda: FlaggedToken(flags)
    return access


@pytest.mark.parametrize(("flags", "code", "tries_left"), [
    (TokenFlag(0), "wrong_pin", None),
    (TokenFlag.USER_PIN_COUNT_LOW, "wrong_pin", None),
    (TokenFlag.USER_PIN_COUNT_LOW | TokenFlag.USER_PIN_FINAL_TRY, "wrong_pin", 1),
    (TokenFlag.USER_PIN_LOCKED, "pin_locked", None),
])
def test_token_flags_after_a_wrong_pin(flags, code, tries_left):
    error = access_with(flags)._wrong_pin()
    assert (error.code, error.tries_left) == (code, tries_left)


def test_locked_token_is_refused_before_a_pin_is_tried():
    with pytest.raises(TokenError) as refused:
        access_with(TokenFlag.USER_PIN_LOCKED).sign(b"\x01", TEST_PIN, b"message")
    assert refused.value.code == "pin_locked"


def test_final_try_message_names_the_tries_left():
    body = AgentHandler._error_body("wrong_pin", 1)
    assert body["tries_left"] == 1
    assert "Còn 1 lần thử" in body["message"]
