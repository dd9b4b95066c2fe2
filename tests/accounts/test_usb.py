"""Registration and login with a USB signing token, through the Django client.

The signature is made here with the keys of an in-memory development CA, the way the
agent makes it (tests/signing and tests/e2e/test_usb.py drive the real agent).
"""

import base64

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils.html import escape

from accounts.models import Account
from accounts.signatures import trust_reset
from sandbox.dev_ca import dev_ca_ensure, signature_make
from signing.challenge import signed_message
from signing.errors import MESSAGES
from tests.accounts.conftest import CAPTCHA

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def ca(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-ca")
    built, _made = dev_ca_ensure(folder)
    return folder, built


@pytest.fixture(autouse=True)
def trust(ca, settings):
    folder, _ = ca
    settings.DEV_CA_DIR = folder  # its revocation services answer for it
    settings.SIGNING_TRUST = {"ROOTS": [str(folder / "root.pem")],
                              "INTERMEDIATES": [str(folder / "intermediate.pem")],
                              "CRLS": [str(folder / "crl.pem")]}
    trust_reset()
    yield
    trust_reset()


LOGIN, CITIZEN, BUSINESS = ("/dang-nhap/usb-ky-so/", "/dang-ky/usb-ky-so/cong-dan/",
                             "/dang-ky/usb-ky-so/doanh-nghiep/")


def _signed(client, settings, issued, algorithm="RS256", origin=None, page=LOGIN, query=""):
    """What the page posts to `page` after the agent signed its challenge."""
    challenge = client.post(page + "thu-thach/" + query).json()
    message = signed_message(origin or settings.PORTAL_ORIGIN, challenge["nonce"])
    return {
        "request": challenge["request"],
        "certificate": base64.b64encode(issued.certificate.public_bytes(Encoding.DER)).decode(),
        "signature": base64.b64encode(signature_make(issued.key, message, algorithm)).decode(),
        "algorithm": algorithm,
    }


def _sign(client, settings, page, issued, **options):
    return client.post(page, _signed(client, settings, issued, page=page, **options))


def _identity(ca, name):
    return ca[1].identities[name]


def test_it_registers_a_citizen_at_level_three(client, ca, settings):
    response = _sign(client, settings, CITIZEN, _identity(ca, "citizen-an"))
    assert response.url.startswith("/dang-ky/chu-ky-so/")
    details = response.url
    page = client.get(details).content.decode()
    assert "Nguyễn Văn An" in page and "Ngày hết hạn" in page and "Tên CA" in page
    response = client.post(details, {"email": "", **CAPTCHA})
    assert response.url == "/dang-nhap/usb-ky-so/"
    account = Account.objects.get()
    assert (account.username, account.assurance_level, account.registration_method,
            account.account_type) == ("001090012345", 3, "usb", "citizen")
    assert not account.has_usable_password()
    # The details page again (a reload, the back button): no second account, a way on.
    assert client.get(details).url == "/dang-nhap/usb-ky-so/"
    assert client.post(details, {"email": "", **CAPTCHA}).url == "/dang-nhap/usb-ky-so/"
    assert Account.objects.count() == 1


def test_it_registers_a_business_by_tax_code_with_an_email(client, ca, settings):
    details = _sign(client, settings, BUSINESS, _identity(ca, "business-saomai"),
                    algorithm="PS256").url
    page = client.post(details, {"email": "", **CAPTCHA})
    assert "Doanh nghiệp phải nhập email." in page.content.decode()
    client.post(details, {"email": "ketoan@saomai.vn", **CAPTCHA})
    account = Account.objects.get()
    assert (account.username, account.account_type, account.email) == (
        "0101234567", "business", "ketoan@saomai.vn")


def test_it_refuses_a_personal_certificate_for_a_business(client, ca, settings):
    page = _sign(client, settings, BUSINESS, _identity(ca, "citizen-an"))
    assert page.status_code == 400
    assert "Chứng thư số này cấp cho cá nhân" in page.content.decode()
    assert not Account.objects.exists()


def test_it_stops_a_duplicate(client, ca, settings, citizen):
    response = _sign(client, settings, CITIZEN, _identity(ca, "citizen-tuan"))
    duplicate = client.get(response.url)
    assert duplicate.status_code == 409
    assert "Tài khoản đã tồn tại" in duplicate.content.decode()


@pytest.mark.parametrize("name,code", [
    ("expired", "cert_expired"),
    ("revoked", "revoked"),
    ("untrusted", "untrusted"),
    ("weak-rsa-1024", "weak_key"),
])
def test_it_refuses_a_bad_certificate_with_its_reason(client, ca, settings, name, code):
    page = _sign(client, settings, CITIZEN, _identity(ca, name)).content.decode()
    assert escape(str(MESSAGES[code])) in page
    assert not Account.objects.exists()


def test_it_refuses_a_signature_made_for_another_site_and_a_replay(client, ca, settings):
    refused = _sign(client, settings, CITIZEN, _identity(ca, "citizen-an"),
                    origin="https://dichvucong.example.com.evil").content.decode()
    assert escape(str(MESSAGES["bad_signature"])) in refused
    good = _signed(client, settings, _identity(ca, "citizen-an"), page=CITIZEN)
    client.post(CITIZEN, good)
    replayed = client.post(LOGIN, good)  # the registration's signature, to log in
    assert replayed.status_code == 400 and not replayed.wsgi_request.user.is_authenticated
    assert escape(str(MESSAGES["nonce_missing"])) in replayed.content.decode()


def test_it_refuses_a_signature_posted_by_another_browser(client, ca, settings, citizen):
    from django.test import Client

    signed = _signed(client, settings, _identity(ca, "citizen-tuan"))
    stranger = Client().post(LOGIN, signed)
    assert stranger.status_code == 400
    assert escape(str(MESSAGES["nonce_missing"])) in stranger.content.decode()
    assert client.post(LOGIN, signed).url.startswith("/dang-nhap/ky-so/"), "still the owner's"


def test_it_logs_in_with_the_token_by_id_number(client, ca, settings, citizen):
    response = _sign(client, settings, LOGIN, _identity(ca, "citizen-tuan"))
    assert response.url.startswith("/dang-nhap/ky-so/")
    assert client.get(response.url).url == "/trang-ca-nhan/"
    assert "Cao Văn Tuấn" in client.get("/trang-ca-nhan/").content.decode()


def test_it_returns_to_the_page_that_asked_for_the_login(client, ca, settings, citizen):
    query = "?next=/trang-ca-nhan/doi-mat-khau/"
    signed = _signed(client, settings, _identity(ca, "citizen-tuan"), query=query)
    done = client.post(LOGIN + query, signed).url
    assert client.get(done).url == "/trang-ca-nhan/doi-mat-khau/"


def test_it_says_when_no_account_holds_the_certificate(client, ca, settings):
    page = _sign(client, settings, LOGIN, _identity(ca, "citizen-an")).content.decode()
    assert "Chưa có tài khoản gắn với chứng thư số này" in page


def test_it_never_opens_a_citizen_account_with_a_business_certificate(client, ca, settings):
    """A household business's tax code is its owner's 12-digit ID number."""
    from sandbox.dev_ca import business_subject, issue_certificate

    Account.objects.create(username="001090012345", full_name="Nguyễn Văn An")
    household = issue_certificate(ca[1].intermediate,
                                  business_subject("HỘ KINH DOANH AN", "001090012345"))
    page = _sign(client, settings, LOGIN, household)
    assert page.status_code == 400 and "Chưa có tài khoản" in page.content.decode()
