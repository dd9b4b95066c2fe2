"""What a checked signature leads to (USB token or SIM): the login it completes, or the
registration's details. Both pages may be loaded again: they read the request's outcome,
kept on the server for the browser that made it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.flows.signature_request import request_of_browser
from accounts.flows.signer import (
    signer_account_existing,
    signer_identity,
    signer_register_finish,
)
from accounts.forms import SignerDetailsForm
from accounts.fresh import login_complete
from accounts.models import Account, SignatureRequest
from accounts.registries import RegistryUnavailable
from accounts.services import AccountExists

State = SignatureRequest.State
LOGIN_AFTER = {
    Account.Method.USB: ("accounts:usb_login", gettext_noop("Mời bạn đăng nhập bằng USB ký số.")),
    Account.Method.SIM: ("accounts:sim_login", gettext_noop("Mời bạn đăng nhập bằng SIM ký số.")),
}
ENDED = gettext_noop("Yêu cầu ký đã kết thúc hoặc không thuộc trình duyệt này. "
                     "Vui lòng ký lại.")


def login_done(request, token):
    """Log in with a checked signature; again, if the answer that did it was lost."""
    signed = request_of_browser(request, token)
    if (signed is None or signed.purpose != SignatureRequest.Purpose.LOGIN
            or signed.state != State.DONE or not signed.account.is_active):
        messages.warning(request, _(ENDED))
        return redirect("accounts:login")
    if request.user.pk != signed.account_id:
        login_complete(request, signed.account, method=signed.method, factor="")
    return redirect(signed.next_url or "accounts:profile")


def register_details(request, token):
    """After a checked signature: the certificate's data, email, captcha."""
    signed = request_of_browser(request, token)
    if signed is None or signed.purpose != SignatureRequest.Purpose.REGISTER:
        messages.warning(request, _(ENDED))
        return redirect("accounts:register")
    login_url, invitation = LOGIN_AFTER[signed.method]
    if signed.state == State.USED:  # registered already: a reload, or the other tab
        messages.info(request, _("Tài khoản đã được đăng ký.") + " " + _(invitation))
        return redirect(login_url)
    if signed.state != State.DONE:
        messages.warning(request, _(ENDED))
        return redirect("accounts:register")
    identity = signer_identity(signed)
    business = signed.account_type == Account.Type.BUSINESS
    agency = signed.account_type == Account.Type.AGENCY
    form = SignerDetailsForm(request.POST or None, email_required=business, agency=agency)
    try:
        if signer_account_existing(identity, signed.account_type) is not None:
            return render(request, "accounts/register_duplicate.html", status=409)
        if request.method == "POST" and form.is_valid():
            signer_register_finish(signed, email=form.cleaned_data["email"])
            messages.success(request, _("Đăng ký tài khoản thành công.") + " " + _(invitation))
            return redirect(login_url)
    except AccountExists:
        return render(request, "accounts/register_duplicate.html", status=409)
    except RegistryUnavailable as down:
        form.add_error(None, down.message)
    return render(request, "accounts/signer_details.html", {
        "form": form, "identity": identity, "business": business, "agency": agency,
    })
