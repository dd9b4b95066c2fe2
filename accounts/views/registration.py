from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows.code_step import code_resend, code_step
from accounts.flows.ial2 import METHODS
from accounts.flows.registration import (
    FLOW,
    registration_finish,
    registration_person_stub,
    registration_start,
)
from accounts.flows.state import Flow, flow_step
from accounts.forms import NewPasswordForm
from accounts.http import client_ip
from accounts.services import AccountExists
from portal.refusals import Refusal


def chooser(request):
    return render(request, "accounts/register_chooser.html", {"methods": METHODS})


def identity(request, method_key):
    method = METHODS.get(method_key)
    if method is None:
        raise Http404
    form = method.form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_start(Flow(request, FLOW), method=method,
                               person=form.cleaned_data, ip=client_ip(request))
        except AccountExists:
            return render(request, "accounts/register_duplicate.html", status=409)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("accounts:register_otp")
    return render(request, "accounts/register_form.html", {"form": form, "method": method})


@flow_step(FLOW, "otp")
def otp(request, flow):
    def verified():
        flow.advance("password")
        return redirect("accounts:register_password")

    return code_step(request, flow, purpose="register", on_verified=verified, context={
        "resend_url": reverse("accounts:register_resend"),
        "other_url": FLOW.start_url, "other_label": _("Chọn hình thức đăng ký khác"),
    })


@require_POST
@flow_step(FLOW, "otp")
def resend(request, flow):
    return code_resend(request, flow, purpose="register", otp_url="accounts:register_otp")


@flow_step(FLOW, "password")
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
