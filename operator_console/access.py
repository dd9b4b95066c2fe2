"""Who may open a console page: logged in through the portal, holding the page's right."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from accounts.fresh import fresh_required
from operator_console.rights import CREATE_CITIZEN, right_label
from operator_console.scope import admin_scope, is_top_admin
from operator_console.selectors import account_has_right


def _only(allowed, right, reason):
    """A view for the accounts `allowed(account)` admits. Anonymous people go to the
    portal's login (password and OTP) and come back; any other account gets a 403 page
    naming what it lacks (`right`) and why (`reason`)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not allowed(request.user):
                return render(request, "operator_console/forbidden.html",
                              {"right": right, "reason": reason}, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def right_required(right: str):
    """Holders of `right` only: the 403 page says which right and whom to ask."""
    return _only(lambda account: account_has_right(account, right),
                 right=lazy(right_label, str)(right),
                 reason=_("Tài khoản của bạn chưa được cấp quyền này."))


# The counter's pages: creating citizens' accounts, and finding them again.
clerk_only = right_required(CREATE_CITIZEN)

# Administrators only (top or unit).
admin_required = _only(
    lambda account: bool(admin_scope(account)), right=_("Quản trị"),
    reason=_("Tài khoản của bạn không phải tài khoản quản trị của cơ quan, đơn vị nào."))

# Top administrators only (Quản trị cấp cao của tỉnh).
top_admin_required = _only(
    is_top_admin, right=_("Quản trị cấp cao của tỉnh"),
    reason=_("Chỉ quản trị cấp cao của tỉnh mới xem được trang này."))


def fresh_auth_required(back: str = ""):
    """Granting, revoking and appointing need a proof of identity under 15 minutes old:
    the portal's one confirmation ("Xác nhận lại", accounts.fresh.fresh_required), then
    back to the page of the form (`back`, a URL name; by default this page)."""
    return fresh_required(back=back)
