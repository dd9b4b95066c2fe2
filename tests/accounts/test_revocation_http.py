"""The CAs' revocation services over HTTP (signing.fetch.HttpRevocationFetcher), against
the sandbox server's development CA (`run_sandbox` in a subprocess: /ca/crl, /ca/ocsp),
and the portal deciding with them."""

import socket
from datetime import UTC, datetime

import pytest
import requests
from cryptography import x509
from django.conf import settings

from accounts.models import RevocationList
from accounts.signatures import signature_identity_for, trust_reset
from sandbox.dev_ca import citizen_subject, dev_ca_ensure, issue_certificate, signature_make
from signing.challenge import nonce_new, signed_message
from signing.errors import SignatureRefused
from signing.fetch import HttpRevocationFetcher, RevocationUnavailable
from signing.revocation import Revocation, crl_parse, ocsp_request, ocsp_status
from tests.fixtures_sandbox import free_port


@pytest.fixture(scope="module")
def dev_ca():
    """The development CA the sandbox server answers for (settings.DEV_CA_DIR)."""
    return dev_ca_ensure(settings.DEV_CA_DIR)[0]


@pytest.fixture
def fetcher():
    return HttpRevocationFetcher(timeout=2.0)


@pytest.fixture
def outage(sandbox_server):
    def switch(down: bool) -> None:
        requests.post(sandbox_server + "/ca/outage", json={"ocsp_down": down},
                      timeout=5).raise_for_status()

    yield switch
    switch(False)


def ask(fetcher, sandbox_server, dev_ca, name):
    cert = dev_ca.identities[name].certificate
    issuer = dev_ca.intermediate.certificate
    data = fetcher.ocsp(sandbox_server + "/ca/ocsp", ocsp_request(cert, issuer))
    return ocsp_status(data, cert, issuer, datetime.now(UTC))


def test_it_reads_the_list_at_the_distribution_point(fetcher, sandbox_server, dev_ca):
    crl = crl_parse(fetcher.crl(sandbox_server + "/ca/crl"))[0]
    revoked = dev_ca.identities["revoked"].certificate.serial_number
    assert crl.get_revoked_certificate_by_serial_number(revoked) is not None


def test_the_responder_answers_good_and_revoked(fetcher, sandbox_server, dev_ca):
    assert ask(fetcher, sandbox_server, dev_ca, "citizen-an") is Revocation.GOOD
    assert ask(fetcher, sandbox_server, dev_ca, "revoked") is Revocation.REVOKED


def test_a_responder_that_is_down_is_unavailable(fetcher, sandbox_server, dev_ca, outage):
    outage(True)
    with pytest.raises(RevocationUnavailable) as down:
        ask(fetcher, sandbox_server, dev_ca, "citizen-an")
    assert down.value.reason == "error"


def test_an_unreachable_or_silent_service_is_unavailable(fetcher):
    with pytest.raises(RevocationUnavailable) as refused:
        fetcher.crl(f"http://127.0.0.1:{free_port()}/crl")
    assert refused.value.reason == "unreachable"
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        with pytest.raises(RevocationUnavailable) as late:
            HttpRevocationFetcher(timeout=0.5).crl(f"http://127.0.0.1:{silent.getsockname()[1]}/")
    assert late.value.reason == "timeout"


def test_an_answer_past_its_limit_is_too_large(fetcher, sandbox_server, monkeypatch, caplog):
    monkeypatch.setattr("signing.fetch.CRL_MAX_BYTES", 100)
    with pytest.raises(RevocationUnavailable) as large:
        fetcher.crl(sandbox_server + "/ca/crl")
    assert large.value.reason == "too_large"
    assert "CA revocation service unavailable: too_large" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_the_portal_decides_over_http(sandbox_server, dev_ca, outage, settings):
    """A certificate naming the sandbox server's services: the responder does not know
    it (never in the CA's records); with the responder down, the list decides."""
    folder = settings.DEV_CA_DIR
    settings.SIGNING_TRUST = {"ROOTS": [str(folder / "root.pem")],
                              "INTERMEDIATES": [str(folder / "intermediate.pem")], "CRLS": []}
    settings.SIGNING_REVOCATION_FETCHER = {
        "BACKEND": "signing.fetch.HttpRevocationFetcher", "OPTIONS": {"timeout": 2.0}}
    trust_reset()
    leaf = issue_certificate(dev_ca.intermediate, citizen_subject("Phí Văn Lạ", "001090099998"),
                             revocation_url=sandbox_server + "/ca")
    try:
        with pytest.raises(SignatureRefused) as refused:
            _check(leaf)
        assert refused.value.code == "not_known_by_ca"
        outage(True)
        assert _check(leaf).id_number == "001090099998"
        assert RevocationList.objects.get().source == sandbox_server + "/ca/crl"
    finally:
        trust_reset()


def _check(issued):
    nonce = nonce_new()
    message = signed_message(settings.PORTAL_ORIGIN, nonce)
    return signature_identity_for(nonce=nonce, certificate_der=issued.der, algorithm="RS256",
                                  signature=signature_make(issued.key, message, "RS256"))


def test_the_list_is_served_in_der_as_cas_publish_it(sandbox_server, dev_ca):
    body = requests.get(sandbox_server + "/ca/crl", timeout=5).content
    assert x509.load_der_x509_crl(body).issuer == dev_ca.intermediate.certificate.subject
