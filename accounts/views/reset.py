from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows.code_step import code_resend, code_step
from accounts.flows.reset import FLOW, reset_account, reset_finish, reset_start
from accounts.flows.state import Flow, flow_step
from accounts.forms import NewPasswordForm, ResetRequestForm
from accounts.http import client_ip
from portal.refusals import Refusal


def request_reset(request):
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reset_start(Flow(request, FLOW), id_number=form.cleaned_data["username"],
                        phone=form.cleaned_data["phone"], ip=client_ip(request))
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("accounts:reset_otp")
    return render(request, "accounts/reset_request.html", {"form": form})


@flow_step(FLOW, "otp")
def otp(request, flow):
    def verified():
        flow.advance("password")
        return redirect("accounts:reset_password")

    return code_step(request, flow, purpose="reset", on_verified=verified, context={
        "resend_url": reverse("accounts:reset_resend"),
        "heading": _("Quên mật khẩu"),
        "other_url": FLOW.start_url, "other_label": _("Nhập lại số CMT/CCCD và số điện thoại"),
        "phone_label": _("Nếu số CMT/CCCD và số điện thoại khớp với một tài khoản, "
                         "mã xác thực đã được gửi qua SĐT:"),
    })


@require_POST
@flow_step(FLOW, "otp")
def resend(request, flow):
    return code_resend(request, flow, purpose="reset", otp_url="accounts:reset_otp")


@flow_step(FLOW, "password")
def new_password(request, flow):
    account = reset_account(flow)
    if account is None:
        flow.clear()
        return redirect(FLOW.start_url)
    form = NewPasswordForm(request.POST or None, user=account)
    if request.method == "POST" and form.is_valid():
        reset_finish(flow, account=account, password=form.cleaned_data["password1"])
        messages.success(request, _("Đặt lại mật khẩu thành công. Các phiên đăng nhập khác "
                                    "của tài khoản đã kết thúc. Mời bạn đăng nhập."))
        return redirect("accounts:login")
    return render(request, "accounts/password_new.html", {
        "form": form, "heading": _("Đặt lại mật khẩu"), "button": _("Xác nhận"),
    })
