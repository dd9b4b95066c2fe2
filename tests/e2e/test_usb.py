"""Registering and logging in with a "USB ký số": the page, the local signing agent (a real
process) and a SoftHSM2 token holding certificates from the development CA."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from accounts.agent_dist import agent_build, wheel_name
from accounts.models import Account
from accounts.signatures import trust_reset
from sandbox.dev_ca import GOV_INTERMEDIATE_NAME, INTERMEDIATE_NAME, dev_ca_ensure
from signing.agent import __version__ as agent_version
from tests.fixtures_browser import CAPTCHA_ANSWER, heading
from tests.fixtures_sandbox import free_port
from tests.fixtures_signing import TEST_PIN

pytestmark = pytest.mark.e2e

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
AN, TUAN, SAOMAI, CONG = "citizen-an", "citizen-tuan", "business-saomai", "agency-cong"
HOLDERS = {AN: "Nguyễn Văn An", TUAN: "Cao Văn Tuấn", SAOMAI: "CÔNG TY TNHH PHẦN MỀM SAO MAI",
           CONG: "Đặng Văn Công"}
AN_ID, SAOMAI_MST = "001090012345", "0101234567"
REGISTERED = "Đăng ký tài khoản thành công. Mời bạn đăng nhập bằng USB ký số."
NO_ACCOUNT = "Chưa có tài khoản gắn với chứng thư số này"
NOT_A_BUSINESS = "Chứng thư số này cấp cho cá nhân, không có mã số thuế của doanh nghiệp."
NOT_A_CITIZEN = "Chứng thư số này cấp cho doanh nghiệp."
AGENT_MISSING = "Chưa tìm thấy công cụ ký điện tử trên máy tính này."
NO_TOKEN = "Máy tính chưa nhận USB ký số."


@pytest.fixture(scope="module")
def dev_ca(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-ca")
    ca, _made = dev_ca_ensure(folder)
    return ca, folder


@pytest.fixture(scope="module")
def agent_url(dev_ca, softhsm_token, signing_agent, live_server):
    """An agent answering the live portal's origin, over a token with An, Tuấn and Sao Mai."""
    ca, _folder = dev_ca
    pairs = [(ca.identities[name].certificate, ca.identities[name].key) for name in HOLDERS]
    return signing_agent(softhsm_token(pairs, label="DVC-USB"), origin=live_server.url)


@pytest.fixture(scope="module")
def agent_dist(tmp_path_factory, live_server):
    folder = tmp_path_factory.mktemp("agent-dist")
    agent_build(folder, origin=live_server.url)
    return folder


@pytest.fixture
def usb(portal, settings, dev_ca, agent_url, agent_dist):
    """The portal's base URL, trusting the development CA and pointing at the agent."""
    _ca, folder = dev_ca
    settings.DEV_CA_DIR = folder  # its revocation services answer for it
    settings.SIGNING_TRUST = {
        "ROOTS": [str(folder / "root.pem")], "GOVERNMENT_ROOTS": [str(folder / "gov-root.pem")],
        "INTERMEDIATES": [str(folder / "intermediate.pem"), str(folder / "gov-intermediate.pem")],
        "CRLS": [str(folder / "crl.pem"), str(folder / "gov-crl.pem")]}
    settings.SIGNING_AGENT_URL = agent_url
    settings.SIGNING_AGENT_DIST_DIR = agent_dist
    settings.PORTAL_ORIGIN = portal  # the agent signs for the origin the browser reports
    trust_reset()
    yield portal
    trust_reset()


def option_label(ca, name: str) -> str:
    """How the page lists a certificate: its CN and its end date."""
    ends = ca.identities[name].certificate.not_valid_after_utc.date().strftime("%d/%m/%Y")
    return f"{HOLDERS[name]} (hết hạn {ends})"


def shown_date(moment) -> str:
    return moment.astimezone(VIETNAM).strftime("%d/%m/%Y")


def open_register(page, usb, kind: str) -> None:
    page.goto(usb + "/dang-ky/")
    if kind != "Công dân":
        page.get_by_role("tab", name=kind).click()
    page.get_by_role("tabpanel").get_by_role("link", name="USB ký số", exact=True).click()
    expect(page.get_by_text(f"USB ký số ({kind})")).to_be_visible()


def sign(page, ca, name: str, pin: str = TEST_PIN, check_page=None, label: str = "pin"):
    """Pick the certificate, type the PIN and press the form's button."""
    page.get_by_label("Chứng thư số").select_option(label=option_label(ca, name))
    page.get_by_label("Mã PIN của USB ký số").fill(pin)
    if check_page:
        check_page(page, label)
    page.locator("#pin-form").get_by_role("button").click()


def finish_details(page, email: str = "") -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Nhập mã xác thực").fill(CAPTCHA_ANSWER)
    page.get_by_role("button", name="Đăng ký", exact=True).click()


def log_in_by_token(page, usb, ca, name: str) -> None:
    page.goto(usb + "/dang-nhap/usb-ky-so/")
    sign(page, ca, name)


