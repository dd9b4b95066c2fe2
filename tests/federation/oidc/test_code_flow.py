"""The authorization code flow with PKCE, as a province's portal runs it."""

import base64
import time

import time_machine
from oauth2_provider.models import Grant

from federation.models import SignIn
from federation.tasks import tokens_expired_purge_task
from tests.federation.oidc.conftest import SECRET, RelyingParty, client_make, log_in

ISSUED_AT = time.time()


def test_it_issues_tokens_for_a_code_and_its_verifier(rp, an):
    log_in(rp.browser, an)
    tokens = rp.tokens("openid profile")
    assert tokens["token_type"] == "Bearer" and tokens["expires_in"] == 300
    assert tokens["scope"] == "openid profile"
    assert "refresh_token" not in tokens, "this client is not allowed refresh tokens"
    claims = rp.id_claims(tokens["id_token"])
    assert claims["aud"] == "backan-dev" and claims["exp"] - claims["iat"] == 300
    assert claims["name"] == "Nguyễn Văn An" and claims["birthdate"] == "1990-03-15"
    assert claims["acr"] == "urn:dichvucong:loa:2"
    assert claims["amr"] == ["pwd", "sms", "mfa"]
    assert abs(claims["auth_time"] - time.time()) < 5
    userinfo = rp.userinfo(tokens["access_token"]).json()
    assert userinfo == {"sub": claims["sub"], "name": "Nguyễn Văn An",
                        "birthdate": "1990-03-15"}


def test_it_refuses_a_wrong_verifier(rp, an):
    log_in(rp.browser, an)
    response = rp.exchange(rp.sign_in(), verifier="x" * 50)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_it_refuses_a_request_without_pkce(rp, an):
    log_in(rp.browser, an)
    response = rp.start(code_challenge=None, code_challenge_method=None)
    answer = rp.answer(response)
    assert answer["error"] == "invalid_request" and "code" not in answer


def test_it_refuses_plain_pkce(rp, an):
    log_in(rp.browser, an)
    response = rp.start(code_challenge="a" * 50, code_challenge_method="plain")
    assert rp.answer(response)["error"] == "invalid_request"


def test_it_refuses_a_code_used_twice(rp, an):
    log_in(rp.browser, an)
    code = rp.sign_in()
    assert rp.exchange(code).status_code == 200
    again = rp.exchange(code)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    assert not SignIn.objects.exists(), "the sign-in goes with its code"


def test_it_refuses_a_code_past_its_minute(rp, an):
    log_in(rp.browser, an)
    with time_machine.travel(ISSUED_AT, tick=True) as clock:
        code = rp.sign_in()
        clock.shift(61)
        response = rp.exchange(code)
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_it_sends_nothing_to_a_redirect_uri_not_registered(rp, an):
    log_in(rp.browser, an)
    for other in ("http://127.0.0.1:8201/callback",  # a loopback address, another port
                  "http://127.0.0.1:8200/callback?next=/evil",
                  "http://127.0.0.1:8200/callback/",
                  "https://evil.example/callback"):
        response = rp.start(redirect_uri=other)
        assert response.status_code == 400, other
        assert "Yêu cầu đăng nhập từ cổng dịch vụ không hợp lệ" in response.content.decode()


def test_it_refuses_a_code_exchanged_for_another_redirect_uri(rp, an, backan):
    backan.application.redirect_uris += " http://127.0.0.1:8200/other"
    backan.application.save()
    log_in(rp.browser, an)
    response = rp.exchange(rp.sign_in(), redirect_uri="http://127.0.0.1:8200/other")
    assert response.status_code == 400 and "access_token" not in response.json()


def test_it_refuses_a_wrong_secret(rp, an):
    log_in(rp.browser, an)
    rp.secret = "not-" + SECRET
    assert rp.exchange(rp.sign_in()).json()["error"] == "invalid_client"


def test_it_knows_no_disabled_client(rp, an, backan):
    backan.enabled = False
    backan.save()
    log_in(rp.browser, an)
    assert rp.start().status_code == 400


def test_it_gives_refresh_tokens_only_to_clients_allowed_them(client, an, rp):
    log_in(client, an)
    tokens = rp.tokens()
    refused = rp.server.post("/oidc/token/", {
        "grant_type": "refresh_token", "refresh_token": "anything", "client_id": rp.client_id,
        "client_secret": SECRET})
    assert "refresh_token" not in tokens and refused.status_code in (400, 401)
    allowed = RelyingParty(client_make("refreshing", name="Cổng có refresh token",
                                       redirect="https://rt.example.vn/cb", refresh=True),
                           client)
    tokens = allowed.tokens()
    refreshed = allowed.server.post("/oidc/token/", {
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
        "client_id": "refreshing", "client_secret": SECRET})
    assert refreshed.status_code == 200, refreshed.content
    assert refreshed.json()["access_token"] != tokens["access_token"]
    assert "id_token" not in refreshed.json(), "a refresh tells of no new login"


def test_it_revokes_a_token_the_client_hands_back(rp, an):
    log_in(rp.browser, an)
    access = rp.tokens()["access_token"]
    basic = base64.b64encode(f"backan-dev:{SECRET}".encode()).decode()
    rp.server.post("/oidc/revoke/", {"token": access}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert rp.userinfo(access).status_code == 401


def test_housekeeping_drops_codes_past_their_time(rp, an):
    log_in(rp.browser, an)
    with time_machine.travel(ISSUED_AT, tick=False) as clock:
        rp.sign_in()
        clock.shift(120)
        tokens_expired_purge_task()
    assert not Grant.objects.exists() and not SignIn.objects.exists()
