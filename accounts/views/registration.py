import logging

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows.code_step import code_resend, code_step
from accounts.flows.ial2 import METHODS
from accounts.flows.messages import (
    registry_unavailable_text,
    send_refused_text,
    too_many_tries_text,
)
from accounts.flows.registration import (
    FLOW_KEY,
    IdentityRefused,
    registration_finish,
    registration_person_stub,
    registration_start,
)
from accounts.flows.state import Flow, flow_step
from accounts.forms import NewPasswordForm
from accounts.http import client_ip
from accounts.otp import SendRefused
from accounts.ratelimit import RateLimited
from accounts.registries import RegistryUnavailable
from accounts.services import AccountExists

log = logging.getLogger(__name__)
START = "/dang-ky/"


def chooser(request):
    return render(request, "accounts/register_chooser.html", {"methods": METHODS})


def identity(request, method_key):
    method = METHODS.get(method_key)
    if method is None:
        raise Http404
    form = method.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_start(Flow(request, FLOW_KEY), method=method,
                               person=form.cleaned_data, ip=client_ip(request))
        except AccountExists:
            return render(request, "accounts/register_duplicate.html", status=409)
        except IdentityRefused as refusal:
            form.add_error(None, refusal.message)
        except RegistryUnavailable as down:
            log.warning("registration: registry unavailable method=%s reason=%s",
                        method.key, down.reason)
            form.add_error(None, registry_unavailable_text(down.label or method.registry_label))
        except SendRefused as refusal:
            form.add_error(None, send_refused_text(refusal))
        except RateLimited as limited:
            form.add_error(None, too_many_tries_text(limited.retry_after))
        else:
            return redirect("accounts:register_otp")
    return render(request, "accounts/register_form.html", {"form": form, "method": method})


@flow_step(FLOW_KEY, "otp", START)
def otp(request, flow):
    def verified():
        flow.update(step="password")
        return redirect("accounts:register_password")

    return code_step(request, flow, purpose="register", on_verified=verified, context={
        "resend_url": reverse("accounts:register_resend"),
        "other_url": START, "other_label": _("Chọn hình thức đăng ký khác"),
    })


@require_POST
@flow_step(FLOW_KEY, "otp", START)
def resend(request, flow):
    return code_resend(request, flow, purpose="register", otp_url="accounts:register_otp")


@flow_step(FLOW_KEY, "password", START)
def password(request, flow):
    form = NewPasswordForm(request.POST or None, user=registration_person_stub(flow))
    if request.method == "POST" and form.is_valid():
        try:
            registration_finish(flow, method=METHODS[flow.data["method"]],
                                password=form.cleaned_data["password1"])
        except AccountExists:
            flow.clear()
            return render(request, "accounts/register_duplicate.html", status=409)
        messages.success(request, _("Đăng ký tài khoản thành công. Mời bạn đăng nhập."))
        return redirect("accounts:login")
    return render(request, "accounts/password_new.html", {
        "form": form, "heading": _("Đăng ký"), "button": _("Đăng ký"),
    })
