"""The contract of a mobile signature service adapter, sandbox or real.

Modelled on Mobile-ID: the portal starts a signature of a hash on a phone, shows a short
verification code that the phone also shows, then polls the session until an end state.
"""

import abc
import enum
import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.outbound import Unavailable
from portal.refusals import Refusal


class SimState(enum.Enum):
    RUNNING = "running"
    OK = "ok"
    USER_CANCELLED = "user_cancelled"
    TIMEOUT = "timeout"
    NOT_A_SIGNING_SIM = "not_a_signing_sim"
    PHONE_UNREACHABLE = "phone_unreachable"
    SIM_ERROR = "sim_error"


@dataclass(frozen=True)
class SimResult:
    state: SimState
    signature: bytes = b""  # OK only
    certificate_der: bytes = b""  # OK only
    algorithm: str = ""  # OK only: "RS256", "PS256" or "ES256"


class SimServiceUnavailable(Unavailable):
    """The service did not answer usably (`reason`: one of portal.outbound.REASONS); logged
    without personal data, shown as "try again"."""

    texts = {"unavailable": _("Dịch vụ ký số trên SIM của nhà mạng đang không phản hồi. "
                              "Vui lòng thử lại sau ít phút.")}


class SimRefused(Refusal):
    """The phone's answer is no signature; the code is the end state's value."""

    texts = {
        SimState.USER_CANCELLED.value: _(
            "Bạn đã từ chối yêu cầu ký trên điện thoại. Nếu đó là nhầm lẫn, hãy bấm “Gửi lại "
            "yêu cầu” và xác nhận bằng mã PIN của SIM."),
        SimState.TIMEOUT.value: _(
            "Đã hết thời gian chờ xác nhận trên điện thoại (2 phút). Hãy kiểm tra điện thoại "
            "đang bật và có sóng, rồi bấm “Gửi lại yêu cầu”."),
        SimState.NOT_A_SIGNING_SIM.value: _(
            "Số điện thoại này chưa có SIM ký số (chữ ký số trên SIM). Hãy liên hệ nhà mạng để "
            "đăng ký dịch vụ, hoặc chọn phương thức khác."),
        SimState.PHONE_UNREACHABLE.value: _(
            "Không liên lạc được với điện thoại (máy tắt hoặc ngoài vùng phủ sóng). Hãy bật "
            "máy, kiểm tra sóng rồi bấm “Gửi lại yêu cầu”."),
        SimState.SIM_ERROR.value: _(
            "SIM ký số báo lỗi khi ký. Hãy thử lại; nếu lỗi lặp lại, liên hệ nhà mạng để kiểm "
            "tra SIM."),
    }


def verification_code(digest: bytes) -> str:
    """4 digits from the hash being signed, as Mobile-ID computes them: the 6 high bits of
    the first byte and the 7 low bits of the last byte."""
    return f"{((digest[0] & 0xFC) << 5) | (digest[-1] & 0x7F):04d}"


def digest_of(message: bytes) -> bytes:
    """What the SIM signs: SHA-256 of the portal's message (docs/signing.md)."""
    return hashlib.sha256(message).digest()


class SimSignatureService(abc.ABC):
    @abc.abstractmethod
    def start(self, *, phone: str, digest: bytes, display_text: str) -> str:
        """Push a signature request for `digest` (32 bytes) to the phone (E.164); return
        the service's session id, or raise SimServiceUnavailable."""

    @abc.abstractmethod
    def poll(self, session_id: str, *, wait_seconds: float = 1.0) -> SimResult:
        """The session's state, waiting at most `wait_seconds` for a change; or
        SimServiceUnavailable. An unknown session id is SIM_ERROR."""
