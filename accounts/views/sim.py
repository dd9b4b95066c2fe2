import logging

from django import forms
from django.contrib import messages
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.flows import sim
from accounts.flows.signature_request import binding_keep, request_next_url, request_of_browser
from accounts.flows.signer import SIM_KINDS
from accounts.forms import PhoneField
from accounts.http import client_ip, next_path
from accounts.identity import phone_masked, phone_national
from accounts.models import Account, SignatureRequest
from accounts.ratelimit import rate_consume
from portal.refusals import Refusal
from signing.sim.base import SimServiceUnavailable

log = logging.getLogger(__name__)
State = SignatureRequest.State
ENDED = gettext_lazy("Yêu cầu ký đã kết thúc. Vui lòng gửi lại yêu cầu.")


class SimPhoneForm(forms.Form):
    phone = PhoneField(label=gettext_lazy("Số điện thoại của SIM ký số"))


def _start(request, *, purpose: str, account_type: str = "", context: dict):
    form = SimPhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            rate_consume(("signature_per_ip", client_ip(request)),
                         ("sim_per_phone", form.cleaned_data["phone"]))
            started = sim.sim_start(request, phone=form.cleaned_data["phone"], purpose=purpose,
                                    account_type=account_type, next_url=next_path(request))
        except Refusal as refusal:  # past a cap, or the carrier's service down (logged)
            form.add_error(None, refusal.message)
        else:
            return binding_keep(request, redirect("accounts:sim_wait", started.token))
    return render(request, "accounts/sim_start.html", {"form": form, **context})


def register_start(request, kind):
    account_type = SIM_KINDS.get(kind)
    if account_type is None:
        raise Http404
    return _start(request, purpose="register", account_type=account_type, context={
        "heading": _("Đăng ký"), "kind_label": Account.Type(account_type).label,
    })


def login_start(request):
    return _start(request, purpose="login", context={
        "heading": _("Đăng nhập"), "login_tabs": True,
    })


def wait(request, token):
    """The waiting page; once the request is decided, where it leads (a reload after a
    lost answer lands there too)."""
    pending = request_of_browser(request, token, method=Account.Method.SIM)
    if pending is None:
        messages.warning(request, ENDED)
        return redirect("accounts:sim_login")
    if pending.state in (State.DONE, State.USED):
        return redirect(request_next_url(pending))
    return render(request, "accounts/sim_wait.html", {
        "pending": pending, "remaining": sim.sim_seconds_left(pending),
        "time_limit": sim.TIME_LIMIT, "masked_phone": phone_masked(pending.phone),
        "national_phone": phone_national(pending.phone),
    })


@require_POST
def status(request, token):
    """One bounded poll of the service, for the waiting page's script (JSON). Asked again
    after it answered "done", it answers "done" again."""
    pending = request_of_browser(request, token, method=Account.Method.SIM)
    if pending is None:
        return _answer(state="failed", message=ENDED)
    try:
        pending = sim.sim_status(pending)
    except SimServiceUnavailable as down:
        log.warning("sim service unavailable: %s", down.reason)
        return _answer(state="running", notice=down.message)
    if pending.state == State.PENDING:
        return _answer(state="running")
    if pending.state == State.FAILED:
        return _answer(state="failed", message=pending.message)
    return _answer(state="done", next=request_next_url(pending))


def _answer(**fields):
    return JsonResponse({key: str(value) for key, value in fields.items()})
