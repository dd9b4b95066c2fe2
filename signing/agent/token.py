"""PKCS#11 access for the signing agent: find the token, list its certificates, sign.

One lock serialises every call: PKCS#11 login state is shared by all sessions of the
process, and re-initialising the library (see `_refresh`) must not pull a session out
from under another request thread.
"""

import contextlib
import hashlib
import sys
import threading
from dataclasses import dataclass

import pkcs11
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID
from pkcs11 import Attribute, KeyType, Mechanism, ObjectClass, TokenFlag
from pkcs11 import exceptions as p11

# The token vanished or the driver cannot talk to it: to the user, "no token".
_GONE = (
    p11.TokenNotPresent, p11.DeviceRemoved, p11.TokenNotRecognised, p11.SlotIDInvalid,
    p11.DeviceError, p11.SessionHandleInvalid,
)
# PKCS#11 reports a PIN of the wrong length or alphabet separately; for the user it is
# simply not their PIN.
_BAD_PIN = (p11.PinIncorrect, p11.PinLenRange, p11.PinInvalid)


class TokenError(Exception):
    """A refusal the page can explain: `code` is one of the protocol's error codes."""

    def __init__(self, code: str, tries_left: int | None = None):
        super().__init__(code)
        self.code = code
        self.tries_left = tries_left


@dataclass(frozen=True)
class Signature:
    value: bytes
    algorithm: str
    certificate: bytes


def describe_certificate(ckaid: bytes, der: bytes) -> dict:
    """The listing entry for one certificate (hex CKA_ID, DER, CN, last valid day)."""
    certificate = x509.load_der_x509_certificate(der)
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return {
        "id": ckaid.hex(),
        "certificate": der,
        "subject": names[0].value if names else certificate.subject.rfc4514_string(),
        "not_after": certificate.not_valid_after_utc.date().isoformat(),
    }


def _sign_with(key, message: bytes) -> tuple[bytes, str]:
    if key.key_type == KeyType.RSA:
        return key.sign(message, mechanism=Mechanism.SHA256_RSA_PKCS), "RS256"
    if key.key_type == KeyType.EC:
        # SoftHSM 2.6 has no CKM_ECDSA_SHA256: hash here, sign the digest with bare ECDSA,
        # and turn PKCS#11's raw r‖s into the DER that ES256 verifiers expect.
        raw = key.sign(hashlib.sha256(message).digest(), mechanism=Mechanism.ECDSA)
        half = len(raw) // 2
        r, s = int.from_bytes(raw[:half], "big"), int.from_bytes(raw[half:], "big")
        return encode_dss_signature(r, s), "ES256"
    raise TokenError("no_certificate")


@contextlib.contextmanager
def _no_token_if_gone():
    """Turn a token that disappears in the middle of a call into `no_token`."""
    try:
        yield
    except _GONE as error:
        raise TokenError("no_token") from error


class TokenAccess:
    """The configured PKCS#11 module and the token in use (the first, or the labelled one)."""

    def __init__(self, module: str, label: str | None = None):
        self.module = module
        self.label = label or None
        self._lib = None
        self._lock = threading.Lock()

    def present(self) -> bool:
        try:
            self._attempt(self._token)
        except TokenError:
            return False
        return True

    def certificates(self) -> list[dict]:
        listed = self._attempt(self._list)
        if not listed:
            raise TokenError("no_certificate")
        return listed

    def sign(self, ckaid: bytes, pin: str, message: bytes) -> Signature:
        return self._attempt(lambda: self._sign(ckaid, pin, message))

    def _attempt(self, operation):
        """Run `operation`, once more on a freshly initialised module if PKCS#11 fails.

        A module may keep a stale view of its tokens (SoftHSM answers CKR_GENERAL_ERROR
        for a token re-created under it, a reader may have been unplugged and plugged in).
        """
        with self._lock:
            try:
                return operation()
            except p11.PKCS11Error:
                self._refresh()
            with _no_token_if_gone():
                return operation()

    def _list(self) -> list[dict]:
        with self._token().open() as session:
            found = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}))
            listed = [describe_certificate(obj[Attribute.ID], obj[Attribute.VALUE])
                      for obj in found if obj[Attribute.ID]]
        # Tokens return objects in no particular order; the page should not reshuffle.
        return sorted(listed, key=lambda entry: (entry["subject"], entry["id"]))

    def _sign(self, ckaid: bytes, pin: str, message: bytes) -> Signature:
        token = self._token()
        if token.flags & TokenFlag.USER_PIN_LOCKED:
            raise TokenError("pin_locked")  # checked first: a try would be wasted
        with self._login(token, pin) as session:
            certificate = self._one(session, ObjectClass.CERTIFICATE, ckaid)
            key = self._one(session, ObjectClass.PRIVATE_KEY, ckaid)
            value, algorithm = _sign_with(key, message)
            return Signature(value, algorithm, certificate[Attribute.VALUE])

    def _login(self, token, pin: str):
        try:
            return token.open(user_pin=pin)
        except p11.PinLocked:
            raise TokenError("pin_locked") from None
        except _BAD_PIN:
            raise self._wrong_pin() from None

    def _wrong_pin(self) -> TokenError:
        # python-pkcs11 leaves the session of a failed login open and keeps the token
        # flags read before it: re-initialising closes the one and re-reads the other.
        try:
            self._refresh()
            flags = self._token().flags
        except (p11.PKCS11Error, TokenError):
            # Never let this reach `_attempt`'s retry: it would spend another try.
            return TokenError("wrong_pin")
        if flags & TokenFlag.USER_PIN_LOCKED:
            return TokenError("pin_locked")
        if flags & TokenFlag.USER_PIN_FINAL_TRY:
            return TokenError("wrong_pin", tries_left=1)
        # USER_PIN_COUNT_LOW only says a wrong PIN was entered since the last good one
        # (SoftHSM sets it on every failure): it gives no count, so none is claimed.
        return TokenError("wrong_pin")

    @staticmethod
    def _one(session, object_class: ObjectClass, ckaid: bytes):
        found = list(session.get_objects({Attribute.CLASS: object_class, Attribute.ID: ckaid}))
        if not found:
            raise TokenError("no_certificate")
        return found[0]

    def _library(self):
        if self._lib is None:
            try:
                self._lib = pkcs11.lib(self.module)
            except (p11.PKCS11Error, OSError) as error:
                # No driver installed is, for the user, the same as no token.
                print(f"cannot load PKCS#11 module {self.module}: {error}", file=sys.stderr)
                raise TokenError("no_token") from None
        return self._lib

    def _refresh(self) -> None:
        self._library().reinitialize()

    def _initialised_tokens(self) -> list:
        tokens = self._library().get_tokens(token_label=self.label)
        # SoftHSM always offers one blank slot; a blank token holds nothing to sign with.
        return [t for t in tokens if t.flags & TokenFlag.TOKEN_INITIALIZED]

    def _token(self):
        tokens = self._initialised_tokens()
        if not tokens:
            # Modules may only notice a token inserted (or, for SoftHSM, created) after
            # they were initialised when initialised again.
            self._refresh()
            tokens = self._initialised_tokens()
        if not tokens:
            raise TokenError("no_token")
        return tokens[0]

