"""Building blocks of a certificate authority shaped like the Vietnamese ones: keys,
subject names with the ID in the UID, CA and end-entity certificates, CRLs. In memory
only; sandbox/dev_ca.py makes the development set of them and writes it to files."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_ORGANIZATION = "Cổng Dịch vụ công (môi trường phát triển)"
CLIENT_EKU = (ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION)
SERVER_EKU = (ExtendedKeyUsageOID.SERVER_AUTH,)
LEAF_DAYS = 3 * 365


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


def agency_staff_subject(full_name: str, id_number: str, agency: str, *,
                         province: str = "Hưng Yên") -> x509.Name:
    """A civil servant's certificate from the government's CA: the person, their ID, and
    the agency (O) they sign for."""
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, province),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, agency),
        x509.NameAttribute(NameOID.COMMON_NAME, full_name),
        x509.NameAttribute(NameOID.USER_ID, f"CCCD:{id_number}"),
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
