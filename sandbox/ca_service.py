"""The development CA's revocation services: its CRL and an OCSP responder that answers
"good" for the certificates it issued, "revoked" for those on its list, and "unknown" for
any other serial; and an outage, for the tests of what the portal does without it.

Served in-process (`SandboxRevocationFetcher`, the DEBUG default: `make run` needs
nothing running) and over HTTP by the sandbox server (/ca/crl, /ca/ocsp), at the
addresses the development certificates carry (sandbox.dev_ca.DEV_CA_URL).
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

from signing.fetch import RevocationFetcher, RevocationUnavailable

ANSWER_VALID = timedelta(hours=1)


class Outage:
    """Whether the responder is down (tests switch it; the sandbox server has an API)."""

    ocsp_down = False


def crl_der(ca_dir: Path) -> bytes:
    crl = x509.load_pem_x509_crl((Path(ca_dir) / "crl.pem").read_bytes())
    return crl.public_bytes(serialization.Encoding.DER)


def ocsp_answer(request_der: bytes, ca_dir: Path, now: datetime | None = None) -> bytes:
    """The responder's signed answer (by the intermediate itself) to a DER request."""
    ca_dir, now = Path(ca_dir), now or datetime.now(UTC)
    try:
        request = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return _unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST)
    issuer = x509.load_pem_x509_certificate((ca_dir / "intermediate.pem").read_bytes())
    key = serialization.load_pem_private_key((ca_dir / "intermediate.key.pem").read_bytes(),
                                             None)
    if (request.issuer_name_hash, request.issuer_key_hash) != _sha1_ids(issuer):
        return _unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    status, revoked_at = _status_of(request.serial_number, ca_dir)
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=request.issuer_name_hash, issuer_key_hash=request.issuer_key_hash,
        serial_number=request.serial_number, algorithm=request.hash_algorithm,
        cert_status=status, this_update=now - timedelta(minutes=1),
        next_update=now + ANSWER_VALID, revocation_time=revoked_at, revocation_reason=None,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, issuer)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _sha1_ids(issuer: x509.Certificate) -> tuple[bytes, bytes]:
    """The hashes a SHA-1 CertID names for certificates of `issuer` (its name, its key):
    the responder answers SHA-1 requests, which is what the portal and most clients send."""
    name = hashes.Hash(hashes.SHA1())
    name.update(issuer.subject.public_bytes())
    key = x509.SubjectKeyIdentifier.from_public_key(issuer.public_key()).digest
    return name.finalize(), key


def _status_of(serial: int, ca_dir: Path) -> tuple:
    crl = x509.load_pem_x509_crl((ca_dir / "crl.pem").read_bytes())
    entry = crl.get_revoked_certificate_by_serial_number(serial)
    if entry is not None:
        return ocsp.OCSPCertStatus.REVOKED, entry.revocation_date_utc
    manifest = json.loads((ca_dir / "manifest.json").read_text(encoding="utf-8"))
    issued = {int(item["serial"], 16) for item in manifest["identities"]
              if item["issuer"] == issuer_common_name(ca_dir)}
    return (ocsp.OCSPCertStatus.GOOD if serial in issued else ocsp.OCSPCertStatus.UNKNOWN), None


def issuer_common_name(ca_dir: Path) -> str:
    issuer = x509.load_pem_x509_certificate((Path(ca_dir) / "intermediate.pem").read_bytes())
    return issuer.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value


def _unsuccessful(status) -> bytes:
    return ocsp.OCSPResponseBuilder.build_unsuccessful(status).public_bytes(
        serialization.Encoding.DER)


class SandboxRevocationFetcher(RevocationFetcher):
    """Answers the development CA's addresses in-process from settings.DEV_CA_DIR; any
    other address is unreachable, as it would be from a closed network."""

    def __init__(self, **options):
        pass

    def crl(self, url: str) -> bytes:
        try:
            return crl_der(self._ca_dir(url, "/crl"))
        except (OSError, ValueError):  # no development CA written (yet)
            raise RevocationUnavailable("error") from None

    def ocsp(self, url: str, request: bytes) -> bytes:
        ca_dir = self._ca_dir(url, "/ocsp")
        if Outage.ocsp_down:
            raise RevocationUnavailable("error")
        try:
            return ocsp_answer(request, ca_dir)
        except (OSError, ValueError, KeyError):
            raise RevocationUnavailable("error") from None

    @staticmethod
    def _ca_dir(url: str, path: str) -> Path:
        from django.conf import settings

        from sandbox.dev_ca import DEV_CA_URL

        if url != DEV_CA_URL + path:
            raise RevocationUnavailable("unreachable")
        return Path(settings.DEV_CA_DIR)
