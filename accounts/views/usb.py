import logging

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.flows.messages import too_many_tries_text
from accounts.flows.registration import IdentityRefused
from accounts.flows.signer import (
    FLOW_KEY,
    KINDS,
    signer_identity_accept,
    signer_login_account,
)
from accounts.flows.state import Flow
from accounts.forms import SignedChallengeForm
from accounts.fresh import login_complete
from accounts.http import client_ip
from accounts.models import Account
from accounts.ratelimit import RateLimited, rate_consume
from accounts.services import AccountExists
from accounts.signatures import signature_identity
from signing.challenge import challenge_issue
from signing.errors import SignatureRefused

log = logging.getLogger(__name__)
NO_ACCOUNT = (
    "Chưa có tài khoản gắn với chứng thư số này (theo số CMT/CCCD hoặc mã số thuế trong "
    "chứng thư). Bạn có thể đăng ký bằng USB ký số."
)


@require_POST
def challenge(request):
    """A fresh nonce for the page to hand to the agent (JSON)."""
    try:
        rate_consume(("signature_per_ip", client_ip(request)))
    except RateLimited as limited:
        return JsonResponse({"message": too_many_tries_text(limited.retry_after)}, status=429)
    return JsonResponse({"nonce": challenge_issue(request.session)})


def _sign_page(request, *, verify_url, heading, error="", **context):
    return render(request, "accounts/usb_sign.html", {
        "verify_url": verify_url, "heading": heading, "error": error,
        "agent_url": settings.SIGNING_AGENT_URL, **context,
    }, status=400 if error else 200)


def _verified(request):
    """The certificate identity behind the posted signature, or the refusal's message."""
    form = SignedChallengeForm(request.POST)
    if not form.is_valid():
        return None, _("Không nhận được chữ ký từ công cụ ký điện tử. Vui lòng thử lại.")
    try:
        return signature_identity(request.session, **form.cleaned_data), ""
    except SignatureRefused as refusal:
        log.info("signature refused: %s", refusal.code)
        return None, str(refusal.message)


def register_sign(request, kind):
    account_type = KINDS.get(kind)
    if account_type is None:
        raise Http404
    page = {"verify_url": reverse("accounts:usb_register_verify", args=[kind]),
            "heading": _("Đăng ký"), "kind_label": Account.Type(account_type).label}
    if request.method != "POST":
        return _sign_page(request, **page)
    identity, error = _verified(request)
    if identity is None:
        return _sign_page(request, error=error, **page)
    try:
        signer_identity_accept(Flow(request, FLOW_KEY), identity=identity,
                               account_type=account_type, method=Account.Method.USB)
    except IdentityRefused as refusal:
        return _sign_page(request, error=str(refusal.message), **page)
    except AccountExists:
        return render(request, "accounts/register_duplicate.html", status=409)
    return redirect("accounts:signer_register_details")


def login_sign(request):
    page = {"verify_url": reverse("accounts:usb_login"), "heading": _("Đăng nhập"),
            "login_tabs": True}
    if request.method != "POST":
        return _sign_page(request, **page)
    identity, error = _verified(request)
    if identity is None:
        return _sign_page(request, error=error, **page)
    account = signer_login_account(identity)
    if account is None:
        return _sign_page(request, error=_(NO_ACCOUNT), **page)
    login_complete(request, account)
    return redirect("accounts:profile")


def signing_tool(request):
    return render(request, "accounts/signing_tool.html", {"agent_url": settings.SIGNING_AGENT_URL})
