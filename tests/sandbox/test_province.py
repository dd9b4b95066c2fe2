"""The sample province's portal (sandbox/province/) as a relying party: the request it
builds (PKCE S256, state, nonce), and what it refuses of what comes back. A fake portal in
the test process (tests/local_http.py) answers discovery, keys, token and userinfo, so a
test can forge what the real portal never sends (another key, another nonce)."""

import base64
import hashlib
import time
from urllib.parse import parse_qsl, urlsplit

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from sandbox.province.app import ProvinceSite
from sandbox.province.oidc import LOA_2, LOA_3, Portal, SignInFailed
from sandbox.province.pages import level_text
from tests.local_http import scripted

CLIENT_ID, SECRET, BASE = "backan-dev", "dev-secret", "http://127.0.0.1:8200"
ACCESS_TOKEN, SUBJECT = "access-1", "pairwise-subject-1"
TUAN = {"name": "Cao Văn Tuấn", "birthdate": "1984-01-21", "id_number": "001084567801",
        "phone_number": "+84912345017", "phone_number_verified": True}


def _rsa() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"alg": "RS256", "use": "sig"}, auto_kid=True)


def _b64(digest: bytes) -> str:
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class FakePortal:
    """What the portal answers; `claims` and `signer` change the next ID token."""

    def __init__(self, url: str):
        self.url = url
        self.key = _rsa()
        self.published = [self.key]
        self.signer = None  # another key signs, under the published key's kid
        self.sent_nonce = ""  # the nonce of the authorization request the test followed
        self.nonce = ""  # another nonce for the next ID token (a forgery)
        self.claims: dict = {}
        self.userinfo: dict = {"sub": SUBJECT, **TUAN}
        self.requests: list[tuple[str, dict, str]] = []

    def id_token(self, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.url, "aud": CLIENT_ID, "sub": SUBJECT, "iat": now,
                  "exp": now + 300, "auth_time": now, "nonce": self.nonce or nonce,
                  "acr": LOA_2, "amr": ["pwd", "sms", "mfa"], **TUAN,
                  "at_hash": _b64(hashlib.sha256(ACCESS_TOKEN.encode()).digest()[:16]),
                  **self.claims}
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims,
                          self.signer or self.key)

    def answer(self, path: str) -> tuple[int, object]:
        if path == "/.well-known/openid-configuration":
            return 200, {"issuer": self.url, **{name: f"{self.url}/{name}" for name in (
                "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                "end_session_endpoint")}}
        if path == "/jwks_uri":
            return 200, {"keys": [key.as_dict(private=False) for key in self.published]}
        if path == "/token_endpoint":
            return 200, {"access_token": ACCESS_TOKEN, "token_type": "Bearer",
                         "expires_in": 300, "id_token": self.id_token(self.sent_nonce)}
        return 200, self.userinfo


@pytest.fixture(scope="module")
def fake_server():
    holder: dict[str, FakePortal] = {}
    with scripted(holder) as url:
        yield url, holder


@pytest.fixture
def fake(fake_server) -> FakePortal:
    url, holder = fake_server
    holder["fake"] = FakePortal(url)
    return holder["fake"]


@pytest.fixture
def portal(fake) -> Portal:
    return Portal(issuer=fake.url, client_id=CLIENT_ID, client_secret=SECRET, base_url=BASE,
                  timeout=2.0)


def _query(url: str) -> dict:
    return dict(parse_qsl(urlsplit(url).query))


def _begin(portal: Portal, fake: FakePortal, level: int = 2) -> tuple[dict, dict]:
    url, pending = portal.login_begin(level=level)
    fake.sent_nonce = _query(url)["nonce"]
    return _query(url), pending


def _back(fake: FakePortal, sent: dict, **changes) -> dict:
    """The callback's query the portal sends the browser back with."""
    return {"code": "code-1", "state": sent["state"], "iss": fake.url, **changes}


# --- The request ------------------------------------------------------------------------
def test_it_asks_with_pkce_s256_a_state_and_a_nonce_kept_for_the_way_back(portal, fake):
    sent, pending = _begin(portal, fake)
    assert sent["response_type"] == "code" and sent["client_id"] == CLIENT_ID
    assert sent["redirect_uri"] == BASE + "/callback"
    assert sent["scope"] == "openid profile id_number phone email"
    assert (sent["state"], sent["nonce"]) == (pending["state"], pending["nonce"])
    assert sent["code_challenge_method"] == "S256"
    assert sent["code_challenge"] == _b64(hashlib.sha256(pending["verifier"].encode()).digest())
    assert len(pending["verifier"]) >= 43 and "acr_values" not in sent
    again, other = _begin(portal, fake)
    assert {again["state"], again["nonce"], other["verifier"]}.isdisjoint(
        {sent["state"], sent["nonce"], pending["verifier"]})


def test_it_asks_acr_values_level_3_for_the_level_3_service(portal, fake):
    sent, pending = _begin(portal, fake, level=3)
    assert sent["acr_values"] == LOA_3 and pending["level"] == 3


# --- The way back -----------------------------------------------------------------------
def test_it_exchanges_the_code_with_its_verifier_and_checks_the_id_token(portal, fake):
    sent, pending = _begin(portal, fake)
    signed_in = portal.login_finish(_back(fake, sent), pending)

    token_requests = [request for request in fake.requests if request[0] == "/token_endpoint"]
    assert len(token_requests) == 1
    _path, headers, body = token_requests[0]
    form = dict(parse_qsl(body))
    assert form == {"grant_type": "authorization_code", "code": "code-1",
                    "redirect_uri": BASE + "/callback", "code_verifier": pending["verifier"]}
    basic = base64.b64encode(f"{CLIENT_ID}:{SECRET}".encode()).decode()
    assert headers["Authorization"] == f"Basic {basic}"
    claims = signed_in["claims"]
    assert (claims["name"], claims["id_number"], claims["acr"]) == (
        TUAN["name"], TUAN["id_number"], LOA_2)
    assert "nonce" not in claims and "aud" not in claims  # checked, then dropped
    assert signed_in["id_token"].count(".") == 2


@pytest.mark.parametrize("state", ["", "not-the-state-we-sent"])
def test_it_refuses_a_state_it_did_not_send_without_spending_the_code(portal, fake, state):
    sent, pending = _begin(portal, fake)
    with pytest.raises(SignInFailed, match="state"):
        portal.login_finish(_back(fake, sent, state=state), pending)
    with pytest.raises(SignInFailed, match="state"):
        portal.login_finish(_back(fake, sent), None)  # no login begun in this session
    assert not [request for request in fake.requests if request[0] == "/token_endpoint"]


def test_it_refuses_an_answer_naming_another_issuer_or_too_late(portal, fake):
    sent, pending = _begin(portal, fake)
    with pytest.raises(SignInFailed, match="state"):
        portal.login_finish(_back(fake, sent, iss="https://elsewhere.example"), pending)
    with pytest.raises(SignInFailed, match="state"):
        portal.login_finish(_back(fake, sent), {**pending, "at": time.time() - 3600})


def test_it_refuses_an_id_token_with_another_nonce(portal, fake):
    sent, pending = _begin(portal, fake)
    fake.nonce = "a-nonce-of-another-login"
    with pytest.raises(SignInFailed, match="token"):
        portal.login_finish(_back(fake, sent), pending)


def test_it_refuses_an_id_token_signed_by_another_key(portal, fake):
    sent, pending = _begin(portal, fake)
    fake.signer = _rsa()  # under the published key's kid
    with pytest.raises(SignInFailed, match="token"):
        portal.login_finish(_back(fake, sent), pending)


def test_it_refuses_a_key_the_portal_does_not_publish_even_after_fetching_again(portal, fake):
    portal.login_begin()  # the keys are fetched and kept
    sent, pending = _begin(portal, fake)
    fake.key = _rsa()  # signs under its own kid, which the JWKS never lists
    with pytest.raises(SignInFailed, match="token"):
        portal.login_finish(_back(fake, sent), pending)
    assert len([request for request in fake.requests if request[0] == "/jwks_uri"]) == 2


def test_it_fetches_the_keys_once_more_for_a_rotated_key(portal, fake):
    sent, pending = _begin(portal, fake)
    portal.login_finish(_back(fake, sent), pending)
    fake.key = _rsa()
    fake.published.append(fake.key)
    sent, pending = _begin(portal, fake)
    assert portal.login_finish(_back(fake, sent), pending)["claims"]["sub"] == SUBJECT


@pytest.mark.parametrize("claims", [
    {"aud": "another-province"},
    {"iss": "https://elsewhere.example"},
    {"exp": int(time.time()) - 600},
    {"at_hash": "not-the-access-tokens"},
])
def test_it_refuses_an_id_token_for_someone_else_or_expired(portal, fake, claims):
    sent, pending = _begin(portal, fake)
    fake.claims = claims
    with pytest.raises(SignInFailed, match="token"):
        portal.login_finish(_back(fake, sent), pending)


def test_it_refuses_userinfo_about_another_subject(portal, fake):
    sent, pending = _begin(portal, fake)
    fake.userinfo = {**fake.userinfo, "sub": "someone-else"}
    with pytest.raises(SignInFailed, match="token"):
        portal.login_finish(_back(fake, sent), pending)


@pytest.mark.parametrize(("error", "code"), [("access_denied", "denied"),
                                             ("invalid_request", "error")])
def test_it_logs_nobody_in_on_an_error_answer(portal, fake, error, code):
    sent, pending = _begin(portal, fake)
    back = {"error": error, "state": sent["state"], "iss": fake.url}
    with pytest.raises(SignInFailed, match=code):
        portal.login_finish(back, pending)


# --- How a login is told ----------------------------------------------------------------
@pytest.mark.parametrize(("acr", "amr", "text"), [
    (LOA_2, ["pwd", "sms", "mfa"], "Mức độ 2 — mật khẩu và mã OTP gửi qua SMS"),
    (LOA_2, ["pwd", "otp", "mfa"],
     "Mức độ 2 — mật khẩu và mã OTP từ ứng dụng xác thực hoặc mã dự phòng"),
    (LOA_3, ["hwk", "pin", "mfa"], "Mức độ 3 — chữ ký số (SIM ký số)"),
    (LOA_3, ["sc", "hwk", "pin", "mfa"], "Mức độ 3 — chữ ký số (USB ký số)"),
    (LOA_2, ["hwk", "pin", "mfa"], "Mức độ 2 — chữ ký số (SIM ký số)"),  # a level-2 account
    (LOA_2, [], "Mức độ 2"),  # a VNeID login
])
def test_it_tells_the_level_with_how_the_person_logged_in(acr, amr, text):
    assert level_text({"acr": acr, "amr": amr}) == text


# --- The site ---------------------------------------------------------------------------
class Visitor:
    """A browser at the site: calls the WSGI application, keeps its cookie."""

    def __init__(self, site: ProvinceSite):
        self.site = site
        self.cookie = ""

    def call(self, method: str, url: str) -> tuple[int, dict, str]:
        path, _mark, query = url.partition("?")
        found = {}

        def start_response(status, headers):
            found.update(status=int(status.split()[0]), headers=dict(headers))

        body = b"".join(self.site({"REQUEST_METHOD": method, "PATH_INFO": path,
                                   "QUERY_STRING": query, "HTTP_COOKIE": self.cookie},
                                  start_response))
        if "Set-Cookie" in found["headers"]:
            self.cookie = found["headers"]["Set-Cookie"].split(";")[0]
        return found["status"], found["headers"], body.decode()

    def follow(self, url: str, method: str = "GET") -> str:
        status, headers, _body = self.call(method, url)
        assert status == 303
        return headers["Location"]


def test_it_signs_a_visitor_in_shows_the_claims_and_signs_out(portal, fake):
    visitor = Visitor(ProvinceSite(portal))
    status, _headers, body = visitor.call("GET", "/")
    assert status == 200 and "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia" in body
    sent = _query(visitor.follow("/dang-nhap"))
    fake.sent_nonce = sent["nonce"]
    before = visitor.cookie

    assert visitor.follow(f"/callback?code=c&state={sent['state']}&iss={fake.url}") == (
        "/thong-tin")
    assert visitor.cookie != before  # a new session id once signed in
    _status, _headers, body = visitor.call("GET", "/thong-tin")
    for text in ("Họ tên", "Cao Văn Tuấn", "Ngày sinh", "21/01/1984", "Số CMT/CCCD",
                 "001084567801", "0912345017", "Mức độ 2 — mật khẩu và mã OTP gửi qua SMS"):
        assert text in body

    logout = visitor.follow("/dang-xuat", method="POST")
    asked = _query(logout)
    assert logout.startswith(fake.url + "/end_session_endpoint?")
    assert asked["post_logout_redirect_uri"] == BASE + "/" and asked["id_token_hint"]
    assert visitor.follow("/thong-tin") == "/"  # signed out here already
    _status, _headers, body = visitor.call("GET", f"/?state={asked['state']}")
    assert "Bạn đã đăng xuất khỏi cổng tỉnh và khỏi Cổng Dịch vụ công quốc gia." in body


def test_it_gives_a_new_session_id_at_a_sign_in(portal, fake):
    visitor = Visitor(ProvinceSite(portal))
    sent = _query(visitor.follow("/dang-nhap"))
    fake.sent_nonce = sent["nonce"]
    planted = visitor.cookie  # what a session-fixing attacker would know
    visitor.follow(f"/callback?code=c&state={sent['state']}&iss={fake.url}")
    visitor.cookie = planted
    assert visitor.follow("/thong-tin") == "/"


def test_it_refuses_a_callback_with_a_state_it_did_not_send(portal, fake):
    visitor = Visitor(ProvinceSite(portal))
    visitor.follow("/dang-nhap")
    assert visitor.follow(f"/callback?code=c&state=forged&iss={fake.url}") == "/"
    _status, _headers, body = visitor.call("GET", "/")
    assert "Yêu cầu đăng nhập không hợp lệ hoặc đã hết hạn" in body
    assert "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia" in body
    assert not [request for request in fake.requests if request[0] == "/token_endpoint"]


def test_it_says_on_the_service_page_that_level_3_was_turned_back(portal, fake):
    visitor = Visitor(ProvinceSite(portal))
    sent = _query(visitor.follow("/dang-nhap?muc-do=3"))
    assert sent["acr_values"] == LOA_3
    back = f"/callback?error=access_denied&state={sent['state']}&iss={fake.url}"
    assert visitor.follow(back) == "/dich-vu-muc-do-3"
    _status, _headers, body = visitor.call("GET", "/dich-vu-muc-do-3")
    assert "Chưa đăng nhập được ở mức độ 3" in body
    assert "Đăng nhập bằng chữ ký số (mức độ 3)" in body


def test_it_opens_the_service_at_level_3(portal, fake):
    visitor = Visitor(ProvinceSite(portal))
    sent = _query(visitor.follow("/dang-nhap?muc-do=3"))
    fake.sent_nonce = sent["nonce"]
    fake.claims = {"acr": LOA_3, "amr": ["hwk", "pin", "mfa"]}
    assert visitor.follow(f"/callback?code=c&state={sent['state']}&iss={fake.url}") == (
        "/dich-vu-muc-do-3")
    _status, _headers, body = visitor.call("GET", "/dich-vu-muc-do-3")
    assert "Mức độ 3 — chữ ký số (SIM ký số)" in body and "001084567801" in body


def test_it_tells_on_the_home_page_that_the_portal_is_down(fake):
    down = Portal(issuer="http://127.0.0.1:9", client_id=CLIENT_ID, client_secret=SECRET,
                  base_url=BASE, timeout=1.0)
    visitor = Visitor(ProvinceSite(down))
    assert visitor.follow("/dang-nhap") == "/"
    _status, _headers, body = visitor.call("GET", "/")
    assert "Cổng Dịch vụ công quốc gia đang không phản hồi" in body
