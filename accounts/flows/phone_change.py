"""Changing an account's phone: the new number must be the person's own ("chính chủ", the
carrier's check against the account's ID, name and birth date, as at registration) unless
the person has just signed (a certificate's holder is proved already), then an OTP to
the new number; the old number is told."""

from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.activity import activity_record
from accounts.flows.ial2 import vouch_by_carrier
from accounts.flows.state import FlowKind
from accounts.flows.vouching import IdentityRefused
from accounts.notifications import account_notify
from accounts.otp import otp_send
from accounts.ratelimit import rate_consume
from portal.refusals import Refusal

FLOW = FlowKind("phone_change", start_url=reverse_lazy("accounts:change_phone"))


class PhoneRefused(Refusal):
    texts = {
        "same": _("Đây là số điện thoại hiện tại của tài khoản. Vui lòng nhập số mới."),
        "not_owner": _("Không đổi được: thuê bao này không đăng ký chính chủ với số CMT/CCCD, "
                       "họ tên và ngày sinh của tài khoản. Bạn có thể kiểm tra bằng cách soạn "
                       "TTTB gửi 1414, hoặc cập nhật thông tin thuê bao tại cửa hàng nhà mạng."),
        "no_subscriber": _("Không đổi được: nhà mạng không tìm thấy thuê bao di động này. "
                           "Vui lòng kiểm tra lại số điện thoại."),
        "signature": _("Tài khoản này cần xác nhận bằng chữ ký số để đổi số điện thoại. Vui "
                       "lòng đăng xuất, đăng nhập lại bằng USB ký số hoặc SIM ký số, rồi "
                       "đổi số điện thoại trong 15 phút."),
    }


def phone_change_start(flow, *, account, phone: str, ip: str, signed: bool) -> None:
    """Check the new number, send its OTP (SendRefused) and open the code step."""
    if phone == account.phone:
        raise PhoneRefused("same")
    if not signed and phone_change_needs_signature(account):
        raise PhoneRefused("signature")
    rate_consume(("phone_change_per_account", str(account.pk)))
    if not signed:
        rate_consume(("registry_per_ip", ip))
        try:
            vouch_by_carrier({"phone": phone, "id_number": account.username,
                              "full_name": account.full_name,
                              "birth_date": account.birth_date})
        except IdentityRefused as refusal:
            raise PhoneRefused(refusal.code) from None
    code_id = otp_send(purpose="phone", phone=phone, ip=ip)
    flow.start("otp", phone=phone, code_id=code_id)


def phone_change_needs_signature(account) -> bool:
    """A carrier knows people by ID, name and birth date, not businesses or agencies."""
    return account.account_type != account.Type.CITIZEN or account.birth_date is None


def phone_change_finish(*, account, phone: str, request=None) -> None:
    """Store the new number; the old one is told (a stranger who took the account over
    cannot silence its holder by moving the phone)."""
    with transaction.atomic():
        account_notify(account, "phone_changed")  # to the old number, read now
        account.phone = phone
        account.save(update_fields=["phone"])
        activity_record(account, "phone_changed", request=request)
