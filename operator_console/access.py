"""Who may open a console page: logged in through the portal, holding the page's right."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _

from accounts.fresh import fresh_required
from operator_console.rights import CREATE_CITIZEN, right_label
from operator_console.scope import admin_scope
from operator_console.selectors import account_has_right


def right_required(right: str):
    """Anonymous people go to the portal's login (password and OTP) and come back;
    an account without the right gets a 403 page saying which right and whom to ask."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not account_has_right(request.user, right):
                return render(request, "operator_console/forbidden.html", {
                    "right": right_label(right),
                    "reason": _("Tài khoản của bạn chưa được cấp quyền này."),
                }, status=403)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# The counter's pages: creating citizens' accounts, and finding them again.
clerk_only = right_required(CREATE_CITIZEN)


def admin_required(view):
    """Administrators only (top or unit); others get the 403 page saying why."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not admin_scope(request.user):
            return render(request, "operator_console/forbidden.html", {
                "right": _("Quản trị"),
                "reason": _("Tài khoản của bạn không phải tài khoản quản trị của cơ quan, "
                            "đơn vị nào."),
            }, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def fresh_auth_required(back: str = ""):
    """Granting, revoking and appointing need a proof of identity under 15 minutes old:
    the portal's one confirmation ("Xác nhận lại", accounts.fresh.fresh_required), then
    back to the page of the form (`back`, a URL name; by default this page)."""
    return fresh_required(back=back)
