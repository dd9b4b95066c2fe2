"""The development CAs shaped like the Vietnamese ones: a root and an intermediate under it
playing a licensed public CA (VNPT-CA, Viettel-CA…), a second root and intermediate
playing the government's specialised CA (Ban Cơ yếu Chính phủ, for civil servants), and
an untrusted root; certificates with the ID in the subject's UID, digitalSignature +
nonRepudiation, EKU clientAuth + emailProtection and no SubjectAltName.

The functions build everything in memory (tests call them); `dev_ca_ensure` writes the
PEM files and a manifest, reusing whatever is already there and still fits. The building
blocks are in sandbox/pki.py.
"""

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID

from sandbox.pki import (  # noqa: F401  (what tests and commands take from here)
    CA_ORGANIZATION,
    CLIENT_EKU,
    LEAF_DAYS,
    SERVER_EKU,
    Issued,
    agency_staff_subject,
    business_subject,
    ca_subject,
    citizen_subject,
    issue_certificate,
    key_make,
    key_type_of,
    make_ca,
    make_crl,
    signature_make,
)
from signing.validation import TrustConfig

ROOT_NAME = "DVC Development Root CA"
INTERMEDIATE_NAME = "DVC-CA Development"
UNTRUSTED_ROOT_NAME = "DVC Untrusted Test Root CA"
GOV_ORGANIZATION = "Ban Cơ yếu Chính phủ (môi trường phát triển)"
# Its names stay within the 64 bytes a CN may hold (Vietnamese letters take 2 or 3).
GOV_ROOT_NAME = "Root CA chuyên dùng Chính phủ (phát triển)"
GOV_INTERMEDIATE_NAME = "CA chuyên dùng Chính phủ (phát triển)"
# Where the development CA publishes its CRL (/crl) and answers OCSP (/ocsp): the sandbox
# server's address, which the in-process stand-in answers too (sandbox/ca_service.py).
DEV_CA_URL = "http://127.0.0.1:8100/ca"
# Reissue a certificate meant to be valid when it has less than this left.
RENEW_BEFORE = timedelta(days=30)


# The development set ----------------------------------------------------------------


@dataclass(frozen=True)
class IdentitySpec:
    """One certificate of the development set and what validation should say of it."""

    name: str
    subject: x509.Name
    purpose: str
    expect: str = "ok"  # "ok" or the SignatureRefused code
    key_type: str = "rsa-2048"
    validity: str = "current"  # "current" | "expired" | "future"
    digital_signature: bool = True
    extended_key_usage: tuple = CLIENT_EKU
    untrusted: bool = False
    government: bool = False  # issued by the government's CA, for a civil servant

    @property
    def revoked(self) -> bool:
        return self.expect == "revoked"


