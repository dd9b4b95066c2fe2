"""Signing in with VNeID against the sandbox VNeID of the running sandbox server: the
portal's real adapter (OpenID Connect over portal.outbound), its flow and its pages.

The tester's part on the sandbox's page (choose a sample person, "Đồng ý" or "Từ chối")
is played with requests; the browser's part with Django's test client."""

import datetime as dt
import re
import time

import pytest
import requests

from accounts.flows.state import SESSION_PREFIX
from accounts.models import Account, AccountEvent
from tests.fixtures_sandbox import free_port
from tests.sms import e164, last_code

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "Dvc@2026mat"
START, REGISTER = "/dang-nhap/vneid/", "/dang-nhap/vneid/dang-ky/"
OTP, SET_PASSWORD = REGISTER + "xac-thuc-otp/", REGISTER + "mat-khau/"
# Sample people with a VNeID record (sandbox/people.json).
TUAN, XUAN_CMND, XUAN_CCCD = "001084567801", "012345678", "001058004321"
CUONG, HUONG = "048078123456", "036195456789"  # no account: VNeID level 1, level 2
HUY_REFUSES, QUYNH_TIMES_OUT, THAO_NONSENSE = "092088567890", "027191234560", "045197456780"

UNAVAILABLE = "Hệ thống định danh điện tử VNeID đang không phản hồi"
DENIED = "Bạn đã không đồng ý chia sẻ thông tin từ VNeID"
STATE = "Yêu cầu đăng nhập bằng VNeID không hợp lệ, đã hết hạn hoặc đã được dùng"
TOKEN = "Không xác thực được thông tin VNeID gửi về"


def provider(issuer: str, **options) -> dict:
    return {"BACKEND": "federation.vneid.oidc.OidcEidProvider", "OPTIONS": {
        "issuer": issuer, "client_id": "dichvucong", "client_secret": "vneid-sandbox-secret",
        "timeout": 1.0, **options}}


@pytest.fixture
def vneid(settings, sandbox_server):
    """The portal signs in at the sandbox VNeID; the fixture gives the sandbox's URL."""
    settings.VNEID_PROVIDER = provider(sandbox_server + "/vneid")
    return sandbox_server


def tuan() -> Account:
    account = Account(username=TUAN, full_name="Cao Văn Tuấn", birth_date=dt.date(1984, 1, 21),
                      phone="+84912345017", assurance_level=2, registration_method="mobile")
    account.set_password(PASSWORD)
    account.save()
    return account


def provider_answer(client, sandbox: str, person: str, decision: str = "allow",
                    start: str = START) -> str:
    """Press the button, then, on the sandbox's page, choose `person` and decide: the
    address VNeID sends the browser back to."""
    started = client.post(start)
    assert started.status_code == 302 and started["Location"].startswith(sandbox)
    page = requests.get(started["Location"], timeout=5)
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text).group(1)
    back = requests.post(sandbox + "/vneid/authorize", allow_redirects=False, timeout=5, data={
        "request_id": request_id, "person": person, "decision": decision})
    assert back.status_code == 303
    return back.headers["Location"]


