import logging
import time

from django import forms
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows import sim
from accounts.flows.messages import too_many_tries_text
from accounts.flows.registration import IdentityRefused
from accounts.flows.signer import (
    FLOW_KEY,
    KINDS,
    signer_identity_accept,
    signer_login_account,
)
from accounts.flows.state import Flow
from accounts.forms import PhoneField
from accounts.fresh import login_complete
from accounts.http import client_ip
from accounts.models import Account
from accounts.ratelimit import RateLimited, rate_consume
from accounts.services import AccountExists
from signing.errors import SignatureRefused
from signing.sim.base import SimServiceUnavailable, SimState

log = logging.getLogger(__name__)


class SimPhoneForm(forms.Form):
    phone = PhoneField(label=_("Số điện thoại của SIM ký số"))


def _start(request, *, purpose: str, account_type: str = "", context: dict):
    form = SimPhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate_consume(("signature_per_ip", client_ip(request)),
                         ("sim_per_phone", form.cleaned_data["phone"]))
            sim.sim_start(request.session, phone=form.cleaned_data["phone"], purpose=purpose,
                          account_type=account_type, restart_url=request.path)
        except RateLimited as limited:
            form.add_error(None, too_many_tries_text(limited.retry_after))
        except SimServiceUnavailable as down:
            log.warning("sim service unavailable: %s", down.reason)
            form.add_error(None, str(sim.UNAVAILABLE))
        else:
            return redirect("accounts:sim_wait")
    return render(request, "accounts/sim_start.html", {"form": form, **context})


def register_start(request, kind):
    account_type = KINDS.get(kind)
    if account_type is None:
        raise Http404
    return _start(request, purpose="register", account_type=account_type, context={
        "heading": _("Đăng ký"), "kind_label": Account.Type(account_type).label,
    })


def login_start(request):
    return _start(request, purpose="login", context={
        "heading": _("Đăng nhập"), "login_tabs": True,
    })


def wait(request):
    pending = sim.sim_pending(request.session)
    if pending is None:
        return redirect("accounts:sim_login")
    remaining = max(0, int(sim.TIME_LIMIT - (time.time() - pending["started"])))
    return render(request, "accounts/sim_wait.html", {
        "pending": pending, "remaining": remaining, "time_limit": sim.TIME_LIMIT,
    })


@require_POST
def status(request):
    """One bounded poll of the service, for the waiting page's script (JSON)."""
    pending = sim.sim_pending(request.session)
    if pending is None:
        return _failed(_("Yêu cầu ký đã kết thúc. Vui lòng gửi lại yêu cầu."))
    try:
        state, identity = sim.sim_status(request.session)
    except SimServiceUnavailable as down:
        log.warning("sim service unavailable: %s", down.reason)
        return JsonResponse({"state": "running", "notice": str(sim.UNAVAILABLE)})
    except SignatureRefused as refusal:
        log.info("sim signature refused: %s", refusal.code)
        return _failed(str(refusal.message))
    if state is SimState.RUNNING:
        return JsonResponse({"state": "running"})
    if state is not SimState.OK:
        return _failed(str(sim.END_MESSAGES[state]))
    return _complete(request, pending, identity)


def _complete(request, pending, identity):
    if pending["purpose"] == "login":
        account = signer_login_account(identity)
        if account is None:
            return _failed(_("Chưa có tài khoản gắn với chứng thư số này. Bạn có thể đăng ký "
                             "bằng SIM ký số."))
        login_complete(request, account)
        return JsonResponse({"state": "done", "next": reverse("accounts:profile")})
    try:
        signer_identity_accept(Flow(request, FLOW_KEY), identity=identity,
                               account_type=pending["account_type"], method=Account.Method.SIM)
    except IdentityRefused as refusal:
        return _failed(str(refusal.message))
    except AccountExists:
        return JsonResponse({"state": "done", "next": reverse("accounts:register_exists")})
    return JsonResponse({"state": "done", "next": reverse("accounts:signer_register_details")})


def _failed(message: str):
    return JsonResponse({"state": "failed", "message": message})
