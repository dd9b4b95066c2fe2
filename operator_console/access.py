"""Who may open a console page: logged in through the portal, holding the page's right."""

import functools

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django.utils.translation import gettext as _

from operator_console.rights import right_label
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
