"""Passkeys in Chromium: Tuấn adds one on "Bảo mật tài khoản" with the browser's virtual
authenticator, logs out, and logs in with his password and then the passkey, which the
login now asks first. WebAuthn needs a domain name: the live server is at localhost."""

import pytest
from playwright.sync_api import expect

from tests.fixtures_browser import (
    enter_code,
    fill_login_form,
    heading,
    last_code,
    sample_person,
)

pytestmark = pytest.mark.e2e

CANCELLED = "Bạn đã hủy, hoặc đã hết thời gian chờ khóa truy cập."


@pytest.fixture
def authenticator(page):
    """Chromium's virtual authenticator on this page: a passkey kept on the device (CTAP2,
    internal transport) that verifies its holder, as a fingerprint reader would. Yields a
    function calling a CDP WebAuthn method on it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable", {"enableUI": False})
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})

    def call(method: str, **params) -> dict:
        return cdp.send(f"WebAuthn.{method}", {"authenticatorId": added["authenticatorId"],
                                               **params})

    yield call
    cdp.detach()


def test_it_adds_a_passkey_and_logs_in_with_it(page, portal, check_page, sms_outbox,
                                               sample_accounts, authenticator, browser,
                                               browser_context_args):
    assert portal.startswith("http://localhost:"), "passkeys refuse an IP address"
    tuan = sample_person("001084567801")
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, tuan["id_number"], tuan["account"]["password"])
    enter_code(page, last_code(sms_outbox, tuan["phone"]))
    page.get_by_role("link", name="Bảo mật tài khoản").click()
    page.get_by_role("link", name="Thêm khóa truy cập").click()
    expect(heading(page, "Thêm khóa truy cập")).to_be_visible()
    check_page(page, "passkey-enrol")

    page.get_by_label("Tên gợi nhớ").fill("Máy tính ở nhà")
    page.get_by_role("button", name="Thêm khóa truy cập").click()
    expect(heading(page, "Bảo mật tài khoản")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm khóa truy cập “Máy tính ở nhà”")
    added = page.get_by_role("listitem").filter(has_text="Máy tính ở nhà")
    expect(added).to_contain_text("Mặc định")
    check_page(page, "security-with-passkey")
    held = authenticator("getCredentials")["credentials"]
    assert len(held) == 1 and held[0]["isResidentCredential"], "kept on the device"

    page.get_by_role("link", name="Về trang cá nhân").click()
    page.get_by_role("button", name="Đăng xuất").click()
    sms_outbox.clear()
    fill_login_form(page, tuan["id_number"], tuan["account"]["password"])
    expect(heading(page, "Xác thực đăng nhập")).to_be_visible()
    use = page.get_by_role("button", name="Dùng khóa truy cập")
    check_page(page, "login-passkey")

    authenticator("setUserVerified", isUserVerified=False)  # the fingerprint is not read
    use.click()
    expect(page.get_by_role("alert")).to_contain_text(CANCELLED)
    expect(page.get_by_role("link", name="Chọn phương thức xác thực khác")).to_be_visible()
    check_page(page, "login-passkey-cancelled")

    authenticator("setUserVerified", isUserVerified=True)
    use.click()
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    assert not sms_outbox, "the passkey was asked, not an SMS code"
    assert authenticator("getCredentials")["credentials"][0]["signCount"] >= 1

    # A browser without WebAuthn is told so, and offered the other factors.
    other = browser.new_context(**browser_context_args)
    other.add_init_script("delete window.PublicKeyCredential;")
    bare = other.new_page()
    bare.goto(portal + "/dang-nhap/")
    fill_login_form(bare, tuan["id_number"], tuan["account"]["password"])
    expect(bare.get_by_role("alert")).to_contain_text("Trình duyệt này không dùng được khóa")
    expect(bare.get_by_role("button", name="Dùng khóa truy cập")).to_be_disabled()
    check_page(bare, "login-passkey-unsupported")
    bare.get_by_role("link", name="Chọn phương thức xác thực khác").click()
    expect(heading(bare, "Chọn phương thức xác thực khác")).to_be_visible()
    other.close()
