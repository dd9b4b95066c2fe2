""""Thêm khóa truy cập": adding a passkey or security key on "Bảo mật tài khoản"."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from accounts.factors.forms import PasskeyEnrolForm
from accounts.factors.passkey import passkey_enrol_options, passkey_page, passkey_register
from accounts.factors.services import factor_added
from accounts.flows.state import Flow, FlowKind
from accounts.fresh import fresh_required
from accounts.http import page_origin
from portal.refusals import Refusal

PASSKEY_ENROL = FlowKind("passkey_enrol", start_url=reverse_lazy("accounts:security"))


@fresh_required
def enrol(request):
    """The browser makes a key for the challenge of the page it was shown on and posts it
    with the name the person gave it; every page shown asks with a new challenge."""
    flow = Flow(request, PASSKEY_ENROL)
    form = PasskeyEnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = passkey_register(request.user, name=form.cleaned_data["name"],
                                      answer=form.cleaned_data["credential"],
                                      asked=(flow.data or {}).get("passkey"))
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            flow.clear()
            factor_added(device, request=request)
            messages.success(request, _("Đã thêm khóa truy cập “%(name)s”. Từ nay khi đăng "
                                        "nhập, bạn dùng khóa này sau mật khẩu.")
                             % {"name": device.name})
            return redirect("accounts:security")
    origin = page_origin(request)
    asked = passkey_enrol_options(request.user, origin=origin)
    flow.start("enrol", passkey=asked)
    return render(request, "accounts/passkey_enrol.html", {
        "form": form, **passkey_page(asked, origin=origin)})
