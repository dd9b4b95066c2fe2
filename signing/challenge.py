"""The challenge: a single-use nonce, and the message that binds it to the portal's origin
(docs/signing.md). The caller keeps the nonce (accounts keeps one per signature request)
and makes sure it is redeemed once."""

import base64
import hashlib
import secrets
import time

from signing.errors import SignatureRefused

NONCE_BYTES = 32
NONCE_LIFETIME = 300  # seconds, as Web eID


def nonce_new() -> str:
    """32 random bytes, in standard base64 with padding."""
    return base64.b64encode(secrets.token_bytes(NONCE_BYTES)).decode("ascii")


def nonce_check_fresh(issued: float, now: float | None = None) -> None:
    """SignatureRefused("nonce_expired") once the nonce is over five minutes old."""
    now = time.time() if now is None else now
    if now - issued > NONCE_LIFETIME:
        raise SignatureRefused("nonce_expired")


def signed_message(origin: str, nonce: str) -> bytes:
    """SHA-256(origin) ‖ SHA-256(nonce): what the signer signs (64 bytes)."""
    return hashlib.sha256(origin.encode("utf-8")).digest() + hashlib.sha256(
        nonce.encode("ascii")
    ).digest()
