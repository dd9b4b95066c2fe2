"""The three level-2 registration methods, each a declaration on the shared engine.

Adding a fourth is a RegistrationMethod in METHODS: a form, a `vouch` function asking its
registry, and what the account records. Pages, OTP, duplicate check and password come
from accounts/flows/registration.py.
"""

from django.utils.translation import gettext_lazy as _

from accounts.flows.registration import RegistrationMethod
from accounts.flows.vouching import IdentityRefused
from accounts.forms import BhxhRegistrationForm, MobileRegistrationForm
from accounts.models import Account
from accounts.registries import CarrierQuery, CarrierVerdict, registry


def _typed(person: dict) -> dict:
    return {key: person[key] for key in ("id_number", "full_name", "birth_date")}


def vouch_by_carrier(person: dict) -> dict:
    verdict = registry("carrier").subscriber_check(CarrierQuery(phone=person["phone"],
                                                                **_typed(person)))
    if verdict is CarrierVerdict.NOT_OWNER:
        raise IdentityRefused("not_owner")
    if verdict is CarrierVerdict.NO_SUBSCRIBER:
        raise IdentityRefused("no_subscriber")
    return person


def vouch_by_bhxh(person: dict) -> dict:
    """The insured person's record must match; the account takes BHXH's ID number."""
    record = registry("bhxh").insured_lookup(person["bhxh_code"])
    if record is None or not record.matches(**_typed(person)):
        raise IdentityRefused("bhxh_mismatch")
    return {**person, "id_number": record.id_number}


def vouch_by_vnpost(person: dict) -> dict:
    record = registry("vnpost").customer_lookup(person["id_number"])
    if record is None or not record.matches(**_typed(person)):
        raise IdentityRefused("vnpost_mismatch")
    return person


METHODS = {
    method.key: method
    for method in (
        RegistrationMethod(
            key="mobile", label=_("Thuê bao di động"), form_class=MobileRegistrationForm,
            vouch=vouch_by_carrier, registry_label=_("của nhà mạng di động"),
            verified_by=_("Nhà mạng di động"), account_method=Account.Method.MOBILE,
            note=_("* Lưu ý: Thuê bao di động dùng đăng ký tài khoản phải là thuê bao đã được "
                   "đăng ký chính chủ."),
        ),
        RegistrationMethod(
            key="bhxh", label=_("Bảo hiểm xã hội"), form_class=BhxhRegistrationForm,
            vouch=vouch_by_bhxh, registry_label=_("CSDL Bảo hiểm xã hội"),
            verified_by=_("Cơ quan BHXH"), account_method=Account.Method.BHXH,
            note=_("* Lưu ý: Họ tên, ngày sinh và số CMT/CCCD phải khớp với thông tin của bạn "
                   "trong CSDL Bảo hiểm xã hội."),
        ),
        RegistrationMethod(
            key="vnpost", label=_("Bưu điện Việt Nam"), form_class=MobileRegistrationForm,
            vouch=vouch_by_vnpost, registry_label=_("của Bưu điện Việt Nam"),
            verified_by=_("Bưu điện Việt Nam"), account_method=Account.Method.VNPOST,
            note=_("* Lưu ý: Dành cho công dân đã được Bưu điện Việt Nam xác minh trực tiếp "
                   "tại bưu cục."),
        ),
    )
}
