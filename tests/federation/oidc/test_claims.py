"""What each portal learns: a subject of its own, and only the claims it may have and the
person agreed to."""

import datetime as dt

from accounts.models import Account
from tests.federation.oidc.conftest import QUANGNGAI, RelyingParty, client_make, log_in


def test_the_subject_differs_between_portals_and_stays_for_one(client, an, rp, quangngai):
    log_in(client, an)
    backan_sub = rp.id_claims(rp.tokens()["id_token"])["sub"]
    assert rp.id_claims(rp.tokens()["id_token"])["sub"] == backan_sub, "stable"
    other = RelyingParty(quangngai, client)
    quangngai_sub = other.id_claims(other.tokens()["id_token"])["sub"]
    assert quangngai_sub != backan_sub
    assert an.username not in (backan_sub, quangngai_sub) and str(an.pk) != backan_sub


def test_portals_of_one_sector_share_the_subject(client, an):
    first = client_make("qn-a", name="Quảng Ngãi A", redirect=QUANGNGAI, sector="quangngai.vn")
    second = client_make("qn-b", name="Quảng Ngãi B", redirect=QUANGNGAI, sector="quangngai.vn")
    log_in(client, an)
    assert _sub(RelyingParty(first, client)) == _sub(RelyingParty(second, client))


def _sub(rp) -> str:
    return rp.id_claims(rp.tokens()["id_token"])["sub"]


def test_each_scope_gives_its_claims(client, an, rp):
    log_in(client, an)
    tokens = rp.tokens("openid profile id_number phone email")
    claims = rp.userinfo(tokens["access_token"]).json()
    assert claims["id_number"] == "001090012345" and claims["phone_number"] == "+84912345001"
    assert claims["phone_number_verified"] is True and claims["email"] == "an@example.vn"
    only_openid = rp.userinfo(rp.tokens("openid")["access_token"]).json()
    assert set(only_openid) == {"sub"}


def test_a_scope_the_portal_may_not_ask_is_dropped(client, an):
    limited = RelyingParty(client_make("limited", name="Cổng chỉ được họ tên",
                                       redirect="https://limited.example.vn/cb",
                                       scopes=["profile"]), client)
    log_in(client, an)
    response = limited.start("openid profile id_number phone")
    assert "Số CMT/CCCD" not in response.content.decode()
    assert "Số điện thoại" not in response.content.decode()
    code = limited.answer(limited.browser.post(limited.url, {"decision": "allow"}))["code"]
    tokens = limited.exchange(code).json()
    assert tokens["scope"] == "openid profile"
    claims = limited.id_claims(tokens["id_token"])
    assert "id_number" not in claims and "phone_number" not in claims and claims["name"]


def test_openid_is_required(rp, an):
    log_in(rp.browser, an)
    assert rp.answer(rp.start("profile"))["error"] == "invalid_scope"


def test_a_business_gets_its_tax_code(client, rp):
    business = Account.objects.create(username="0101234567", full_name="Công ty TNHH Sao Mai",
                                      account_type=Account.Type.BUSINESS, assurance_level=3,
                                      birth_date=dt.date(2000, 1, 1))
    log_in(client, business, method="usb", factor="")
    claims = rp.userinfo(rp.tokens("openid profile id_number")["access_token"]).json()
    assert claims["tax_code"] == "0101234567" and "id_number" not in claims
    assert claims["name"] == "Công ty TNHH Sao Mai" and "birthdate" not in claims
