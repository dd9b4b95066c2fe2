"""OCSP answers and revocation lists, checked before they are believed: `cryptography`
parses an OCSP response but does not verify it."""

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sandbox.dev_ca import (
    DEV_CA_URL,
    citizen_subject,
    dev_ca_build,
    issue_certificate,
    key_make,
    make_ca,
    make_crl,
)
from signing.revocation import (
    Revocation,
    RevocationUnusable,
    crl_current,
    crl_signed_by,
    crl_urls,
    ocsp_request,
    ocsp_status,
    ocsp_urls,
)

NOW = datetime.now(UTC)


@pytest.fixture(scope="module")
def ca():
    return dev_ca_build()


@pytest.fixture(scope="module")
def leaf(ca):
    return ca.identities["citizen-an"].certificate


def answer(ca, cert, *, status=ocsp.OCSPCertStatus.GOOD, signer=None, this_update=None,
           next_update=None, certificates=()) -> bytes:
    signer = signer or ca.intermediate
    this_update = this_update or NOW - timedelta(minutes=1)
    builder = ocsp.OCSPResponseBuilder().add_response(
        cert=cert, issuer=ca.intermediate.certificate, algorithm=hashes.SHA1(),
        cert_status=status, this_update=this_update,
        next_update=next_update or this_update + timedelta(hours=1),
        revocation_time=NOW - timedelta(days=1) if status == ocsp.OCSPCertStatus.REVOKED
        else None, revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, signer.certificate)
    if certificates:
        builder = builder.certificates(list(certificates))
    return builder.sign(signer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def status(ca, cert, data, now=NOW):
    return ocsp_status(data, cert, ca.intermediate.certificate, now)


def delegate(ca, *, eku=(ExtendedKeyUsageOID.OCSP_SIGNING,)):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "DVC-CA OCSP Responder")])
    return issue_certificate(ca.intermediate, name, extended_key_usage=eku)


def test_the_development_certificates_name_their_services(leaf):
    assert (crl_urls(leaf), ocsp_urls(leaf)) == ([DEV_CA_URL + "/crl"], [DEV_CA_URL + "/ocsp"])


@pytest.mark.parametrize("cert_status,expected", [
    (ocsp.OCSPCertStatus.GOOD, Revocation.GOOD),
    (ocsp.OCSPCertStatus.REVOKED, Revocation.REVOKED),
    (ocsp.OCSPCertStatus.UNKNOWN, Revocation.UNKNOWN),
])
def test_a_signed_answer_from_the_issuer_is_believed(ca, leaf, cert_status, expected):
    assert status(ca, leaf, answer(ca, leaf, status=cert_status)) is expected


def test_an_answer_from_a_delegated_responder_is_believed(ca, leaf):
    responder = delegate(ca)
    data = answer(ca, leaf, signer=responder, certificates=[responder.certificate])
    assert status(ca, leaf, data) is Revocation.GOOD


@pytest.mark.parametrize("case", ["no OCSPSigning", "another CA's", "forged signature",
                                  "about another certificate", "stale", "from the future",
                                  "unsuccessful", "not OCSP"])
def test_an_answer_that_proves_nothing_is_not_used(ca, leaf, case):
    other = make_ca("Another CA", key=key_make("ec-p256"))
    if case == "no OCSPSigning":
        helper = delegate(ca, eku=(ExtendedKeyUsageOID.CLIENT_AUTH,))
        data = answer(ca, leaf, signer=helper, certificates=[helper.certificate])
    elif case == "another CA's":
        helper = issue_certificate(other, citizen_subject("Người Lạ", "001090000001"),
                                   extended_key_usage=(ExtendedKeyUsageOID.OCSP_SIGNING,))
        data = answer(ca, leaf, signer=helper, certificates=[helper.certificate])
    elif case == "forged signature":  # the issuer's answer, its signature's last byte changed
        genuine = answer(ca, leaf, status=ocsp.OCSPCertStatus.GOOD)
        data = genuine[:-1] + bytes([genuine[-1] ^ 1])
    elif case == "about another certificate":
        data = answer(ca, ca.identities["citizen-tuan"].certificate)
    elif case == "stale":
        data = answer(ca, leaf, this_update=NOW - timedelta(days=2),
                      next_update=NOW - timedelta(days=1))
    elif case == "from the future":
        data = answer(ca, leaf, this_update=NOW + timedelta(hours=2))
    elif case == "unsuccessful":
        data = ocsp.OCSPResponseBuilder.build_unsuccessful(
            ocsp.OCSPResponseStatus.TRY_LATER).public_bytes(serialization.Encoding.DER)
    else:
        data = b"<html>proxy error</html>"
    with pytest.raises(RevocationUnusable):
        status(ca, leaf, data)


def test_the_request_names_the_certificate(ca, leaf):
    request = ocsp.load_der_ocsp_request(ocsp_request(leaf, ca.intermediate.certificate))
    assert request.serial_number == leaf.serial_number


def test_a_list_counts_when_its_issuer_signed_it_and_it_is_current(ca):
    crl = make_crl(ca.intermediate, [], now=NOW, days=1)
    assert crl_signed_by(crl, ca.intermediate.certificate)
    assert not crl_signed_by(crl, ca.root.certificate)
    assert crl_current(crl, NOW) and not crl_current(crl, NOW + timedelta(days=2))
    assert crl_current(crl, NOW + timedelta(days=2), grace=timedelta(days=2))
