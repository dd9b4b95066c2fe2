"""What a portal's server and its visitors' browsers call besides the authorization page:
discovery, the token endpoint (rate-limited), and the logout a portal sends people to.
The JWKS, userinfo and revocation are django-oauth-toolkit's own views (federation/urls.py).
"""

import base64
import binascii
from urllib.parse import unquote_plus

from django.db import transaction
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe
from oauth2_provider.exceptions import InvalidOIDCClientError, InvalidOIDCRedirectURIError
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views import RPInitiatedLogoutView, TokenView

from accounts.device_sessions import session_forgotten
from accounts.flows.signature_request import requests_forget
from accounts.http import client_ip
from accounts.ratelimit import RateLimited, rate_consume
from federation.claims import LEVELS
from federation.scopes import SCOPES, scope_claims
from federation.validator import portal_client

AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
_token_view = TokenView.as_view()


@require_safe
def discovery(request):
    """/.well-known/openid-configuration: every address from the configured issuer, never
    from the request's Host."""
    issuer = oauth2_settings.OIDC_ISS_ENDPOINT

    def url(name: str) -> str:
        return issuer + reverse(f"federation:{name}")

    response = JsonResponse({
        "issuer": issuer,
        "authorization_endpoint": url("authorize"),
        "token_endpoint": url("token"),
        "userinfo_endpoint": url("userinfo"),
        "jwks_uri": url("jwks"),
        "end_session_endpoint": url("logout"),
        "revocation_endpoint": url("revoke"),
        "scopes_supported": list(SCOPES),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": AUTH_METHODS,
        "revocation_endpoint_auth_methods_supported": AUTH_METHODS,
        "code_challenge_methods_supported": ["S256"],
        "claims_supported": ["sub", "acr", "amr", "auth_time", *scope_claims(SCOPES)],
        "acr_values_supported": list(LEVELS),
        "prompt_values_supported": ["none", "login", "consent"],
        "ui_locales_supported": ["vi"],
        "claims_parameter_supported": False,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "authorization_response_iss_parameter_supported": True,
    })
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
@require_POST
def token(request):
    """The toolkit's token endpoint, behind caps per client and per address, in one
    transaction: the code is taken under a row lock (federation/validator.py)."""
    try:
        rate_consume(("token_per_client", _client_id(request)),
                     ("token_per_ip", client_ip(request)))
    except RateLimited as limited:
        response = JsonResponse({"error": "slow_down",
                                 "error_description": "Too many token requests"}, status=429)
        response["Retry-After"] = str(limited.wait)
        response["Cache-Control"] = "no-store"
        return response
    with transaction.atomic():
        return _token_view(request)


def _client_id(request) -> str:
    """The client id the request claims (HTTP Basic, else the body): what the cap counts,
    before the toolkit checks the secret."""
    kind, _space, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if kind == "Basic":
        try:
            decoded = base64.b64decode(credentials, validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        return unquote_plus(decoded.partition(":")[0])[:100]
    return request.POST.get("client_id", "")[:100]


class LogoutView(RPInitiatedLogoutView):
    """RP-initiated logout: after it, only to a post-logout address the client registered,
    character for character (the toolkit would let a loopback address take any port)."""

    template_name = "federation/logout.html"

    def get_request_application(self, id_token, client_id):
        if client_id:
            application = get_application_model().objects.filter(client_id=client_id).first()
            if portal_client(application) is None:
                raise InvalidOIDCClientError()
            return application
        return super().get_request_application(id_token, client_id)

    def validate_post_logout_redirect_uri(self, application, post_logout_redirect_uri):
        super().validate_post_logout_redirect_uri(application, post_logout_redirect_uri)
        if post_logout_redirect_uri and (
                post_logout_redirect_uri not in application.post_logout_redirect_uris.split()):
            raise InvalidOIDCRedirectURIError()

    def do_logout(self, application=None, post_logout_redirect_uri=None, state=None,
                  token_user=None):
        requests_forget(self.request)  # as "Đăng xuất" does (accounts/views/profile.py)
        session_forgotten(self.request)
        return super().do_logout(application, post_logout_redirect_uri, state, token_user)
