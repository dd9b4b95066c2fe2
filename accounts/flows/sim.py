"""A signature by signing SIM ("SIM ký số"), polled without holding a web worker.

The portal issues a challenge, builds the same message a USB token would sign, and asks
the carrier's service to have the SIM sign its SHA-256. The page then asks
`sim_status` every two seconds; each call makes one poll of the service that waits at
most a second, so no web worker is held for the person's whole wait, and the flow
ends by itself after two minutes.
"""

import time
from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.identity import phone_masked, phone_national
from accounts.signatures import signature_identity_for
from signing.challenge import challenge_issue, challenge_take, signed_message
from signing.identity import CertificateIdentity
from signing.sim.base import SimState, digest_of, verification_code

SESSION_KEY = "sim_signature"
TIME_LIMIT = 120  # seconds the person has to confirm on the phone
POLL_WAIT = 1.0  # seconds one status request may wait on the service

END_MESSAGES = {
    SimState.USER_CANCELLED: _("Bạn đã từ chối yêu cầu ký trên điện thoại. Nếu đó là nhầm "
                               "lẫn, hãy bấm “Gửi lại yêu cầu” và xác nhận bằng mã PIN của SIM."),
    SimState.TIMEOUT: _("Đã hết thời gian chờ xác nhận trên điện thoại (2 phút). Hãy kiểm tra "
                        "điện thoại đang bật và có sóng, rồi bấm “Gửi lại yêu cầu”."),
    SimState.NOT_A_SIGNING_SIM: _("Số điện thoại này chưa có SIM ký số (chữ ký số trên SIM). "
                                  "Hãy liên hệ nhà mạng để đăng ký dịch vụ, hoặc chọn phương "
                                  "thức khác."),
    SimState.PHONE_UNREACHABLE: _("Không liên lạc được với điện thoại (máy tắt hoặc ngoài vùng "
                                  "phủ sóng). Hãy bật máy, kiểm tra sóng rồi bấm “Gửi lại yêu "
                                  "cầu”."),
    SimState.SIM_ERROR: _("SIM ký số báo lỗi khi ký. Hãy thử lại; nếu lỗi lặp lại, liên hệ "
                          "nhà mạng để kiểm tra SIM."),
}
UNAVAILABLE = _("Dịch vụ ký số trên SIM của nhà mạng đang không phản hồi. Vui lòng thử lại sau "
                "ít phút.")


@cache
def _service_for(path: str, options: tuple):
    return import_string(path)(**dict(options))


def sim_service():
    config = settings.SIM_SIGNATURE_SERVICE
    return _service_for(config["BACKEND"], tuple(sorted(config.get("OPTIONS", {}).items())))


def sim_start(session, *, phone: str, purpose: str, account_type: str = "",
              restart_url: str = "") -> str:
    """Push the request to the phone; return the verification code to show.

    Raises SimServiceUnavailable.
    """
    nonce = challenge_issue(session)
    digest = digest_of(signed_message(settings.PORTAL_ORIGIN, nonce))
    code = verification_code(digest)
    text = f"Cổng DVCQG: xác nhận {'đăng ký' if purpose == 'register' else 'đăng nhập'}. Mã {code}"
    session_id = sim_service().start(phone=phone, digest=digest, display_text=text)
    session[SESSION_KEY] = {
        "session_id": session_id, "code": code, "started": time.time(), "purpose": purpose,
        "account_type": account_type, "masked_phone": phone_masked(phone),
        "national_phone": phone_national(phone), "restart_url": restart_url,
    }
    return code


def sim_pending(session) -> dict | None:
    return session.get(SESSION_KEY)


def sim_status(session) -> tuple[SimState, CertificateIdentity | None]:
    """The request's state now; with OK, the verified identity (or SignatureRefused).

    Raises SimServiceUnavailable. An end state closes the request.
    """
    pending = session[SESSION_KEY]
    if time.time() - pending["started"] > TIME_LIMIT:
        return _closed(session, SimState.TIMEOUT), None
    result = sim_service().poll(pending["session_id"], wait_seconds=POLL_WAIT)
    if result.state is SimState.RUNNING:
        return SimState.RUNNING, None
    if result.state is not SimState.OK:
        return _closed(session, result.state), None
    _closed(session, SimState.OK)
    return SimState.OK, signature_identity_for(
        nonce=challenge_take(session), certificate_der=result.certificate_der,
        signature=result.signature, algorithm=result.algorithm,
    )


def _closed(session, state: SimState) -> SimState:
    session.pop(SESSION_KEY, None)
    return state

