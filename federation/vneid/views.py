"""Sign-in with VNeID: the button's POST, the provider's answer, and the registration's
steps when the person has no account yet."""

import functools

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows.code_step import code_resend, code_step
from accounts.flows.state import Flow, flow_step
from accounts.forms import NewPasswordForm
from accounts.fresh import login_complete
from accounts.http import client_ip, next_path, page_origin
from accounts.identity import phone_national
from accounts.services import AccountExists
from federation.vneid.base import LEVELS, vneid_enabled
from federation.vneid.flow import FLOW, vneid_answer, vneid_begin
from federation.vneid.forms import VneidPhoneForm
from federation.vneid.registration import (
    OTP_PURPOSE,
    vneid_person_stub,
    vneid_phone_submit,
    vneid_register_finish,
)
from portal.metrics import LOGINS
from portal.refusals import Refusal


def offered(view):
    """A site that names no VNeID provider has none of these pages."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not vneid_enabled():
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@require_POST
@offered
def start(request):
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    callback = page_origin(request) + reverse("vneid:callback")
    try:
        url = vneid_begin(Flow(request, FLOW), redirect_uri=callback,
                          next_url=next_path(request))
    except Refusal as refusal:  # the provider cannot even say where to go
        messages.error(request, refusal.message)
        return redirect("accounts:login")
    return redirect(url)


@offered
def callback(request):
    try:
        account, next_url = vneid_answer(Flow(request, FLOW), request.GET)
    except Refusal as refusal:
        LOGINS.labels("vneid", "refused").inc()
        messages.error(request, refusal.message)
        return redirect("accounts:login")
    if account is None:
        return redirect("vneid:register")
    login_complete(request, account, method="vneid", factor="")
    return redirect(next_url or "accounts:profile")


@offered
@flow_step(FLOW, "identity")
def register(request, flow):
    identity = flow.data["identity"]
    initial = {"phone": phone_national(identity["phone"])} if identity["phone"] else {}
    form = VneidPhoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            vneid_phone_submit(flow, phone=form.cleaned_data["phone"], ip=client_ip(request))
        except Refusal as refusal:
            form.add_error("phone", refusal.message)
        else:
            return redirect("vneid:otp")
    return render(request, "federation/vneid/register.html", {
        "form": form, "identity": identity, "level": LEVELS[identity["level"]]})


@offered
@flow_step(FLOW, "otp")
def otp(request, flow):
    def verified():
        flow.advance("password")
        return redirect("vneid:password")

    return code_step(request, flow, purpose=OTP_PURPOSE, on_verified=verified, context={
        "heading": _("Đăng ký bằng tài khoản định danh điện tử VNeID"),
        "resend_url": reverse("vneid:resend"),
        "other_url": reverse("accounts:login"), "other_label": _("Đăng nhập bằng cách khác"),
    })


@require_POST
@offered
@flow_step(FLOW, "otp")
def resend(request, flow):
    return code_resend(request, flow, purpose=OTP_PURPOSE, otp_url="vneid:otp")


@offered
@flow_step(FLOW, "password")
def password(request, flow):
    form = NewPasswordForm(request.POST or None, user=vneid_person_stub(flow))
    if request.method == "POST" and form.is_valid():
        next_url = flow.data["next_url"]
        try:
            account = vneid_register_finish(flow, password=form.cleaned_data["password1"])
        except AccountExists:
            flow.clear()
            return render(request, "accounts/register_duplicate.html", status=409)
        # VNeID has just proved who they are: they are in, as after a VNeID login.
        login_complete(request, account, method="vneid", factor="")
        messages.success(request, _("Đăng ký tài khoản thành công."))
        return redirect(next_url or "accounts:profile")
    return render(request, "accounts/password_new.html", {
        "form": form, "heading": _("Đăng ký"), "button": _("Đăng ký"),
    })
