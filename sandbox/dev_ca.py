"""A development CA shaped like the Vietnamese ones: a root, an intermediate under it, and
certificates with the ID in the subject's UID, digitalSignature + nonRepudiation, EKU
clientAuth + emailProtection and no SubjectAltName.

The functions build everything in memory (tests call them); `dev_ca_ensure` writes the
PEM files and a manifest, reusing whatever is already there and still fits.
"""

import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from signing.validation import TrustConfig

ROOT_NAME = "DVC Development Root CA"
INTERMEDIATE_NAME = "DVC-CA Development"
UNTRUSTED_ROOT_NAME = "DVC Untrusted Test Root CA"
CA_ORGANIZATION = "Cổng Dịch vụ công (môi trường phát triển)"
CLIENT_EKU = (ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION)
SERVER_EKU = (ExtendedKeyUsageOID.SERVER_AUTH,)
LEAF_DAYS = 3 * 365
# Where the development CA publishes its CRL (/crl) and answers OCSP (/ocsp): the sandbox
# server's address, which the in-process stand-in answers too (sandbox/ca_service.py).
DEV_CA_URL = "http://127.0.0.1:8100/ca"
# Reissue a certificate meant to be valid when it has less than this left.
RENEW_BEFORE = timedelta(days=30)


@dataclass(frozen=True)
class Issued:
    """A certificate and its private key (a CA or an end entity)."""

    certificate: x509.Certificate
    key: object

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)


# Keys -------------------------------------------------------------------------------


def key_make(key_type: str = "rsa-2048"):
    """A private key: "rsa-<bits>" or "ec-p256" / "ec-p384"."""
    if key_type.startswith("rsa-"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(key_type[4:]))
    curves = {"ec-p256": ec.SECP256R1(), "ec-p384": ec.SECP384R1()}
    return ec.generate_private_key(curves[key_type])


def key_type_of(key) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return f"rsa-{key.key_size}"
    return f"ec-p{key.curve.key_size}"


def signature_make(key, message: bytes, algorithm: str) -> bytes:
    """Sign as the agent does (docs/signing.md): RS256, PS256 or ES256 over `message`."""
    if algorithm == "RS256":
        return key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    if algorithm == "PS256":
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        return key.sign(message, pss, hashes.SHA256())
    return key.sign(message, ec.ECDSA(hashes.SHA256()))


# Names ------------------------------------------------------------------------------


def citizen_subject(full_name: str, id_number: str, *, prefix: str = "CCCD",
                    province: str = "Hà Nội", locality: str = "Phường Ba Đình") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province),
        x509.NameAttribute(NameOID.LOCALITY_NAME, locality),
        x509.NameAttribute(NameOID.COMMON_NAME, full_name),
        x509.NameAttribute(NameOID.USER_ID, f"{prefix}:{id_number}"),
    ])


def business_subject(company: str, mst: str, *, province: str = "Hà Nội",
                     locality: str = "Phường Cầu Giấy") -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province),
        x509.NameAttribute(NameOID.LOCALITY_NAME, locality),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, company),
        x509.NameAttribute(NameOID.COMMON_NAME, company),
        x509.NameAttribute(NameOID.USER_ID, f"MST:{mst}"),
    ])


def ca_subject(common_name: str, organization: str = CA_ORGANIZATION) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ])


# Certificates -----------------------------------------------------------------------


def _builder(subject: x509.Name, issuer_name: x509.Name, public_key,
             not_before: datetime, not_after: datetime) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def make_ca(subject: x509.Name | str, *, parent: Issued | None = None, key=None,
            now: datetime | None = None, days: int = 20 * 365) -> Issued:
    """A root CA (no parent) or an intermediate signed by `parent`."""
    now = now or datetime.now(UTC)
    subject = ca_subject(subject) if isinstance(subject, str) else subject
    key = key or key_make("rsa-2048")
    signer = parent.key if parent else key
    issuer_name = parent.certificate.subject if parent else subject
    builder = (
        _builder(subject, issuer_name, key.public_key(), now - timedelta(days=1),
                 now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None if parent is None
                                             else 0), critical=True)
        .add_extension(_key_usage(cert_sign=True), critical=True)
        .add_extension(_authority_key_id(parent.key if parent else key), critical=False)
    )
    return Issued(builder.sign(signer, hashes.SHA256()), key)


