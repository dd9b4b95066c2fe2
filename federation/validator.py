"""django-oauth-toolkit's request validator, narrowed to what this portal allows.

Only what differs from the toolkit is here:
- a client whose `federation.Client` is missing or disabled does not exist;
- a redirect URI matches a registered one exactly (the toolkit lets a loopback address
  take any port and a query carry extra parameters);
- the scopes asked are narrowed to the client's allowed ones, `openid` required;
- refresh tokens only for the clients allowed them, and no new ID token on a refresh;
- claims from federation/claims.py: a pairwise `sub`; `acr`, `amr` and `auth_time` of the
  login behind the code (federation.SignIn), not of the account's last login;
- a code is taken under a row lock, so two exchanges of one code cannot both succeed.
"""

from oauth2_provider.models import get_grant_model
from oauth2_provider.oauth2_validators import OAuth2Validator

from federation.claims import claims_of
from federation.models import SignIn
from federation.scopes import OPENID, SCOPES


def portal_client(application):
    """The application's enabled `federation.Client`, else None."""
    client = getattr(application, "portal_client", None) if application else None
    return client if client is not None and client.enabled else None


class PortalValidator(OAuth2Validator):
    def _load_application(self, client_id, request):
        application = super()._load_application(client_id, request)
        if application is not None and portal_client(application) is None:
            request.client = None
            return None
        return application

    def validate_redirect_uri(self, client_id, redirect_uri, request, *args, **kwargs):
        return redirect_uri in request.client.redirect_uris.split()

    def validate_scopes(self, client_id, scopes, client, request, *args, **kwargs):
        if OPENID not in scopes:
            return False
        allowed = {OPENID, *portal_client(client).allowed_scopes}
        # A scope the client may not ask is dropped, not refused (RFC 6749 section 3.3):
        # the token response's `scope` tells the client what it got.
        request.scopes = [scope for scope in scopes if scope in allowed and scope in SCOPES]
        return True

    def validate_grant_type(self, client_id, grant_type, client, request, *args, **kwargs):
        if grant_type == "refresh_token" and not portal_client(client).refresh_allowed:
            return False
        return super().validate_grant_type(client_id, grant_type, client, request, *args,
                                           **kwargs)

    def save_authorization_code(self, client_id, code, request, *args, **kwargs):
        grant = self._create_authorization_code(request, code)
        SignIn.objects.create(grant=grant, **request.portal_sign_in)

    def validate_code(self, client_id, code, client, request, *args, **kwargs):
        grant = (get_grant_model().objects.select_for_update(of=("self",))
                 .select_related("portal_sign_in").filter(code=code, application=client).first())
        if grant is None or not super().validate_code(client_id, code, client, request):
            return False
        sign_in = grant.portal_sign_in
        request.portal_sign_in = {"acr": sign_in.acr, "amr": sign_in.amr,
                                  "auth_time": sign_in.auth_time}
        return True

    def save_bearer_token(self, token, request, *args, **kwargs):
        if not portal_client(request.client).refresh_allowed:
            token.pop("refresh_token", None)  # the same dict is the client's answer
        return super().save_bearer_token(token, request, *args, **kwargs)

    def refresh_id_token(self, request):
        return False  # the login it would speak of is the original one: the client has it

    def validate_bearer_token(self, token, scopes, request):
        return (super().validate_bearer_token(token, scopes, request)
                and portal_client(request.client) is not None)

    def validate_silent_login(self, request):
        return True  # prompt=none is answered by federation/authorize.py, which knows the session

    def validate_silent_authorization(self, request):
        return True  # …and so is consent

    def get_oidc_claims(self, token, token_handler, request):
        client = portal_client(request.client)
        return claims_of(request.user, request.scopes, sector=client.sector_identifier)

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expires = super().get_id_token_dictionary(token, token_handler, request)
        claims.update(request.portal_sign_in)
        if not claims["amr"]:
            del claims["amr"]
        return claims, expires
