from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.flows.signer import FLOW_KEY, signer_identity, signer_register_finish
from accounts.flows.state import flow_step
from accounts.forms import SignerDetailsForm
from accounts.models import Account
from accounts.services import AccountExists

LOGIN_AFTER = {
    Account.Method.USB: ("accounts:usb_login", gettext_noop("Mời bạn đăng nhập bằng USB ký số.")),
    Account.Method.SIM: ("accounts:sim_login", gettext_noop("Mời bạn đăng nhập bằng SIM ký số.")),
}


@flow_step(FLOW_KEY, "details", "/dang-ky/")
def register_details(request, flow):
    """After a verified signature (USB or SIM): the certificate's data, email, captcha."""
    business = flow.data["account_type"] == Account.Type.BUSINESS
    login_url, invitation = LOGIN_AFTER[flow.data["method"]]
    form = SignerDetailsForm(request.POST or None, email_required=business)
    if request.method == "POST" and form.is_valid():
        try:
            signer_register_finish(flow, email=form.cleaned_data["email"])
        except AccountExists:
            flow.clear()
            return render(request, "accounts/register_duplicate.html", status=409)
        messages.success(request, _("Đăng ký tài khoản thành công.") + " " + _(invitation))
        return redirect(login_url)
    return render(request, "accounts/signer_details.html", {
        "form": form, "identity": signer_identity(flow), "business": business,
    })
