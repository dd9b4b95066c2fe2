"""The contract of an electronic-identity provider, what it returns, and its refusals."""

import abc
import datetime as dt
from dataclasses import asdict, dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal.adapters import adapter
from portal.outbound import Unavailable
from portal.refusals import Refusal

SYSTEM = "VNeID"  # named in the log lines of portal.outbound
# VNeID level 1 (registered in the app) vouches like a registry here: level 2; level 2
# (verified in person by the police) like a counter: level 3.
LEVELS = {1: 2, 2: 3}


@dataclass(frozen=True)
class EidIdentity:
    """Who the provider says signed in. `subject` is the provider's own key for them."""

    subject: str
    id_number: str  # the 12-digit personal identification number
    full_name: str
    birth_date: dt.date
    level: int  # the provider's: 1 or 2 (a key of LEVELS)
    phone: str = ""  # E.164, when the provider holds one

    def as_json(self) -> dict:
        return asdict(self)  # the flow state tags the date (accounts/flows/state.py)


class EidUnavailable(Unavailable):
    """The provider did not answer usably (down, timed out, nonsense)."""

    texts = {"unavailable": _(
        "Hệ thống định danh điện tử VNeID đang không phản hồi nên chưa đăng nhập được. Vui "
        "lòng thử lại sau ít phút, hoặc đăng nhập bằng số CMT/CCCD và mật khẩu, USB ký số "
        "hoặc SIM ký số.")}


class EidRefused(Refusal):
    """What came back from the provider does not log anybody in."""

    texts = {
        "denied": _("Bạn đã không đồng ý chia sẻ thông tin từ VNeID với Cổng Dịch vụ công nên "
                    "chưa đăng nhập. Bạn có thể đăng nhập lại bằng VNeID hoặc bằng cách khác."),
        "state": _("Yêu cầu đăng nhập bằng VNeID không hợp lệ, đã hết hạn hoặc đã được dùng. "
                   "Vui lòng bấm lại “Đăng nhập bằng tài khoản định danh điện tử VNeID”."),
        "token": _("Không xác thực được thông tin VNeID gửi về nên chưa đăng nhập. Vui lòng "
                   "thử lại, hoặc đăng nhập bằng cách khác."),
        "inactive": _("Tài khoản gắn với số định danh cá nhân này đang bị khóa. Vui lòng liên "
                      "hệ tổng đài hỗ trợ của Cổng."),
        "population_down": _("Hệ thống CSDL quốc gia về dân cư đang không phản hồi nên chưa "
                             "tìm được tài khoản gắn với số định danh cá nhân của bạn. Vui "
                             "lòng thử lại sau ít phút."),
        # The phone a VNeID registration gives, when it is not the one VNeID holds.
        "not_owner": _("Số điện thoại này không đăng ký chính chủ với số định danh cá nhân, "
                       "họ tên và ngày sinh của bạn. Bạn có thể kiểm tra bằng cách soạn TTTB "
                       "gửi 1414, hoặc dùng số điện thoại đã đăng ký với VNeID."),
        "no_subscriber": _("Nhà mạng không tìm thấy thuê bao di động này. Vui lòng kiểm tra "
                           "lại số điện thoại."),
        "carrier_down": _("Hệ thống của nhà mạng di động đang không phản hồi nên chưa kiểm tra "
                          "được số điện thoại. Vui lòng thử lại sau ít phút, hoặc dùng số "
                          "điện thoại đã đăng ký với VNeID."),
    }


class EidProvider(abc.ABC):
    """Sign-in with an electronic identity: the authorization code flow, seen from here.

    `authorization_url` is where the browser goes (EidUnavailable when the provider cannot
    say); `identity_fetch` exchanges the code the browser brought back for the person
    (EidUnavailable, or EidRefused("token") when what came back fails its checks)."""

    @abc.abstractmethod
    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str,
                          code_challenge: str) -> str: ...

    @abc.abstractmethod
    def identity_fetch(self, *, code: str, redirect_uri: str, code_verifier: str,
                       nonce: str) -> EidIdentity: ...


def vneid_provider() -> EidProvider:
    return adapter("VNEID_PROVIDER")


def vneid_enabled() -> bool:
    """Whether this site offers VNeID: it has a provider to send people to."""
    return bool(settings.VNEID_PROVIDER["OPTIONS"].get("issuer"))
