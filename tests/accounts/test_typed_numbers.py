"""Numbers as people type them on the forms that take an ID, a phone or a code: in
full-width digits (some phone keyboards), with spaces between the groups, with dots. The
portal reads them as their digits, and the person goes on."""

import pytest

from accounts.models import Account
from tests.accounts.conftest import AN, CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def wide(number: str) -> str:
    return number.translate(FULL_WIDTH)


def grouped(number: str) -> str:
    return " ".join(number[i:i + 3] for i in range(0, len(number), 3))


@pytest.mark.parametrize("typed", [wide, grouped], ids=["full-width", "grouped"])
def test_it_registers_with_the_id_and_phone_typed_so(client, sms_outbox, typed):
    response = client.post("/dang-ky/mobile/", {**AN, "id_number": typed(AN["id_number"]),
                                                 "phone": typed(AN["phone"]), **CAPTCHA})
    assert response.status_code == 302, response.content.decode()[-3000:]
    code = last_code(sms_outbox, "+84912345001")
    response = client.post(response.url, {"code": typed(code)})
    assert response.url == "/dang-ky/mat-khau/"
    client.post(response.url, {"password1": PASSWORD, "password2": PASSWORD})
    assert Account.objects.get().username == "001090012345"


@pytest.mark.parametrize("typed", [wide, grouped, lambda n: n[:3] + "." + n[3:]],
                         ids=["full-width", "grouped", "dotted"])
def test_it_logs_in_with_the_id_typed_so(client, citizen, sms_outbox, typed):
    response = client.post("/dang-nhap/", {"username": typed(citizen.username),
                                           "password": PASSWORD, **CAPTCHA})
    assert response.url == "/dang-nhap/xac-thuc-otp/"
    response = client.post(response.url, {"code": typed(last_code(sms_outbox,
                                                                  "+84912345017"))})
    assert response.url == "/trang-ca-nhan/"


def test_it_resets_with_the_phone_in_full_width(client, citizen, sms_outbox):
    response = client.post("/quen-mat-khau/", {"username": wide(citizen.username),
                                               "phone": wide("0912345017"), **CAPTCHA})
    assert response.url == "/quen-mat-khau/xac-thuc-otp/"
    response = client.post(response.url, {"code": wide(last_code(sms_outbox,
                                                                 "+84912345017"))})
    assert response.url == "/quen-mat-khau/mat-khau-moi/"


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(letter) - ord("a") + ord("ａ")) for letter in text)


@pytest.mark.parametrize("typed", [
    str.lower, lambda answer: " " + " ".join(answer.upper()) + " ",
    lambda answer: _fullwidth(answer).upper(), lambda answer: _fullwidth(answer[:2]) + " "
    + _fullwidth(answer[2:]),
], ids=["as drawn", "capitals with spaces", "full-width capitals", "full-width with a space"])
def test_it_takes_the_captcha_in_capitals_with_spaces(typed):
    from accounts.captcha_keys import captcha_answer, captcha_key_new
    from accounts.forms import PortalCaptchaField

    key = captcha_key_new()
    PortalCaptchaField().clean([key, typed(captcha_answer(key))])  # no ValidationError
