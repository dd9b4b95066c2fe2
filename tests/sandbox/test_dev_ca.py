"""`manage.py dev_ca`: the files it writes, a second run that changes nothing, and every
identity checked against what the manifest says of it."""

import json
import stat
from io import StringIO

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command

from sandbox.dev_ca import INTERMEDIATE_NAME, ROOT_NAME, SPECS, signature_make
from signing.challenge import nonce_new, signed_message
from signing.errors import SignatureRefused
from signing.validation import TrustConfig, signature_verify

ORIGIN = "https://dichvucong.example.vn"


def run(out_dir) -> str:
    output = StringIO()
    call_command("dev_ca", out=str(out_dir), stdout=output)
    return output.getvalue()


def snapshot(out_dir) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out_dir.iterdir())}


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("dev-ca")
    run(out)
    return out


def common_name(cert: x509.Certificate) -> str:
    return cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value


def manifest(out_dir) -> dict:
    return json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))


def test_writes_the_ca_the_crl_and_each_identity(out_dir):
    data = manifest(out_dir)
    for name in ("root.pem", "intermediate.pem", "crl.pem", "untrusted-root.pem"):
        assert (out_dir / name).is_file()
    root = x509.load_pem_x509_certificate((out_dir / "root.pem").read_bytes())
    intermediate = x509.load_pem_x509_certificate((out_dir / "intermediate.pem").read_bytes())
    assert common_name(root) == ROOT_NAME
    assert common_name(intermediate) == INTERMEDIATE_NAME
    intermediate.verify_directly_issued_by(root)
    assert [entry["name"] for entry in data["identities"]] == [spec.name for spec in SPECS]
    for entry in data["identities"]:
        assert (out_dir / entry["certificate"]).is_file()
        key_file = out_dir / entry["key"]
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert entry["key_type"] in {"rsa-2048", "rsa-1024", "ec-p256"}
        assert entry["purpose"] and entry["expect"]


def test_the_documented_people(out_dir):
    by_name = {entry["name"]: entry for entry in manifest(out_dir)["identities"]}
    assert by_name["citizen-an"]["common_name"] == "Nguyễn Văn An"
    assert "UID=CCCD:001090012345" in by_name["citizen-an"]["subject"]
    assert "UID=CCCD:001084567801" in by_name["citizen-tuan"]["subject"]
    assert by_name["citizen-binh-ec"]["key_type"] == "ec-p256"
    assert "UID=MST:0101234567" in by_name["business-saomai"]["subject"]
    assert by_name["citizen-an"]["key_type"] == "rsa-2048"


def test_certificates_have_no_san_and_the_vietnamese_usages(out_dir):
    cert = x509.load_pem_x509_certificate((out_dir / "citizen-an.cert.pem").read_bytes())
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    ekus = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert {eku.dotted_string for eku in ekus} == {"1.3.6.1.5.5.7.3.2", "1.3.6.1.5.5.7.3.4"}
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)


def test_a_second_run_changes_nothing(out_dir):
    before = snapshot(out_dir)
    output = run(out_dir)
    assert snapshot(out_dir) == before
    assert "created:" not in output
    assert "CA: all reused" in output


def test_a_missing_identity_is_reissued_alone(tmp_path):
    run(tmp_path)
    before = snapshot(tmp_path)
    (tmp_path / "revoked.cert.pem").unlink()
    output = run(tmp_path)
    after = snapshot(tmp_path)
    assert "created: revoked" in output
    changed = {name for name in after if after[name] != before[name]}
    # The new certificate has a new serial: the CRL and the manifest follow it.
    assert changed == {"revoked.cert.pem", "revoked.key.pem", "crl.pem", "manifest.json"}
    crl = x509.load_pem_x509_crl(after["crl.pem"])
    revoked = x509.load_pem_x509_certificate(after["revoked.cert.pem"])
    assert crl.get_revoked_certificate_by_serial_number(revoked.serial_number) is not None


def test_default_directory_comes_from_settings(settings, tmp_path):
    settings.DEV_CA_DIR = tmp_path / "var" / "dev-ca"
    call_command("dev_ca", stdout=StringIO())
    assert (tmp_path / "var" / "dev-ca" / "manifest.json").is_file()


@pytest.mark.parametrize("spec", SPECS, ids=lambda spec: spec.name)
def test_each_identity_is_judged_as_the_manifest_says(out_dir, spec):
    entry = next(e for e in manifest(out_dir)["identities"] if e["name"] == spec.name)
    trust = TrustConfig.from_pem_files([out_dir / "root.pem", out_dir / "gov-root.pem"],
                                       [out_dir / "crl.pem", out_dir / "gov-crl.pem"])
    intermediates = [x509.load_pem_x509_certificate((out_dir / name).read_bytes())
                     for name in ("intermediate.pem", "gov-intermediate.pem")]
    cert = x509.load_pem_x509_certificate((out_dir / entry["certificate"]).read_bytes())
    key = serialization.load_pem_private_key((out_dir / entry["key"]).read_bytes(), None)
    algorithm = "ES256" if entry["key_type"].startswith("ec") else "RS256"
    message = signed_message(ORIGIN, nonce_new())

    def verify():
        return signature_verify(
            certificate_der=cert.public_bytes(serialization.Encoding.DER),
            intermediates_der=[i.public_bytes(serialization.Encoding.DER) for i in intermediates],
            signature=signature_make(key, message, algorithm), algorithm=algorithm,
            message=message, trust=trust,
        )

    if entry["expect"] == "ok":
        assert verify().name == entry["common_name"]
    else:
        with pytest.raises(SignatureRefused) as refused:
            verify()
        assert refused.value.code == entry["expect"]
