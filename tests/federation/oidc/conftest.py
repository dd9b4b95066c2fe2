"""A province's portal playing the client: registered clients, a person logged in, and
a relying party that does what a real one does (PKCE with S256, state, nonce, the code
exchanged by its server, the ID token checked against the JWKS)."""

import base64
import datetime as dt
import hashlib
import json
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.test import Client as Browser
from jwcrypto import jwk, jwt
from oauth2_provider.models import get_application_model
from oauth2_provider.settings import oauth2_settings

from accounts.fresh import LOGIN_HOW
from accounts.models import Account
from federation.models import Client

Application = get_application_model()
PASSWORD = "Dvc@2026mat"
SECRET = "bac-kan-secret-for-tests"
BACKAN = "http://127.0.0.1:8200/callback"
QUANGNGAI = "https://dichvucong.quangngai.example.vn/oidc/callback"
ALL_SCOPES = ["openid", "profile", "id_number", "phone", "email"]


def client_make(client_id: str, *, name: str, redirect: str, scopes=ALL_SCOPES,
                secret: str = SECRET, refresh: bool = False, sector: str = "",
                post_logout: str = "") -> Client:
    application = Application.objects.create(
        client_id=client_id, client_secret=secret, name=name, redirect_uris=redirect,
        post_logout_redirect_uris=post_logout,
        client_type=Application.CLIENT_CONFIDENTIAL if secret else Application.CLIENT_PUBLIC,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM)
    return Client.objects.create(application=application, display_name=name,
                                 allowed_scopes=list(scopes), refresh_allowed=refresh,
                                 sector=sector)


@pytest.fixture
def backan(db) -> Client:
    return client_make("backan-dev", name="Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)",
                       redirect=BACKAN, post_logout="http://127.0.0.1:8200/")


@pytest.fixture
def quangngai(db) -> Client:
    return client_make("quangngai", name="Cổng dịch vụ công tỉnh Quảng Ngãi",
                       redirect=QUANGNGAI)


@pytest.fixture
def an(db) -> Account:
    """Nguyễn Văn An, level 2, registered by phone."""
    return _account("001090012345", "Nguyễn Văn An", level=2, phone="+84912345001",
                    email="an@example.vn")


@pytest.fixture
def tuan3(db) -> Account:
    """Cao Văn Tuấn at level 3 (he registered with his USB token)."""
    return _account("001084567801", "Cao Văn Tuấn", level=3, phone="+84912345017")


def _account(username, name, *, level, phone, email="") -> Account:
    account = Account(username=username, full_name=name, birth_date=dt.date(1990, 3, 15),
                      phone=phone, email=email, assurance_level=level,
                      registration_method="mobile" if level == 2 else "usb")
    account.set_password(PASSWORD)
    account.save()
    return account


def log_in(browser, account, *, method="password", factor="sms", at=None) -> None:
    """Logged in as `accounts.fresh.login_complete` leaves a session (how, and when)."""
    browser.force_login(account)
    session = browser.session
    session[LOGIN_HOW] = {"method": method, "factor": factor, "at": int(at or time.time())}
    session.save()


class RelyingParty:
    """One portal's server and its visitor's browser (`browser`, a test client)."""

    def __init__(self, client: Client, browser, *, secret: str = SECRET):
        self.client = client
        self.client_id = client.application.client_id
        self.redirect_uri = client.application.redirect_uris.split()[0]
        self.browser = browser
        self.secret = secret
        self.server = Browser()  # the portal's back end: no cookies of the person's

    def authorize_url(self, scope="openid profile", **extra) -> str:
        self.state, self.nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
        self.verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(
            hashlib.sha256(self.verifier.encode()).digest()).rstrip(b"=").decode()
        params = {"response_type": "code", "client_id": self.client_id,
                  "redirect_uri": self.redirect_uri, "scope": scope, "state": self.state,
                  "nonce": self.nonce, "code_challenge": challenge,
                  "code_challenge_method": "S256", **extra}
        return "/oidc/authorize/?" + urlencode({k: v for k, v in params.items() if v is not None})

    def start(self, scope="openid profile", **extra):
        self.url = self.authorize_url(scope, **extra)
        return self.browser.get(self.url)

    def answer(self, response) -> dict:
        """What came back at the redirect URI (one value per name), its state checked."""
        assert response.status_code == 302, response.content.decode()[:500]
        where = urlsplit(response["Location"])
        assert f"{where.scheme}://{where.netloc}{where.path}" == self.redirect_uri
        found = {key: values[0] for key, values in parse_qs(where.query).items()}
        assert found.get("state") == self.state
        assert found.get("iss") == oauth2_settings.OIDC_ISS_ENDPOINT
        return found

    def sign_in(self, scope="openid profile", **extra) -> str:
        """The code, consenting when asked."""
        response = self.start(scope, **extra)
        if response.status_code == 200:
            response = self.browser.post(self.url, {"decision": "allow"})
        return self.answer(response)["code"]

    def exchange(self, code, *, verifier=None, redirect_uri=None, **extra):
        basic = base64.b64encode(f"{self.client_id}:{self.secret}".encode()).decode()
        data = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": redirect_uri or self.redirect_uri,
                "code_verifier": verifier or self.verifier, **extra}
        return self.server.post("/oidc/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")

    def tokens(self, scope="openid profile", **extra) -> dict:
        response = self.exchange(self.sign_in(scope, **extra))
        assert response.status_code == 200, response.content
        return response.json()

    def id_claims(self, id_token: str) -> dict:
        """The ID token's claims, its signature checked against the published JWKS and
        its iss, aud, exp and nonce checked."""
        keys = jwk.JWKSet.from_json(self.server.get("/oidc/jwks/").content)
        token = jwt.JWT(jwt=id_token, key=keys, algs=["RS256"], check_claims={
            "iss": oauth2_settings.OIDC_ISS_ENDPOINT, "aud": self.client_id, "exp": None})
        claims = json.loads(token.claims)
        assert claims["nonce"] == self.nonce
        return claims

    def userinfo(self, access_token: str):
        return self.server.get("/oidc/userinfo/", HTTP_AUTHORIZATION=f"Bearer {access_token}")


@pytest.fixture
def rp(backan, client) -> RelyingParty:
    return RelyingParty(backan, client)
