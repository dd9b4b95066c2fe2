"""Passkeys and security keys (WebAuthn, through py_webauthn): adding one to an account,
asking the account's passkeys for a signature, and checking it.

A passkey is bound to a relying party: a domain name (its RP ID) and the origin the
browser reports. Production names them (WEBAUTHN_RP_ID, PORTAL_ORIGIN); development takes
the address the page was opened at, which must be a domain name such as
http://localhost:8000: browsers refuse an IP address as an RP ID.

What the flow keeps of a ceremony (`asked`) is the options sent to the browser, the
challenge, and the RP ID and origin they were made for: the check compares the answer
with those, not with the request that brings it.
"""

import ipaddress
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    options_to_json_dict,
    parse_authentication_credential_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from accounts.crypto import keyed_digest
from accounts.models import PasskeyDevice
from portal.refusals import Refusal

RP_NAME = "Cổng Dịch vụ công quốc gia"
CREDENTIAL_ID_MAX = 1023  # bytes (WebAuthn's limit); 1,364 base64url characters stored
# What py_webauthn, or decoding what a browser sent, raises on an answer that does not hold.
BAD_ANSWER = (WebAuthnException, ValueError, TypeError, KeyError)
REQUIRED = UserVerificationRequirement.REQUIRED


class PasskeyRefused(Refusal):
    """A passkey that could not be added: "expired" (its ceremony is over), "enrol" (the
    browser's answer did not hold), "known" (this credential is already an account's)."""

    texts = {
        "expired": _("Đã quá thời gian thêm khóa truy cập. Vui lòng thử lại."),
        "enrol": _("Không thêm được khóa truy cập: trình duyệt chưa gửi được xác nhận hợp "
                   "lệ. Vui lòng thử lại."),
        "known": _("Khóa truy cập này đã được thêm vào tài khoản trước đó."),
    }


@dataclass(frozen=True)
class RelyingParty:
    id: str
    origin: str


def relying_party(origin: str) -> RelyingParty | None:
    """Whom a page at `origin` makes passkeys for: the configured relying party, or in
    development the page's own host; None on an IP address, which WebAuthn refuses."""
    if settings.WEBAUTHN_RP_ID:
        return RelyingParty(settings.WEBAUTHN_RP_ID, settings.PORTAL_ORIGIN)
    host = urlsplit(origin).hostname or ""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return RelyingParty(host, origin) if host else None
    return None


def user_handle(account) -> bytes:
    """The account as its passkeys know it: stable, random-looking, not its ID number.
    Derived, not stored: a keyed digest of the primary key."""
    return bytes.fromhex(keyed_digest("passkey-user", str(account.pk)))


def passkeys_of(account):
    return PasskeyDevice.objects.filter(user=account, confirmed=True).order_by("created_at")


def passkey_enrol_options(account, *, origin: str) -> dict | None:
    """A new passkey's ceremony (`asked`), or None where passkeys cannot work. User
    verification (fingerprint, face, PIN) is required; a passkey kept on the device is
    preferred; the account's passkeys are excluded, so one key is not added twice."""
    rp = relying_party(origin)
    if rp is None:
        return None
    # The authenticator shows this name to whoever holds it: the login's last digits only.
    shown = "…" + account.get_username()[-4:]
    options = generate_registration_options(
        rp_id=rp.id, rp_name=RP_NAME, user_id=user_handle(account), user_name=shown,
        user_display_name=shown,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED, user_verification=REQUIRED),
        exclude_credentials=_descriptors(PasskeyDevice.objects.filter(user=account)))
    return _asked(rp, options)


