""""Xác nhận lại": before a sensitive act (a factor, the phone, the email, the password),
a logged-in person proves again with one of their factors (accounts.fresh.fresh_required
sends them here), then goes back to the page they came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.factors.registry import factor_default, factor_detail, factor_label
from accounts.factors.services import factor_used
from accounts.flows.code_step import code_resend
from accounts.flows.factor_step import ANSWERING, factor_answer, factor_begin, factor_choose
from accounts.flows.state import Flow, FlowKind, flow_step
from accounts.fresh import auth_mark_fresh
from accounts.http import client_ip, next_path
from accounts.identity import phone_masked_login
from portal.refusals import Refusal

REAUTH = FlowKind("confirm", start_url=reverse_lazy("accounts:security"))
URLS = {"otp": "accounts:reauth_otp", "code": "accounts:reauth_code",
        "passkey": "accounts:reauth_passkey", "choose": "accounts:reauth_methods"}


@login_required
def reauth(request):
    """The factor it will ask, and a button: an SMS goes out on the POST only, so a link
    cannot make the portal text anyone."""
    device = factor_default(request.user)
    if request.method == "POST" and device is not None:
        flow = Flow(request, REAUTH)
        flow.start("choose", next_url=next_path(request) or reverse("accounts:security"))
        try:
            step = factor_begin(flow, device, ip=client_ip(request), purpose="reauth")
        except Refusal as refusal:
            messages.error(request, refusal.message)
            return redirect(URLS["choose"])
        return redirect(URLS[step])
    return render(request, "accounts/reauth.html", {
        "factor": device and {"label": factor_label(device), "detail": factor_detail(device)},
        "back_url": next_path(request) or reverse("accounts:profile"),
    })


def _answer(request, flow, **context):
    next_url = flow.data["next_url"]

    def verified(device):
        flow.clear()
        factor_used(device, request=request)
        auth_mark_fresh(request)
        return redirect(next_url)

    return factor_answer(request, flow, request.user, purpose="reauth", urls=URLS,
                         on_verified=verified,
                         context={"heading": _("Xác nhận lại"), **context})


@login_required
@flow_step(REAUTH, "otp")
def otp(request, flow):
    return _answer(request, flow, resend_url=reverse("accounts:reauth_resend"),
                   phone_label=_("Mã xác thực đã được gửi qua số điện thoại:"),
                   masked_phone=phone_masked_login(flow.data["phone"]))


@login_required
@flow_step(REAUTH, "code")
def code(request, flow):
    return _answer(request, flow)


@login_required
@flow_step(REAUTH, "passkey")
def passkey(request, flow):
    return _answer(request, flow)


@login_required
@flow_step(REAUTH, "choose", *ANSWERING)
def methods(request, flow):
    return factor_choose(request, flow, request.user, purpose="reauth", urls=URLS,
                         context={"back_url": flow.data["next_url"]})


@require_POST
@login_required
@flow_step(REAUTH, "otp")
def resend(request, flow):
    return code_resend(request, flow, purpose="reauth", otp_url=URLS["otp"])
