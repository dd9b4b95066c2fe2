"""Registration and login with a signature, at level 3: a USB token ("USB ký số") or a
signing SIM ("SIM ký số").

How the signature is obtained differs (accounts/views/usb.py, accounts/flows/sim.py);
this module decides what a verified certificate may do here, for both.
"""

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.flows.registration import IdentityRefused
from accounts.flows.signature_request import identity_to_json, request_decide, request_used
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
from signing.identity import CertificateIdentity

# The chooser's tab, in the URL as Vietnamese slugs. A state agency registers with a USB
# token only (its staff's certificates come from the government's CA on tokens).
KINDS = {"cong-dan": Account.Type.CITIZEN, "doanh-nghiep": Account.Type.BUSINESS,
         "co-quan-nha-nuoc": Account.Type.AGENCY}
SIM_KINDS = {slug: kind for slug, kind in KINDS.items() if kind != Account.Type.AGENCY}

NOT_A_BUSINESS = _(
    "Chứng thư số này cấp cho cá nhân, không có mã số thuế của doanh nghiệp. Để đăng ký tài "
    "khoản doanh nghiệp, hãy dùng USB ký số của doanh nghiệp; để đăng ký cho cá nhân, chọn "
    "“Công dân”."
)
NOT_A_CITIZEN = _(
    "Chứng thư số này cấp cho doanh nghiệp. Để đăng ký tài khoản công dân, hãy dùng chứng "
    "thư số cá nhân (có số CMT/CCCD); để đăng ký cho doanh nghiệp, chọn “Doanh nghiệp”."
)

NOT_GOVERNMENT = _(
    "Chứng thư số này không do CA chuyên dùng Chính phủ (Ban Cơ yếu Chính phủ) cấp nên không "
    "đăng ký được tài khoản cơ quan nhà nước. Cán bộ, công chức vui lòng dùng chứng thư số "
    "do Ban Cơ yếu Chính phủ cấp; để đăng ký cho cá nhân, chọn “Công dân”."
)
GOVERNMENT_ELSEWHERE = _(
    "Chứng thư số này do CA chuyên dùng Chính phủ cấp cho cán bộ, công chức để làm việc "
    "cho cơ quan. Để đăng ký tài khoản của cơ quan, chọn “Cơ quan nhà nước”; để đăng ký cho "
    "cá nhân, dùng chứng thư số cá nhân của một CA công cộng."
)
NO_AGENCY = _(
    "Chứng thư số này không ghi số CCCD/CMND của cán bộ hoặc tên cơ quan nên không dùng được "
    "để đăng ký tài khoản cơ quan nhà nước. Vui lòng liên hệ Ban Cơ yếu Chính phủ để cập "
    "nhật chứng thư số."
)
AGENCY_BY_USB = _(
    "Tài khoản cơ quan nhà nước đăng nhập bằng USB ký số chứa chứng thư số do CA chuyên dùng "
    "Chính phủ cấp. Vui lòng chọn “USB ký số”."
)
OTHER_AGENCY = _(
    "Chứng thư số này ghi cơ quan “%(named)s”, khác với cơ quan của tài khoản (“%(held)s”). "
    "Tài khoản cơ quan nhà nước chỉ dùng cho cơ quan đã đăng ký; nếu bạn đã chuyển công tác, "
    "vui lòng liên hệ tổng đài hỗ trợ của Cổng."
)
NO_ACCOUNT = {
    Account.Method.USB: _("Chưa có tài khoản gắn với chứng thư số này (theo số CMT/CCCD hoặc "
                          "mã số thuế trong chứng thư). Bạn có thể đăng ký bằng USB ký số."),
    Account.Method.SIM: _("Chưa có tài khoản gắn với chứng thư số này. Bạn có thể đăng ký "
                          "bằng SIM ký số."),
}
POPULATION_DOWN = _(
    "Hệ thống CSDL quốc gia về dân cư đang không phản hồi nên chưa tìm được tài khoản gắn "
    "với chứng thư số này. Vui lòng thử lại sau ít phút."
)
NO_NAME = _(
    "Chứng thư số này không ghi họ tên (hoặc tên doanh nghiệp) đọc được nên không dùng được "
    "để đăng ký. Vui lòng liên hệ nhà cung cấp dịch vụ chứng thực (CA) để cập nhật thông tin."
)


def signer_verify(signature_request: SignatureRequest, *, certificate_der: bytes,
                  signature: bytes, algorithm: str) -> SignatureRequest:
    """Check a signature over the request's challenge, once, and record what it proves
    here: the account to log in to, or the identity to register; else the reason."""

    def decide(current: SignatureRequest) -> dict:
        identity = signature_identity_for(nonce=current.nonce, certificate_der=certificate_der,
                                          signature=signature, algorithm=algorithm)
        if current.purpose == SignatureRequest.Purpose.LOGIN:
            return {"account": _login_account(identity, current.method)}
        _registrable_check(identity, current.account_type, is_government(identity))
        return {"identity": identity_to_json(identity)}

    return request_decide(signature_request, decide)


def _login_account(identity: CertificateIdentity, method: str) -> Account:
    """The account this certificate signs in to, or IdentityRefused with the reason."""
    government = is_government(identity)
    if government and method != Account.Method.USB:
        raise IdentityRefused(AGENCY_BY_USB)
    try:
        account = signer_login_account(identity)
    except RegistryUnavailable:
        raise IdentityRefused(POPULATION_DOWN) from None
    if account is None:
        raise IdentityRefused(NO_ACCOUNT[method])
    if government and account.organization != agency_name(identity):
        raise IdentityRefused(OTHER_AGENCY % {"named": agency_name(identity),
                                              "held": account.organization})
    return account


def _registrable_check(identity: CertificateIdentity, account_type: str,
                       government: bool) -> None:
    """IdentityRefused, with the reason, for a certificate this tab cannot register."""
    if account_type == Account.Type.AGENCY:
        if not government:
            raise IdentityRefused(NOT_GOVERNMENT)
        if not (identity.id_number and signer_account_name(identity, business=True)):
            raise IdentityRefused(NO_AGENCY)
        return
    if government:
        raise IdentityRefused(GOVERNMENT_ELSEWHERE)
    if account_type == Account.Type.BUSINESS and not identity.mst:
        raise IdentityRefused(NOT_A_BUSINESS)
    if account_type == Account.Type.CITIZEN and identity.mst:
        raise IdentityRefused(NOT_A_CITIZEN)
    if not signer_account_name(identity, business=bool(identity.mst)):
        raise IdentityRefused(NO_NAME)


def signer_identity(signature_request: SignatureRequest) -> CertificateIdentity:
    kept = dict(signature_request.identity)
    for key in ("valid_from", "valid_to"):
        kept[key] = dt.date.fromisoformat(kept[key][:10])
    return CertificateIdentity(**kept)


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
