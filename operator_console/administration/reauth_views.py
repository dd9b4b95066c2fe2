"""Re-authentication: an administrator confirms who they are by an OTP to their phone
before granting, revoking or appointing (operator_console.access.fresh_auth_required sends
them here), then goes back to the page they came from."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows.code_step import code_resend, code_step
from accounts.flows.state import Flow, FlowKind, flow_step
from accounts.fresh import auth_mark_fresh
from accounts.http import client_ip
from accounts.identity import phone_masked_login
from accounts.otp import SendRefused, otp_send
from operator_console.access import admin_required

# The OTP pages send an administrator who has no re-authentication under way to the
# staff list.
REAUTH = FlowKind("reauth", start_url=reverse_lazy("operator_console:staff"))


@admin_required
def reauth(request):
    """Confirm who you are by an OTP to your phone before a sensitive act. The code goes
    out on the button's POST only: a link cannot make the portal text anyone."""
    next_url = request.GET.get("next", "")
    if not next_url.startswith(reverse("operator_console:home")):  # the console only
        next_url = reverse("operator_console:staff")
    if request.method != "POST":
        return render(request, "operator_console/reauth.html", {
            "masked_phone": phone_masked_login(request.user.phone)})
    try:
        code_id = otp_send(purpose="reauth", phone=request.user.phone, ip=client_ip(request))
    except SendRefused as refusal:
        messages.error(request, refusal.message)
        code_id = None
    Flow(request, REAUTH).start("otp", code_id=code_id, phone=request.user.phone,
                                next_url=next_url)
    return redirect("operator_console:reauth_otp")


@admin_required
@flow_step(REAUTH, "otp")
def reauth_otp(request, flow):
    def verified():
        next_url = flow.data["next_url"]
        flow.clear()
        auth_mark_fresh(request)
        return redirect(next_url)

    return code_step(request, flow, purpose="reauth", on_verified=verified, context={
        "heading": _("Thao tác cấp quyền, thu hồi quyền và bổ nhiệm cần xác thực lại "
                     "bằng mã OTP (mỗi 15 phút)."),
        "resend_url": reverse("operator_console:reauth_resend"),
        "phone_label": _("Mã xác thực đã được gửi qua số điện thoại:"),
        "masked_phone": phone_masked_login(request.user.phone),
    })


@require_POST
@admin_required
@flow_step(REAUTH, "otp")
def reauth_resend(request, flow):
    return code_resend(request, flow, purpose="reauth", otp_url="operator_console:reauth_otp")