def issue_certificate(issuer: Issued, subject: x509.Name, *, key=None,
                      key_type: str = "rsa-2048", now: datetime | None = None,
                      not_before: datetime | None = None, not_after: datetime | None = None,
                      digital_signature: bool = True,
                      extended_key_usage: tuple | None = CLIENT_EKU,
                      revocation_url: str | None = None) -> Issued:
    """An end-entity certificate for `subject` issued by `issuer`, in the Vietnamese shape;
    with `revocation_url`, it names the CRL (`<url>/crl`) and the OCSP responder
    (`<url>/ocsp`) of its issuer, as the CAs' certificates do."""
    now = now or datetime.now(UTC)
    key = key or key_make(key_type)
    not_before = not_before or now - timedelta(days=1)
    not_after = not_after or not_before + timedelta(days=LEAF_DAYS)
    builder = (
        _builder(subject, issuer.certificate.subject, key.public_key(), not_before, not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(digital_signature=digital_signature), critical=True)
        .add_extension(_authority_key_id(issuer.key), critical=False)
    )
    if extended_key_usage:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(extended_key_usage)),
                                        critical=False)
    if revocation_url:
        builder = _with_revocation_urls(builder, revocation_url)
    return Issued(builder.sign(issuer.key, hashes.SHA256()), key)


def _with_revocation_urls(builder: x509.CertificateBuilder, url: str):
    crl = x509.DistributionPoint(full_name=[x509.UniformResourceIdentifier(url + "/crl")],
                                 relative_name=None, reasons=None, crl_issuer=None)
    responder = x509.AccessDescription(x509.AuthorityInformationAccessOID.OCSP,
                                       x509.UniformResourceIdentifier(url + "/ocsp"))
    return (builder.add_extension(x509.CRLDistributionPoints([crl]), critical=False)
            .add_extension(x509.AuthorityInformationAccess([responder]), critical=False))


def make_crl(issuer: Issued, revoked_serials, *, now: datetime | None = None,
             days: int = 365) -> x509.CertificateRevocationList:
    """A CRL signed by `issuer` listing `revoked_serials`."""
    now = now or datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(now - timedelta(minutes=5))
        .next_update(now + timedelta(days=days))
        .add_extension(_authority_key_id(issuer.key), critical=False)
        .add_extension(x509.CRLNumber(1), critical=False)
    )
    for serial in sorted(revoked_serials):
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial)
            .revocation_date(now - timedelta(minutes=5)).build()
        )
    return builder.sign(issuer.key, hashes.SHA256())


def _key_usage(*, digital_signature: bool = False, cert_sign: bool = False) -> x509.KeyUsage:
    # An end entity always keeps nonRepudiation; "no digitalSignature" then still leaves a
    # valid KeyUsage, as on an encryption-only certificate.
    return x509.KeyUsage(
        digital_signature=digital_signature or cert_sign,
        content_commitment=not cert_sign,
        key_encipherment=not cert_sign and not digital_signature,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=cert_sign,
        crl_sign=cert_sign,
        encipher_only=False,
        decipher_only=False,
    )


def _authority_key_id(issuer_key) -> x509.AuthorityKeyIdentifier:
    return x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key())


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
)


@dataclass
class DevCA:
    root: Issued
    intermediate: Issued
    untrusted_root: Issued
    identities: dict[str, Issued] = field(default_factory=dict)
    crl: x509.CertificateRevocationList | None = None

    def trust_config(self) -> TrustConfig:
        return TrustConfig(roots=[self.root.certificate], crls=[self.crl] if self.crl else [])


