"""Sign-in with VNeID as one flow (accounts/flows/state.py): the request sent to the
provider ("sent": state, nonce, PKCE verifier, kept only here, never in a page), then what
the identity that comes back leads to: the person's account, or a registration that
starts at "identity" (federation/vneid/registration.py)."""

import secrets

from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.urls import reverse_lazy

from accounts.flows.state import FlowKind
from accounts.models import Account
from accounts.registries import RegistryUnavailable
from accounts.selectors import account_holding, other_number, person_numbers
from federation.vneid.base import SYSTEM, EidRefused, EidUnavailable, vneid_provider
from portal.outbound import unavailable

FLOW = FlowKind("vneid", start_url=reverse_lazy("accounts:login"))


def vneid_begin(flow, *, redirect_uri: str, next_url: str) -> str:
    """The provider's authorization page to send the browser to (EidUnavailable), with a
    fresh state, nonce and PKCE verifier kept in the flow."""
    state, nonce, verifier = generate_token(43), generate_token(43), generate_token(64)
    url = vneid_provider().authorization_url(
        redirect_uri=redirect_uri, state=state, nonce=nonce,
        code_challenge=create_s256_code_challenge(verifier))
    flow.start("sent", state=state, nonce=nonce, verifier=verifier,
               redirect_uri=redirect_uri, next_url=next_url)
    return url


def vneid_answer(flow, query) -> tuple[Account | None, str]:
    """The provider's answer to this browser's request: the account of the person it
    names (to log in to), or None once their registration has begun; and where to go
    after. EidRefused or EidUnavailable otherwise, and nothing is kept."""
    sent = flow.data if flow.step == "sent" else None
    if sent is not None:
        flow.clear()  # one answer per request: a replayed or forged one finds nothing
    if sent is None or not secrets.compare_digest(
            query.get("state", "").encode(), sent["state"].encode()):
        raise EidRefused("state")
    if query.get("error") == "access_denied":
        raise EidRefused("denied")
    if query.get("error") or not query.get("code"):
        raise unavailable(EidUnavailable, "error", system=SYSTEM)
    identity = vneid_provider().identity_fetch(
        code=query["code"], redirect_uri=sent["redirect_uri"],
        code_verifier=sent["verifier"], nonce=sent["nonce"])
    try:  # one person, one account: under their ID number or their other one (a CMND)
        numbers = person_numbers(identity.id_number)
    except RegistryUnavailable:
        raise EidRefused("population_down") from None
    account = account_holding(numbers)
    if account is None:
        flow.start("identity", identity=identity.as_json(), next_url=sent["next_url"],
                   other_id_number=other_number(identity.id_number, numbers))
    elif not account.is_active:
        raise EidRefused("inactive")
    return account, sent["next_url"]
