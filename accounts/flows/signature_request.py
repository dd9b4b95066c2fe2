"""A signature request: one row per attempt to log in or register with a USB token or a
signing SIM (accounts.models.SignatureRequest).

A row rather than a session slot, because:
- two attempts in two tabs of one browser each keep their own challenge;
- the outcome stays on the server until it expires: a repeated poll, a reload, or a
  second tab of the same browser gets it again, so an answer lost after the server had
  decided (a tab that navigated away, a dropped connection, a session that the login
  rotated) loses nothing;
- every web process sees it: a SIM poll holds the row while it asks the service (a lease
  taken by a conditional UPDATE), and the outcome is written once, under a row lock.

Only the browser that started a request may use it: a random secret in a cookie of its
own (the session cannot carry it, since the login rotates the session), of which the row
keeps the SHA-256.
"""

import dataclasses
import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.flows.state import state_dump
from accounts.flows.vouching import IdentityRefused
from accounts.models import SignatureRequest
from signing.challenge import NONCE_LIFETIME, nonce_check_fresh, nonce_new
from signing.errors import SignatureRefused

BINDING_COOKIE = "dvc_ky_so"


def binding_cookie() -> str:
    """Over HTTPS the cookie is a __Host- one (Secure, path /, no Domain): a neighbouring
    subdomain or a plain-HTTP answer cannot plant one of its own in the person's browser,
    binding the person to a login the planter made."""
    return ("__Host-" if settings.SESSION_COOKIE_SECURE else "") + BINDING_COOKIE


# How long a decided request may still be used: a login to complete again after a lost
# answer; a registration's details to fill in.
KEEP_DECIDED = {SignatureRequest.Purpose.LOGIN: 5 * 60,
                SignatureRequest.Purpose.REGISTER: 15 * 60}
State = SignatureRequest.State
ENDED = _("Yêu cầu ký đã kết thúc. Vui lòng ký lại.")


def request_start(request, *, method: str, purpose: str, nonce: str = "",
                  **fields) -> SignatureRequest:
    """A new request of this browser (`fields`: account_type, next_url, restart_url and,
    for a SIM, sim_session, code and phone)."""
    now = timezone.now()
    return SignatureRequest.objects.create(
        token=secrets.token_urlsafe(32), browser=_digest(_browser_secret(request)),
        method=method, purpose=purpose, nonce=nonce or nonce_new(), created_at=now,
        # Past the nonce's own lifetime, so that a late signature hears "expired".
        expires_at=now + dt.timedelta(seconds=2 * NONCE_LIFETIME), **fields,
    )


def binding_keep(request, response):
    """Give the browser the binding cookie that `request_start` made for it, if it did."""
    secret = getattr(request, "_signing_binding", "")
    if secret:
        response.set_cookie(binding_cookie(), secret, httponly=True, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE)
    return response


def request_of_browser(request, token: str, *, method: str = "") -> SignatureRequest | None:
    """The live request `token` of this browser (and of `method`), else None."""
    secret = request.COOKIES.get(binding_cookie(), "")
    if not secret or not token or len(token) > 64:
        return None
    found = (SignatureRequest.objects.select_related("account")
             .filter(token=token, expires_at__gt=timezone.now()).first())
    if found is None or not secrets.compare_digest(found.browser, _digest(secret)):
        return None
    if method and found.method != method:
        return None
    return found


def requests_forget(request) -> None:
    """Logging out: this browser's requests can no longer log anyone in."""
    secret = request.COOKIES.get(binding_cookie(), "")
    if secret:
        SignatureRequest.objects.filter(browser=_digest(secret)).delete()


def request_decide(signature_request: SignatureRequest, decide) -> SignatureRequest:
    """Record, once, what `decide(request)` makes of a pending request: a dict of the
    outcome (account or identity), or a refusal whose message the person reads.

    Under the row's lock on PostgreSQL (a repeated post waits, then finds it decided);
    the conditional write also keeps SQLite's threads from deciding twice.
    """
    with transaction.atomic():
        current = SignatureRequest.objects.select_for_update().filter(
            pk=signature_request.pk).first()
        if current is None:  # gone meanwhile (the person logged out)
            return _ended(signature_request)
        if current.state != State.PENDING:
            return current
        try:
            nonce_check_fresh(current.created_at.timestamp())
            outcome = decide(current)
        except (SignatureRefused, IdentityRefused) as refusal:
            return _record(current, state=State.FAILED, message=refusal.message)
        return _record(current, state=State.DONE, **outcome)


def request_fail(signature_request: SignatureRequest, message: str) -> SignatureRequest:
    return _record(signature_request, state=State.FAILED, message=str(message))


def request_used(signature_request: SignatureRequest) -> None:
    """The registration it proved is made: no second one from it."""
    SignatureRequest.objects.filter(pk=signature_request.pk).update(state=State.USED)


def request_lease(signature_request: SignatureRequest, seconds: float) -> bool:
    """Hold a pending request for `seconds` (one poll of the service); False while
    another poll, in any process, holds it."""
    now = timezone.now()
    return SignatureRequest.objects.filter(
        Q(polling_until__isnull=True) | Q(polling_until__lt=now),
        pk=signature_request.pk, state=State.PENDING,
    ).update(polling_until=now + dt.timedelta(seconds=seconds)) == 1


def request_release(signature_request: SignatureRequest) -> None:
    SignatureRequest.objects.filter(pk=signature_request.pk).update(polling_until=None)


def request_next_url(signature_request: SignatureRequest) -> str:
    """Where a decided request takes the browser: the login's completion, or the
    registration's details."""
    if signature_request.purpose == SignatureRequest.Purpose.LOGIN:
        return reverse("accounts:signature_login", args=[signature_request.token])
    return reverse("accounts:signer_register_details", args=[signature_request.token])


def identity_to_json(identity) -> dict:
    """The identity as the row keeps it (accounts.flows.state's JSON), without NUL (which
    PostgreSQL's text cannot hold; a CA may still have written one into a name)."""
    return state_dump({key: value.replace("\x00", "") if isinstance(value, str) else value
                       for key, value in dataclasses.asdict(identity).items()})


def _record(signature_request: SignatureRequest, *, state: str, **fields) -> SignatureRequest:
    """Write the outcome only if the request is still pending; return it as it now is."""
    keep = KEEP_DECIDED.get(signature_request.purpose, 5 * 60) if state == State.DONE else 5 * 60
    fields.setdefault("message", "")
    SignatureRequest.objects.filter(pk=signature_request.pk, state=State.PENDING).update(
        state=state, polling_until=None,
        expires_at=timezone.now() + dt.timedelta(seconds=keep), **fields,
    )
    found = SignatureRequest.objects.select_related("account").filter(
        pk=signature_request.pk).first()
    return found if found is not None else _ended(signature_request)


def _ended(signature_request: SignatureRequest) -> SignatureRequest:
    """A request deleted while it was being decided, as the pages show an ended one."""
    signature_request.state = State.FAILED
    signature_request.message = str(ENDED)
    return signature_request


def _browser_secret(request) -> str:
    secret = request.COOKIES.get(binding_cookie(), "")
    if len(secret) < 32:
        secret = getattr(request, "_signing_binding", "") or secrets.token_urlsafe(32)
        request._signing_binding = secret
    return secret


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()
