"""A signature by signing SIM ("SIM ký số"), polled without holding a web worker.

The portal issues a challenge, builds the same message a USB token would sign, and asks
the carrier's service to have the SIM sign its SHA-256. The page then asks
`sim_status` every two seconds; each call makes one poll of the service that waits at
most a second, so no web worker is held for the person's whole wait, and the request
ends by itself after two minutes. The request is a row (accounts/flows/signature_request.py):
one poll at a time holds it, whichever process or tab asks.
"""

import time

from django.conf import settings

from accounts.flows.signature_request import (
    request_fail,
    request_lease,
    request_release,
    request_start,
)
from accounts.flows.signer import signer_verify
from accounts.models import Account, SignatureRequest
from portal.adapters import adapter
from signing.challenge import nonce_new, signed_message
from signing.sim.base import SimRefused, SimState, digest_of, verification_code

TIME_LIMIT = 120  # seconds the person has to confirm on the phone
POLL_WAIT = 1.0  # seconds one status request may wait on the service



def sim_service():
    return adapter("SIM_SIGNATURE_SERVICE")


def sim_start(request, *, phone: str, purpose: str, account_type: str = "",
              next_url: str = "") -> SignatureRequest:
    """Push a signature request to the phone; the request holds the code to show.

    Raises SimServiceUnavailable.
    """
    nonce = nonce_new()
    digest = digest_of(signed_message(settings.PORTAL_ORIGIN, nonce))
    code = verification_code(digest)
    text = f"Cổng DVCQG: xác nhận {'đăng ký' if purpose == 'register' else 'đăng nhập'}. Mã {code}"
    session_id = sim_service().start(phone=phone, digest=digest, display_text=text)
    return request_start(
        request, method=Account.Method.SIM, purpose=purpose, nonce=nonce,
        account_type=account_type, next_url=next_url, restart_url=request.path,
        sim_session=session_id, code=code, phone=phone,
    )


def sim_seconds_left(signature_request: SignatureRequest) -> int:
    return max(0, int(TIME_LIMIT - _elapsed(signature_request)))


def _elapsed(signature_request: SignatureRequest) -> float:
    return time.time() - signature_request.created_at.timestamp()


def sim_status(signature_request: SignatureRequest) -> SignatureRequest:
    """The request as it stands after one bounded poll of the service, or without one
    while another poll (another tab, another process) holds the request.

    Raises SimServiceUnavailable.
    """
    if signature_request.state != SignatureRequest.State.PENDING:
        return signature_request
    if _elapsed(signature_request) > TIME_LIMIT:
        return request_fail(signature_request, SimRefused(SimState.TIMEOUT.value).message)
    if not request_lease(signature_request, _lease_seconds()):
        return signature_request
    try:
        result = sim_service().poll(signature_request.sim_session, wait_seconds=POLL_WAIT)
    except Exception:
        request_release(signature_request)
        raise
    if result.state is SimState.RUNNING:
        request_release(signature_request)
        return signature_request
    # An end state: the lease holds until the outcome is written (which lifts it), so
    # that no other poll can meanwhile decide on a later answer of the service.
    if result.state is not SimState.OK:
        return request_fail(signature_request, SimRefused(result.state.value).message)
    return signer_verify(signature_request, certificate_der=result.certificate_der,
                         signature=result.signature, algorithm=result.algorithm)


def _lease_seconds() -> float:
    """Longer than one poll can last: its wait, then the adapter's connect and read."""
    timeout = float(settings.SIM_SIGNATURE_SERVICE.get("OPTIONS", {}).get("timeout", 5.0))
    return POLL_WAIT + 2 * timeout + 1
