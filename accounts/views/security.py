""""Bảo mật tài khoản": the account's second factors, adding, removing and preferring
one. Every change needs a recent proof (accounts.fresh.fresh_required)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.factors.app import app_pending, app_qr_svg, app_secret_text
from accounts.factors.checks import factor_check
from accounts.factors.forms import AppCodeForm
from accounts.factors.registry import factor_find, factor_is_way_out, sms_device_for
from accounts.factors.selectors import security_overview
from accounts.factors.services import (
    app_enrol_confirm,
    app_enrol_start,
    backup_codes_issue,
    factor_make_default,
    factor_remove,
    sms_factor_restore,
)
from accounts.flows.state import Flow, FlowKind
from accounts.fresh import fresh_required
from accounts.http import client_ip
from portal.refusals import Refusal

APP_ENROL = FlowKind("app_enrol", start_url=reverse_lazy("accounts:security"))


@login_required
def security(request):
    return render(request, "accounts/security.html", security_overview(request.user))


@require_POST
@fresh_required(back="accounts:security")
def remove(request):
    device = factor_find(request.user, request.POST.get("device", ""))
    if device is not None:
        try:
            factor_remove(device, request=request)
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("Đã gỡ phương thức xác thực."))
    return redirect("accounts:security")


@require_POST
@fresh_required(back="accounts:security")
def make_default(request):
    device = factor_find(request.user, request.POST.get("device", ""))
    if device is not None and not factor_is_way_out(device):
        factor_make_default(device)
        messages.success(request, _("Đã chọn phương thức xác thực mặc định."))
    return redirect("accounts:security")


@require_POST
@fresh_required(back="accounts:security")
def sms_restore(request):
    if sms_device_for(request.user) is not None:
        sms_factor_restore(request.user, request=request)
        messages.success(request, _("Đã bật lại mã OTP qua tin nhắn SMS."))
    return redirect("accounts:security")


@never_cache  # the codes must not stay in a cache
@require_POST
@fresh_required(back="accounts:security")
def backup_codes(request):
    """New codes, shown on this answer only: nothing keeps them but their digests."""
    return render(request, "accounts/backup_codes.html",
                  {"codes": backup_codes_issue(request.user, request=request)})


@never_cache  # the secret must not stay in a cache
@fresh_required
def app_enrol(request):
    """The secret as a QR code and as text, on this page only, until the app's first
    code confirms it; a reload shows the same secret, a new visit a new one."""
    flow = Flow(request, APP_ENROL)
    device = flow.data and app_pending(request.user, flow.data["device"])
    if device is None:
        device = app_enrol_start(request.user)
        flow.start("confirm", device=device.pk)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factor_check(device, form.cleaned_data["code"], challenge={},
                         ip=client_ip(request), purpose="enrol")
        except Refusal as refusal:
            form.add_error("code", refusal.message)
        else:
            flow.clear()
            app_enrol_confirm(device, request=request)
            messages.success(request, _("Đã thêm ứng dụng xác thực. Từ nay khi đăng nhập, "
                                        "bạn nhập mã trên ứng dụng."))
            return redirect("accounts:security")
    return render(request, "accounts/app_enrol.html", {
        "form": form, "secret": app_secret_text(device), "qr": app_qr_svg(device)})
