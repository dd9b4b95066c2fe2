"""Signing in with VNeID in a browser, against the sandbox VNeID of the sandbox server: a
person with an account is linked to it, a person without one registers, and an outage
leaves the other ways in."""

import pytest
from playwright.sync_api import expect

from tests.fixtures_browser import enter_code, heading, last_code, sample_person

pytestmark = pytest.mark.e2e

BUTTON = "Đăng nhập bằng tài khoản định danh điện tử VNeID"
REGISTER = "Đăng ký bằng tài khoản định danh điện tử VNeID"
UNAVAILABLE = "Hệ thống định danh điện tử VNeID đang không phản hồi"
PASSWORD = "Dvc@2026mat"


@pytest.fixture
def vneid_portal(portal, settings, sandbox_server):
    """The live portal, signing in at the sandbox VNeID (a short wait for the outage)."""
    settings.VNEID_PROVIDER = {"BACKEND": "federation.vneid.oidc.OidcEidProvider", "OPTIONS": {
        "issuer": sandbox_server + "/vneid", "client_id": "dichvucong",
        "client_secret": "vneid-sandbox-secret", "timeout": 2.0}}
    return portal


def sign_in_as(page, portal, person: dict, decision: str = "Đồng ý", check_page=None) -> None:
    """From the login page to VNeID's page: choose the person there and decide."""
    page.goto(portal + "/dang-nhap/")
    expect(page.get_by_text("Hoặc đăng nhập bằng")).to_be_visible()
    page.get_by_role("button", name=BUTTON).click()
    expect(heading(page, "VNeID (thử nghiệm)")).to_be_visible()
    page.get_by_label(person["full_name"]).check()
    if check_page:
        check_page(page, "vneid-consent")
    page.get_by_role("button", name=decision, exact=True).click()


def test_it_links_an_account_then_registers_a_new_person(page, vneid_portal, check_page,
                                                         sms_outbox, sample_accounts):
    tuan = sample_person("001084567801")
    page.goto(vneid_portal + "/dang-nhap/")
    check_page(page, "login-with-vneid")
    sign_in_as(page, vneid_portal, tuan, check_page=check_page)
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_text("Cao Văn Tuấn")).to_be_visible()
    check_page(page, "profile-linked")
    page.get_by_role("button", name="Đăng xuất").click()

    cuong = sample_person("048078123456")  # VNeID level 1, no account
    sign_in_as(page, vneid_portal, cuong)
    expect(heading(page, REGISTER)).to_be_visible()
    for shown in ("Lê Hoàng Cường", "02/11/1978", "048078123456", "Mức độ 2"):
        expect(page.get_by_text(shown, exact=True)).to_be_visible()
    expect(page.get_by_label("Số điện thoại")).to_have_value("0912345003")
    check_page(page, "vneid-register")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    check_page(page, "vneid-register-otp")
    enter_code(page, last_code(sms_outbox, cuong["phone"]))
    page.get_by_label("Nhập mật khẩu").fill(PASSWORD)
    page.get_by_label("Xác nhận mật khẩu").fill(PASSWORD)
    check_page(page, "vneid-register-password")
    page.get_by_role("button", name="Đăng ký").click()
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Đăng ký tài khoản thành công.")
    expect(page.get_by_text("Lê Hoàng Cường")).to_be_visible()
    check_page(page, "profile-registered")


def test_an_outage_gives_a_message_and_the_other_ways_in(page, vneid_portal, check_page):
    sign_in_as(page, vneid_portal, sample_person("027191234560"))  # the token never comes
    expect(heading(page, "Đăng nhập")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(UNAVAILABLE)
    for way_in in ("CMT/CCCD", "USB ký số", "SIM ký số"):
        expect(page.get_by_role("link", name=way_in, exact=True)).to_be_visible()
    expect(page.get_by_label("Mật khẩu")).to_be_visible()
    check_page(page, "vneid-outage")


def test_a_refusal_on_vneid_comes_back_with_a_message(page, vneid_portal, check_page):
    sign_in_as(page, vneid_portal, sample_person("001084567801"), decision="Từ chối")
    expect(heading(page, "Đăng nhập")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Bạn đã không đồng ý chia sẻ thông tin")
    check_page(page, "vneid-refused")
