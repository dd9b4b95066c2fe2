"""The "Cơ quan nhà nước" tab: a civil servant registers their agency's account with a
certificate of the government's CA (the development set's second CA), and signs in with
it; certificates of other CAs are refused there, and the government's are refused on the
other tabs. (tests/e2e/test_usb.py walks it in a browser, on a SoftHSM2 token.)"""

import pytest
from django.utils.html import escape

from accounts.flows.vouching import IdentityRefused
from accounts.models import Account
from sandbox.dev_ca import GOV_INTERMEDIATE_NAME
from tests.accounts.conftest import CAPTCHA
from tests.fixtures_signing import usb_sign

pytestmark = pytest.mark.django_db(transaction=True)
AGENCY_TAB, CITIZEN_TAB, LOGIN = ("/dang-ky/usb-ky-so/co-quan-nha-nuoc/",
                                  "/dang-ky/usb-ky-so/cong-dan/", "/dang-nhap/usb-ky-so/")
CONG_LOGIN, AGENCY_NAME = "CQ033088001299", "Sở Tư pháp tỉnh Hưng Yên"


@pytest.fixture(autouse=True)
def trust(trusted_dev_ca):
    return trusted_dev_ca


def sign(client, trust, name, page):
    return usb_sign(client, trust.identities[name], page)


def test_a_civil_servant_registers_the_agency_and_signs_in_for_it(client, trust):
    details = sign(client, trust, "agency-cong", AGENCY_TAB).url
    page = client.get(details).content.decode()
    assert AGENCY_NAME in page and "Đặng Văn Công" in page and GOV_INTERMEDIATE_NAME in page
    refused = client.post(details, {"email": "", **CAPTCHA}).content.decode()
    assert "Tài khoản cơ quan nhà nước phải có email của cơ quan." in refused
    client.post(details, {"email": "sotuphap@hungyen.gov.vn", **CAPTCHA})
    account = Account.objects.get()
    assert (account.username, account.account_type, account.organization, account.full_name,
            account.assurance_level) == (CONG_LOGIN, "agency", AGENCY_NAME, "Đặng Văn Công", 3)

    done = sign(client, trust, "agency-cong", LOGIN).url
    assert client.get(done).url == "/trang-ca-nhan/"
    profile = client.get("/trang-ca-nhan/").content.decode()
    assert AGENCY_NAME in profile and "Cơ quan nhà nước" in profile


def test_a_certificate_of_another_ca_is_refused_on_the_agency_tab(client, trust):
    page = sign(client, trust, "citizen-an", AGENCY_TAB)
    refusal = escape(str(IdentityRefused.texts["not_government"]))
    assert page.status_code == 400 and refusal in page.content.decode()
    assert not Account.objects.exists()


def test_the_governments_certificate_opens_no_other_tab(client, trust):
    page = sign(client, trust, "agency-cong", CITIZEN_TAB)
    refusal = escape(str(IdentityRefused.texts["government_elsewhere"]))
    assert page.status_code == 400 and refusal in page.content.decode()


def test_it_signs_in_to_no_personal_account_nor_before_the_agency_registered(client, trust):
    Account.objects.create(username="033088001299", full_name="Đặng Văn Công")  # his own
    page = sign(client, trust, "agency-cong", LOGIN)
    assert page.status_code == 400 and "Chưa có tài khoản" in page.content.decode()


def test_an_agency_registers_once(client, trust):
    Account.objects.create(username=CONG_LOGIN, full_name="Đặng Văn Công",
                           account_type="agency", organization=AGENCY_NAME)
    details = sign(client, trust, "agency-cong", AGENCY_TAB).url
    assert client.get(details).status_code == 409


def test_there_is_no_signing_sim_for_agencies(client):
    assert client.get("/dang-ky/sim-ky-so/co-quan-nha-nuoc/").status_code == 404


def test_a_servant_whose_certificate_names_another_agency_is_not_let_in(client, trust):
    """Moved to another agency, with a new certificate: the old agency's account stays
    shut, and the page says why."""
    Account.objects.create(username=CONG_LOGIN, full_name="Đặng Văn Công",
                           account_type="agency", organization="Sở Tài chính tỉnh Hưng Yên")
    page = sign(client, trust, "agency-cong", LOGIN)
    assert page.status_code == 400
    assert "khác với cơ quan của tài khoản" in page.content.decode()


def test_a_government_certificate_signs_in_by_usb_only(trust):
    from django.conf import settings

    from accounts.flows.signer import _login_account
    from accounts.flows.vouching import IdentityRefused
    from accounts.signatures import signature_identity_for
    from sandbox.dev_ca import signature_make
    from signing.challenge import signed_message

    Account.objects.create(username=CONG_LOGIN, full_name="Đặng Văn Công",
                           account_type="agency", organization=AGENCY_NAME)
    issued = trust.identities["agency-cong"]
    message = signed_message(settings.PORTAL_ORIGIN, "n" * 44)
    identity = signature_identity_for(nonce="n" * 44, certificate_der=issued.der,
                                      signature=signature_make(issued.key, message, "RS256"),
                                      algorithm="RS256")
    with pytest.raises(IdentityRefused) as refused:
        _login_account(identity, "sim")
    assert refused.value.message == IdentityRefused.texts["agency_by_usb"]
    assert _login_account(identity, "usb").username == CONG_LOGIN
