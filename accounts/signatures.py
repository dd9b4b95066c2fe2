"""The portal's side of a signature: the trust configured in settings, and one check
every signature flow (USB token, SIM) goes through."""

from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings

from accounts import revocation
from signing.challenge import signed_message
from signing.identity import CertificateIdentity, root_fingerprint
from signing.revocation import crl_parse
from signing.validation import TrustConfig, signature_verify


@cache
def _trust(roots: tuple) -> TrustConfig:
    return TrustConfig(roots=[cert for path in roots if Path(path).exists()
                              for cert in x509.load_pem_x509_certificates(Path(path).read_bytes())],
                       revocation=revocation.revocation_check)


@cache
def _intermediates(paths: tuple) -> list[bytes]:
    return [cert.public_bytes(Encoding.DER) for path in paths if Path(path).exists()
            for cert in x509.load_pem_x509_certificates(Path(path).read_bytes())]


@cache
def _fingerprints(paths: tuple) -> frozenset[str]:
    return frozenset(root_fingerprint(cert) for path in paths if Path(path).exists()
                     for cert in x509.load_pem_x509_certificates(Path(path).read_bytes()))


def is_government(identity: CertificateIdentity) -> bool:
    """Whether the certificate chains to the government's CA (a civil servant's)."""
    roots = tuple(settings.SIGNING_TRUST.get("GOVERNMENT_ROOTS", []))
    return bool(identity.root) and identity.root in _fingerprints(roots)


def trust_reset() -> None:
    """Forget the loaded trust (tests that write a new CA call this)."""
    _trust.cache_clear()
    _intermediates.cache_clear()
    _fingerprints.cache_clear()
    revocation.revocation_forget()


def trust_files_problems() -> list[str]:
    """What is wrong with the configured trust files: each root, intermediate and CRL
    named in settings must exist and read as what it is. A list that cannot be read is
    never silently dropped (revocation would go unchecked for its CA)."""
    problems = []
    config = settings.SIGNING_TRUST
    roots = [*config["ROOTS"], *config.get("GOVERNMENT_ROOTS", [])]
    for kind, paths, read in (("root", roots, x509.load_pem_x509_certificates),
                              ("intermediate", config["INTERMEDIATES"],
                               x509.load_pem_x509_certificates),
                              ("CRL", config["CRLS"], crl_parse)):
        for path in paths:
            try:
                if not read(Path(path).read_bytes()):
                    raise ValueError("empty")
            except (OSError, ValueError) as error:
                problems.append(f"{kind} {path}: {type(error).__name__}: {error}")
    return problems


def signature_identity_for(*, nonce: str, certificate_der: bytes, signature: bytes,
                           algorithm: str) -> CertificateIdentity:
    """The one check of every signature flow (USB token, SIM).

    The message is rebuilt from the configured origin and the nonce the portal kept,
    never from anything the signer sent.
    """
    config = settings.SIGNING_TRUST
    return signature_verify(
        certificate_der=certificate_der,
        intermediates_der=_intermediates(tuple(config["INTERMEDIATES"])),
        signature=signature,
        algorithm=algorithm,
        message=signed_message(settings.PORTAL_ORIGIN, nonce),
        trust=_trust((*config["ROOTS"], *config.get("GOVERNMENT_ROOTS", []))),
    )
