"""Registration by social insurance (BHXH) and by Vietnam Post, over both backends."""

import pytest

from accounts.models import Account, VerificationCode
from accounts.registries import registries_reset
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)


def person(id_number, full_name, birth_date, phone, bhxh_code=""):
    data = {"id_number": id_number, "full_name": full_name, "birth_date": birth_date,
            "phone": phone, "email": ""}
    return {**data, "bhxh_code": bhxh_code} if bhxh_code else data


PHUC = person("075087123450", "Lý Văn Phúc", "03/03/1987", "0912345013", "0113123450")
CUC = person("035189890124", "Quách Thị Cúc", "29/09/1989", "0912345022", "0122890124")
DANH = person("083094901235", "Lâm Văn Danh", "27/03/1994", "0912345023", "0123901235")
HAI = person("010079345679", "Triệu Văn Hải", "17/07/1979", "0912345027", "0127345679")
TUAN = person("001084567801", "Cao Văn Tuấn", "21/01/1984", "0912345017", "0117567801")


@pytest.fixture(params=["sandbox", "http"])
def backend(request, settings):
    """The registries in-process, or the real HTTP adapters against the sandbox server."""
    if request.param == "http":
        url = request.getfixturevalue("sandbox_server")
        settings.REGISTRIES = {
            name: {"BACKEND": f"accounts.registries.http.Http{cls}Registry",
                   "OPTIONS": {"url": f"{url}/{path}", "timeout": 1.5}}
            for name, cls, path in [("carrier", "Carrier", "carrier/check"),
                                    ("bhxh", "Bhxh", "bhxh/lookup"),
                                    ("vnpost", "Vnpost", "vnpost/lookup"),
                                    ("population", "Population", "population/numbers")]
        }
    registries_reset()
    yield request.param
    registries_reset()


def _register(client, method, data, sms_outbox):
    response = client.post(f"/dang-ky/{method}/", {**data, **CAPTCHA})
    if response.status_code != 302:
        return response
    phone = "+84" + data["phone"][1:]
    client.post("/dang-ky/xac-thuc-otp/", {"code": last_code(sms_outbox, phone)})
    return client.post("/dang-ky/mat-khau/", {"password1": PASSWORD, "password2": PASSWORD})


def test_it_registers_by_bhxh_at_level_two(client, backend, sms_outbox):
    assert _register(client, "bhxh", PHUC, sms_outbox).url == "/dang-nhap/"
    account = Account.objects.get()
    assert (account.username, account.assurance_level, account.registration_method,
            account.verified_by) == ("075087123450", 2, "bhxh", "Cơ quan BHXH")


def test_it_takes_the_12_digit_id_in_place_of_the_bhxh_code(client, backend, sms_outbox):
    data = {**PHUC, "bhxh_code": PHUC["id_number"]}
    assert _register(client, "bhxh", data, sms_outbox).url == "/dang-nhap/"


@pytest.mark.parametrize("data", [
    CUC,                                          # BHXH holds another birth date
    HAI,                                          # BHXH holds another ID number
    {**PHUC, "full_name": "Ly Van Phuc"},         # diacritics are part of the name
    {**PHUC, "bhxh_code": "0999999999"},          # unknown code
])
def test_it_refuses_data_that_do_not_match_bhxh(client, backend, sms_outbox, data):
    page = _register(client, "bhxh", data, sms_outbox).content.decode()
    assert "dữ liệu không khớp với CSDL BHXH" in page
    assert "1989-09-27" not in page and "27/09/1989" not in page, "no registry data shown"
    assert f'value="{data["full_name"]}"' in page
    assert not VerificationCode.objects.exists() and not Account.objects.exists()


@pytest.mark.parametrize("data", [DANH, person("030200123457", "Mạc Văn Giang", "29/02/2000",
                                               "0912345025", "0125123457")])
def test_it_offers_a_retry_when_bhxh_is_down(client, backend, sms_outbox, data, caplog):
    page = _register(client, "bhxh", data, sms_outbox).content.decode()
    assert "Hệ thống CSDL Bảo hiểm xã hội đang không phản hồi" in page
    assert f'value="{data["bhxh_code"]}"' in page
    assert not Account.objects.exists() and sms_outbox == []
    assert data["id_number"] not in caplog.text and data["full_name"] not in caplog.text


def test_it_checks_duplicates_on_the_id_bhxh_holds(client, backend, citizen, sms_outbox):
    response = _register(client, "bhxh", TUAN, sms_outbox)
    assert response.status_code == 409 and sms_outbox == []


def test_it_registers_by_vietnam_post(client, backend, sms_outbox):
    assert _register(client, "vnpost", CUC, sms_outbox).url == "/dang-nhap/"
    account = Account.objects.get()
    assert (account.registration_method, account.verified_by) == ("vnpost", "Bưu điện Việt Nam")


@pytest.mark.parametrize("data", [DANH, HAI, PHUC])  # name without accents, date, unknown
def test_it_refuses_data_that_do_not_match_vietnam_post(client, backend, sms_outbox, data):
    page = _register(client, "vnpost", data, sms_outbox).content.decode()
    assert "không khớp với dữ liệu khách hàng đã được Bưu điện Việt Nam" in page
    assert not Account.objects.exists()


def test_it_offers_a_retry_when_vietnam_post_answers_nonsense(client, backend, sms_outbox):
    giang = person("030200123457", "Mạc Văn Giang", "29/02/2000", "0912345025")
    page = _register(client, "vnpost", giang, sms_outbox).content.decode()
    assert "Hệ thống của Bưu điện Việt Nam đang không phản hồi" in page


def test_it_explains_a_malformed_bhxh_code(client):
    page = client.post("/dang-ky/bhxh/", {**PHUC, "bhxh_code": "12345", **CAPTCHA})
    assert "Mã bảo hiểm xã hội gồm 10 chữ số" in page.content.decode()