def expect_profile(page, *texts: str) -> None:
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    for text in texts:
        expect(page.get_by_role("definition").filter(has_text=text).first).to_be_visible()


def test_it_registers_a_citizen_by_token_and_logs_in_with_it(page, usb, dev_ca, check_page):
    ca, _folder = dev_ca
    open_register(page, usb, "Công dân")
    certificates = page.get_by_label("Chứng thư số")
    expect(certificates).to_contain_text(HOLDERS[AN])
    expect(certificates).to_contain_text(HOLDERS[SAOMAI])
    sign(page, ca, AN, check_page=check_page, label="certificates")

    certificate = ca.identities[AN].certificate
    for term, value in (("Họ tên", HOLDERS[AN]), ("Số CMT/CCCD", AN_ID),
                        ("Ngày hiệu lực", shown_date(certificate.not_valid_before_utc)),
                        ("Ngày hết hạn", shown_date(certificate.not_valid_after_utc)),
                        ("Tên CA", INTERMEDIATE_NAME)):
        expect(page.get_by_role("term").filter(has_text=term)).to_be_visible()
        expect(page.get_by_role("definition").filter(has_text=value)).to_be_visible()
    check_page(page, "details")
    finish_details(page)  # the email is optional for a citizen

    expect(page.get_by_text(REGISTERED)).to_be_visible()
    expect(page.get_by_role("link", name="USB ký số")).to_have_attribute("aria-current", "page")
    account = Account.objects.get(username=AN_ID)
    assert (account.account_type, account.email, account.full_name) == ("citizen", "", HOLDERS[AN])
    assert not account.has_usable_password()
    check_page(page, "registered")

    sign(page, ca, AN)
    expect_profile(page, HOLDERS[AN], "Mức độ 3 (IAL3)", "USB ký số", "Công dân")
    check_page(page, "profile")


def test_it_registers_a_business_with_its_email_and_logs_in(page, usb, dev_ca, check_page):
    ca, _folder = dev_ca
    open_register(page, usb, "Doanh nghiệp")
    sign(page, ca, SAOMAI)

    expect(page.get_by_role("term").filter(has_text="Tên doanh nghiệp")).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text=HOLDERS[SAOMAI])).to_be_visible()
    expect(page.get_by_role("definition").filter(has_text=SAOMAI_MST)).to_be_visible()
    expect(page.get_by_text("Ngày hiệu lực")).to_be_visible()
    expect(page.get_by_text("Tên CA")).to_be_visible()
    check_page(page, "details")
    finish_details(page)
    expect(page.get_by_text("Doanh nghiệp phải nhập email.")).to_be_visible()
    assert not Account.objects.filter(username=SAOMAI_MST).exists()
    check_page(page, "email-required")

    finish_details(page, "ketoan@saomai.example.vn")
    expect(page.get_by_text(REGISTERED)).to_be_visible()
    account = Account.objects.get(username=SAOMAI_MST)
    assert (account.account_type, account.email) == ("business", "ketoan@saomai.example.vn")
    assert account.assurance_level == Account.Level.HIGH

    sign(page, ca, SAOMAI)
    expect_profile(page, HOLDERS[SAOMAI], "Doanh nghiệp", "Mức độ 3 (IAL3)", "USB ký số")
    check_page(page, "profile")


def test_it_sends_a_person_without_the_agent_to_the_install_page(
    page, usb, settings, softhsm_token, signing_agent, live_server, check_page
):
    settings.SIGNING_AGENT_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    page.goto(usb + "/dang-nhap/usb-ky-so/")
    expect(page.get_by_text(AGENT_MISSING)).to_be_visible()
    expect(page.get_by_label("Mã PIN của USB ký số")).to_be_hidden()
    check_page(page, "agent-missing")
    page.get_by_role("link", name="Tải công cụ ký điện tử").click()
    expect(heading(page, "Tải công cụ ký điện tử")).to_be_visible()
    expect(page.get_by_text("Chưa thấy công cụ ký điện tử chạy trên máy tính này.")).to_be_visible()
    expect(page.get_by_role("link", name=wheel_name())).to_be_visible()
    check_page(page, "install")

    # The agent runs but no token is plugged in: the driver hint.
    settings.SIGNING_AGENT_URL = signing_agent(softhsm_token.empty(), origin=live_server.url)
    page.goto(usb + "/dang-ky/usb-ky-so/cong-dan/")
    expect(page.get_by_text(NO_TOKEN)).to_be_visible()
    expect(page.get_by_role("button", name="Thử lại")).to_be_visible()
    check_page(page, "no-token")


