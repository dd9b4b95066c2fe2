"""The three level-2 registration methods, each a declaration on the shared engine.

Adding a fourth is a RegistrationMethod in METHODS: a form, a `vouch` function asking its
registry, and what the account records. Pages, OTP, duplicate check and password come
from accounts/flows/registration.py.
"""

from django.utils.translation import gettext_lazy as _

from accounts.flows.registration import IdentityRefused, RegistrationMethod
from accounts.forms import BhxhRegistrationForm, MobileRegistrationForm
from accounts.models import Account
from accounts.registries import CarrierQuery, CarrierVerdict, registry

NOT_OWNER = _(
    "Không thể đăng ký: thuê bao di động này không đăng ký chính chủ với số CMT/CCCD, "
    "họ tên và ngày sinh đã nhập. Bạn có thể kiểm tra bằng cách soạn TTTB gửi 1414, "
    "cập nhật thông tin thuê bao tại cửa hàng nhà mạng, hoặc chọn phương thức đăng ký khác."
)
NO_SUBSCRIBER = _(
    "Không thể đăng ký: nhà mạng không tìm thấy thuê bao di động này. Vui lòng kiểm tra "
    "lại số điện thoại hoặc chọn phương thức đăng ký khác."
)
BHXH_MISMATCH = _(
    "Không thể đăng ký: dữ liệu không khớp với CSDL BHXH. Vui lòng kiểm tra lại mã số BHXH, "
    "số CMT/CCCD, họ tên (có dấu) và ngày sinh như trên thẻ BHXH. Nếu thông tin BHXH của bạn "
    "chưa đúng, hãy liên hệ cơ quan BHXH nơi cư trú để điều chỉnh, hoặc chọn phương thức "
    "đăng ký khác."
)
VNPOST_MISMATCH = _(
    "Không thể đăng ký: thông tin không khớp với dữ liệu khách hàng đã được Bưu điện Việt Nam "
    "xác minh trực tiếp. Vui lòng kiểm tra lại số CMT/CCCD, họ tên (có dấu) và ngày sinh như "
    "trên CCCD. Nếu bạn chưa được Bưu điện xác minh, hãy mang CCCD đến bưu cục gần nhất, "
    "hoặc chọn phương thức đăng ký khác."
)


def _typed(person: dict) -> dict:
    return {key: person[key] for key in ("id_number", "full_name", "birth_date")}


def vouch_by_carrier(person: dict) -> dict:
    verdict = registry("carrier").subscriber_check(CarrierQuery(phone=person["phone"],
                                                                **_typed(person)))
    if verdict is CarrierVerdict.NOT_OWNER:
        raise IdentityRefused(NOT_OWNER)
    if verdict is CarrierVerdict.NO_SUBSCRIBER:
        raise IdentityRefused(NO_SUBSCRIBER)
    return person


def vouch_by_bhxh(person: dict) -> dict:
    """The insured person's record must match; the account takes BHXH's ID number."""
    record = registry("bhxh").insured_lookup(person["bhxh_code"])
    if record is None or not record.matches(**_typed(person)):
        raise IdentityRefused(BHXH_MISMATCH)
    return {**person, "id_number": record.id_number}


def vouch_by_vnpost(person: dict) -> dict:
    record = registry("vnpost").customer_lookup(person["id_number"])
    if record is None or not record.matches(**_typed(person)):
        raise IdentityRefused(VNPOST_MISMATCH)
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