def logged_in(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_the_login_page_offers_vneid_only_when_a_provider_is_configured(client, vneid,
                                                                       settings):
    page = client.get("/dang-nhap/").content.decode()
    assert "Hoặc đăng nhập bằng" in page
    assert "Đăng nhập bằng tài khoản định danh điện tử VNeID" in page
    settings.VNEID_PROVIDER = provider("")
    assert "VNeID" not in client.get("/dang-nhap/").content.decode()
    assert client.post(START).status_code == 404


def test_the_request_carries_state_nonce_and_a_pkce_challenge(client, vneid):
    location = client.post(START)["Location"]
    for part in ("response_type=code", "client_id=dichvucong", "scope=openid",
                 "code_challenge_method=S256", "code_challenge=", "state=", "nonce=",
                 "redirect_uri=http%3A%2F%2Ftestserver%2Fdang-nhap%2Fvneid%2Fket-qua%2F"):
        assert part in location
    kept = client.session[SESSION_PREFIX + "vneid"]["data"]
    assert kept["state"] in location and kept["nonce"] in location
    assert kept["verifier"] not in location, "the verifier goes only to the token endpoint"


def test_it_logs_in_to_the_account_holding_the_id_number(client, vneid):
    account = tuan()
    answer = client.get(provider_answer(client, vneid, TUAN))
    assert answer.status_code == 302 and answer["Location"] == "/trang-ca-nhan/"
    assert logged_in(client) == str(account.pk)
    assert client.session["login_how"]["method"] == "vneid"
    event = AccountEvent.objects.get(account=account, kind="login")
    assert event.detail.get("method") == "vneid"
    assert Account.objects.count() == 1


def test_it_finds_an_account_made_under_the_persons_old_cmnd(client, vneid):
    """VNeID knows Xuân by his CCCD; his account is under the CMND it replaced."""
    account = Account.objects.create_user(XUAN_CMND, PASSWORD, full_name="Tạ Văn Xuân",
                                          phone="+84912345019")
    answer = client.get(provider_answer(client, vneid, XUAN_CMND))
    assert answer["Location"] == "/trang-ca-nhan/" and logged_in(client) == str(account.pk)
    assert not Account.objects.filter(username=XUAN_CCCD).exists()


def test_it_goes_back_to_the_page_that_asked_for_a_login(client, vneid):
    tuan()
    url = provider_answer(client, vneid, TUAN, start=START + "?next=/trang-ca-nhan/bao-mat/")
    assert client.get(url)["Location"] == "/trang-ca-nhan/bao-mat/"
    client.logout()
    url = provider_answer(client, vneid, TUAN, start=START + "?next=https://example.com/")
    assert client.get(url)["Location"] == "/trang-ca-nhan/", "never to another site"


@pytest.mark.parametrize("person,name,phone,level", [
    (CUONG, "Lê Hoàng Cường", "0912345003", 2),  # VNeID level 1
    (HUONG, "Vũ Thị Hương", "0912345006", 3),  # VNeID level 2
], ids=["vneid level 1 to level 2", "vneid level 2 to level 3"])
def test_it_registers_a_person_without_an_account_at_the_level_vneid_vouches_for(
        client, vneid, sms_outbox, person, name, phone, level):
    answer = client.get(provider_answer(client, vneid, person))
    assert answer["Location"] == REGISTER and logged_in(client) is None
    page = client.get(REGISTER).content.decode()
    assert name in page and person in page and f"Mức độ {level}" in page
    assert f'value="{phone}"' in page, "the phone VNeID holds is offered"
    assert client.post(REGISTER, {"phone": phone})["Location"] == OTP
    assert client.post(OTP, {"code": last_code(sms_outbox, phone)})["Location"] == SET_PASSWORD
    done = client.post(SET_PASSWORD, {"password1": PASSWORD, "password2": PASSWORD})
    assert done["Location"] == "/trang-ca-nhan/"
    account = Account.objects.get(username=person)
    assert (account.full_name, account.assurance_level, account.registration_method,
            account.verified_by, account.phone) == (
        name, level, "vneid", "Bộ Công an (VNeID)", e164(phone))
    assert account.check_password(PASSWORD) and account.terms_accepted_at
    assert logged_in(client) == str(account.pk)
    assert SESSION_PREFIX + "vneid" not in client.session


def test_another_phone_must_be_the_persons_own(client, vneid, sms_outbox):
    """Cường gives An's number: the carrier says it is not his."""
    client.get(provider_answer(client, vneid, CUONG))
    page = client.post(REGISTER, {"phone": "0912345001"}).content.decode()
    assert "không đăng ký chính chủ với số định danh cá nhân" in page
    assert sms_outbox == [] and not Account.objects.exists()


def test_a_registration_step_cannot_be_skipped(client, vneid):
    client.get(provider_answer(client, vneid, CUONG))
    response = client.get(SET_PASSWORD, follow=True)
    assert response.redirect_chain[-1][0] == "/dang-nhap/"
    assert not Account.objects.exists()


def test_it_refuses_an_answer_with_another_state(client, vneid):
    tuan()
    url = provider_answer(client, vneid, TUAN)
    forged = re.sub(r"state=[^&]+", "state=forged", url)
    page = client.get(forged, follow=True).content.decode()
    assert STATE in page and logged_in(client) is None
    assert STATE in client.get(url, follow=True).content.decode(), "the request is spent"
    assert logged_in(client) is None


def test_it_refuses_an_answer_when_no_request_was_made(client, vneid):
    page = client.get(START + "ket-qua/?code=abc&state=xyz", follow=True).content.decode()
    assert STATE in page and logged_in(client) is None


def test_a_replayed_answer_logs_nobody_in(client, vneid):
    tuan()
    url = provider_answer(client, vneid, TUAN)
    client.get(url)
    client.logout()
    page = client.get(url, follow=True).content.decode()
    assert STATE in page and logged_in(client) is None


def test_it_refuses_an_id_token_with_another_nonce(client, vneid):
    """The provider echoes the nonce it was sent; this login expected another one."""
    tuan()
    started = client.post(START)
    session = client.session
    session[SESSION_PREFIX + "vneid"]["data"]["nonce"] = "another-nonce"
    session.save()
    page = requests.get(started["Location"], timeout=5).text
    request_id = re.search(r'name="request_id" value="([^"]+)"', page).group(1)
    back = requests.post(vneid + "/vneid/authorize", allow_redirects=False, timeout=5,
                         data={"request_id": request_id, "person": TUAN, "decision": "allow"})
    page = client.get(back.headers["Location"], follow=True).content.decode()
    assert TOKEN in page and logged_in(client) is None


@pytest.mark.parametrize("person,decision", [(TUAN, "deny"), (HUY_REFUSES, "allow")],
                         ids=["the tester presses Từ chối", "the person's app refuses"])
def test_refused_consent_is_said_and_leads_back_to_the_login(client, vneid, person,
                                                             decision):
    tuan()
    response = client.get(provider_answer(client, vneid, person, decision), follow=True)
    assert response.redirect_chain[-1][0] == "/dang-nhap/"
    assert DENIED in response.content.decode() and logged_in(client) is None


@pytest.mark.parametrize("person", [QUYNH_TIMES_OUT, THAO_NONSENSE],
                         ids=["times out", "answers nonsense"])
def test_a_provider_that_fails_gives_a_message_and_no_account(client, vneid, sms_outbox,
                                                              person):
    url = provider_answer(client, vneid, person)
    started = time.monotonic()
    response = client.get(url, follow=True)
    assert time.monotonic() - started < 5, "the wait is bounded by the adapter's timeout"
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/dang-nhap/"
    assert UNAVAILABLE in page
    for other_way in ("Tên đăng nhập", "USB ký số", "SIM ký số"):
        assert other_way in page
    assert not Account.objects.exists() and logged_in(client) is None
    assert SESSION_PREFIX + "vneid" not in client.session and sms_outbox == []


def test_a_provider_that_cannot_be_reached_gives_a_message(client, settings):
    settings.VNEID_PROVIDER = provider(f"http://127.0.0.1:{free_port()}/vneid")
    response = client.post(START, follow=True)
    assert response.redirect_chain[-1][0] == "/dang-nhap/"
    assert UNAVAILABLE in response.content.decode()


def test_a_locked_account_is_not_logged_in_to(client, vneid):
    account = tuan()
    Account.objects.filter(pk=account.pk).update(is_active=False)
    page = client.get(provider_answer(client, vneid, TUAN), follow=True).content.decode()
    assert "đang bị khóa" in page and logged_in(client) is None


def test_nobody_registers_while_the_population_registry_cannot_say_who_has_an_account(
        client, vneid, settings):
    settings.REGISTRIES = {**settings.REGISTRIES, "population": {
        "BACKEND": "accounts.registries.http.HttpPopulationRegistry",
        "OPTIONS": {"url": f"http://127.0.0.1:{free_port()}/population", "timeout": 1.0}}}
    page = client.get(provider_answer(client, vneid, CUONG), follow=True).content.decode()
    assert "CSDL quốc gia về dân cư đang không phản hồi" in page
    assert SESSION_PREFIX + "vneid" not in client.session and not Account.objects.exists()