SPECS = (
    IdentitySpec("citizen-an", citizen_subject("Nguyễn Văn An", "001090012345"),
                 "Citizen without an account: registers and logs in by token."),
    IdentitySpec("citizen-tuan", citizen_subject("Cao Văn Tuấn", "001084567801"),
                 "Citizen who already has an account: logs in by token, registering again "
                 "is refused."),
    IdentitySpec("citizen-binh-ec",
                 citizen_subject("Trần Thị Bình", "079185004567",
                                 province="Thành phố Hồ Chí Minh", locality="Phường Sài Gòn"),
                 "Citizen with an EC P-256 key: ES256 signatures.", key_type="ec-p256"),
    IdentitySpec("business-saomai",
                 business_subject("CÔNG TY TNHH PHẦN MỀM SAO MAI", "0101234567"),
                 "Business: registers with an email and logs in by its MST."),
    IdentitySpec("expired", citizen_subject("Đoàn Văn Hậu", "001088100201"),
                 "Certificate past its end date.", expect="cert_expired", validity="expired"),
    IdentitySpec("not-yet-valid", citizen_subject("Võ Thị Thu", "001192100202"),
                 "Certificate whose validity starts in the future.",
                 expect="cert_not_yet_valid", validity="future"),
    IdentitySpec("revoked", citizen_subject("Lưu Văn Tài", "001087100203"),
                 "Certificate listed in crl.pem.", expect="revoked"),
    IdentitySpec("no-digital-signature", citizen_subject("Tăng Thị Mỹ", "001195100204"),
                 "KeyUsage without digitalSignature.", expect="no_digital_signature",
                 digital_signature=False),
    IdentitySpec("server-auth-only", citizen_subject("Hà Văn Nam", "001091100205"),
                 "EKU serverAuth only, no clientAuth.", expect="wrong_usage",
                 extended_key_usage=SERVER_EKU),
    IdentitySpec("weak-rsa-1024", citizen_subject("Âu Thị Lệ", "001186100206"),
                 "RSA 1024-bit key.", expect="weak_key", key_type="rsa-1024"),
    IdentitySpec("untrusted", citizen_subject("Giang Văn Khải", "001085100207"),
                 f"Issued by a separate root ({UNTRUSTED_ROOT_NAME}) that is not trusted.",
                 expect="untrusted", untrusted=True),
    IdentitySpec("agency-cong",
                 agency_staff_subject("Đặng Văn Công", "033088001299",
                                      "Sở Tư pháp tỉnh Hưng Yên"),
                 "Civil servant with a certificate of the government's CA: registers the "
                 "agency account of Sở Tư pháp tỉnh Hưng Yên under \"Cơ quan nhà nước\".",
                 government=True),
)


@dataclass
class DevCA:
    root: Issued
    intermediate: Issued
    untrusted_root: Issued
    gov_root: Issued
    gov_intermediate: Issued
    identities: dict[str, Issued] = field(default_factory=dict)
    crl: x509.CertificateRevocationList | None = None
    gov_crl: x509.CertificateRevocationList | None = None

    def trust_config(self) -> TrustConfig:
        return TrustConfig(roots=[self.root.certificate, self.gov_root.certificate],
                           crls=[crl for crl in (self.crl, self.gov_crl) if crl is not None])

    def issuer_of(self, spec: IdentitySpec) -> Issued:
        if spec.untrusted:
            return self.untrusted_root
        return self.gov_intermediate if spec.government else self.intermediate


def identity_issue(ca: DevCA, spec: IdentitySpec, now: datetime | None = None) -> Issued:
    now = now or datetime.now(UTC)
    # "future" starts ten years ahead so that a reused file stays not-yet-valid.
    starts = {"current": now - timedelta(days=1), "expired": now - timedelta(days=2 * 365),
              "future": now + timedelta(days=10 * 365)}[spec.validity]
    ends = now - timedelta(days=30) if spec.validity == "expired" else None
    # The government CA's certificates name no OCSP responder: its list decides.
    return issue_certificate(
        ca.issuer_of(spec), spec.subject,
        key_type=spec.key_type, now=now, not_before=starts, not_after=ends,
        digital_signature=spec.digital_signature,
        extended_key_usage=spec.extended_key_usage,
        revocation_url=None if spec.government else DEV_CA_URL,
    )


def dev_ca_build(now: datetime | None = None) -> DevCA:
    """The whole development set, in memory."""
    root, gov_root = make_ca(ROOT_NAME, now=now), make_ca(_gov_name(GOV_ROOT_NAME), now=now)
    ca = DevCA(root=root, intermediate=make_ca(INTERMEDIATE_NAME, parent=root, now=now,
                                               days=10 * 365),
               untrusted_root=make_ca(UNTRUSTED_ROOT_NAME, now=now), gov_root=gov_root,
               gov_intermediate=make_ca(_gov_name(GOV_INTERMEDIATE_NAME), parent=gov_root,
                                        now=now, days=10 * 365))
    for spec in SPECS:
        ca.identities[spec.name] = identity_issue(ca, spec, now)
    ca.crl = make_crl(ca.intermediate, _revoked_serials(ca), now=now)
    ca.gov_crl = make_crl(ca.gov_intermediate, [], now=now)
    return ca


