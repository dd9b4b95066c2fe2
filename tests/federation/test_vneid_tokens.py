"""What the VNeID adapter does with what a provider says: a provider in the test process
(tests/local_http.py) whose ID token and answers each test writes, for what the sandbox
VNeID never does (another audience, an expired token, a forged signature, rotated keys)."""

import base64
import hashlib
import time
import urllib.parse

import pytest
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from accounts.flows.state import flow_record
from accounts.models import Account
from federation.vneid.base import EidIdentity, EidRefused, EidUnavailable
from federation.vneid.oidc import OidcEidProvider
from tests.local_http import scripted

CLIENT_ID, NONCE, ACCESS_TOKEN, SUBJECT = "dichvucong", "nonce-1", "access-1", "subject-1"
TUAN = "001084567801"
USERINFO = {"sub": SUBJECT, "personal_identification_number": TUAN, "name": "Cao Văn Tuấn",
            "birthdate": "1984-01-21", "phone_number": "+84912345017"}


def _rsa() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, auto_kid=True)


def at_hash(token: str) -> str:
    digest = hashlib.sha256(token.encode()).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class FakeVneid:
    """The provider's state: its key, the claims and answers of the next token request."""

    def __init__(self):
        self.key = _rsa()
        self.published = [self.key]
        self.url = ""
        self.claims: dict = {}
        self.header: dict = {}
        self.signer = None  # another key to sign with (a forgery)
        self.token_status = 200
        self.userinfo = dict(USERINFO)
        self.discovery_issuer = None
        self.requests: list[tuple[str, dict, str]] = []  # path, headers, body

    @property
    def issuer(self) -> str:
        return self.url + "/vneid"

    def id_token(self) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "sub": SUBJECT, "aud": CLIENT_ID, "iat": now,
                  "exp": now + 300, "nonce": NONCE, "acr": "urn:vneid:level:2",
                  "at_hash": at_hash(ACCESS_TOKEN), **self.claims}
        claims = {name: value for name, value in claims.items() if value is not None}
        header = {"alg": "RS256", "kid": self.key.kid, **self.header}
        return jwt.encode(header, claims, self.signer or self.key,
                          algorithms=[header["alg"]])

    def answer(self, path: str) -> tuple[int, object]:
        if path.endswith("/.well-known/openid-configuration"):
            return 200, {"issuer": self.discovery_issuer or self.issuer,
                         **{name: self.issuer + "/" + name for name in (
                             "authorization_endpoint", "token_endpoint", "jwks_uri",
                             "userinfo_endpoint")}}
        if path.endswith("/jwks_uri"):
            return 200, {"keys": [key.as_dict(private=False) for key in self.published]}
        if path.endswith("/token_endpoint"):
            if self.token_status != 200:
                return self.token_status, {"error": "invalid_grant"}
            return 200, {"access_token": ACCESS_TOKEN, "token_type": "Bearer",
                         "expires_in": 300, "id_token": self.id_token()}
        return 200, self.userinfo


@pytest.fixture(scope="module")
def provider_server():
    """One server for the module (stopping one waits for its half-second poll); each test
    gets a provider state of its own (`fake`)."""
    holder: dict[str, FakeVneid] = {}
    with scripted(holder) as url:
        yield url, holder


@pytest.fixture
def fake(provider_server):
    url, holder = provider_server
    holder["fake"] = state = FakeVneid()
    state.url = url
    return state


def adapter(fake: FakeVneid) -> OidcEidProvider:
    return OidcEidProvider(issuer=fake.issuer, client_id=CLIENT_ID, client_secret="s3cret",
                           timeout=2.0)


def fetch(provider: OidcEidProvider) -> EidIdentity:
    return provider.identity_fetch(code="code-1", redirect_uri="http://testserver/cb",
                                   code_verifier="v" * 64, nonce=NONCE)


def test_a_well_formed_answer_gives_the_person(fake):
    identity = fetch(adapter(fake))
    assert (identity.id_number, identity.full_name, identity.level, identity.phone) == (
        TUAN, "Cao Văn Tuấn", 2, "+84912345017")
    assert identity.birth_date.isoformat() == "1984-01-21" and identity.subject == SUBJECT


def test_the_code_is_exchanged_once_with_the_secret_and_the_verifier(fake):
    fetch(adapter(fake))
    token_requests = [r for r in fake.requests if r[0].endswith("/token_endpoint")]
    assert len(token_requests) == 1
    _, headers, body = token_requests[0]
    form = dict(urllib.parse.parse_qsl(body))
    assert form == {"grant_type": "authorization_code", "code": "code-1",
                    "redirect_uri": "http://testserver/cb", "code_verifier": "v" * 64}
    assert headers["Authorization"] == "Basic " + base64.b64encode(
        f"{CLIENT_ID}:s3cret".encode()).decode()
    userinfo = [r for r in fake.requests if r[0].endswith("/userinfo_endpoint")]
    assert userinfo[0][1]["Authorization"] == f"Bearer {ACCESS_TOKEN}"


