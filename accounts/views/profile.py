from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.activity import activity_record
from accounts.device_sessions import (
    session_end,
    session_forgotten,
    session_rekeyed,
    sessions_end_others,
    sessions_of,
)
from accounts.flows.signature_request import requests_forget
from accounts.forms import ChangePasswordForm
from accounts.fresh import fresh_required
from accounts.identity import phone_national
from accounts.services import account_password_set


@login_required
def profile(request):
    return render(request, "accounts/profile.html", {
        "account": request.user, "phone": phone_national(request.user.phone),
    })


@fresh_required
def change_password(request):
    form = ChangePasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_password_set(account=request.user, password=form.cleaned_data["password1"],
                             request=request)
        old_key = request.session.session_key
        update_session_auth_hash(request, request.user)  # a new key: this login goes on
        session_rekeyed(old_key, request)
        messages.success(request, _("Đổi mật khẩu thành công."))
        return redirect("accounts:profile")
    return render(request, "accounts/password_new.html", {
        "form": form, "heading": _("Đổi mật khẩu"), "button": _("Đổi mật khẩu"),
    })


@require_POST
def logout(request):
    requests_forget(request)  # a completed signature login must not open it again
    session_forgotten(request)
    auth_logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("accounts:login")


@login_required
def logins(request):
    """"Phiên đăng nhập": where the account is logged in, and ending those logins."""
    return render(request, "accounts/logins.html", {
        "logins": sessions_of(request.user), "current": request.session.session_key,
    })


@require_POST
@login_required
def login_end(request, login_id: int):
    if login_id and session_end(request.user, login_id):
        activity_record(request.user, "logout_other", request=request, count=1)
        messages.success(request, _("Đã đăng xuất khỏi thiết bị đó."))
    return redirect("accounts:logins")


@require_POST
@login_required
def logins_end_others(request):
    ended = sessions_end_others(request)
    if ended:
        activity_record(request.user, "logout_other", request=request, count=ended)
    messages.success(request, _("Đã đăng xuất khỏi %(n)d thiết bị khác.") % {"n": ended})
    return redirect("accounts:logins")


@require_safe
def lost_phone(request):
    return render(request, "accounts/lost_phone.html")
