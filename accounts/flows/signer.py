"""Registration and login with a signature, at level 3: a USB token ("USB ký số") or a
signing SIM ("SIM ký số").

How the signature is obtained differs (accounts/views/usb.py, accounts/flows/sim.py);
this module decides what a verified certificate may do here, for both.
"""

import dataclasses
import datetime as dt

from django.utils.translation import gettext_lazy as _

from accounts.flows.registration import IdentityRefused
from accounts.models import Account
from accounts.selectors import account_exists
from accounts.services import AccountExists, signer_account_name, signer_register
from signing.identity import CertificateIdentity

FLOW_KEY = "signer"
# The chooser's tab, in the URL as Vietnamese slugs.
KINDS = {"cong-dan": Account.Type.CITIZEN, "doanh-nghiep": Account.Type.BUSINESS}

NOT_A_BUSINESS = _(
    "Chứng thư số này cấp cho cá nhân, không có mã số thuế của doanh nghiệp. Để đăng ký tài "
    "khoản doanh nghiệp, hãy dùng USB ký số của doanh nghiệp; để đăng ký cho cá nhân, chọn "
    "“Công dân”."
)
NOT_A_CITIZEN = _(
    "Chứng thư số này cấp cho doanh nghiệp. Để đăng ký tài khoản công dân, hãy dùng chứng "
    "thư số cá nhân (có số CMT/CCCD); để đăng ký cho doanh nghiệp, chọn “Doanh nghiệp”."
)

NO_NAME = _(
    "Chứng thư số này không ghi họ tên (hoặc tên doanh nghiệp) đọc được nên không dùng được "
    "để đăng ký. Vui lòng liên hệ nhà cung cấp dịch vụ chứng thực (CA) để cập nhật thông tin."
)


def login_name(identity: CertificateIdentity) -> str:
    return identity.mst or identity.id_number


def signer_identity_accept(flow, *, identity: CertificateIdentity, account_type: str,
                           method: str) -> None:
    """Keep a verified identity for the details step, or refuse it with the reason."""
    if account_type == Account.Type.BUSINESS and not identity.mst:
        raise IdentityRefused(NOT_A_BUSINESS)
    if account_type == Account.Type.CITIZEN and identity.mst:
        raise IdentityRefused(NOT_A_CITIZEN)
    if not signer_account_name(identity, business=bool(identity.mst)):
        raise IdentityRefused(NO_NAME)
    if account_exists(login_name(identity)):
        raise AccountExists()
    flow.start("details", account_type=account_type, method=method, identity={
        key: value.isoformat() if isinstance(value, dt.date) else value
        for key, value in dataclasses.asdict(identity).items()
    })


def signer_identity(flow) -> CertificateIdentity:
    kept = dict(flow.data["identity"])
    for key in ("valid_from", "valid_to"):
        kept[key] = dt.date.fromisoformat(kept[key][:10])
    return CertificateIdentity(**kept)


def signer_register_finish(flow, *, email: str) -> Account:
    state = flow.data
    account = signer_register(identity=signer_identity(flow), method=state["method"],
                              account_type=state["account_type"], email=email)
    flow.clear()
    return account


def signer_login_account(identity: CertificateIdentity) -> Account | None:
    """The account the certificate's MST or ID number names, of the certificate's kind.

    An individual's tax code is now their 12-digit ID number: a business certificate
    must never open the citizen account that shares the number, nor the reverse.
    """
    kind = Account.Type.BUSINESS if identity.mst else Account.Type.CITIZEN
    return Account.objects.filter(username=login_name(identity), account_type=kind,
                                  is_active=True).first()
