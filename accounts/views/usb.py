import logging

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.agent_dist import agent_downloads, agent_file, wheel_name
from accounts.flows.signature_request import (
    binding_keep,
    request_next_url,
    request_of_browser,
    request_start,
)
from accounts.flows.signer import KINDS, signer_verify
from accounts.forms import SignedChallengeForm
from accounts.http import client_ip, next_path
from accounts.models import Account, SignatureRequest
from accounts.ratelimit import RateLimited, rate_consume
from signing.agent import __version__ as agent_version
from signing.errors import SignatureRefused

log = logging.getLogger(__name__)
LOGIN = SignatureRequest.Purpose.LOGIN
REGISTER = SignatureRequest.Purpose.REGISTER


def _account_type(kind: str) -> str:
    account_type = KINDS.get(kind)
    if account_type is None:
        raise Http404
    return account_type


@require_POST
def login_challenge(request):
    return _challenge(request, purpose=LOGIN, next_url=next_path(request))


@require_POST
def register_challenge(request, kind):
    return _challenge(request, purpose=REGISTER, account_type=_account_type(kind))


def _challenge(request, **purpose):
    """A new signature request: its nonce for the agent, its token for the form (JSON)."""
    try:
        rate_consume(("signature_per_ip", client_ip(request)))
    except RateLimited as limited:
        return JsonResponse({"message": limited.message}, status=429)
    issued = request_start(request, method=Account.Method.USB, **purpose)
    return binding_keep(request, JsonResponse({"nonce": issued.nonce, "request": issued.token}))


def login_sign(request):
    query = f"?{request.GET.urlencode()}" if request.GET else ""
    return _sign(request, purpose=LOGIN, page={
        "verify_url": reverse("accounts:usb_login"),
        "challenge_url": reverse("accounts:usb_login_challenge") + query,
        "heading": _("Đăng nhập"), "login_tabs": True,
    })


def register_sign(request, kind):
    account_type = _account_type(kind)
    return _sign(request, purpose=REGISTER, account_type=account_type, page={
        "verify_url": reverse("accounts:usb_register_verify", args=[kind]),
        "challenge_url": reverse("accounts:usb_register_challenge", args=[kind]),
        "heading": _("Đăng ký"), "kind_label": Account.Type(account_type).label,
    })


def _sign(request, *, purpose: str, page: dict, account_type: str = ""):
    """GET: the page that has the agent sign; POST: the signature, checked once.

    A repeated post of a request already decided (a reload after a lost answer) gets
    its outcome again.
    """
    if request.method != "POST":
        return _sign_page(request, page)
    form = SignedChallengeForm(request.POST)
    if not form.is_valid():
        return _sign_page(request, page, _("Không nhận được chữ ký từ công cụ ký điện tử. "
                                           "Vui lòng thử lại."))
    signed = request_of_browser(request, form.cleaned_data["request"],
                                method=Account.Method.USB)
    if signed is None or (signed.purpose, signed.account_type) != (purpose, account_type):
        return _sign_page(request, page, SignatureRefused("nonce_missing").message)
    signed = signer_verify(signed, certificate_der=form.cleaned_data["certificate"],
                           signature=form.cleaned_data["signature"],
                           algorithm=form.cleaned_data["algorithm"])
    if signed.state == SignatureRequest.State.FAILED:
        log.info("usb signature refused")
        return _sign_page(request, page, signed.message)
    return redirect(request_next_url(signed))


def _sign_page(request, page: dict, error=""):
    return render(request, "accounts/usb_sign.html", {
        **page, "error": error, "agent_url": settings.SIGNING_AGENT_URL,
        "min_version": settings.SIGNING_AGENT_MIN_VERSION,
    }, status=400 if error else 200)


def signing_tool(request):
    """"Tải công cụ ký điện tử": the agent to download, with checksums, and what the
    person's computer runs now (the page's script asks the agent its version)."""
    return render(request, "accounts/signing_tool.html", {
        "agent_url": settings.SIGNING_AGENT_URL, "downloads": agent_downloads(),
        "min_version": settings.SIGNING_AGENT_MIN_VERSION, "version": agent_version,
        "wheel": wheel_name(),
    })


def signing_tool_file(request, name):
    path = agent_file(name)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=name)
