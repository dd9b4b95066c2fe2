"""An authorization request from another portal: reading it, deciding what it still
needs from the person, and issuing its code.

django-oauth-toolkit (through oauthlib) checks the request itself: the client, the exact
redirect URI, `response_type=code`, PKCE, the scopes (federation/validator.py). What it
needs from the person is decided here, from the session:
- a login, when there is none, when `prompt=login` asks one, or when `max_age` is past;
- a signature login, when the client asks level 3 (`acr_values`) and this login is not a
  signature of a level-3 account; an account below level 3 cannot give one at all;
- consent, when the person has not agreed to every scope asked (or `prompt=consent`).
`prompt=none` gets each of those as an error at the client instead of a page.
"""

import time
from dataclasses import dataclass, field

from django.contrib.auth import logout as auth_logout
from django.utils.translation import gettext_lazy as _
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.settings import oauth2_settings
from oauth2_provider.views.mixins import OAuthLibMixin
from oauthlib.common import add_params_to_uri
from oauthlib.oauth2.rfc6749.errors import InvalidRequestError

from accounts.activity import activity_record
from accounts.device_sessions import session_forgotten
from accounts.flows.signature_request import requests_forget
from accounts.fresh import login_how
from accounts.models import Account
from federation.claims import LOA_3, level_wanted, login_context, login_level
from federation.consent import consent_covers
from federation.models import Client
from portal.refusals import Refusal

# What a request still needs from the person.
READY, LOGIN, SIGNATURE, LEVEL, CONSENT = "ready", "login", "signature", "level", "consent"
# …and the error `prompt=none` answers instead (OpenID Connect Core 3.1.2.6).
SILENT_ERRORS = {LOGIN: "login_required", SIGNATURE: "login_required",
                 LEVEL: "unmet_authentication_requirements", CONSENT: "consent_required"}


class SignInRefused(Refusal):
    """A sign-in to another portal that cannot go on, and has no client to answer."""

    texts = {
        "invalid": _("Yêu cầu đăng nhập từ cổng dịch vụ không hợp lệ: cổng chưa được đăng ký "
                     "hoặc địa chỉ trả về không khớp. Vui lòng quay lại cổng dịch vụ và thử "
                     "lại, hoặc báo cho đơn vị quản lý cổng đó."),
        "expired": _("Yêu cầu đăng nhập vào cổng dịch vụ đã hết hạn. Vui lòng quay lại cổng "
                     "dịch vụ và đăng nhập lại."),
    }


@dataclass
class AuthRequest:
    scopes: list[str]
    credentials: dict
    client: Client
    prompt: set[str] = field(default_factory=set)
    max_age: int | None = None
    level: int = 0  # the level `acr_values` asks; 0: any


def authorize_read(request) -> AuthRequest:
    """The request, checked; OAuthToolkitError (FatalClientError: nowhere to answer)."""
    scopes, credentials = OAuthLibMixin.get_oauthlib_core().validate_authorization_request(
        request)
    if credentials.get("code_challenge_method") != "S256":  # "plain" is no proof
        raise _invalid(credentials, "code_challenge_method must be S256")
    max_age = request.GET.get("max_age", "")
    if max_age and not max_age.isdigit():
        raise _invalid(credentials, "max_age must be a number of seconds")
    client = Client.objects.select_related("application").get(
        application__client_id=credentials["client_id"])
    return AuthRequest(scopes=scopes, credentials=credentials, client=client,
                       prompt=set(request.GET.get("prompt", "").split()),
                       max_age=int(max_age) if max_age else None,
                       level=level_wanted(request.GET.get("acr_values", "")))


def _invalid(credentials: dict, description: str) -> OAuthToolkitError:
    return OAuthToolkitError(InvalidRequestError(description=description,
                                                 state=credentials.get("state")),
                             redirect_uri=credentials["redirect_uri"])


def authorize_needs(request, auth: AuthRequest) -> str:
    """What the request still needs from the person in `request`'s session."""
    account = request.user
    how = login_how(request) if account.is_authenticated else None
    login = SIGNATURE if auth.level >= 3 else LOGIN
    if how is None or "login" in auth.prompt:
        return login
    if auth.max_age is not None and time.time() - how["at"] > auth.max_age:
        return login
    if auth.level >= 3 and login_level(account, how) != LOA_3:
        return LEVEL if account.assurance_level < Account.Level.HIGH else SIGNATURE
    if "consent" in auth.prompt or not consent_covers(account, auth.client, auth.scopes):
        return CONSENT
    return READY


def authorize_issue(request, auth: AuthRequest) -> str:
    """Issue the code; where to send the person (the client, with the code)."""
    account = request.user
    credentials = {**auth.credentials,
                   "portal_sign_in": login_context(account, login_how(request))}
    uri, _headers, _body, _status = OAuthLibMixin.get_oauthlib_core(
    ).create_authorization_response(request, scopes=auth.scopes, credentials=credentials,
                                    allow=True)
    activity_record(account, "client_signin", request=request,
                    client=auth.client.display_name)
    return uri


def client_error_url(auth: AuthRequest, error: str) -> str:
    """The client's redirect URI answering `error`, with its state and our issuer."""
    params = [("error", error)]
    if auth.credentials.get("state"):
        params.append(("state", auth.credentials["state"]))
    params.append(("iss", oauth2_settings.OIDC_ISS_ENDPOINT))
    return add_params_to_uri(auth.credentials["redirect_uri"], params)


def query_for_login(request) -> str:
    """The request's query for after the login it forces: `prompt=login` and `max_age`
    satisfied by that login, so the request does not ask for it again."""
    query = request.GET.copy()
    prompt = [value for value in query.get("prompt", "").split() if value != "login"]
    query.pop("max_age", None)
    if prompt:
        query["prompt"] = " ".join(prompt)
    else:
        query.pop("prompt", None)
    return query.urlencode()


def session_end(request) -> None:
    """Log out before a login that must be new, as "Đăng xuất" does."""
    if request.user.is_authenticated:
        requests_forget(request)
        session_forgotten(request)
        auth_logout(request)
