"""Every signature flow goes through signature_verify: each refusal has its own reason."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.hashes import SHA256

from sandbox.dev_ca import (
    citizen_subject,
    dev_ca_build,
    issue_certificate,
    key_make,
    make_ca,
    make_crl,
    signature_make,
)
from signing.challenge import NONCE_LIFETIME, nonce_check_fresh, nonce_new, signed_message
from signing.errors import MESSAGES, SignatureRefused
from signing.validation import TrustConfig, certificate_validate, signature_verify

ORIGIN = "https://dichvucong.example.vn"
VIETNAMESE_LETTERS = "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữự"


@pytest.fixture(scope="module")
def ca():
    return dev_ca_build()


def attempt(ca, *, identity="citizen-an", algorithm="RS256", signed_as=None,
            signer_origin=ORIGIN, tamper=False, other_nonce=False, wait=0,
            send_intermediate=True, certificate_der=None, trust=None):
    """One sign-in: the browser gets a challenge, the token signs, the server checks.

    other_nonce: the server checks against a nonce other than the one signed. (Single
    use and the binding to one browser are the store's: tests/accounts/test_usb.py.)
    """
    issued_at, nonce = time.time(), nonce_new()
    issued = ca.identities[identity]
    signature = signature_make(issued.key, signed_message(signer_origin, nonce),
                               signed_as or algorithm)
    if tamper:
        signature = signature[:-1] + bytes([signature[-1] ^ 1])
    kept = nonce_new() if other_nonce else nonce
    nonce_check_fresh(issued_at, now=time.time() + wait)
    return signature_verify(
        certificate_der=certificate_der or issued.der,
        intermediates_der=[ca.intermediate.der] if send_intermediate else [],
        signature=signature, algorithm=algorithm,
        message=signed_message(ORIGIN, kept), trust=trust or ca.trust_config(),
    )


REFUSALS = [
    ("signature over another nonce", {"other_nonce": True}, "bad_signature"),
    ("expired nonce", {"wait": NONCE_LIFETIME + 1}, "nonce_expired"),
    ("signature made for another origin",
     {"signer_origin": "https://dichvucong-gov.example.com"}, "bad_signature"),
    ("tampered signature", {"tamper": True}, "bad_signature"),
    ("tampered ES256 signature", {"identity": "citizen-binh-ec", "algorithm": "ES256",
                                  "tamper": True}, "bad_signature"),
    ("PKCS#1 v1.5 signature sent as PS256", {"algorithm": "PS256", "signed_as": "RS256"},
     "bad_signature"),
    ("expired certificate", {"identity": "expired"}, "cert_expired"),
    ("not-yet-valid certificate", {"identity": "not-yet-valid"}, "cert_not_yet_valid"),
    ("untrusted CA", {"identity": "untrusted"}, "untrusted"),
    ("intermediate not sent", {"send_intermediate": False}, "untrusted"),
    ("no trusted root configured", {"trust": TrustConfig()}, "untrusted"),
    ("missing digitalSignature", {"identity": "no-digital-signature"},
     "no_digital_signature"),
    ("EKU without clientAuth", {"identity": "server-auth-only"}, "wrong_usage"),
    ("revoked certificate", {"identity": "revoked"}, "revoked"),
    ("weak key (RSA 1024)", {"identity": "weak-rsa-1024"}, "weak_key"),
    ("unsupported algorithm", {"algorithm": "RS1", "signed_as": "RS256"},
     "unsupported_algorithm"),
    ("ES256 claimed for an RSA key", {"algorithm": "ES256", "signed_as": "RS256"},
     "unsupported_algorithm"),
    ("certificate is not DER", {"certificate_der": b"not a certificate"}, "malformed"),
]


@pytest.mark.parametrize(("options", "code"), [pytest.param(options, code, id=case)
                                               for case, options, code in REFUSALS])
def test_refused_for_its_own_reason(ca, options, code):
    with pytest.raises(SignatureRefused) as refused:
        attempt(ca, **options)
    assert refused.value.code == code


@pytest.mark.parametrize(("identity", "algorithm", "id_number"), [
    ("citizen-an", "RS256", "001090012345"),
    ("citizen-an", "PS256", "001090012345"),
    ("citizen-binh-ec", "ES256", "079185004567"),
])
def test_accepted_with_a_good_chain(ca, identity, algorithm, id_number):
    found = attempt(ca, identity=identity, algorithm=algorithm)
    assert (found.kind, found.id_number) == ("citizen", id_number)
    assert found.ca_name == "DVC-CA Development"
    assert found.valid_from <= datetime.now(UTC).date() <= found.valid_to


def test_business_accepted_with_its_mst(ca):
    found = attempt(ca, identity="business-saomai")
    assert (found.kind, found.mst, found.name) == (
        "business", "0101234567", "CÔNG TY TNHH PHẦN MỀM SAO MAI")


def test_a_valid_certificate_without_an_id_is_refused_last(ca):
    issued = issue_certificate(ca.intermediate, x509.Name([
        x509.NameAttribute(x509.NameOID.COMMON_NAME, "Nguyễn Văn An")]), key_type="ec-p256")
    message = signed_message(ORIGIN, nonce_new())
    with pytest.raises(SignatureRefused) as refused:
        signature_verify(certificate_der=issued.der, intermediates_der=[ca.intermediate.der],
                         signature=signature_make(issued.key, message, "ES256"),
                         algorithm="ES256", message=message, trust=ca.trust_config())
    assert refused.value.code == "no_identity"


def test_validation_is_at_the_time_given(ca):
    cert = ca.identities["citizen-an"].certificate
    later = cert.not_valid_after_utc + timedelta(seconds=1)
    with pytest.raises(SignatureRefused) as refused:
        certificate_validate(cert, [ca.intermediate.certificate], ca.trust_config(), later)
    assert refused.value.code == "cert_expired"


def test_a_crl_not_signed_by_the_issuer_is_not_applied(ca):
    # Same issuer name, another key: a list that says nothing about this CA's certificates.
    impostor = make_ca(ca.intermediate.certificate.subject, key=key_make("ec-p256"))
    cert = ca.identities["citizen-an"].certificate
    forged = make_crl(impostor, [cert.serial_number])
    trust = TrustConfig(roots=[ca.root.certificate], crls=[forged, ca.crl])
    certificate_validate(cert, [ca.intermediate.certificate], trust)
    alone = TrustConfig(roots=[ca.root.certificate], crls=[forged])
    with pytest.raises(SignatureRefused) as refused:  # and it stands for no list at all
        certificate_validate(cert, [ca.intermediate.certificate], alone)
    assert refused.value.code == "revocation_unknown"


def test_a_crl_past_its_next_update_is_not_relied_on(ca):
    cert = ca.identities["citizen-an"].certificate
    issued = datetime.now(UTC) - timedelta(days=10)
    stale = make_crl(ca.intermediate, [], now=issued, days=3)
    trust = TrustConfig(roots=[ca.root.certificate], crls=[stale])
    with pytest.raises(SignatureRefused) as refused:
        certificate_validate(cert, [ca.intermediate.certificate], trust)
    assert refused.value.code == "revocation_unknown"
    within_grace = TrustConfig(roots=[ca.root.certificate], crls=[stale],
                               crl_grace=timedelta(days=8))
    certificate_validate(cert, [ca.intermediate.certificate], within_grace)


def test_a_leaf_signed_with_the_wrong_key_is_untrusted(ca):
    # The issuer's name without its key: the chain does not verify.
    impostor = make_ca(ca.intermediate.certificate.subject, key=key_make("ec-p256"))
    issued = issue_certificate(impostor, citizen_subject("Nguyễn Văn An", "001090012345"),
                               key_type="ec-p256")
    with pytest.raises(SignatureRefused) as refused:
        certificate_validate(issued.certificate, [ca.intermediate.certificate],
                             ca.trust_config())
    assert refused.value.code == "untrusted"


def test_trust_config_from_pem_files(ca, tmp_path):
    pem = serialization.Encoding.PEM
    (tmp_path / "roots.pem").write_bytes(ca.root.certificate.public_bytes(pem)
                                         + ca.untrusted_root.certificate.public_bytes(pem))
    other_crl = make_crl(ca.root, [])
    (tmp_path / "crls.pem").write_bytes(ca.crl.public_bytes(pem) + other_crl.public_bytes(pem))
    trust = TrustConfig.from_pem_files([tmp_path / "roots.pem"], [str(tmp_path / "crls.pem")])
    assert trust.roots == [ca.root.certificate, ca.untrusted_root.certificate]
    assert trust.crls == [ca.crl, other_crl]
    with pytest.raises(SignatureRefused) as refused:
        attempt(ca, identity="revoked", trust=trust)
    assert refused.value.code == "revoked"


def test_a_crl_file_without_a_crl_is_a_configuration_error(ca, tmp_path):
    (tmp_path / "crl.txt").write_bytes(b"not a list of revoked certificates")
    with pytest.raises(ValueError):
        TrustConfig.from_pem_files([], [tmp_path / "crl.txt"])
    # CAs publish DER at their distribution points: read as well as PEM.
    (tmp_path / "crl.der").write_bytes(ca.crl.public_bytes(serialization.Encoding.DER))
    assert TrustConfig.from_pem_files([], [tmp_path / "crl.der"]).crls == [ca.crl]


def test_every_code_has_a_vietnamese_message():
    for code in MESSAGES:
        message = str(SignatureRefused(code).message)
        assert message.endswith(".")
        assert any(letter in message for letter in VIETNAMESE_LETTERS)
        assert "vui lòng" in message.lower()  # each one says what the person can do
    assert "gia hạn" in str(SignatureRefused("cert_expired").message)


def test_an_unknown_code_is_a_programming_error():
    with pytest.raises(ValueError):
        SignatureRefused("nope")


def test_one_trust_checks_many_signatures_alike(ca):
    # What the CRLs say is kept per issuer after the first check: it changes nothing.
    impostor = make_ca(ca.intermediate.certificate.subject, key=key_make("ec-p256"))
    an = ca.identities["citizen-an"].certificate
    trust = TrustConfig(roots=[ca.root.certificate],
                        crls=[make_crl(impostor, [an.serial_number]), ca.crl])
    for _ in range(2):
        assert attempt(ca, trust=trust).id_number == "001090012345"
        with pytest.raises(SignatureRefused) as refused:
            attempt(ca, identity="revoked", trust=trust)
        assert refused.value.code == "revoked"


def test_the_ca_name_is_the_same_read_from_the_issuer(ca):
    from signing.identity import identity_from_certificate

    cert = ca.identities["citizen-an"].certificate
    assert identity_from_certificate(cert, ca.intermediate.certificate) == (
        identity_from_certificate(cert))


# What is kept between checks (the roots' Store, what each list says, the intermediates
# parsed, the CAs' names) follows the trust it was made from.


def test_a_list_replaced_in_the_trust_applies_at_the_next_check(ca):
    an = ca.identities["citizen-an"].certificate
    trust = TrustConfig(roots=[ca.root.certificate], crls=[make_crl(ca.intermediate, [])])
    assert attempt(ca, trust=trust).id_number == "001090012345"
    trust.crls[:] = [make_crl(ca.intermediate, [an.serial_number])]  # the CA revokes it
    with pytest.raises(SignatureRefused) as refused:
        attempt(ca, trust=trust)
    assert refused.value.code == "revoked"
    # A stale list beside it, saying nothing of it, changes nothing.
    trust.crls.append(make_crl(ca.intermediate, [], now=datetime.now(UTC) - timedelta(days=10),
                               days=3))
    with pytest.raises(SignatureRefused) as refused:
        attempt(ca, trust=trust)
    assert refused.value.code == "revoked"


def test_roots_changed_in_the_trust_are_used_at_the_next_check(ca):
    trust = TrustConfig(roots=[ca.untrusted_root.certificate], crls=[ca.crl])
    with pytest.raises(SignatureRefused) as refused:
        attempt(ca, trust=trust)
    assert refused.value.code == "untrusted"
    trust.roots.append(ca.root.certificate)
    assert attempt(ca, trust=trust).id_number == "001090012345"
    trust.roots.remove(ca.root.certificate)
    with pytest.raises(SignatureRefused) as refused:
        attempt(ca, trust=trust)
    assert refused.value.code == "untrusted"


def test_the_same_intermediate_is_judged_by_each_trust(ca):
    # One intermediate, parsed once, sent to a trust that anchors it and one that does not.
    assert attempt(ca).id_number == "001090012345"
    with pytest.raises(SignatureRefused) as refused:
        attempt(ca, trust=TrustConfig(roots=[ca.untrusted_root.certificate]))
    assert refused.value.code == "untrusted"
    assert attempt(ca).id_number == "001090012345"


def test_a_malformed_intermediate_is_refused_every_time(ca):
    issued = ca.identities["citizen-an"]
    message = signed_message(ORIGIN, nonce_new())
    for _ in range(2):
        with pytest.raises(SignatureRefused) as refused:
            signature_verify(certificate_der=issued.der, intermediates_der=[b"\x30\x03junk"],
                             signature=signature_make(issued.key, message, "RS256"),
                             algorithm="RS256", message=message, trust=ca.trust_config())
        assert refused.value.code == "malformed"


def test_each_signature_names_the_ca_and_root_of_its_own_chain(ca):
    # Two CA families checked in turn: what is kept per CA never answers for the other.
    root = make_ca("Other Root CA", key=key_make("ec-p256"))
    intermediate = make_ca("Other Intermediate CA", parent=root, key=key_make("ec-p256"))
    leaf = issue_certificate(intermediate, citizen_subject("Trần Thị Bình", "079185004567"),
                             key_type="ec-p256")
    both = TrustConfig(roots=[ca.root.certificate, root.certificate],
                       crls=[ca.crl, make_crl(intermediate, [])])
    message = signed_message(ORIGIN, nonce_new())
    for _ in range(2):
        found = attempt(ca, trust=both)
        assert (found.ca_name, found.root) == (
            "DVC-CA Development", ca.root.certificate.fingerprint(SHA256()).hex())
        found = signature_verify(
            certificate_der=leaf.der, intermediates_der=[intermediate.der],
            signature=signature_make(leaf.key, message, "ES256"), algorithm="ES256",
            message=message, trust=both)
        assert (found.ca_name, found.root) == (
            "Other Intermediate CA", root.certificate.fingerprint(SHA256()).hex())


def test_issuers_parsed_anew_for_each_check_are_judged_alike(ca):
    trust = ca.trust_config()
    for _ in range(2):
        intermediates = [x509.load_der_x509_certificate(ca.intermediate.der)]
        certificate_validate(ca.identities["citizen-an"].certificate, intermediates, trust)
        with pytest.raises(SignatureRefused) as refused:
            certificate_validate(ca.identities["revoked"].certificate, intermediates, trust)
        assert refused.value.code == "revoked"
