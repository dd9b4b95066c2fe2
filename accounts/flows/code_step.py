"""The OTP screen every flow shares: verify a code, send another after the cooldown."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.codes import code_page_state, code_verify
from accounts.forms import CodeForm
from accounts.http import client_ip
from accounts.identity import phone_masked
from accounts.otp import SendRefused, otp_send
from portal.refusals import Refusal


def code_step(request, flow, *, purpose: str, context: dict, on_verified, verify=None,
              on_refused=None):
    """Render the OTP screen; on a right code return what `on_verified()` returns.

    `verify(raw)` checks the code (by default the flow's code, by the code primitive); a
    login passes its SMS factor's check (accounts/factors/checks.py). `on_refused(refusal)`
    hears of a refused code (a login records it in the account's activity)."""
    state = flow.data
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if verify is None:
                code_verify(code_id=state["code_id"], raw=form.cleaned_data["code"],
                            purpose=purpose)
            else:
                verify(form.cleaned_data["code"])
        except Refusal as refusal:  # a wrong code, or a cap on guesses
            if on_refused is not None:
                on_refused(refusal)
            form.add_error("code", refusal.message)
            form.data = form.data.copy()
            form.data["code"] = ""  # the next try starts from empty boxes
        else:
            return on_verified()
    delivery_failed, resend_wait = code_page_state(
        code_id=state["code_id"], phone=state["phone"], purpose=purpose,
        quiet=state.get("quiet", False),  # the page must not tell what became of the SMS
    )
    return render(request, "accounts/otp.html", {
        "form": form,
        "masked_phone": phone_masked(state["phone"]),
        "delivery_failed": delivery_failed,
        "resend_wait": resend_wait,
        **context,
    })


def code_resend(request, flow, *, purpose: str, otp_url: str):
    """POST only: a new code in place of the last one, under the cooldown and the caps."""
    state = flow.data
    if request.method == "POST":
        try:
            code_id = otp_send(
                purpose=purpose, phone=state["phone"], ip=client_ip(request),
                deliver=state.get("deliver", True), limit_key=state.get("limit_key", ""),
                quiet=state.get("quiet", False),
            )
        except SendRefused as refusal:
            messages.error(request, refusal.message)
        else:
            flow.update(code_id=code_id)
            messages.success(request, _("Mã OTP mới đã được gửi. Mã cũ không còn dùng được."))
    return redirect(otp_url)