def _gov_name(common_name: str) -> x509.Name:
    return ca_subject(common_name, GOV_ORGANIZATION)


def _revoked_serials(ca: DevCA) -> set[int]:
    return {ca.identities[spec.name].certificate.serial_number
            for spec in SPECS if spec.revoked}


# Files ------------------------------------------------------------------------------


def dev_ca_ensure(out_dir: Path, now: datetime | None = None) -> tuple[DevCA, list[str]]:
    """The development set in `out_dir`, reusing what is there; also what was (re)made."""
    now = now or datetime.now(UTC)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    made = []
    ca = _authorities_ensure(out_dir, now, made)
    _identities_ensure(out_dir, ca, now, made)
    ca.crl = _crl_ensure(out_dir, "crl", ca.intermediate, _revoked_serials(ca), now, made)
    ca.gov_crl = _crl_ensure(out_dir, "gov-crl", ca.gov_intermediate, set(), now, made)
    _write(out_dir / "crl.pem", ca.crl.public_bytes(serialization.Encoding.PEM))
    _write(out_dir / "gov-crl.pem", ca.gov_crl.public_bytes(serialization.Encoding.PEM))
    _write(out_dir / "manifest.json", _manifest(ca).encode("utf-8"))
    return ca, made


def _authorities_ensure(out_dir: Path, now: datetime, made: list[str]) -> DevCA:
    root = _ca_reuse(out_dir, "root", None) or _made(made, "root", make_ca(ROOT_NAME, now=now))
    intermediate = _ca_reuse(out_dir, "intermediate", root) or _made(
        made, "intermediate", make_ca(INTERMEDIATE_NAME, parent=root, now=now, days=10 * 365))
    untrusted = _ca_reuse(out_dir, "untrusted-root", None) or _made(
        made, "untrusted-root", make_ca(UNTRUSTED_ROOT_NAME, now=now))
    gov_root = _ca_reuse(out_dir, "gov-root", None) or _made(
        made, "gov-root", make_ca(_gov_name(GOV_ROOT_NAME), now=now))
    gov_intermediate = _ca_reuse(out_dir, "gov-intermediate", gov_root) or _made(
        made, "gov-intermediate", make_ca(_gov_name(GOV_INTERMEDIATE_NAME), parent=gov_root,
                                          now=now, days=10 * 365))
    for issued, name in ((root, "root"), (intermediate, "intermediate"),
                         (untrusted, "untrusted-root"), (gov_root, "gov-root"),
                         (gov_intermediate, "gov-intermediate")):
        _write_pair(out_dir, name, issued, cert_file=f"{name}.pem")
    return DevCA(root=root, intermediate=intermediate, untrusted_root=untrusted,
                 gov_root=gov_root, gov_intermediate=gov_intermediate)


def _identities_ensure(out_dir: Path, ca: DevCA, now: datetime, made: list[str]) -> None:
    for spec in SPECS:
        issued = _identity_reuse(out_dir, spec, ca.issuer_of(spec), now)
        if issued is None:
            issued = _made(made, spec.name, identity_issue(ca, spec, now))
            _write_pair(out_dir, spec.name, issued)
        ca.identities[spec.name] = issued


def _made(made: list[str], name: str, thing):
    made.append(name)
    return thing


def _read_pair(out_dir: Path, cert_file: str, key_file: str) -> Issued | None:
    try:
        cert = x509.load_pem_x509_certificate((out_dir / cert_file).read_bytes())
        key = serialization.load_pem_private_key((out_dir / key_file).read_bytes(), None)
    except (OSError, ValueError):
        return None
    return Issued(cert, key)


def _ca_reuse(out_dir: Path, name: str, parent: Issued | None) -> Issued | None:
    issued = _read_pair(out_dir, f"{name}.pem", f"{name}.key.pem")
    if issued and parent and not _issued_by(issued, parent):
        return None  # the root was remade: an old intermediate no longer chains
    return issued


