"""One person, one account across the change of ID card: a 9-digit CMND and the 12-digit
CCCD that replaced it are the same person (the population registry says which numbers are
one person's). Tạ Văn Xuân has an account under his CMND 012345678; his CCCD is
001058004321. Châu Thị Yến (CMND 271234567, CCCD 079165001234) has none yet."""


import pytest

from accounts.models import Account
from accounts.registries import registries_reset, registry
from sandbox.dev_ca import citizen_subject, issue_certificate
from tests.accounts.conftest import (
    CAPTCHA,
    PASSWORD,
    POPULATION_DOWN,
    XUAN_CCCD,
    XUAN_CMND,
    XUAN_PHONE,
    YEN_CCCD,
    YEN_CMND,
    last_code,
)
from tests.fixtures_signing import usb_sign

pytestmark = pytest.mark.django_db(transaction=True)
XUAN = {"full_name": "Tạ Văn Xuân", "birth_date": "30/04/1958", "phone": "0912345019",
        "email": ""}
YEN = {"full_name": "Châu Thị Yến", "birth_date": "02/02/1965", "phone": "0912345020",
       "email": ""}


def test_the_population_registry_knows_both_numbers_of_a_person():
    assert registry("population").person_numbers(XUAN_CCCD) == {XUAN_CMND, XUAN_CCCD}
    assert registry("population").person_numbers(XUAN_CMND) == {XUAN_CMND, XUAN_CCCD}
    assert registry("population").person_numbers("001090012345") == {"001090012345"}


def test_the_population_registry_over_http(sandbox_server, settings):
    settings.REGISTRIES = {**settings.REGISTRIES, "population": {
        "BACKEND": "accounts.registries.http.HttpPopulationRegistry",
        "OPTIONS": {"url": sandbox_server + "/population/numbers", "timeout": 2.0}}}
    registries_reset()
    try:
        assert registry("population").person_numbers(YEN_CCCD) == {YEN_CMND, YEN_CCCD}
        assert registry("population").person_numbers("001090012345") == {"001090012345"}
    finally:
        registries_reset()


def test_registering_with_the_new_card_finds_the_account_of_the_old_one(client, xuan):
    page = client.post("/dang-ky/vnpost/", {**XUAN, "id_number": XUAN_CCCD, **CAPTCHA})
    assert page.status_code == 409 and "Tài khoản đã tồn tại" in page.content.decode()
    assert "Quên mật khẩu" in page.content.decode()  # and the three ways out
    assert Account.objects.count() == 1


def test_a_new_account_records_the_other_number_and_the_other_card_is_refused(client,
                                                                             sms_outbox):
    response = client.post("/dang-ky/mobile/", {**YEN, "id_number": YEN_CMND, **CAPTCHA})
    response = client.post(response.url, {"code": last_code(sms_outbox, "+84912345020")})
    client.post(response.url, {"password1": PASSWORD, "password2": PASSWORD})
    account = Account.objects.get()
    assert (account.username, account.other_id_number) == (YEN_CMND, YEN_CCCD)
    again = client.post("/dang-ky/vnpost/", {**YEN, "id_number": YEN_CCCD, **CAPTCHA})
    assert again.status_code == 409 and Account.objects.count() == 1


@pytest.mark.parametrize("typed", [XUAN_CMND, XUAN_CCCD])
def test_the_person_logs_in_with_either_number(client, xuan, sms_outbox, typed):
    response = client.post("/dang-nhap/", {"username": typed, "password": PASSWORD, **CAPTCHA})
    response = client.post(response.url, {"code": last_code(sms_outbox, XUAN_PHONE)})
    assert response.url == "/trang-ca-nhan/"
    assert client.get(response.url).wsgi_request.user == xuan


def test_guesses_count_alike_whichever_number_is_typed(client, xuan, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "password_per_account": ["2/15m"]}
    for typed in (XUAN_CMND, XUAN_CCCD):
        client.post("/dang-nhap/", {"username": typed, "password": "Sai#2026x", **CAPTCHA})
    page = client.post("/dang-nhap/", {"username": XUAN_CCCD, "password": PASSWORD, **CAPTCHA})
    assert page.status_code == 200, "the third try on one account is refused"


def test_the_password_is_reset_with_either_number(client, xuan, sms_outbox):
    response = client.post("/quen-mat-khau/", {"username": XUAN_CCCD, "phone": "0912345019",
                                               **CAPTCHA})
    response = client.post(response.url, {"code": last_code(sms_outbox, XUAN_PHONE)})
    assert response.url == "/quen-mat-khau/mat-khau-moi/"


def test_registration_waits_for_the_population_registry(client, population_down, sms_outbox):
    page = client.post("/dang-ky/mobile/", {**YEN, "id_number": YEN_CMND, **CAPTCHA})
    assert POPULATION_DOWN in page.content.decode()
    assert 'value="Châu Thị Yến"' in page.content.decode(), "what was typed is kept"
    assert not Account.objects.exists() and not sms_outbox


# Certificates ------------------------------------------------------------------------


@pytest.fixture
def trust(trusted_dev_ca):
    return trusted_dev_ca


def sign(client, issued, page):
    return usb_sign(client, issued, page)


def xuans_new_certificate(trust):
    """A certificate naming the CCCD only (no OCSP: the CA's list decides)."""
    return issue_certificate(trust.intermediate, citizen_subject("Tạ Văn Xuân", XUAN_CCCD))


@pytest.mark.parametrize("recorded", [True, False], ids=["recorded", "from-the-registry"])
def test_a_certificate_naming_the_new_card_opens_the_account(client, xuan, trust, recorded):
    if not recorded:  # an account made before the number was recorded with it
        Account.objects.filter(pk=xuan.pk).update(other_id_number="")
    done = sign(client, xuans_new_certificate(trust), "/dang-nhap/usb-ky-so/").url
    assert client.get(done).url == "/trang-ca-nhan/"
    assert client.get("/trang-ca-nhan/").wsgi_request.user == xuan


def test_a_certificate_naming_the_new_card_cannot_register_again(client, xuan, trust):
    Account.objects.filter(pk=xuan.pk).update(other_id_number="")
    details = sign(client, xuans_new_certificate(trust), "/dang-ky/usb-ky-so/cong-dan/").url
    page = client.get(details)
    assert page.status_code == 409 and "Tài khoản đã tồn tại" in page.content.decode()
