"""Revocation as the portal checks it at every signature: the CA's OCSP responder first,
then its revocation list kept fresh in the database; never a certificate it cannot check.
The development CA answers in-process (sandbox/ca_service.py), as in `make run`."""

import shutil
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from django.test import override_settings

from accounts.models import RevocationList
from accounts.revocation import revocation_refresh
from accounts.signatures import signature_identity_for, trust_reset
from sandbox import ca_service
from sandbox.dev_ca import (
    DEV_CA_URL,
    citizen_subject,
    dev_ca_ensure,
    issue_certificate,
    make_crl,
    signature_make,
)
from signing.challenge import nonce_new, signed_message
from signing.errors import SignatureRefused

pytestmark = pytest.mark.django_db(transaction=True)
STALE = "Không kiểm tra được tình trạng thu hồi của chứng thư số, vui lòng thử lại sau."


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-ca")
    return folder, dev_ca_ensure(folder)[0]


@pytest.fixture
def ca(built, tmp_path, settings):
    """A copy of the development CA of this test's own (its CRL file may be rewritten)."""
    folder = tmp_path / "dev-ca"
    shutil.copytree(built[0], folder)
    settings.DEV_CA_DIR = folder
    settings.SIGNING_TRUST = {"ROOTS": [str(folder / "root.pem")],
                              "INTERMEDIATES": [str(folder / "intermediate.pem")],
                              "CRLS": [str(folder / "crl.pem")], "CRL_GRACE_SECONDS": 3600}
    settings.SIGNING_REVOCATION_FETCHER = {
        "BACKEND": "sandbox.ca_service.SandboxRevocationFetcher", "OPTIONS": {}}
    trust_reset()
    yield folder, built[1]
    ca_service.Outage.ocsp_down = False
    trust_reset()


def check(issued, settings):
    """The portal's one signature check, for a certificate signing a fresh challenge."""
    nonce = nonce_new()
    message = signed_message(settings.PORTAL_ORIGIN, nonce)
    return signature_identity_for(
        nonce=nonce, certificate_der=issued.der, algorithm="RS256",
        signature=signature_make(issued.key, message, "RS256"))


def refusal(issued, settings) -> SignatureRefused:
    with pytest.raises(SignatureRefused) as refused:
        check(issued, settings)
    return refused.value


def without_ocsp(ca, name="citizen-an"):
    """The same person's certificate, from a CA that names no OCSP responder."""
    folder, built = ca
    subject = built.identities[name].certificate.subject
    return issue_certificate(built.intermediate, subject)


def write_crl(ca, revoked=(), *, issued_days_ago=0, valid_days=7) -> None:
    folder, built = ca
    crl = make_crl(built.intermediate, revoked,
                   now=datetime.now(UTC) - timedelta(days=issued_days_ago), days=valid_days)
    (folder / "crl.pem").write_bytes(crl.public_bytes(serialization.Encoding.PEM))


# OCSP ----------------------------------------------------------------------------------


def test_the_responder_vouches_for_a_good_certificate(ca, settings):
    assert check(ca[1].identities["citizen-an"], settings).id_number == "001090012345"
    assert not RevocationList.objects.exists(), "the answer sufficed: no list was needed"


def test_the_responder_says_revoked(ca, settings):
    assert refusal(ca[1].identities["revoked"], settings).code == "revoked"


def test_the_responder_does_not_know_a_certificate(ca, settings):
    # Issued with the intermediate's key, but never by the CA's records.
    stray = issue_certificate(ca[1].intermediate, citizen_subject("Phí Văn Lạ", "001090099998"),
                              revocation_url=DEV_CA_URL)
    refused = refusal(stray, settings)
    assert refused.code == "not_known_by_ca"
    assert "không xác nhận chứng thư số này" in str(refused.message)


def test_with_the_responder_down_the_list_decides(ca, settings):
    ca_service.Outage.ocsp_down = True
    assert check(ca[1].identities["citizen-an"], settings).id_number == "001090012345"
    assert refusal(ca[1].identities["revoked"], settings).code == "revoked"
    assert RevocationList.objects.exists(), "the lists were read, from the file and the CDP"


