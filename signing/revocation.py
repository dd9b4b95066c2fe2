"""Whether a certificate is revoked, from its CA's revocation list (CRL) or its OCSP
responder: reading and checking both, with no network and no storage of its own (the
caller fetches and keeps them; accounts/revocation.py does for the portal).

`cryptography` parses OCSP responses but does not verify them: here a response counts
only if it is signed by the issuer, or by a responder certificate the issuer delegated
(directly issued, EKU OCSPSigning, valid now), names the certificate asked about, and is
fresh. A CRL counts only if the issuer signed it and its nextUpdate (plus a grace) has
not passed.
"""

import enum
import re
from datetime import datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID

CRL_PEM_RE = re.compile(rb"-----BEGIN X509 CRL-----.+?-----END X509 CRL-----", re.DOTALL)
CLOCK_SKEW = timedelta(minutes=5)
# A response without nextUpdate is taken as fresh for this long after its thisUpdate.
OCSP_MAX_AGE = timedelta(hours=1)


class Revocation(enum.Enum):
    GOOD = "good"
    REVOKED = "revoked"
    UNKNOWN = "unknown"  # the CA's responder does not know the certificate
    UNCHECKABLE = "uncheckable"  # no fresh list and no usable answer: nothing to rely on


class RevocationUnusable(Exception):
    """An answer that says nothing reliable (unsigned, forged, stale, about another
    certificate, or not an answer at all); `reason` is for the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Where to ask ------------------------------------------------------------------------


def crl_urls(cert: x509.Certificate) -> list[str]:
    """The HTTP addresses of the CRL the certificate's issuer publishes (its CDP)."""
    try:
        points = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [name.value for point in points for name in (point.full_name or [])
            if isinstance(name, x509.UniformResourceIdentifier) and _http(name.value)]


def ocsp_urls(cert: x509.Certificate) -> list[str]:
    """The HTTP addresses of the issuer's OCSP responder (Authority Information Access)."""
    try:
        access = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except (x509.ExtensionNotFound, ValueError):
        return []
    return [item.access_location.value for item in access
            if item.access_method == AuthorityInformationAccessOID.OCSP
            and isinstance(item.access_location, x509.UniformResourceIdentifier)
            and _http(item.access_location.value)]


def _http(url: str) -> bool:
    return url.startswith(("http://", "https://"))


# CRLs ----------------------------------------------------------------------------------


def crl_parse(data: bytes) -> list[x509.CertificateRevocationList]:
    """The CRLs in `data` (PEM blocks, or one DER); ValueError if there is none."""
    blocks = CRL_PEM_RE.findall(data)
    if blocks:
        return [x509.load_pem_x509_crl(block) for block in blocks]
    return [x509.load_der_x509_crl(data)]


def crl_signed_by(crl: x509.CertificateRevocationList, issuer: x509.Certificate) -> bool:
    """Whether `issuer` published this list: its name, and a signature by its key."""
    try:
        return crl.issuer == issuer.subject and crl.is_signature_valid(issuer.public_key())
    except (TypeError, ValueError, UnsupportedAlgorithm):
        return False


def crl_covers_all(crl: x509.CertificateRevocationList, url: str = "") -> bool:
    """Whether the list speaks of every end-entity certificate its issuer made (fetched
    from `url`): not a delta list, and not one partitioned (by reasons, to CA or attribute
    certificates, for another issuer, or to another distribution point). Such a list
    would call GOOD what it does not cover."""
    try:
        extensions = crl.extensions
        if any(isinstance(ext.value, x509.DeltaCRLIndicator) for ext in extensions):
            return False
        scope = extensions.get_extension_for_class(x509.IssuingDistributionPoint).value
    except x509.ExtensionNotFound:
        return True
    except ValueError:
        return False
    if (scope.only_contains_ca_certs or scope.only_contains_attribute_certs
            or scope.only_some_reasons or scope.indirect_crl or scope.relative_name):
        return False
    names = [name.value for name in scope.full_name or []]
    return not names or url in names


