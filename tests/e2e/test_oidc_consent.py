"""A province's portal signs a person in with their national account: the person logs in
with password and SMS, reads what the portal will receive, agrees; the portal's server
exchanges the code and gets the claims. Then "Ứng dụng được chia sẻ" lists the portal,
and withdrawing cuts it off.

The test plays the portal: it builds the authorization request (PKCE, state, nonce),
catches the browser at the portal's callback, and exchanges the code with `requests`
against the live server, as a real portal's back end does."""

import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from jwcrypto import jwk, jwt
from playwright.sync_api import expect

from tests.federation.oidc.conftest import BACKAN, SECRET, client_make
from tests.fixtures_browser import enter_code, fill_login_form, heading, last_code, sample_person

pytestmark = pytest.mark.e2e
PORTAL_NAME = "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)"


def _authorization(portal: str) -> tuple[str, dict]:
    verifier = secrets.token_urlsafe(48)
    request = {
        "response_type": "code", "client_id": "backan-dev", "redirect_uri": BACKAN,
        "scope": "openid profile id_number phone", "state": secrets.token_urlsafe(16),
        "nonce": secrets.token_urlsafe(16), "code_challenge_method": "S256",
        "code_challenge": base64.urlsafe_b64encode(hashlib.sha256(
            verifier.encode()).digest()).rstrip(b"=").decode(),
    }
    return f"{portal}/oidc/authorize/?{urlencode(request)}", {**request, "verifier": verifier}


def _exchange(portal: str, code: str, sent: dict) -> dict:
    answer = requests.post(f"{portal}/oidc/token/", auth=("backan-dev", SECRET), timeout=10,
                           data={"grant_type": "authorization_code", "code": code,
                                 "redirect_uri": BACKAN, "code_verifier": sent["verifier"]})
    assert answer.status_code == 200, answer.text
    return answer.json()


def _id_claims(portal: str, id_token: str, sent: dict) -> dict:
    keys = jwk.JWKSet.from_json(requests.get(f"{portal}/oidc/jwks/", timeout=10).content)
    claims = json.loads(jwt.JWT(jwt=id_token, key=keys, algs=["RS256"], check_claims={
        "iss": portal, "aud": "backan-dev", "exp": None}).claims)
    assert claims["nonce"] == sent["nonce"]
    return claims


def test_a_person_signs_in_to_a_province_then_withdraws(page, portal, check_page, sms_outbox,
                                                        sample_accounts, settings):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": portal}
    client_make("backan-dev", name=PORTAL_NAME, redirect=BACKAN)
    page.route(BACKAN + "*", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8",
        body='<!doctype html><html lang="vi"><title>Bắc Kạn</title><h1>Bắc Kạn</h1></html>'))
    tuan = sample_person("001084567801")
    url, sent = _authorization(portal)

    page.goto(url)
    expect(page.get_by_role("status")).to_contain_text(f"Đăng nhập để tiếp tục đến {PORTAL_NAME}")
    fill_login_form(page, tuan["id_number"], tuan["account"]["password"])
    enter_code(page, last_code(sms_outbox, tuan["phone"]))
    expect(heading(page, "Chia sẻ thông tin")).to_be_visible()
    for attribute in ("Họ tên", "Ngày sinh", "Số CMT/CCCD", "Số điện thoại"):
        expect(page.get_by_role("listitem").filter(has_text=attribute).first).to_be_visible()
    expect(page.get_by_role("link", name="Chính sách chia sẻ thông tin").first).to_be_visible()
    check_page(page, "consent")

    page.get_by_role("button", name="Đồng ý").click()
    page.wait_for_url(BACKAN + "*")
    answer = {key: values[0] for key, values in parse_qs(urlsplit(page.url).query).items()}
    assert answer["state"] == sent["state"] and answer["iss"] == portal
    tokens = _exchange(portal, answer["code"], sent)
    claims = _id_claims(portal, tokens["id_token"], sent)
    assert claims["name"] == tuan["full_name"] and claims["id_number"] == tuan["id_number"]
    assert claims["acr"] == "urn:dichvucong:loa:2" and "sms" in claims["amr"]
    userinfo = requests.get(f"{portal}/oidc/userinfo/", timeout=10, headers={
        "Authorization": f"Bearer {tokens['access_token']}"})
    assert userinfo.json()["phone_number"] == tuan["phone"]

    page.goto(portal + "/trang-ca-nhan/")
    page.get_by_role("link", name="Ứng dụng được chia sẻ").click()
    expect(heading(page, "Ứng dụng được chia sẻ")).to_be_visible()
    shared = page.get_by_role("listitem").filter(has_text=PORTAL_NAME)
    expect(shared).to_contain_text("Số điện thoại")
    check_page(page, "shared-apps")
    page.get_by_role("button", name="Rút lại đồng ý").click()
    expect(page.get_by_role("status")).to_contain_text(f"Đã rút lại đồng ý chia sẻ thông tin "
                                                       f"với {PORTAL_NAME}")
    check_page(page, "shared-apps-withdrawn")
    gone = requests.get(f"{portal}/oidc/userinfo/", timeout=10, headers={
        "Authorization": f"Bearer {tokens['access_token']}"})
    assert gone.status_code == 401

    page.goto(_authorization(portal)[0])
    expect(heading(page, "Chia sẻ thông tin")).to_be_visible()  # asked again
