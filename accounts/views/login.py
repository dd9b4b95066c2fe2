from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows.code_step import code_resend, code_step
from accounts.flows.login import (
    FLOW,
    LoginRefused,
    login_account,
    login_check_password,
    login_start,
)
from accounts.flows.state import Flow, flow_step
from accounts.forms import LoginForm
from accounts.fresh import login_complete
from accounts.http import client_ip, next_path
from accounts.identity import phone_masked_login
from portal.refusals import Refusal


def login(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        try:
            account = login_check_password(request, ip=ip, **_credentials(form))
            login_start(Flow(request, FLOW), account=account, ip=ip,
                        next_url=next_path(request))
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("accounts:login_otp")
    return render(request, "accounts/login.html", {"form": form})


def _credentials(form) -> dict:
    return {"username": form.cleaned_data["username"], "password": form.cleaned_data["password"]}


@flow_step(FLOW, "otp")
def otp(request, flow):
    def verified():
        account = login_account(flow)
        flow.clear()
        if account is None:
            messages.error(request, LoginRefused("refused").message)
            return redirect("accounts:login")
        login_complete(request, account)
        return redirect(next_url or "accounts:profile")

    next_url = (flow.data or {}).get("next_url")
    return code_step(request, flow, purpose="login", on_verified=verified, context={
        "resend_url": reverse("accounts:login_resend"),
        "phone_label": _("Mã xác thực đã được gửi qua số điện thoại:"),
        "masked_phone": phone_masked_login(flow.data["phone"]),
        "login_links": True,
    })


@require_POST
@flow_step(FLOW, "otp")
def resend(request, flow):
    return code_resend(request, flow, purpose="login", otp_url="accounts:login_otp")