def crl_current(crl: x509.CertificateRevocationList, now: datetime,
                grace: timedelta = timedelta()) -> bool:
    """Whether the list may still be relied on: issued, and not past nextUpdate + grace."""
    return crl_dates_current(crl.last_update_utc, crl.next_update_utc, now, grace)


def crl_dates_current(last_update: datetime, next_update: datetime | None, now: datetime,
                      grace: timedelta = timedelta()) -> bool:
    """crl_current for a list whose thisUpdate and nextUpdate were read before. A list
    without nextUpdate is never current (RFC 5280 requires it)."""
    return (next_update is not None and last_update <= now + CLOCK_SKEW
            and now <= next_update + grace)


# OCSP ----------------------------------------------------------------------------------


def ocsp_request(cert: x509.Certificate, issuer: x509.Certificate) -> bytes:
    """The DER request for `cert` (CertID by SHA-1, as every responder understands)."""
    return (ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()
            .public_bytes(Encoding.DER))


def ocsp_status(answer: bytes, cert: x509.Certificate, issuer: x509.Certificate,
                now: datetime) -> Revocation:
    """What a verified OCSP answer says of `cert`; RevocationUnusable otherwise."""
    try:
        response = ocsp.load_der_ocsp_response(answer)
    except ValueError:
        raise RevocationUnusable("not_ocsp") from None
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise RevocationUnusable(f"status_{response.response_status.name.lower()}")
    _responder_check(response, issuer, now)
    single = _single_for(response, cert, issuer)
    if single.this_update_utc > now + CLOCK_SKEW:
        raise RevocationUnusable("from_the_future")
    expiry = single.next_update_utc or single.this_update_utc + OCSP_MAX_AGE
    if now > expiry:
        raise RevocationUnusable("stale")
    return {ocsp.OCSPCertStatus.GOOD: Revocation.GOOD,
            ocsp.OCSPCertStatus.REVOKED: Revocation.REVOKED,
            ocsp.OCSPCertStatus.UNKNOWN: Revocation.UNKNOWN}[single.certificate_status]


def _single_for(response, cert: x509.Certificate, issuer: x509.Certificate):
    for single in response.responses:
        try:
            expected = ocsp.OCSPRequestBuilder().add_certificate(
                cert, issuer, single.hash_algorithm).build()
        except (ValueError, TypeError, UnsupportedAlgorithm):
            continue
        if (single.serial_number, single.issuer_name_hash, single.issuer_key_hash) == (
                expected.serial_number, expected.issuer_name_hash, expected.issuer_key_hash):
            return single
    raise RevocationUnusable("another_certificate")


def _responder_check(response, issuer: x509.Certificate, now: datetime) -> None:
    """The response is signed by the issuer, or by a responder it delegated."""
    candidates = [issuer] + [delegate for delegate in response.certificates
                             if _delegated(delegate, issuer, now)]
    for signer in candidates:
        if _names_responder(response, signer) and _signed(response, signer.public_key()):
            return
    raise RevocationUnusable("bad_signature")


def _delegated(delegate: x509.Certificate, issuer: x509.Certificate, now: datetime) -> bool:
    try:
        delegate.verify_directly_issued_by(issuer)
        usages = delegate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm,
            x509.ExtensionNotFound):
        return False
    return (ExtendedKeyUsageOID.OCSP_SIGNING in usages
            and delegate.not_valid_before_utc <= now <= delegate.not_valid_after_utc)


def _names_responder(response, signer: x509.Certificate) -> bool:
    if response.responder_name is not None:
        return response.responder_name == signer.subject
    key_id = x509.SubjectKeyIdentifier.from_public_key(signer.public_key()).digest
    return response.responder_key_hash == key_id


def _signed(response, key) -> bool:
    algorithm = response.signature_hash_algorithm
    try:
        if isinstance(key, rsa.RSAPublicKey) and algorithm is not None:
            key.verify(response.signature, response.tbs_response_bytes, padding.PKCS1v15(),
                       algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey) and algorithm is not None:
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        else:
            return False
    except (InvalidSignature, ValueError, TypeError, UnsupportedAlgorithm):
        return False
    return True
