from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.factors.registry import factor_is_way_out, factor_of_account
from accounts.factors.services import factor_used
from accounts.flows.code_step import code_resend
from accounts.flows.factor_step import ANSWERING, factor_answer, factor_choose
from accounts.flows.login import (
    FLOW,
    LoginRefused,
    login_account,
    login_check_password,
    login_code_refused,
    login_start,
)
from accounts.flows.state import Flow, flow_step
from accounts.forms import LoginForm
from accounts.fresh import login_complete
from accounts.http import client_ip, next_path
from accounts.identity import phone_masked_login
from portal.refusals import Refusal

URLS = {"otp": "accounts:login_otp", "code": "accounts:login_code",
        "passkey": "accounts:login_passkey", "choose": "accounts:login_methods"}


def login(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ip = client_ip(request)
        try:
            account = login_check_password(request, ip=ip, **_credentials(form))
            step = login_start(Flow(request, FLOW), account=account, ip=ip,
                               next_url=next_path(request))
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect(URLS[step])
    return render(request, "accounts/login.html", {"form": form})


def _credentials(form) -> dict:
    return {"username": form.cleaned_data["username"], "password": form.cleaned_data["password"]}


def _answer(request, flow, **context):
    """The page of the factor the login asks for; a right answer logs in."""
    device = factor_of_account(flow.data["account_id"], flow.data.get("device", ""))
    account = device.user if device is not None else login_account(flow)
    if account is None:
        flow.clear()
        messages.error(request, LoginRefused("refused").message)
        return redirect("accounts:login")
    next_url = flow.data.get("next_url")

    def verified(device):
        flow.clear()
        with transaction.atomic():  # the login's records commit once (notices after)
            factor_used(device, request=request)
            login_complete(request, account, factor=device.kind)
        if factor_is_way_out(device):  # often the phone is lost: say where to set a new one
            messages.info(request, _("Bạn vừa đăng nhập bằng mã dự phòng. Nếu bạn mất số "
                                     "điện thoại nhận OTP, hãy bấm “Đổi số điện thoại” để "
                                     "đặt số mới."))
            return redirect("accounts:security")
        return redirect(next_url or "accounts:profile")

    return factor_answer(request, flow, account, purpose="login", urls=URLS, device=device,
                         on_verified=verified, context={"login_links": True, **context},
                         on_refused=lambda refusal: login_code_refused(request, flow, account,
                                                                       refusal))


@flow_step(FLOW, "otp")
def otp(request, flow):
    return _answer(request, flow, resend_url=reverse("accounts:login_resend"),
                   phone_label=_("Mã xác thực đã được gửi qua số điện thoại:"),
                   masked_phone=phone_masked_login(flow.data["phone"]))


@flow_step(FLOW, "code")
def code(request, flow):
    return _answer(request, flow)


@flow_step(FLOW, "passkey")
def passkey(request, flow):
    return _answer(request, flow)


@flow_step(FLOW, "choose", *ANSWERING)
def methods(request, flow):
    account = login_account(flow)
    if account is None:
        return redirect("accounts:login")
    return factor_choose(request, flow, account, purpose="login", urls=URLS,
                         context={"login_links": True})


@require_POST
@flow_step(FLOW, "otp")
def resend(request, flow):
    return code_resend(request, flow, purpose="login", otp_url="accounts:login_otp")
