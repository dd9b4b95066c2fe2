"""The permission catalogue, in the groups of the seed's grant screen.

Rights whose module lies outside this portal exist here as grantable rights only; the
grant screen says so.
"""

from django.utils.translation import gettext_lazy as _

CREATE_CITIZEN = "create_citizen"
ADD_USER = "add_user"
MANAGE_CLIENTS = "oidc_clients"

GROUPS = (
    (_("Nhóm quyền hỗ trợ"), (
        ("support_requests", _("Quản lý yêu cầu hỗ trợ"), False),
        ("surveys", _("Xử lý phiếu khảo sát"), False),
    )),
    (_("Nhóm quyền quản trị"), (
        (ADD_USER, _("Quyền cho thêm mới người dùng"), True),
        ("payment_stats", _("Xem dữ liệu thống kê về Payment Platform"), False),
        (CREATE_CITIZEN, _("Quyền tạo tài khoản công dân"), True),
        ("institution_map", _("Xem bản đồ thực thi thể chế"), False),
        (MANAGE_CLIENTS, _("Quản lý cổng kết nối đăng nhập (OIDC)"), True),
    )),
    (_("Nhóm quyền xử lý hồ sơ dịch vụ công"), (
        ("service_files", _("Xem thông tin hồ sơ dịch vụ công"), False),
    )),
)

# code -> (label, whether this portal has the module the right opens)
RIGHTS = {code: (label, here) for _group, rights in GROUPS for code, label, here in rights}
CHOICES = [(code, label) for code, (label, _here) in RIGHTS.items()]
# Held by top administrators only (create_top_admin), never granted on the grant screen:
# the portals registered are the whole country's, not one unit's.
TOP_ONLY = frozenset({MANAGE_CLIENTS})


def right_label(code: str) -> str:
    return str(RIGHTS[code][0])
