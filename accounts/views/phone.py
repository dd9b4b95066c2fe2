""""Đổi số điện thoại": a recent proof, the new number's carrier check (or a signature),
then its OTP; the old number is told."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.flows.code_step import code_resend, code_step
from accounts.flows.phone_change import (
    FLOW,
    phone_change_finish,
    phone_change_needs_signature,
    phone_change_start,
)
from accounts.flows.state import Flow, flow_step
from accounts.forms import PhoneField
from accounts.fresh import auth_fresh_by, fresh_required
from accounts.http import client_ip
from accounts.identity import phone_masked_login
from portal.refusals import Refusal


class PhoneChangeForm(forms.Form):
    phone = PhoneField(label=gettext_lazy("Số điện thoại mới"))


@login_required
def change_phone(request):
    """A business or an agency proves itself by a signature, which no "Xác nhận lại" by a
    factor gives: it is told to log in by USB or SIM first, and nothing is sent."""
    signed = auth_fresh_by(request) == "signature"
    if phone_change_needs_signature(request.user) and not signed:
        return render(request, "accounts/phone_change.html", {"needs_signature": True})
    return _change_phone(request, signed=signed)


@fresh_required
def _change_phone(request, *, signed: bool):
    account = request.user
    form = PhoneChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_change_start(Flow(request, FLOW), account=account,
                               phone=form.cleaned_data["phone"], ip=client_ip(request),
                               signed=signed)
        except Refusal as refusal:
            form.add_error("phone", refusal.message)
        else:
            return redirect("accounts:change_phone_otp")
    return render(request, "accounts/phone_change.html", {
        "form": form,
        "current": account.phone and phone_masked_login(account.phone),
    })


@login_required
@flow_step(FLOW, "otp")
def otp(request, flow):
    def verified():
        phone = flow.data["phone"]
        flow.clear()
        phone_change_finish(account=request.user, phone=phone, request=request)
        messages.success(request, _("Đã đổi số điện thoại. Từ nay mã OTP được gửi tới số mới."))
        return redirect("accounts:security")

    return code_step(request, flow, purpose="phone", on_verified=verified, context={
        "heading": _("Xác nhận số điện thoại mới"),
        "resend_url": reverse("accounts:change_phone_resend"),
        "phone_label": _("Mã xác thực đã được gửi tới số điện thoại mới:"),
        "other_url": reverse("accounts:change_phone"),
        "other_label": _("Nhập số điện thoại khác"),
    })


@require_POST
@login_required
@flow_step(FLOW, "otp")
def resend(request, flow):
    return code_resend(request, flow, purpose="phone", otp_url="accounts:change_phone_otp")
