"""One check for every signature flow: the certificate (dates, usage, key, chain to a
configured root, revocation), then the signature over the message, then the identity."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID
from cryptography.x509.verification import (
    Criticality,
    ExtensionPolicy,
    PolicyBuilder,
    Store,
    VerificationError,
)

from signing.errors import SignatureRefused
from signing.identity import CertificateIdentity, identity_from_certificate
from signing.kept import KeptPerObject
from signing.revocation import Revocation, crl_dates_current, crl_parse, crl_signed_by

MIN_RSA_BITS = 2048
MIN_EC_BITS = 256
PSS_SALT_LENGTH = 32  # docs/signing.md: PS256 uses a salt as long as the SHA-256 digest
# The extension policies of the path validation. Many Vietnamese certificates have no
# SubjectAltName, which the web-PKI defaults require of a leaf. A policy never changes
# once made: one for every check.
CA_POLICY = ExtensionPolicy.webpki_defaults_ca()
EE_POLICY = ExtensionPolicy.webpki_defaults_ee().may_be_present(
    x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)


# What a revocation check is asked: (certificate, its issuer, now) -> Revocation.
RevocationCheck = Callable[[x509.Certificate, x509.Certificate, datetime], Revocation]
REFUSALS = {Revocation.REVOKED: "revoked", Revocation.UNKNOWN: "not_known_by_ca",
            Revocation.UNCHECKABLE: "revocation_unknown"}


@dataclass(frozen=True)
class TrustConfig:
    """The roots a certificate must chain to, and how its revocation is checked.

    `revocation`, when given, is asked (the portal's: OCSP, then CRLs it keeps fresh).
    Otherwise `crls`, lists known in advance: each issuer must then have one of them,
    current at the time of the check. With neither, revocation is not checked.

    What a list says is worked out once per issuer and kept: it changes only when a new
    list is fetched, and checking its signature and scanning its entries at every login
    would cost more than the rest of the signature check. So is the roots' Store: one
    made for each check made the path validation 10-25 % slower. Each is kept with the
    roots or lists it was made from, and made again as soon as `roots` or `crls` no
    longer hold the same certificates (a list replaced by a newer one, a root added).
    """

    roots: list[x509.Certificate] = field(default_factory=list)
    crls: list[x509.CertificateRevocationList] = field(default_factory=list)
    revocation: RevocationCheck | None = None
    crl_grace: timedelta = timedelta()
    _kept: dict = field(default_factory=dict, init=False, compare=False, repr=False)

    def revocation_status(self, cert: x509.Certificate, issuer: x509.Certificate,
                          now: datetime) -> Revocation | None:
        """What is known of `cert`'s revocation; None when it is not checked."""
        if self.revocation is not None:
            return self.revocation(cert, issuer, now)
        if not self.crls:
            return None
        current = [serials for last_update, next_update, serials in self._lists_of(issuer)
                   if crl_dates_current(last_update, next_update, now, self.crl_grace)]
        if not current:
            return Revocation.UNCHECKABLE
        return Revocation.REVOKED if any(cert.serial_number in s for s in current) else (
            Revocation.GOOD)

    def _lists_of(self, issuer: x509.Certificate) -> list[tuple]:
        """The lists that `issuer` signed under its name: the dates they are current
        between, and their revoked serials.

        A list under the same name that the issuer's key did not sign belongs to another
        CA (or was re-keyed): it says nothing about this issuer's certificates.
        """
        return self._made_from("crls", self.crls, _lists_by_issuer)[1](issuer)

    def store(self) -> Store:
        """The roots as the path validator takes them (`roots` must not be empty)."""
        return self._made_from("roots", self.roots, lambda roots: Store(list(roots)))[1]

    def _made_from(self, name: str, source: list, make: Callable) -> tuple:
        """(the items of `source`, what `make` made of them), made again once `source`
        holds other items. The pair is replaced whole, so that a check that began
        before a change never files what it works out under the new items."""
        items = tuple(source)
        kept = self._kept.get(name)
        # Compares each item by identity first: the same objects cost next to nothing.
        if kept is None or kept[0] != items:
            kept = self._kept[name] = (items, make(items))
        return kept

    @classmethod
    def from_pem_files(cls, root_paths: Iterable, crl_paths: Iterable = ()) -> "TrustConfig":
        roots = [cert for path in root_paths
                 for cert in x509.load_pem_x509_certificates(Path(path).read_bytes())]
        crls = [crl for path in crl_paths for crl in _crls_from(Path(path))]
        return cls(roots=roots, crls=crls)


def _lists_by_issuer(crls: tuple) -> KeptPerObject:
    # Kept for these lists only: TrustConfig._made_from makes a new one with the lists.
    return KeptPerObject(lambda issuer: [
        (crl.last_update_utc, crl.next_update_utc,
         frozenset(entry.serial_number for entry in crl))
        for crl in crls if crl_signed_by(crl, issuer)
    ])


def _crls_from(path: Path) -> list[x509.CertificateRevocationList]:
    try:
        return crl_parse(path.read_bytes())
    except ValueError:
        # A configured list that reads as empty would switch revocation off unnoticed.
        raise ValueError(f"no CRL in {path}") from None


def signature_verify(
    *,
    certificate_der: bytes,
    intermediates_der: list[bytes],
    signature: bytes,
    algorithm: str,
    message: bytes,
    trust: TrustConfig,
    now: datetime | None = None,
) -> CertificateIdentity:
    """The identity of whoever signed `message`, or SignatureRefused with the reason.

    Revocation is asked last, once the signature holds: a stranger with a published
    certificate and a made-up signature makes the portal ask no CA anything.
    """
    now = _utc(now)
    cert = _parse(certificate_der)
    intermediates = [_intermediate(der) for der in intermediates_der]
    chain = certificate_chain(cert, intermediates, trust, now, revocation=False)
    _signature_check(cert.public_key(), algorithm, signature, message)
    _revocation_check(cert, chain, trust, now)
    return identity_from_certificate(cert, chain[1] if len(chain) > 1 else chain[0],
                                     root=chain[-1])


def certificate_validate(
    cert: x509.Certificate,
    intermediates: list[x509.Certificate],
    trust: TrustConfig,
    now: datetime | None = None,
) -> x509.Certificate:
    """Refuse `cert` unless it may sign in to the portal at `now`; return its issuer."""
    chain = certificate_chain(cert, intermediates, trust, now)
    return chain[1] if len(chain) > 1 else chain[0]


def certificate_chain(
    cert: x509.Certificate,
    intermediates: list[x509.Certificate],
    trust: TrustConfig,
    now: datetime | None = None,
    revocation: bool = True,
) -> list[x509.Certificate]:
    """Refuse `cert` unless it may sign in to the portal at `now`; return its chain, from
    `cert` to the configured root it is anchored in (`revocation`: asked here too).

    The properties of the certificate itself come before the chain: the path validator
    also refuses an expired, weak or wrong-usage leaf, but only as "untrusted", and the
    person needs to know which of these it is.
    """
    now = _utc(now)
    try:
        _dates_check(cert, now)
        _key_check(cert.public_key())
        _key_usage_check(cert)
        _extended_key_usage_check(cert)
        chain = _chain(cert, intermediates, trust, now)
        if revocation:
            _revocation_check(cert, chain, trust, now)
    except (ValueError, x509.DuplicateExtension, UnsupportedAlgorithm):
        # Extensions and keys are parsed lazily: a broken one surfaces only here.
        raise SignatureRefused("malformed") from None
    return chain


def _revocation_check(cert, chain: list[x509.Certificate], trust: TrustConfig,
                      now: datetime) -> None:
    try:
        status = trust.revocation_status(cert, chain[1] if len(chain) > 1 else chain[0], now)
    except (ValueError, x509.DuplicateExtension, UnsupportedAlgorithm):
        raise SignatureRefused("malformed") from None
    if status in REFUSALS:
        raise SignatureRefused(REFUSALS[status])


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    # A naive time is taken as UTC, the zone certificates state their dates in.
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def _parse(der: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(der)
    except (ValueError, TypeError):
        raise SignatureRefused("malformed") from None


@lru_cache(maxsize=64)
def _intermediate_kept(der: bytes) -> x509.Certificate:
    return _parse(der)


def _intermediate(der: bytes) -> x509.Certificate:
    """An intermediate certificate, parsed once per process: the same few CAs' come with
    every signature, and being the same object each time, what is kept per issuer (its
    lists, its name) is found without comparing certificates. What fails to parse is
    not kept (an exception is never cached)."""
    return _intermediate_kept(der) if isinstance(der, bytes) else _parse(der)


def _dates_check(cert: x509.Certificate, now: datetime) -> None:
    if now < cert.not_valid_before_utc:
        raise SignatureRefused("cert_not_yet_valid")
    if now > cert.not_valid_after_utc:
        raise SignatureRefused("cert_expired")


def _key_check(key) -> None:
    if isinstance(key, rsa.RSAPublicKey):
        strong = key.key_size >= MIN_RSA_BITS
    elif isinstance(key, ec.EllipticCurvePublicKey):
        strong = key.curve.key_size >= MIN_EC_BITS
    else:
        # DSA, Ed25519…: none of RS256, PS256, ES256 can verify with it.
        raise SignatureRefused("unsupported_algorithm")
    if not strong:
        raise SignatureRefused("weak_key")


def _key_usage_check(cert: x509.Certificate) -> None:
    # Without a KeyUsage extension RFC 5280 allows every use, but a certificate meant for
    # signing always states it: an absent extension is refused like a missing bit.
    try:
        usage = _extension(cert, ExtensionOID.KEY_USAGE)
    except x509.ExtensionNotFound:
        raise SignatureRefused("no_digital_signature") from None
    if not usage.digital_signature:
        raise SignatureRefused("no_digital_signature")


def _extended_key_usage_check(cert: x509.Certificate) -> None:
    try:
        usages = _extension(cert, ExtensionOID.EXTENDED_KEY_USAGE)
    except x509.ExtensionNotFound:
        return
    if ExtendedKeyUsageOID.CLIENT_AUTH not in usages:
        raise SignatureRefused("wrong_usage")


def _extension(cert: x509.Certificate, oid: x509.ObjectIdentifier):
    # By OID rather than by class: the class is an ABC, and matching it against each of
    # a certificate's extensions costs an isinstance check through abc for every one.
    return cert.extensions.get_extension_for_oid(oid).value


def _chain(cert, intermediates, trust: TrustConfig, now: datetime) -> list[x509.Certificate]:
    """The path from `cert` to a configured root, or SignatureRefused("untrusted")."""
    if not trust.roots:
        raise SignatureRefused("untrusted")
    verifier = (
        PolicyBuilder()
        .store(trust.store())
        .time(now)
        .extension_policies(ca_policy=CA_POLICY, ee_policy=EE_POLICY)
        .build_client_verifier()
    )
    try:
        return verifier.verify(cert, intermediates).chain
    except VerificationError:
        raise SignatureRefused("untrusted") from None


def _signature_check(key, algorithm: str, signature: bytes, message: bytes) -> None:
    try:
        if algorithm == "RS256" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        elif algorithm == "PS256" and isinstance(key, rsa.RSAPublicKey):
            pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=PSS_SALT_LENGTH)
            key.verify(signature, message, pss, hashes.SHA256())
        elif algorithm == "ES256" and isinstance(key, ec.EllipticCurvePublicKey):
            # SHA-256 over any curve the key check admits: a P-384 token signing with
            # SHA-256 is as strong as the hash, and the agent names every ECDSA one ES256.
            key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        else:
            # An unknown name, or one the certificate's key cannot have made.
            raise SignatureRefused("unsupported_algorithm")
    except (InvalidSignature, ValueError, TypeError):
        raise SignatureRefused("bad_signature") from None
