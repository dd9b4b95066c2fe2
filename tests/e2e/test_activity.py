""""Lịch sử hoạt động": after a wrong password, a login and a password change, the holder
finds all three on the page, newest first, with the device and the hidden address."""

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
NEW_PASSWORD = "Moi#Matkhau2027"


def test_the_holder_sees_a_wrong_password_the_login_and_the_change(
    page, portal, check_page, sms_outbox, sample_accounts
):
    tuan = sample_person("001084567801")
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, tuan["id_number"], "Sai-MatKhau#9")
    expect(page.get_by_role("alert")).to_contain_text("mật khẩu không đúng")
    fill_login_form(page, tuan["id_number"], tuan["account"]["password"])
    enter_code(page, last_code(sms_outbox, tuan["phone"]))
    expect(heading(page, "Trang cá nhân")).to_be_visible()

    page.get_by_role("link", name="Đổi mật khẩu").click()
    page.get_by_label("Mật khẩu hiện tại").fill(tuan["account"]["password"])
    page.get_by_label("Nhập mật khẩu").fill(NEW_PASSWORD)
    page.get_by_label("Xác nhận mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(page.get_by_role("status")).to_contain_text("Đổi mật khẩu thành công.")

    page.get_by_role("link", name="Lịch sử hoạt động").click()
    expect(heading(page, "Lịch sử hoạt động")).to_be_visible()
    events = page.get_by_role("listitem")
    expect(events).to_have_count(3)
    expect(events.nth(0)).to_contain_text("Đổi mật khẩu")
    expect(events.nth(1)).to_contain_text("Đăng nhập bằng mật khẩu và mã OTP qua SMS")
    expect(events.nth(2)).to_contain_text("Nhập sai mật khẩu")
    expect(events.nth(1)).to_contain_text("Chrome · Linux · địa chỉ 127.0.0.*")
    check_page(page, "activity")