class OldAgent:
    """An agent as the portal's first release shipped it: /status without agent_version."""

    def __init__(self, origin: str):
        class Status(BaseHTTPRequestHandler):
            def do_GET(self):
                body = json.dumps({"agent": "dvc-signing-agent", "version": "1",
                                   "token": True}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Access-Control-Allow-Origin", origin)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Status)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"


def test_it_tells_a_person_whose_agent_is_too_old_to_install_the_new_one(
    page, usb, settings, live_server, check_page
):
    old = OldAgent(live_server.url)
    try:
        settings.SIGNING_AGENT_URL = old.url
        page.goto(usb + "/dang-nhap/usb-ky-so/")
        expect(page.get_by_text("đã cũ và không còn dùng được với Cổng")).to_be_visible()
        expect(page.get_by_label("Mã PIN của USB ký số")).to_be_hidden()
        check_page(page, "agent-too-old")
        page.get_by_role("link", name="Tải phiên bản mới").click()
        expect(page.get_by_role("status").filter(has_text="đã cũ")).to_contain_text("1.0")
        check_page(page, "install-the-new-one")
    finally:
        old.server.shutdown()


def test_the_install_page_sees_the_agent_that_runs(page, usb):
    page.goto(usb + "/ho-tro/cong-cu-ky-so/")
    expect(page.get_by_role("status").filter(has_text="đang chạy")).to_contain_text(
        agent_version)


def test_it_shows_the_agents_wrong_pin_message_then_takes_the_right_one(
    page, usb, dev_ca, check_page
):
    ca, _folder = dev_ca
    open_register(page, usb, "Công dân")
    sign(page, ca, AN, pin="000000")
    expect(page.get_by_role("alert")).to_have_text("Mã PIN không đúng.")
    expect(page.get_by_label("Mã PIN của USB ký số")).to_have_value("")
    assert not Account.objects.exists()
    check_page(page, "wrong-pin")

    sign(page, ca, AN)
    expect(page.get_by_role("definition").filter(has_text=AN_ID)).to_be_visible()
    finish_details(page)
    expect(page.get_by_text(REGISTERED)).to_be_visible()
    assert Account.objects.filter(username=AN_ID).exists()


def test_it_refuses_a_certificate_of_the_wrong_kind_with_the_reason(
    page, usb, dev_ca, check_page
):
    ca, _folder = dev_ca
    open_register(page, usb, "Doanh nghiệp")
    sign(page, ca, AN)
    expect(page.get_by_role("alert")).to_contain_text(NOT_A_BUSINESS)
    expect(page.get_by_label("Mã PIN của USB ký số")).to_be_visible()  # ready to try again
    check_page(page, "citizen-as-business")

    open_register(page, usb, "Công dân")
    sign(page, ca, SAOMAI)
    expect(page.get_by_role("alert")).to_contain_text(NOT_A_CITIZEN)
    assert not Account.objects.exists()


def test_it_stops_a_duplicate_and_names_a_certificate_without_an_account(
    page, usb, dev_ca, sample_accounts, check_page
):
    ca, _folder = dev_ca
    accounts_before = Account.objects.count()
    open_register(page, usb, "Công dân")
    sign(page, ca, TUAN)
    expect(heading(page, "Tài khoản đã tồn tại")).to_be_visible()
    check_page(page, "duplicate")

    log_in_by_token(page, usb, ca, AN)
    expect(page.get_by_role("alert")).to_contain_text(NO_ACCOUNT)
    expect(page.get_by_label("Mã PIN của USB ký số")).to_be_visible()  # ready to try again
    check_page(page, "no-account")
    assert Account.objects.count() == accounts_before

    log_in_by_token(page, usb, ca, TUAN)  # his existing account, found by the CCCD
    expect_profile(page, HOLDERS[TUAN], "001084567801")


def test_a_civil_servant_registers_the_agency_by_token_and_signs_in_for_it(
    page, usb, dev_ca, check_page
):
    """The "Cơ quan nhà nước" tab: a personal certificate of a public CA is refused with
    the reason; the servant's certificate of the government's CA registers the agency
    named in it, and signs in for it."""
    ca, _folder = dev_ca
    open_register(page, usb, "Cơ quan nhà nước")
    check_page(page, "agency-tab")
    sign(page, ca, AN)
    expect(page.get_by_role("alert")).to_contain_text("không do CA chuyên dùng Chính phủ")
    check_page(page, "not-the-government-ca")

    sign(page, ca, CONG)
    for term, value in (("Cơ quan", "Sở Tư pháp tỉnh Hưng Yên"), ("Cán bộ", HOLDERS[CONG]),
                        ("Tên CA", GOV_INTERMEDIATE_NAME)):
        expect(page.get_by_role("term").filter(has_text=term).first).to_be_visible()
        expect(page.get_by_role("definition").filter(has_text=value)).to_be_visible()
    check_page(page, "agency-details")
    finish_details(page)
    expect(page.get_by_text("phải có email của cơ quan.")).to_be_visible()
    finish_details(page, "sotuphap@hungyen.gov.vn")
    expect(page.get_by_text(REGISTERED)).to_be_visible()
    account = Account.objects.get(username="CQ033088001299")
    assert (account.account_type, account.organization) == ("agency", "Sở Tư pháp tỉnh Hưng Yên")

    sign(page, ca, CONG)
    expect_profile(page, "Sở Tư pháp tỉnh Hưng Yên", HOLDERS[CONG], "Cơ quan nhà nước",
                   "Mức độ 3 (IAL3)")
    check_page(page, "agency-profile")