def _identity_reuse(out_dir: Path, spec: IdentitySpec, issuer: Issued,
                    now: datetime) -> Issued | None:
    issued = _read_pair(out_dir, f"{spec.name}.cert.pem", f"{spec.name}.key.pem")
    if issued is None or not _issued_by(issued, issuer):
        return None
    if spec.validity == "current" and issued.certificate.not_valid_after_utc < now + RENEW_BEFORE:
        return None
    if _revocation_urls(issued.certificate) != (None if spec.government else DEV_CA_URL):
        return None  # made before the CA published its revocation services
    return issued


def _revocation_urls(certificate: x509.Certificate) -> str | None:
    try:
        access = certificate.extensions.get_extension_for_class(
            x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    return access[0].access_location.value.removesuffix("/ocsp")


def _crl_ensure(out_dir: Path, name: str, issuer: Issued, revoked: set[int], now: datetime,
                made: list[str]) -> x509.CertificateRevocationList:
    # A list is falsy when it revokes nothing (len 0): compared with None, never `or`.
    crl = _crl_reuse(out_dir, f"{name}.pem", issuer, revoked)
    return crl if crl is not None else _made(made, name, make_crl(issuer, revoked, now=now))


def _crl_reuse(out_dir: Path, file: str, issuer: Issued,
               revoked: set[int]) -> x509.CertificateRevocationList | None:
    try:
        crl = x509.load_pem_x509_crl((out_dir / file).read_bytes())
    except (OSError, ValueError):
        return None
    listed = {entry.serial_number for entry in crl}
    fits = crl.is_signature_valid(issuer.key.public_key()) and listed == revoked and (
        crl.next_update_utc > datetime.now(UTC) + RENEW_BEFORE)
    return crl if fits else None


def _issued_by(issued: Issued, issuer: Issued) -> bool:
    try:
        issued.certificate.verify_directly_issued_by(issuer.certificate)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _write_pair(out_dir: Path, name: str, issued: Issued, cert_file: str | None = None) -> None:
    _write(out_dir / (cert_file or f"{name}.cert.pem"),
           issued.certificate.public_bytes(serialization.Encoding.PEM))
    key_pem = issued.key.private_bytes(serialization.Encoding.PEM,
                                       serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())
    _write(out_dir / f"{name}.key.pem", key_pem, private=True)


def _write(path: Path, content: bytes, private: bool = False) -> None:
    # Unchanged files are left alone, so a second run touches nothing.
    if path.exists() and path.read_bytes() == content:
        return
    path.write_bytes(content)
    if private:
        os.chmod(path, 0o600)


def _serial_hex(serial: int) -> str:
    """As CertificateIdentity.serial shows it: upper-case hex of whole bytes."""
    digits = f"{serial:X}"
    return digits.zfill(len(digits) + len(digits) % 2)


def _manifest(ca: DevCA) -> str:
    entries = []
    for spec in SPECS:
        issued = ca.identities[spec.name]
        issuer = ca.issuer_of(spec)
        entries.append({
            "name": spec.name,
            "common_name": issued.certificate.subject.get_attributes_for_oid(
                NameOID.COMMON_NAME)[0].value,
            "subject": issued.certificate.subject.rfc4514_string(),
            "certificate": f"{spec.name}.cert.pem",
            "key": f"{spec.name}.key.pem",
            "key_type": key_type_of(issued.key),
            "issuer": issuer.certificate.subject.get_attributes_for_oid(
                NameOID.COMMON_NAME)[0].value,
            "serial": _serial_hex(issued.certificate.serial_number),
            "expect": spec.expect,
            "purpose": spec.purpose,
        })
    manifest = {"root": "root.pem", "intermediate": "intermediate.pem", "crl": "crl.pem",
                "untrusted_root": "untrusted-root.pem", "gov_root": "gov-root.pem",
                "gov_intermediate": "gov-intermediate.pem", "gov_crl": "gov-crl.pem",
                "identities": entries}
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