def test_with_the_responder_down_and_the_list_stale_nothing_is_accepted(ca, settings):
    ca_service.Outage.ocsp_down = True
    write_crl(ca, issued_days_ago=10, valid_days=3)
    refused = refusal(ca[1].identities["citizen-an"], settings)
    assert (refused.code, str(refused.message)) == ("revocation_unknown", STALE)


# CRLs ----------------------------------------------------------------------------------


def test_a_stale_list_is_not_relied_on(ca, settings):
    write_crl(ca, issued_days_ago=10, valid_days=3)
    assert refusal(without_ocsp(ca), settings).code == "revocation_unknown"


def test_a_list_within_its_grace_is_still_relied_on(ca, settings):
    write_crl(ca, issued_days_ago=3, valid_days=3)  # nextUpdate passed a moment ago
    assert check(without_ocsp(ca), settings).id_number == "001090012345"
    settings.SIGNING_TRUST = {**settings.SIGNING_TRUST, "CRL_GRACE_SECONDS": 0}
    assert refusal(without_ocsp(ca), settings).code == "revocation_unknown"


def test_a_list_refreshed_while_running_applies_at_once(ca, settings):
    leaf = without_ocsp(ca)
    write_crl(ca)
    assert check(leaf, settings).name == "Nguyễn Văn An"
    # The CA revokes it; its next list reaches the portal through the periodic task,
    # in this same process: no restart, no cache to clear.
    write_crl(ca, revoked=[leaf.certificate.serial_number])
    assert revocation_refresh() == {"read": 1, "failed": 0}
    assert refusal(leaf, settings).code == "revoked"


def test_the_list_at_the_distribution_point_is_fetched_when_none_is_current(ca, settings):
    settings.SIGNING_TRUST = {**settings.SIGNING_TRUST, "CRLS": []}
    ca_service.Outage.ocsp_down = True
    assert check(ca[1].identities["citizen-an"], settings).id_number == "001090012345"
    assert list(RevocationList.objects.values_list("source", flat=True)) == [
        DEV_CA_URL + "/crl"]
    # The periodic task fetches it again from there, with the configured sources.
    assert revocation_refresh() == {"read": 1, "failed": 0}


def test_no_list_and_no_answer_is_a_refusal(ca, settings):
    settings.SIGNING_TRUST = {**settings.SIGNING_TRUST, "CRLS": []}
    assert refusal(without_ocsp(ca), settings).code == "revocation_unknown"


def test_the_refusal_reads_on_the_usb_page(ca, settings, client):
    import base64

    write_crl(ca, issued_days_ago=10, valid_days=3)
    leaf = without_ocsp(ca)
    challenge = client.post("/dang-nhap/usb-ky-so/thu-thach/").json()
    message = signed_message(settings.PORTAL_ORIGIN, challenge["nonce"])
    page = client.post("/dang-nhap/usb-ky-so/", {
        "request": challenge["request"], "algorithm": "RS256",
        "certificate": base64.b64encode(leaf.der).decode(),
        "signature": base64.b64encode(signature_make(leaf.key, message, "RS256")).decode()})
    assert page.status_code == 400 and STALE in page.content.decode()


# Configuration -------------------------------------------------------------------------


def test_a_missing_or_unreadable_crl_is_a_configuration_error(ca, settings, tmp_path):
    from django.core import checks

    (tmp_path / "garbage.pem").write_bytes(b"not a list")
    settings.SIGNING_TRUST = {**settings.SIGNING_TRUST,
                              "CRLS": [str(tmp_path / "gone.pem"), str(tmp_path / "garbage.pem")]}
    with override_settings(DEBUG=False):
        found = [m for m in checks.run_checks(tags=["signing"]) if m.id == "signing.E001"]
    assert len(found) == 2 and all(m.level == checks.ERROR for m in found)
    assert "gone.pem" in found[0].msg and "garbage.pem" in found[1].msg


