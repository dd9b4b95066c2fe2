"""The person's side of a sign-in to another portal: the authorization endpoint (the
consent page, or the login it needs first) and the way back from that login.

Each page shown here names the portal asking, so none may be framed by it: X-Frame-Options
DENY and a CSP frame-ancestors 'none' (clickjacking of "Đồng ý").
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_deny
from django.views.decorators.http import require_http_methods, require_safe
from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import add_params_to_uri

from federation.authorize import (
    CONSENT,
    LEVEL,
    LOGIN,
    READY,
    SIGNATURE,
    SILENT_ERRORS,
    SignInRefused,
    authorize_issue,
    authorize_needs,
    authorize_read,
    client_error_url,
    query_for_login,
    session_end,
)
from federation.consent import consent_grant
from federation.pending import pending_keep, pending_take
from federation.scopes import scope_attributes


@never_cache
@xframe_options_deny
@require_http_methods(["GET", "POST"])
def authorize(request):
    """GET: the request from the portal; POST: the person's answer on the consent page
    (to this same address, so the request is checked again as a whole)."""
    try:
        auth = authorize_read(request)
    except OAuthToolkitError as error:
        return _refused(request, error)
    if request.method == "POST" and request.POST.get("decision") != "allow":
        return _to_client(client_error_url(auth, "access_denied"))
    needs = authorize_needs(request, auth)
    if needs != READY and "none" in auth.prompt:
        return _to_client(client_error_url(auth, SILENT_ERRORS[needs]))
    if needs in (LOGIN, SIGNATURE):
        return _login_first(request, auth, signature=needs == SIGNATURE)
    if needs == LEVEL:
        return _page(request, "federation/level_required.html", auth)
    if needs == CONSENT and request.method != "POST":
        return _page(request, "federation/consent.html", auth, attributes=scope_attributes(
            auth.scopes, request.user.account_type))
    if needs == CONSENT:
        consent_grant(account=request.user, client=auth.client, scopes=auth.scopes,
                      request=request)
    try:
        return _to_client(authorize_issue(request, auth))
    except OAuthToolkitError as error:
        return _refused(request, error)


@require_safe
def resume(request, pending_id):
    """Back from the login an authorization request needed: the request again."""
    query = pending_take(request, pending_id)
    if query is None:
        return _error_page(request, SignInRefused("expired"))
    return redirect(f"{reverse('federation:authorize')}?{query}")


def _login_first(request, auth, *, signature: bool):
    """Log out (a login that must be new) and log in, then come back to the request."""
    query = query_for_login(request)
    session_end(request)
    back = reverse("federation:resume", args=[pending_keep(request, query)])
    portal = auth.client.display_name
    if signature:
        messages.info(request, _("%(portal)s yêu cầu đăng nhập bằng chữ ký số: USB ký số "
                                 "hoặc SIM ký số.") % {"portal": portal})
    else:
        messages.info(request, _("Đăng nhập để tiếp tục đến %(portal)s.") % {"portal": portal})
    login = reverse("accounts:usb_login" if signature else "accounts:login")
    return redirect(f"{login}?{urlencode({'next': back})}")


def _page(request, template: str, auth, **context):
    response = render(request, template, {
        "client": auth.client, "form_action": request.get_full_path(), **context})
    response["Content-Security-Policy"] = "frame-ancestors 'none'"
    return response


def _to_client(uri: str):
    return OAuth2ResponseRedirect(uri, oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES)


def _refused(request, error: OAuthToolkitError):
    """An invalid request: told to the client at its (checked) redirect URI, or, when
    there is none to trust, to the person on a page."""
    found = error.oauthlib_error
    if isinstance(error, FatalClientError) or not found.redirect_uri:
        return _error_page(request, SignInRefused("invalid"), found)
    params = [*found.twotuples, ("iss", oauth2_settings.OIDC_ISS_ENDPOINT)]
    return _to_client(add_params_to_uri(found.redirect_uri, params))


def _error_page(request, refusal: SignInRefused, error=None):
    response = render(request, "federation/error.html", {
        "message": refusal.message, "error": error}, status=400)
    response["Content-Security-Policy"] = "frame-ancestors 'none'"
    return response
