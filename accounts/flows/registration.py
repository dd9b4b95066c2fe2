"""Registration of a citizen at level 2: a method vouches for the person, then the
shared steps (OTP to the phone, password, account) follow.

A method is a declaration: its form, the registry that vouches, how the registry's
answer is judged, and what is recorded as "verified by".
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from accounts.forms import MobileRegistrationForm
from accounts.models import Account
from accounts.otp import otp_send
from accounts.ratelimit import rate_consume
from accounts.registries import CarrierQuery, CarrierVerdict, registry
from accounts.selectors import account_exists
from accounts.services import AccountExists, citizen_register

log = logging.getLogger(__name__)

FLOW_KEY = "registration"


class IdentityRefused(Exception):
    """The registry does not vouch for this person; the message says why and what next."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _carrier_judge(person: dict) -> None:
    verdict = registry("carrier").subscriber_check(CarrierQuery(
        phone=person["phone"], id_number=person["id_number"],
        full_name=person["full_name"], birth_date=person["birth_date"],
    ))
    if verdict is CarrierVerdict.NOT_OWNER:
        raise IdentityRefused(_(
            "Không thể đăng ký: thuê bao di động này không đăng ký chính chủ với số CMT/CCCD, "
            "họ tên và ngày sinh đã nhập. Bạn có thể kiểm tra bằng cách soạn TTTB gửi 1414, "
            "cập nhật thông tin thuê bao tại cửa hàng nhà mạng, hoặc chọn phương thức đăng ký khác."
        ))
    if verdict is CarrierVerdict.NO_SUBSCRIBER:
        raise IdentityRefused(_(
            "Không thể đăng ký: nhà mạng không tìm thấy thuê bao di động này. Vui lòng kiểm tra "
            "lại số điện thoại hoặc chọn phương thức đăng ký khác."
        ))


@dataclass(frozen=True)
class RegistrationMethod:
    key: str
    label: str
    form_class: type
    judge: Callable[[dict], None]  # raises IdentityRefused or RegistryUnavailable
    unavailable_message: str
    verified_by: str
    account_method: str
    level: int = Account.Level.MEDIUM


METHODS = {
    "mobile": RegistrationMethod(
        key="mobile",
        label=_("Thuê bao di động"),
        form_class=MobileRegistrationForm,
        judge=_carrier_judge,
        unavailable_message=_(
            "Hệ thống của nhà mạng đang không phản hồi nên chưa kiểm tra được thuê bao. "
            "Thông tin bạn nhập vẫn được giữ; vui lòng nhập mã xác thực mới và bấm Đăng ký "
            "để thử lại."
        ),
        verified_by=_("Nhà mạng di động"),
        account_method=Account.Method.MOBILE,
    ),
}


def registration_start(flow, *, method: RegistrationMethod, person: dict, ip: str) -> None:
    """Ask the registry, check duplicates, send the OTP, and move the flow to the OTP step.

    The duplicate check comes after the registry has vouched for the person, so the
    notice "this ID already has an account" goes only to someone who knows the person's
    data. Raises RateLimited, IdentityRefused, RegistryUnavailable, AccountExists or
    SendRefused; in each case nothing is stored.
    """
    rate_consume(("registry_per_ip", ip))
    method.judge(person)
    if account_exists(person["id_number"]):
        raise AccountExists()
    code_id = otp_send(purpose="register", phone=person["phone"], ip=ip)
    flow.start(
        "otp", method=method.key, code_id=code_id, phone=person["phone"],
        person={**person, "birth_date": person["birth_date"].isoformat()},
    )


def registration_finish(flow, *, password: str) -> Account:
    state = flow.data
    method = METHODS[state["method"]]
    person = {**state["person"], "birth_date": dt.date.fromisoformat(state["person"]["birth_date"])}
    account = citizen_register(
        person=person, password=password, method=method.account_method,
        level=method.level, verified_by=str(method.verified_by),
    )
    flow.clear()
    log.info("account registered method=%s", method.key)
    return account


def registration_person_stub(flow) -> Account:
    """An unsaved account with the person's data, for the password-similarity check."""
    person = flow.data["person"]
    return Account(username=person["id_number"], full_name=person["full_name"],
                   email=person.get("email", ""))
