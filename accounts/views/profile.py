from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows.signature_request import requests_forget
from accounts.forms import ChangePasswordForm
from accounts.identity import phone_national
from accounts.services import account_password_set


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {
        "account": request.user, "phone": phone_national(request.user.phone),
    })


@login_required
def change_password(request):
    form = ChangePasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_password_set(account=request.user, password=form.cleaned_data["password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("Đổi mật khẩu thành công."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_new.html", {
        "form": form, "heading": _("Đổi mật khẩu"), "button": _("Đổi mật khẩu"),
    })


@require_POST
def logout(request):
    requests_forget(request)  # a completed signature login must not open it again
    auth_logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("accounts:login")


def lost_phone(request):
    return render(request, "accounts/lost_phone.html")