def test_an_older_list_replayed_does_not_undo_a_revocation(ca, settings):
    leaf = without_ocsp(ca)
    write_crl(ca, revoked=[leaf.certificate.serial_number])
    assert refusal(leaf, settings).code == "revoked"
    # Someone on the path to the distribution point serves the list from the day before,
    # still within its validity and properly signed: it is not taken.
    write_crl(ca, issued_days_ago=1, valid_days=7)
    assert revocation_refresh() == {"read": 0, "failed": 1}
    assert refusal(leaf, settings).code == "revoked"


def test_a_list_no_known_ca_signed_or_that_covers_a_part_is_not_kept(ca, settings, tmp_path):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    from sandbox.dev_ca import key_make, make_ca

    folder, built = ca
    impostor = make_ca(built.intermediate.certificate.subject, key=key_make("ec-p256"))
    forged = make_crl(impostor, [])
    now = datetime.now(UTC)
    delta = (x509.CertificateRevocationListBuilder()
             .issuer_name(built.intermediate.certificate.subject)
             .last_update(now).next_update(now + timedelta(days=1))
             .add_extension(x509.DeltaCRLIndicator(1), critical=True)
             .sign(built.intermediate.key, hashes.SHA256()))
    for crl in (forged, delta):
        (folder / "crl.pem").write_bytes(crl.public_bytes(serialization.Encoding.PEM))
        assert revocation_refresh() == {"read": 0, "failed": 1}
    assert not RevocationList.objects.exists()
    assert refusal(without_ocsp(ca), settings).code == "revocation_unknown"


# What each process keeps of the lists (parsed, their serials, who signed them) ------------


def store_as_the_worker(crl) -> None:
    """The list the worker (another process) fetched, written where every process reads
    it: this process is not told, it sees a new version of the row."""
    from django.utils import timezone

    assert RevocationList.objects.update(
        der=crl.public_bytes(serialization.Encoding.DER), this_update=crl.last_update_utc,
        next_update=crl.next_update_utc, fetched_at=timezone.now()) == 1


def test_a_list_stored_by_another_process_applies_at_once(ca, settings):
    leaf = without_ocsp(ca)
    write_crl(ca)
    assert check(leaf, settings).name == "Nguyễn Văn An"  # the list read and kept
    store_as_the_worker(make_crl(ca[1].intermediate, [leaf.certificate.serial_number]))
    assert refusal(leaf, settings).code == "revoked"


def test_a_list_stored_anew_is_trusted_only_if_its_ca_signed_it(ca, settings):
    from sandbox.dev_ca import key_make, make_ca

    leaf = without_ocsp(ca)
    write_crl(ca)
    assert check(leaf, settings).name == "Nguyễn Văn An"  # the CA's signature checked
    # The row now holds a list under the CA's name that its key did not sign (and newer
    # than the file, which is not taken back): the signature found on the version before
    # does not vouch for it.
    impostor = make_ca(ca[1].intermediate.certificate.subject, key=key_make("ec-p256"))
    store_as_the_worker(make_crl(impostor, [], now=datetime.now(UTC) + timedelta(minutes=1)))
    assert refusal(leaf, settings).code == "revocation_unknown"


def test_a_changed_trust_setting_applies_at_once(ca, settings):
    # A civil servant's certificate, of the government's CA, which the portal does not
    # trust until its root, intermediate and list are configured.
    folder, built = ca
    civil_servant = built.identities["agency-cong"]
    assert refusal(civil_servant, settings).code == "untrusted"
    public = settings.SIGNING_TRUST
    settings.SIGNING_TRUST = {
        **public, "ROOTS": [*public["ROOTS"], str(folder / "gov-root.pem")],
        "INTERMEDIATES": [*public["INTERMEDIATES"], str(folder / "gov-intermediate.pem")],
        "CRLS": [*public["CRLS"], str(folder / "gov-crl.pem")]}
    assert check(civil_servant, settings).name == "Đặng Văn Công"
    settings.SIGNING_TRUST = public
    assert refusal(civil_servant, settings).code == "untrusted"