EXPIRED = {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 3900}


@pytest.mark.parametrize("claims", [
    pytest.param({"aud": "another-portal"}, id="wrong audience"),
    pytest.param({"aud": ["another-portal", CLIENT_ID]}, id="another party too, no azp"),
    pytest.param(EXPIRED, id="expired"),
    pytest.param({"exp": None}, id="no expiry"),
    pytest.param({"iss": "https://vneid.example.vn"}, id="another issuer"),
    pytest.param({"nonce": "another-nonce"}, id="nonce mismatch"),
    pytest.param({"nonce": None}, id="no nonce"),
    pytest.param({"at_hash": at_hash("another-access-token")}, id="at_hash mismatch"),
    pytest.param({"iat": int(time.time()) + 3600}, id="issued in the future"),
])
def test_an_id_token_failing_a_claim_check_is_refused(fake, claims):
    fake.claims = claims
    with pytest.raises(EidRefused) as refused:
        fetch(adapter(fake))
    assert refused.value.code == "token"


def test_an_id_token_signed_with_another_key_is_refused(fake):
    fake.signer = _rsa()  # under the published key's kid: a forgery
    with pytest.raises(EidRefused) as refused:
        fetch(adapter(fake))
    assert refused.value.code == "token"


def test_an_id_token_signed_with_a_shared_secret_is_refused(fake):
    fake.header, fake.signer = {"alg": "HS256"}, OctKey.generate_key(256)
    with pytest.raises(EidRefused):
        fetch(adapter(fake))


def test_rotated_keys_are_fetched_again_once(fake):
    provider = adapter(fake)
    fetch(provider)
    fake.key = _rsa()
    fake.published = [fake.key]  # the provider rotated its key
    assert fetch(provider).id_number == TUAN
    assert len([r for r in fake.requests if r[0].endswith("/jwks_uri")]) == 2
    fake.key = _rsa()  # a key it never published
    with pytest.raises(EidRefused):
        fetch(provider)


@pytest.mark.parametrize("userinfo", [
    pytest.param({**USERINFO, "sub": "someone-else"}, id="another subject"),
    pytest.param({**USERINFO, "personal_identification_number": "12345"}, id="no 12-digit ID"),
    pytest.param({**USERINFO, "birthdate": "21/01/1984"}, id="a date not in ISO form"),
    pytest.param({**USERINFO, "name": "  "}, id="no name"),
    pytest.param(["not", "an", "object"], id="not an object"),
])
def test_a_userinfo_answer_that_does_not_say_who_is_no_answer(fake, userinfo):
    fake.userinfo = userinfo
    with pytest.raises(EidUnavailable) as down:
        fetch(adapter(fake))
    assert down.value.reason == "bad_answer"


def test_an_unknown_level_is_no_answer(fake):
    fake.claims = {"acr": "urn:vneid:level:9"}
    with pytest.raises(EidUnavailable):
        fetch(adapter(fake))


def test_a_discovery_document_for_another_issuer_is_no_answer(fake):
    fake.discovery_issuer = "https://attacker.example"
    with pytest.raises(EidUnavailable) as down:
        adapter(fake).authorization_url(redirect_uri="http://testserver/cb", state="s",
                                        nonce="n", code_challenge="c" * 43)
    assert down.value.reason == "bad_answer"


def test_a_code_the_provider_refuses_means_starting_again(fake):
    fake.token_status = 400
    with pytest.raises(EidRefused) as refused:
        fetch(adapter(fake))
    assert refused.value.code == "state"


# Through the portal's callback: the page says so and nobody is logged in -----------------
@pytest.mark.django_db
@pytest.mark.parametrize("forge", ["audience", "expired", "signature"])
def test_a_refused_id_token_logs_nobody_in(client, settings, fake, forge):
    settings.VNEID_PROVIDER = {"BACKEND": "federation.vneid.oidc.OidcEidProvider", "OPTIONS": {
        "issuer": fake.issuer, "client_id": CLIENT_ID, "client_secret": "s3cret"}}
    Account.objects.create_user(TUAN, "Dvc@2026mat", full_name="Cao Văn Tuấn")
    fake.claims = {"audience": {"aud": "another-portal"}, "expired": EXPIRED}.get(forge, {})
    fake.signer = _rsa() if forge == "signature" else None
    session = client.session
    session["flow:vneid"] = flow_record("sent", owner=None, state="st", nonce=NONCE,
                                        verifier="v" * 64, next_url="",
                                        redirect_uri="http://testserver/dang-nhap/vneid/ket-qua/")
    session.save()
    response = client.get("/dang-nhap/vneid/ket-qua/?code=code-1&state=st", follow=True)
    assert response.redirect_chain[-1][0] == "/dang-nhap/"
    assert "Không xác thực được thông tin VNeID gửi về" in response.content.decode()
    assert "_auth_user_id" not in client.session
