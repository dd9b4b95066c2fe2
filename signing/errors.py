"""Why a signature was refused: one code per reason, each with a message saying what the
person can do about it."""

from django.utils.translation import gettext_lazy as _

from portal.refusals import Refusal

MESSAGES = {
    "nonce_missing": _(
        "Yêu cầu ký đã được sử dụng hoặc không thuộc phiên làm việc này. "
        "Vui lòng tải lại trang và ký lại."
    ),
    "nonce_expired": _(
        "Yêu cầu ký đã quá 5 phút. Vui lòng bấm ký lại để nhận yêu cầu mới."
    ),
    "bad_signature": _(
        "Chữ ký số không khớp với yêu cầu của Cổng Dịch vụ công. Vui lòng ký lại ngay trên "
        "trang này; nếu vẫn lỗi, hãy khởi động lại công cụ ký điện tử."
    ),
    "unsupported_algorithm": _(
        "Thuật toán ký không được hỗ trợ. Vui lòng cập nhật công cụ ký điện tử lên "
        "phiên bản mới nhất."
    ),
    "cert_expired": _(
        "Chứng thư số đã hết hạn. Vui lòng liên hệ nhà cung cấp dịch vụ chứng thực (CA) "
        "để gia hạn."
    ),
    "cert_not_yet_valid": _(
        "Chứng thư số chưa đến ngày có hiệu lực. Vui lòng thử lại từ ngày hiệu lực ghi trên "
        "chứng thư số, hoặc kiểm tra ngày giờ trên máy tính."
    ),
    "untrusted": _(
        "Chứng thư số không do tổ chức cung cấp dịch vụ chứng thực (CA) được công nhận cấp. "
        "Vui lòng dùng chứng thư số của một CA được cấp phép tại Việt Nam."
    ),
    "no_digital_signature": _(
        "Chứng thư số này không được phép dùng để ký số. Vui lòng chọn chứng thư số khác "
        "trên USB ký số hoặc liên hệ nhà cung cấp dịch vụ chứng thực (CA)."
    ),
    "wrong_usage": _(
        "Chứng thư số này không dùng được để xác thực người dùng. Vui lòng chọn chứng thư số "
        "khác trên USB ký số hoặc liên hệ nhà cung cấp dịch vụ chứng thực (CA)."
    ),
    "revoked": _(
        "Chứng thư số đã bị thu hồi. Vui lòng liên hệ nhà cung cấp dịch vụ chứng thực (CA) "
        "để được cấp chứng thư số mới."
    ),
    "revocation_unknown": _(
        "Không kiểm tra được tình trạng thu hồi của chứng thư số, vui lòng thử lại sau."
    ),
    "not_known_by_ca": _(
        "Nhà cung cấp dịch vụ chứng thực (CA) không xác nhận chứng thư số này. Vui lòng liên "
        "hệ CA để kiểm tra, hoặc dùng chứng thư số khác."
    ),
    "weak_key": _(
        "Khóa của chứng thư số không còn đủ an toàn (RSA dưới 2048 bit hoặc đường cong "
        "elliptic dưới 256 bit). Vui lòng liên hệ nhà cung cấp dịch vụ chứng thực (CA) để "
        "đổi chứng thư số mới."
    ),
    "no_identity": _(
        "Chứng thư số không ghi số định danh cá nhân (CCCD/CMND) hoặc mã số thuế. "
        "Vui lòng liên hệ nhà cung cấp dịch vụ chứng thực (CA) để cập nhật thông tin."
    ),
    "malformed": _(
        "Không đọc được chữ ký hoặc chứng thư số gửi lên. Vui lòng ký lại; nếu vẫn lỗi, "
        "hãy cài đặt lại công cụ ký điện tử."
    ),
}


class SignatureRefused(Refusal):
    """A signature, its challenge or its certificate was refused for the reason `code`."""

    texts = MESSAGES
