"""Registration and login with a signature, at level 3: a USB token ("USB ký số") or a
signing SIM ("SIM ký số").

How the signature is obtained differs (accounts/views/usb.py, accounts/flows/sim.py);
this module decides what a verified certificate may do here, for both.
"""


from django.db.models import Q

from accounts.flows.signature_request import identity_to_json, request_decide, request_used
from accounts.flows.state import state_load
from accounts.flows.vouching import IdentityRefused
from accounts.models import AGENCY_LOGIN_PREFIX, Account, SignatureRequest
from accounts.registries import RegistryUnavailable
from accounts.selectors import account_of_person, other_number, person_numbers
from accounts.services import (
    agency_name,
    agency_register,
    signer_account_name,
    signer_register,
)
from accounts.signatures import is_government, signature_identity_for
from portal.metrics import LOGINS
from signing.errors import SignatureRefused
from signing.identity import CertificateIdentity

# The chooser's tab, in the URL as Vietnamese slugs. A state agency registers with a USB
# token only (its staff's certificates come from the government's CA on tokens).
KINDS = {"cong-dan": Account.Type.CITIZEN, "doanh-nghiep": Account.Type.BUSINESS,
         "co-quan-nha-nuoc": Account.Type.AGENCY}
SIM_KINDS = {slug: kind for slug, kind in KINDS.items() if kind != Account.Type.AGENCY}


def signer_verify(signature_request: SignatureRequest, *, certificate_der: bytes,
                  signature: bytes, algorithm: str) -> SignatureRequest:
    """Check a signature over the request's challenge, once, and record what it proves
    here: the account to log in to, or the identity to register; else the reason."""

    def decide(current: SignatureRequest) -> dict:
        if current.purpose == SignatureRequest.Purpose.LOGIN:
            try:
                return {"account": _login_account(identity(current), current.method)}
            except (SignatureRefused, IdentityRefused):
                LOGINS.labels(current.method, "refused").inc()
                raise
        checked = identity(current)
        _registrable_check(checked, current.account_type, is_government(checked))
        return {"identity": identity_to_json(checked)}

    def identity(current: SignatureRequest) -> CertificateIdentity:
        return signature_identity_for(nonce=current.nonce, certificate_der=certificate_der,
                                      signature=signature, algorithm=algorithm)

    return request_decide(signature_request, decide)


def _login_account(identity: CertificateIdentity, method: str) -> Account:
    """The account this certificate signs in to, or IdentityRefused with the reason."""
    government = is_government(identity)
    if government and method != Account.Method.USB:
        raise IdentityRefused("agency_by_usb")
    try:
        account = signer_login_account(identity)
    except RegistryUnavailable:
        raise IdentityRefused("population_down") from None
    if account is None:
        raise IdentityRefused("no_account_sim" if method == Account.Method.SIM
                              else "no_account_usb")
    if government and account.organization != agency_name(identity):
        raise IdentityRefused("other_agency", named=agency_name(identity),
                              held=account.organization)
    return account


def _registrable_check(identity: CertificateIdentity, account_type: str,
                       government: bool) -> None:
    """IdentityRefused, with the reason, for a certificate this tab cannot register."""
    if account_type == Account.Type.AGENCY:
        if not government:
            raise IdentityRefused("not_government")
        if not (identity.id_number and signer_account_name(identity, business=True)):
            raise IdentityRefused("no_agency")
        return
    if government:
        raise IdentityRefused("government_elsewhere")
    if account_type == Account.Type.BUSINESS and not identity.mst:
        raise IdentityRefused("not_a_business")
    if account_type == Account.Type.CITIZEN and identity.mst:
        raise IdentityRefused("not_a_citizen")
    if not signer_account_name(identity, business=bool(identity.mst)):
        raise IdentityRefused("no_name")


def signer_identity(signature_request: SignatureRequest) -> CertificateIdentity:
    return CertificateIdentity(**state_load(signature_request.identity))


def signer_account_existing(identity: CertificateIdentity,
                            account_type: str = "") -> Account | None:
    """The account the certificate's holder already has: an agency account under its
    servant's ID, a business's under its MST, a person's under either of their ID
    numbers (RegistryUnavailable)."""
    if account_type == Account.Type.AGENCY:
        return Account.objects.filter(username=AGENCY_LOGIN_PREFIX + identity.id_number).first()
    if identity.mst:
        return Account.objects.filter(username=identity.mst).first()
    return account_of_person(identity.id_number)


def signer_register_finish(signature_request: SignatureRequest, *, email: str) -> Account:
    """The account the request's certificate proved; AccountExists if it is taken
    (RegistryUnavailable while a person's other ID number cannot be looked up)."""
    identity = signer_identity(signature_request)
    if signature_request.account_type == Account.Type.AGENCY:
        account = agency_register(identity=identity, email=email)
        request_used(signature_request)
        return account
    other = "" if identity.mst else other_number(identity.id_number,
                                                 person_numbers(identity.id_number))
    account = signer_register(
        identity=identity, method=signature_request.method,
        account_type=signature_request.account_type, email=email, other_id_number=other,
    )
    request_used(signature_request)
    return account


def signer_login_account(identity: CertificateIdentity) -> Account | None:
    """The account the certificate's MST or ID number names, of the certificate's kind.

    An individual's tax code is now their 12-digit ID number: a business certificate
    must never open the citizen account that shares the number, nor the reverse. A
    person's certificate opens their account under either of their ID numbers (one
    recorded with the account, or one the population database names: RegistryUnavailable).
    """
    if is_government(identity):  # a civil servant signs in for their agency
        return Account.objects.filter(username=AGENCY_LOGIN_PREFIX + identity.id_number,
                                      account_type=Account.Type.AGENCY, is_active=True).first()
    if identity.mst:
        return Account.objects.filter(username=identity.mst, account_type=Account.Type.BUSINESS,
                                      is_active=True).first()
    citizens = Account.objects.filter(account_type=Account.Type.CITIZEN, is_active=True)
    found = citizens.filter(Q(username=identity.id_number)
                            | Q(other_id_number=identity.id_number)).first()
    if found is None:
        numbers = list(person_numbers(identity.id_number))
        found = citizens.filter(Q(username__in=numbers) | Q(other_id_number__in=numbers)).first()
    return found
