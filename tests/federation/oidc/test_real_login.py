"""The whole way round through the portal's own login: password, then the SMS code, then
back to the portal that asked."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.accounts.conftest import CAPTCHA
from tests.federation.oidc.conftest import PASSWORD
from tests.sms import last_code

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_password_and_sms_login_comes_back_to_the_portal(rp, an, sms_outbox):
    login = rp.start("openid profile phone")["Location"]
    page = rp.browser.get(login).content.decode()
    assert "Đăng nhập để tiếp tục đến Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)." in page
    assert f"/dang-nhap/sim-ky-so/?next={parse_qs(urlsplit(login).query)['next'][0]}" in page
    otp = rp.browser.post(login, {"username": an.username, "password": PASSWORD, **CAPTCHA})
    back = rp.browser.post(otp["Location"], {"code": last_code(sms_outbox, an.phone)})
    assert back["Location"].startswith("/oidc/tiep-tuc/")
    consent = rp.browser.get(rp.browser.get(back["Location"])["Location"])
    assert "Số điện thoại" in consent.content.decode()
    code = rp.answer(rp.browser.post(rp.url, {"decision": "allow"}))["code"]
    claims = rp.id_claims(rp.exchange(code).json()["id_token"])
    assert claims["amr"] == ["pwd", "sms", "mfa"] and claims["phone_number"] == "+84912345001"
