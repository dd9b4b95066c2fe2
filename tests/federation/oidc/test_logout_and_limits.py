"""RP-initiated logout (only to an address the portal registered) and the token
endpoint's caps."""

from urllib.parse import urlencode

from tests.federation.oidc.conftest import log_in

SUB_LIMITS = {"token_per_client": ["3/1m"], "token_per_ip": ["100/1m"]}


def _logout(rp, **params):
    return rp.browser.get("/oidc/logout/?" + urlencode(params))


def test_a_portal_logs_its_visitor_out_and_gets_them_back(rp, an):
    log_in(rp.browser, an)
    id_token = rp.tokens()["id_token"]
    response = _logout(rp, id_token_hint=id_token, client_id="backan-dev", state="s1",
                       post_logout_redirect_uri="http://127.0.0.1:8200/")
    assert response.status_code == 302
    assert response["Location"] == "http://127.0.0.1:8200/?state=s1"
    assert "_auth_user_id" not in rp.browser.session


def test_a_logout_goes_nowhere_the_portal_did_not_register(rp, an):
    log_in(rp.browser, an)
    id_token = rp.tokens()["id_token"]
    for other in ("http://127.0.0.1:8201/", "http://127.0.0.1:8200/?x=1",
                  "https://evil.example/", "http://127.0.0.1:8200/callback"):
        response = _logout(rp, id_token_hint=id_token, post_logout_redirect_uri=other)
        assert response.status_code == 400, other
        assert "Location" not in response
    assert _logout(rp, client_id="no-such-portal",
                   post_logout_redirect_uri="https://evil.example/").status_code == 400
    assert "_auth_user_id" in rp.browser.session, "still logged in"


def test_a_logout_without_the_portal_s_token_is_confirmed(rp, an):
    log_in(rp.browser, an)
    page = _logout(rp, client_id="backan-dev")
    assert page.status_code == 200
    assert "yêu cầu đăng xuất" in page.content.decode()
    rp.browser.post("/oidc/logout/", {"client_id": "backan-dev", "allow": "on"})
    assert "_auth_user_id" not in rp.browser.session


def test_the_token_endpoint_is_capped_per_client(rp, an, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, **SUB_LIMITS}
    log_in(rp.browser, an)
    for _ in range(3):
        assert rp.exchange("no-such-code", verifier="v" * 43).status_code == 400
    capped = rp.exchange(rp.sign_in())
    assert capped.status_code == 429 and capped.json()["error"] == "slow_down"
    assert int(capped["Retry-After"]) > 0


def test_the_token_endpoint_is_capped_per_address(rp, an, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "token_per_ip": ["2/1m"]}
    for client_id in ("a", "b"):
        rp.server.post("/oidc/token/", {"grant_type": "authorization_code", "code": "x",
                                        "client_id": client_id})
    log_in(rp.browser, an)
    assert rp.exchange(rp.sign_in()).status_code == 429
