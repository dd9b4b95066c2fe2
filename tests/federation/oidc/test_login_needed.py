"""What a sign-in needs first: a login, a fresh one (prompt=login, max_age), a signature
login (acr_values level 3), and what prompt=none answers instead."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from accounts.fresh import LOGIN_HOW
from federation.consent import consent_grant
from tests.federation.oidc.conftest import log_in

LOA_3 = "urn:dichvucong:loa:3"


def _login_page(response, path="/dang-nhap/") -> str:
    """Where the login sends the person back to (its ?next=)."""
    assert response.status_code == 302
    where = urlsplit(response["Location"])
    assert where.path == path
    back = parse_qs(where.query)["next"][0]
    assert back.startswith("/oidc/tiep-tuc/")
    return back


def _agreed(account, client, scopes="openid profile"):
    consent_grant(account=account, client=client, scopes=scopes.split(), request=None)


def test_a_stranger_logs_in_then_comes_back_to_the_request(rp, an):
    back = _login_page(rp.start())
    log_in(rp.browser, an)
    again = rp.browser.get(back)
    assert again.status_code == 302 and again["Location"] == rp.url
    assert "Chia sẻ thông tin" in rp.browser.get(rp.url).content.decode()
    assert rp.browser.get(back).status_code == 400, "the way back serves once"


def test_prompt_none_answers_login_required_to_a_stranger(rp):
    answer = rp.answer(rp.start(prompt="none"))
    assert answer["error"] == "login_required" and "code" not in answer


def test_prompt_none_answers_consent_required(rp, an):
    log_in(rp.browser, an)
    assert rp.answer(rp.start(prompt="none"))["error"] == "consent_required"
    _agreed(an, rp.client)
    assert "code" in rp.answer(rp.start(prompt="none"))


def test_prompt_login_asks_a_new_login(rp, an):
    _agreed(an, rp.client)
    log_in(rp.browser, an)
    back = _login_page(rp.start(prompt="login"))
    assert "_auth_user_id" not in rp.browser.session, "logged out first"
    log_in(rp.browser, an)
    resumed = rp.browser.get(back)["Location"]
    assert "prompt" not in parse_qs(urlsplit(resumed).query), "satisfied by the new login"
    assert "code" in rp.answer(rp.browser.get(resumed))


@pytest.mark.parametrize("age,asks", [(30, False), (600, True)])
def test_max_age_asks_a_new_login_once_past(rp, an, age, asks):
    _agreed(an, rp.client)
    log_in(rp.browser, an, at=time.time() - age)
    response = rp.start(max_age="300")
    if asks:
        _login_page(response)
    else:
        assert "code" in rp.answer(response)


def test_level_3_asks_a_signature_then_issues_level_3(rp, tuan3):
    _agreed(tuan3, rp.client)
    log_in(rp.browser, tuan3)  # password and SMS: level 2 as a login
    back = _login_page(rp.start(acr_values=LOA_3), path="/dang-nhap/usb-ky-so/")
    log_in(rp.browser, tuan3, method="usb", factor="")  # the signature login, as it ends
    response = rp.browser.get(rp.browser.get(back)["Location"])
    tokens = rp.exchange(rp.answer(response)["code"]).json()
    claims = rp.id_claims(tokens["id_token"])
    assert claims["acr"] == LOA_3 and claims["amr"] == ["sc", "hwk", "pin", "mfa"]


def test_a_stranger_asked_level_3_goes_straight_to_the_signature(rp):
    _login_page(rp.start(acr_values=LOA_3), path="/dang-nhap/usb-ky-so/")


def test_level_2_or_3_takes_a_password_login(rp, tuan3):
    _agreed(tuan3, rp.client)
    log_in(rp.browser, tuan3)
    code = rp.answer(rp.start(acr_values=f"{LOA_3} urn:dichvucong:loa:2"))["code"]
    assert rp.id_claims(rp.exchange(code).json()["id_token"])["acr"] == "urn:dichvucong:loa:2"


def test_a_level_2_account_is_told_the_service_needs_level_3(rp, an):
    log_in(rp.browser, an, method="usb", factor="")  # even signing, the account is level 2
    page = rp.start(acr_values=LOA_3)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Dịch vụ cần tài khoản mức độ 3" in text and "Mức độ 2" in text
    back = rp.browser.post(rp.url, {"decision": "deny"})
    assert rp.answer(back)["error"] == "access_denied"
    assert LOGIN_HOW in rp.browser.session, "still logged in"
    assert rp.answer(rp.start(acr_values=LOA_3, prompt="none"))["error"] == (
        "unmet_authentication_requirements")
