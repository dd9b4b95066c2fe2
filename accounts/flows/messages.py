"""The Vietnamese sentences a person reads when a code or a send is refused."""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.codes import CodeRefused
from accounts.otp import SendRefused


def wait_text(seconds: int) -> str:
    if seconds >= 3600:
        hours = (seconds + 3599) // 3600
        return ngettext("%(n)d giờ", "%(n)d giờ", hours) % {"n": hours}
    if seconds >= 120:  # under two minutes, the seconds say more than "1 phút"
        minutes = (seconds + 59) // 60
        return ngettext("%(n)d phút", "%(n)d phút", minutes) % {"n": minutes}
    return ngettext("%(n)d giây", "%(n)d giây", seconds) % {"n": seconds}


def code_refused_text(refusal: CodeRefused) -> str:
    if refusal.reason == "wrong":
        return _("Mã OTP không đúng. Bạn còn %(n)d lần thử.") % {"n": refusal.tries_left}
    if refusal.reason == "exhausted":
        return _("Bạn đã nhập sai mã OTP quá số lần cho phép. "
                 "Vui lòng bấm “Gửi lại OTP” để nhận mã mới.")
    return _("Mã OTP đã hết hạn hoặc đã được sử dụng. "
             "Vui lòng bấm “Gửi lại OTP” để nhận mã mới.")


def send_refused_text(refusal: SendRefused) -> str:
    if refusal.reason == "cooldown":
        return _("Mã OTP vừa được gửi tới số điện thoại này. "
                 "Vui lòng đợi %(wait)s rồi thử lại.") % {"wait": wait_text(refusal.wait)}
    if refusal.reason == "limit":
        return _("Đã gửi quá số lần cho phép tới số điện thoại này hoặc từ mạng của bạn. "
                 "Vui lòng thử lại sau %(wait)s.") % {"wait": wait_text(refusal.wait)}
    return _("Hệ thống gửi tin nhắn đang gián đoạn, chưa gửi được mã OTP. "
             "Vui lòng thử lại sau ít phút.")


def too_many_tries_text(wait: int) -> str:
    return _("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau %(wait)s.") % {
        "wait": wait_text(wait)}


def registry_unavailable_text(registry_label: str) -> str:
    return _("Hệ thống %(registry)s đang không phản hồi nên chưa kiểm tra được thông tin. "
             "Thông tin bạn nhập vẫn được giữ; vui lòng nhập mã xác thực mới và bấm Đăng ký "
             "để thử lại, hoặc chọn phương thức đăng ký khác.") % {"registry": registry_label}
