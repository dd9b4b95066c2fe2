""""Đổi email" on the personal page: the new address, the code mailed to it, the change
(accounts/flows/email_change.py). Every step asks for a recent proof of identity."""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import BaseUserManager
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.flows.code_step import code_step
from accounts.flows.email_change import (
    FLOW,
    PURPOSE,
    email_change_resend,
    email_change_start,
    email_change_verify,
)
from accounts.flows.state import Flow, flow_step
from accounts.fresh import fresh_required
from portal.refusals import Refusal


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("Email mới"), max_length=254,
        error_messages={"required": gettext_lazy("Bạn phải nhập email mới."),
                        "invalid": gettext_lazy("Email không hợp lệ.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email",
                                       "placeholder": gettext_lazy("Nhập email mới")}),
    )

    def __init__(self, *args, current: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current

    def clean_email(self):
        email = BaseUserManager.normalize_email(self.cleaned_data["email"])
        if email.lower() == self.current.lower():
            raise forms.ValidationError(_("Email mới trùng với email hiện tại của tài khoản."))
        return email


@fresh_required
def change_email(request):
    form = EmailChangeForm(request.POST or None, current=request.user.email)
    if request.method == "POST" and form.is_valid():
        try:
            email_change_start(Flow(request, FLOW), account=request.user,
                               email=form.cleaned_data["email"])
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return redirect("accounts:change_email_code")
    return render(request, "accounts/email_change.html", {"form": form})


@fresh_required
@flow_step(FLOW, "code")
def code(request, flow):
    def verified():
        messages.success(request, _("Đổi email thành công."))
        return redirect("accounts:profile")

    return code_step(request, flow, purpose=PURPOSE, on_verified=verified, verify=lambda raw: (
        email_change_verify(flow, account=request.user, raw=raw)), context={
        "heading": _("Đổi email"),
        # otp.html names it the phone; here it is the address the code went to, in full:
        # the person has just typed it, and a typo shows.
        "phone_label": _("Mã xác thực đã được gửi tới email:"),
        "masked_phone": flow.data["email"],
        "resend_url": reverse("accounts:change_email_resend"),
        "other_url": reverse("accounts:change_email"), "other_label": _("Nhập email khác"),
    })


@require_POST
@fresh_required(back="accounts:change_email_code")
@flow_step(FLOW, "code")
def resend(request, flow):
    try:
        email_change_resend(flow, account=request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Mã xác thực mới đã được gửi. Mã cũ không còn dùng được."))
    return redirect("accounts:change_email_code")