def identity_issue(ca: DevCA, spec: IdentitySpec, now: datetime | None = None) -> Issued:
    now = now or datetime.now(UTC)
    # "future" starts ten years ahead so that a reused file stays not-yet-valid.
    starts = {"current": now - timedelta(days=1), "expired": now - timedelta(days=2 * 365),
              "future": now + timedelta(days=10 * 365)}[spec.validity]
    ends = now - timedelta(days=30) if spec.validity == "expired" else None
    return issue_certificate(
        ca.untrusted_root if spec.untrusted else ca.intermediate, spec.subject,
        key_type=spec.key_type, now=now, not_before=starts, not_after=ends,
        digital_signature=spec.digital_signature,
        extended_key_usage=spec.extended_key_usage, revocation_url=DEV_CA_URL,
    )


def dev_ca_build(now: datetime | None = None) -> DevCA:
    """The whole development set, in memory."""
    root = make_ca(ROOT_NAME, now=now)
    ca = DevCA(root=root, intermediate=make_ca(INTERMEDIATE_NAME, parent=root, now=now,
                                               days=10 * 365),
               untrusted_root=make_ca(UNTRUSTED_ROOT_NAME, now=now))
    for spec in SPECS:
        ca.identities[spec.name] = identity_issue(ca, spec, now)
    ca.crl = make_crl(ca.intermediate, _revoked_serials(ca), now=now)
    return ca


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
    ca.crl = _crl_reuse(out_dir, ca) or _made(
        made, "crl", make_crl(ca.intermediate, _revoked_serials(ca), now=now))
    _write(out_dir / "crl.pem", ca.crl.public_bytes(serialization.Encoding.PEM))
    _write(out_dir / "manifest.json", _manifest(ca).encode("utf-8"))
    return ca, made


def _authorities_ensure(out_dir: Path, now: datetime, made: list[str]) -> DevCA:
    root = _ca_reuse(out_dir, "root", None) or _made(made, "root", make_ca(ROOT_NAME, now=now))
    intermediate = _ca_reuse(out_dir, "intermediate", root) or _made(
        made, "intermediate", make_ca(INTERMEDIATE_NAME, parent=root, now=now, days=10 * 365))
    untrusted = _ca_reuse(out_dir, "untrusted-root", None) or _made(
        made, "untrusted-root", make_ca(UNTRUSTED_ROOT_NAME, now=now))
    for issued, name in ((root, "root"), (intermediate, "intermediate"),
                         (untrusted, "untrusted-root")):
        _write_pair(out_dir, name, issued, cert_file=f"{name}.pem")
    return DevCA(root=root, intermediate=intermediate, untrusted_root=untrusted)


def _identities_ensure(out_dir: Path, ca: DevCA, now: datetime, made: list[str]) -> None:
    for spec in SPECS:
        issuer = ca.untrusted_root if spec.untrusted else ca.intermediate
        issued = _identity_reuse(out_dir, spec, issuer, now)
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
    if _revocation_urls(issued.certificate) != DEV_CA_URL:
        return None  # made before the CA published its revocation services
    return issued


def _revocation_urls(certificate: x509.Certificate) -> str | None:
    try:
        access = certificate.extensions.get_extension_for_class(
            x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    return access[0].access_location.value.removesuffix("/ocsp")


def _crl_reuse(out_dir: Path, ca: DevCA) -> x509.CertificateRevocationList | None:
    try:
        crl = x509.load_pem_x509_crl((out_dir / "crl.pem").read_bytes())
    except (OSError, ValueError):
        return None
    listed = {entry.serial_number for entry in crl}
    fits = crl.is_signature_valid(ca.intermediate.key.public_key()) and listed == (
        _revoked_serials(ca)) and crl.next_update_utc > datetime.now(UTC) + RENEW_BEFORE
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
        issuer = ca.untrusted_root if spec.untrusted else ca.intermediate
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
                "untrusted_root": "untrusted-root.pem", "identities": entries}
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
