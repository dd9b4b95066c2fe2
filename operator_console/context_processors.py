import functools

from django.urls import reverse
from django.utils.translation import gettext as _

from operator_console.rights import CREATE_CITIZEN, MANAGE_CLIENTS
from operator_console.scope import admin_appointments
from operator_console.selectors import account_has_right


@functools.cache
def _console_prefix() -> str:
    """Where the console's pages begin; reversed once, as every page asks."""
    return reverse("operator_console:home")


def console_menu(request) -> dict:
    """The console's menu, on console pages only: each entry only for who may open it."""
    if not request.path.startswith(_console_prefix()) or not request.user.is_authenticated:
        return {}
    user = request.user
    appointments = admin_appointments(user)
    entries = []
    if account_has_right(user, CREATE_CITIZEN):
        entries.append(("records", _("Tạo tài khoản công dân")))
    if appointments:
        entries.append(("staff", _("Người dùng và phân quyền")))
    if any(a.level == "province" for a in appointments):
        entries.append(("admins", _("Quản trị đơn vị")))
    if appointments:
        entries += [("audit", _("Nhật ký")), ("stats", _("Thống kê"))]
    if account_has_right(user, MANAGE_CLIENTS):
        entries.append(("clients", _("Cổng kết nối")))
    if any(a.level == "province" for a in appointments):
        entries.append(("connections", _("Kết nối hệ thống ngoài")))
    menu = [{"url": reverse(f"operator_console:{name}"), "label": label} for name, label in entries]
    for item in menu:
        item["current"] = request.path.startswith(item["url"])
    return {"console_menu": menu}
