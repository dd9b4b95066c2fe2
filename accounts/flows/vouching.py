"""Why a registry or a certificate does not vouch for a person here: one code per
reason, each with the sentence saying what the person can do about it."""

from django.utils.translation import gettext_lazy as _

from portal.refusals import Refusal


class IdentityRefused(Refusal):
    """The registry or the certificate does not vouch for this person, for this use."""

    texts = {
        "not_owner": _(
            "Không thể đăng ký: thuê bao di động này không đăng ký chính chủ với số CMT/CCCD, họ "
            "tên và ngày sinh đã nhập. Bạn có thể kiểm tra bằng cách soạn TTTB gửi 1414, cập nhật "
            "thông tin thuê bao tại cửa hàng nhà mạng, hoặc chọn phương thức đăng ký khác."
        ),
        "no_subscriber": _(
            "Không thể đăng ký: nhà mạng không tìm thấy thuê bao di động này. Vui lòng kiểm tra "
            "lại số điện thoại hoặc chọn phương thức đăng ký khác."
        ),
        "bhxh_mismatch": _(
            "Không thể đăng ký: dữ liệu không khớp với CSDL BHXH. Vui lòng kiểm tra lại mã số "
            "BHXH, số CMT/CCCD, họ tên (có dấu) và ngày sinh như trên thẻ BHXH. Nếu thông tin "
            "BHXH của bạn chưa đúng, hãy liên hệ cơ quan BHXH nơi cư trú để điều chỉnh, hoặc chọn "
            "phương thức đăng ký khác."
        ),
        "vnpost_mismatch": _(
            "Không thể đăng ký: thông tin không khớp với dữ liệu khách hàng đã được Bưu điện Việt "
            "Nam xác minh trực tiếp. Vui lòng kiểm tra lại số CMT/CCCD, họ tên (có dấu) và ngày "
            "sinh như trên CCCD. Nếu bạn chưa được Bưu điện xác minh, hãy mang CCCD đến bưu cục "
            "gần nhất, hoặc chọn phương thức đăng ký khác."
        ),
        "not_a_business": _(
            "Chứng thư số này cấp cho cá nhân, không có mã số thuế của doanh nghiệp. Để đăng ký "
            "tài khoản doanh nghiệp, hãy dùng USB ký số của doanh nghiệp; để đăng ký cho cá nhân, "
            "chọn “Công dân”."
        ),
        "not_a_citizen": _(
            "Chứng thư số này cấp cho doanh nghiệp. Để đăng ký tài khoản công dân, hãy dùng chứng "
            "thư số cá nhân (có số CMT/CCCD); để đăng ký cho doanh nghiệp, chọn “Doanh nghiệp”."
        ),
        "not_government": _(
            "Chứng thư số này không do CA chuyên dùng Chính phủ (Ban Cơ yếu Chính phủ) cấp nên "
            "không đăng ký được tài khoản cơ quan nhà nước. Cán bộ, công chức vui lòng dùng chứng "
            "thư số do Ban Cơ yếu Chính phủ cấp; để đăng ký cho cá nhân, chọn “Công dân”."
        ),
        "government_elsewhere": _(
            "Chứng thư số này do CA chuyên dùng Chính phủ cấp cho cán bộ, công chức để làm việc "
            "cho cơ quan. Để đăng ký tài khoản của cơ quan, chọn “Cơ quan nhà nước”; để đăng ký "
            "cho cá nhân, dùng chứng thư số cá nhân của một CA công cộng."
        ),
        "no_agency": _(
            "Chứng thư số này không ghi số CCCD/CMND của cán bộ hoặc tên cơ quan nên không dùng "
            "được để đăng ký tài khoản cơ quan nhà nước. Vui lòng liên hệ Ban Cơ yếu Chính phủ để "
            "cập nhật chứng thư số."
        ),
        "agency_by_usb": _(
            "Tài khoản cơ quan nhà nước đăng nhập bằng USB ký số chứa chứng thư số do CA chuyên "
            "dùng Chính phủ cấp. Vui lòng chọn “USB ký số”."
        ),
        "other_agency": _(
            "Chứng thư số này ghi cơ quan “%(named)s”, khác với cơ quan của tài khoản "
            "(“%(held)s”). Tài khoản cơ quan nhà nước chỉ dùng cho cơ quan đã đăng ký; nếu bạn đã "
            "chuyển công tác, vui lòng liên hệ tổng đài hỗ trợ của Cổng."
        ),
        "no_account_usb": _(
            "Chưa có tài khoản gắn với chứng thư số này (theo số CMT/CCCD hoặc mã số thuế "
            "trong chứng thư). Bạn có thể đăng ký bằng USB ký số."
        ),
        "no_account_sim": _(
            "Chưa có tài khoản gắn với chứng thư số này. Bạn có thể đăng ký bằng SIM ký số."
        ),
        "population_down": _(
            "Hệ thống CSDL quốc gia về dân cư đang không phản hồi nên chưa tìm được tài khoản gắn "
            "với chứng thư số này. Vui lòng thử lại sau ít phút."
        ),
        "no_name": _(
            "Chứng thư số này không ghi họ tên (hoặc tên doanh nghiệp) đọc được nên không dùng "
            "được để đăng ký. Vui lòng liên hệ nhà cung cấp dịch vụ chứng thực (CA) để cập nhật "
            "thông tin."
        ),
    }
