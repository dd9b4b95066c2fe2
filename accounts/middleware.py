"""A person whose password someone else chose (at a counter) changes it before anything."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# The password page asks for a recent proof (/xac-nhan-lai/) when the login is old.
ALLOWED = ("/trang-ca-nhan/doi-mat-khau/", "/xac-nhan-lai/", "/dang-xuat/", "/static/", "/dev/",
           "/favicon.ico")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and user.must_change_password
                and not request.path_info.startswith(ALLOWED)):
            messages.warning(request, _(
                "Mật khẩu của bạn do cán bộ cấp qua tin nhắn. "
                "Vui lòng đổi mật khẩu để tiếp tục sử dụng Cổng."))
            return redirect(reverse("accounts:change_password"))
        return self.get_response(request)
