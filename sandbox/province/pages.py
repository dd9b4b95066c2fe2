"""What the province's pages say: the claims in Vietnamese, the level of a login, the
messages of a sign-in, and the templates (Django's template engine on its own, with
autoescaping, over this package's templates/: the portal's loaders never see them)."""

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import Context, Engine

from sandbox.province.oidc import LOA_3

SITE_NAME = "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)"
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
ENGINE = Engine(dirs=[str(Path(__file__).resolve().parent / "templates")], autoescape=True)

# The claims a person reads, in the order they read them (docs/federation.md's scopes).
CLAIM_LABELS = [
    ("name", "Họ tên"),
    ("birthdate", "Ngày sinh"),
    ("id_number", "Số CMT/CCCD"),
    ("tax_code", "Mã số thuế"),
    ("phone_number", "Số điện thoại"),
    ("email", "Email"),
]
LEVEL_NAMES = {LOA_3: "Mức độ 3"}  # any other value the portal sends is level 2
# How the login was made, from its `amr` (RFC 8176 values, docs/federation.md).
HOW = [
    ({"sc", "hwk"}, "chữ ký số (USB ký số)"),
    ({"hwk", "pin"}, "chữ ký số (SIM ký số)"),
    ({"pwd", "sms"}, "mật khẩu và mã OTP gửi qua SMS"),
    ({"pwd", "otp"}, "mật khẩu và mã OTP từ ứng dụng xác thực hoặc mã dự phòng"),
    ({"pwd", "swk"}, "mật khẩu và khóa truy cập (passkey)"),
]
MESSAGES = {
    "state": "Yêu cầu đăng nhập không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.",
    "expired": "Yêu cầu đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    "denied": "Bạn chưa đồng ý chia sẻ thông tin nên chưa đăng nhập được vào cổng tỉnh.",
    "level": "Chưa đăng nhập được ở mức độ 3: dịch vụ này cần tài khoản mức độ 3, đăng nhập "
             "bằng chữ ký số (USB ký số hoặc SIM ký số).",
    "token": "Không xác thực được thông tin Cổng Dịch vụ công quốc gia gửi về nên chưa đăng "
             "nhập. Vui lòng thử lại.",
    "error": "Cổng Dịch vụ công quốc gia không chấp nhận yêu cầu đăng nhập. Vui lòng thử lại "
             "hoặc báo cho đơn vị quản lý cổng tỉnh.",
    "unavailable": "Cổng Dịch vụ công quốc gia đang không phản hồi. Vui lòng thử lại sau ít "
                   "phút.",
    "signed_out": "Bạn đã đăng xuất khỏi cổng tỉnh và khỏi Cổng Dịch vụ công quốc gia.",
}
GOOD_NEWS = {"signed_out"}  # told as a status; every other message as an alert


def render(template: str, **context) -> bytes:
    context = {"site_name": SITE_NAME, **context}
    return ENGINE.get_template(template).render(Context(context)).encode("utf-8")


def message_of(code: str) -> dict:
    return {"text": MESSAGES.get(code, MESSAGES["unavailable"]),
            "role": "status" if code in GOOD_NEWS else "alert"}


def level_text(claims: dict) -> str:
    """"Mức độ 2 — mật khẩu và mã OTP gửi qua SMS", "Mức độ 3 — chữ ký số (SIM ký số)"."""
    level = LEVEL_NAMES.get(claims.get("acr"), "Mức độ 2")
    amr = set(claims.get("amr") or [])
    how = next((text for needs, text in HOW if needs <= amr), "")
    return f"{level} — {how}" if how else level


def claim_rows(claims: dict) -> list[tuple[str, str]]:
    """(label, value) of each claim received, as a person reads it."""
    rows = [(label, _shown(name, claims[name])) for name, label in CLAIM_LABELS
            if claims.get(name)]
    rows.append(("Mức độ xác thực", level_text(claims)))
    if claims.get("auth_time"):
        at = dt.datetime.fromtimestamp(int(claims["auth_time"]), VIETNAM)
        rows.append(("Thời điểm đăng nhập", at.strftime("%H:%M %d/%m/%Y")))
    return rows


def _shown(name: str, value) -> str:
    if name == "birthdate":
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    if name == "phone_number" and str(value).startswith("+84"):
        return "0" + value[3:]
    return str(value)