def passkey_register(account, *, name: str, answer: str, asked: dict) -> PasskeyDevice:
    """Add the passkey `answer` (the JSON of navigator.credentials.create()) made for
    `asked` (None: the page's ceremony is over), or raise PasskeyRefused."""
    if not asked:
        raise PasskeyRefused("expired")
    try:
        credential = parse_registration_credential_json(answer)
        verified = verify_registration_response(
            credential=credential, expected_challenge=base64url_to_bytes(asked["challenge"]),
            expected_rp_id=asked["rp_id"], expected_origin=asked["origin"],
            require_user_verification=True)
    except BAD_ANSWER:
        raise PasskeyRefused("enrol") from None
    if len(verified.credential_id) > CREDENTIAL_ID_MAX:
        raise PasskeyRefused("enrol")
    try:
        with transaction.atomic():
            return PasskeyDevice.objects.create(
                user=account, name=name, confirmed=True,
                credential_id=bytes_to_base64url(verified.credential_id),
                public_key=verified.credential_public_key, sign_count=verified.sign_count,
                transports=[item.value for item in credential.response.transports or []])
    except IntegrityError:
        raise PasskeyRefused("known") from None


def passkey_challenge(account, *, origin: str, devices=None) -> dict:
    """What the flow keeps while the browser answers: {"passkey": asked}, asked of
    `devices` (all the account's passkeys unless given), or {"passkey": None} where
    passkeys cannot work (the page says so)."""
    rp = relying_party(origin)
    if rp is None:
        return {"passkey": None}
    devices = passkeys_of(account) if devices is None else devices
    options = generate_authentication_options(
        rp_id=rp.id, allow_credentials=_descriptors(devices), user_verification=REQUIRED)
    return {"passkey": _asked(rp, options)}


def passkey_verify(device, answer: str, challenge: dict) -> PasskeyDevice | None:
    """The passkey of `device`'s account that signed the flow's challenge (`answer` is
    the JSON of navigator.credentials.get()), with its new sign count and use recorded;
    None when the proof does not hold. Any of the account's passkeys may answer, never
    another account's; its row is locked, so one sign count lets one answer through."""
    asked = challenge.get("passkey")
    if not asked:
        return None
    try:
        credential = parse_authentication_credential_json(answer)
    except BAD_ANSWER:
        return None
    with transaction.atomic():
        held = (PasskeyDevice.objects.select_for_update()
                .filter(user_id=device.user_id, confirmed=True, credential_id=credential.id)
                .first())
        # The user handle a browser may send is not compared: the credential is looked up
        # among this account's passkeys, and the handle would change with SECRET_KEY.
        if held is None:
            return None
        try:
            # The sign count must grow unless both are 0 (synced passkeys keep it at 0).
            verified = verify_authentication_response(
                credential=credential, expected_challenge=base64url_to_bytes(asked["challenge"]),
                expected_rp_id=asked["rp_id"], expected_origin=asked["origin"],
                credential_public_key=bytes(held.public_key),
                credential_current_sign_count=held.sign_count, require_user_verification=True)
        except BAD_ANSWER:
            return None
        held.sign_count = verified.new_sign_count
        held.last_used_at = timezone.now()
        held.save(update_fields=["sign_count", "last_used_at"])
    return held


def passkey_page(asked: dict | None, *, origin: str) -> dict:
    """What a passkey page shows: the options for the browser, as JSON; where passkeys
    cannot work (an IP address), the same portal's address by a domain name instead."""
    if asked:
        return {"options": json.dumps(asked["options"])}
    parts = urlsplit(origin)
    port = f":{parts.port}" if parts.port else ""
    return {"options": "", "domain_url": f"{parts.scheme}://localhost{port}"}


def _asked(rp: RelyingParty, options) -> dict:
    return {"options": options_to_json_dict(options), "rp_id": rp.id, "origin": rp.origin,
            "challenge": bytes_to_base64url(options.challenge)}


def _descriptors(devices) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=base64url_to_bytes(device.credential_id),
                                          transports=_transports(device.transports))
            for device in devices]


def _transports(names: list[str]) -> list[AuthenticatorTransport]:
    known = {item.value for item in AuthenticatorTransport}
    return [AuthenticatorTransport(name) for name in names if name in known]
