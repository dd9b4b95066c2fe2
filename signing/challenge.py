"""The challenge: a single-use nonce kept in the session, and the message that binds it
to the portal's origin (docs/signing.md)."""

import base64
import hashlib
import secrets
import time
from collections.abc import MutableMapping

from signing.errors import SignatureRefused

SESSION_KEY = "signing_challenge"
NONCE_BYTES = 32
NONCE_LIFETIME = 300  # seconds, as Web eID


def challenge_issue(session: MutableMapping) -> str:
    """A fresh nonce for this session; any earlier one stops being valid."""
    nonce = base64.b64encode(secrets.token_bytes(NONCE_BYTES)).decode("ascii")
    session[SESSION_KEY] = {"nonce": nonce, "issued": time.time()}
    return nonce


def challenge_take(session: MutableMapping, now: float | None = None) -> str:
    """The session's nonce, removed so that it cannot be used twice.

    Absent covers a replay (already taken) and a nonce issued to another session.
    """
    stored = session.pop(SESSION_KEY, None)
    if not isinstance(stored, dict) or not isinstance(stored.get("nonce"), str):
        raise SignatureRefused("nonce_missing")
    now = time.time() if now is None else now
    if now - stored.get("issued", 0) > NONCE_LIFETIME:
        raise SignatureRefused("nonce_expired")
    return stored["nonce"]


def signed_message(origin: str, nonce: str) -> bytes:
    """SHA-256(origin) ‖ SHA-256(nonce): what the signer signs (64 bytes)."""
    return hashlib.sha256(origin.encode("utf-8")).digest() + hashlib.sha256(
        nonce.encode("ascii")
    ).digest()
