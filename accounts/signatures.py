"""The portal's side of a signature: the trust configured in settings, and one check
every signature flow (USB token, SIM) goes through."""

from functools import cache
from pathlib import Path

from django.conf import settings

from signing.challenge import signed_message
from signing.identity import CertificateIdentity
from signing.validation import TrustConfig, signature_verify


@cache
def _trust(roots: tuple, crls: tuple) -> TrustConfig:
    return TrustConfig.from_pem_files([p for p in roots if Path(p).exists()],
                                      [p for p in crls if Path(p).exists()])


@cache
def _intermediates(paths: tuple) -> list[bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    found = []
    for path in paths:
        if Path(path).exists():
            for cert in x509.load_pem_x509_certificates(Path(path).read_bytes()):
                found.append(cert.public_bytes(Encoding.DER))
    return found


def trust_reset() -> None:
    """Forget the loaded trust (tests that write a new CA call this)."""
    _trust.cache_clear()
    _intermediates.cache_clear()


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
        trust=_trust(tuple(config["ROOTS"]), tuple(config["CRLS"])),
    )
