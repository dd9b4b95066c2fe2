"""Logging in with ID number, password and captcha, then the SMS code."""

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

REFUSED = (
    "Tên đăng nhập hoặc mật khẩu không đúng. Nếu nhập sai nhiều lần, "
    "vui lòng đợi 15 phút rồi thử lại hoặc dùng chức năng “Quên mật khẩu?”."
)


def test_it_logs_in_with_a_legacy_cmnd_and_logs_out(
    page, portal, check_page, sms_outbox, sample_accounts
):
    xuan = sample_person("012345678")  # an account under a 9-digit CMND
    page.goto(portal + "/dang-nhap/")
    expect(heading(page, "Đăng nhập")).to_be_visible()
    expect(page.get_by_role("link", name="Quên mật khẩu?")).to_be_visible()
    check_page(page, "login")
    fill_login_form(page, xuan["id_number"], xuan["account"]["password"])

    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    expect(page.get_by_text("0912xxx019")).to_be_visible()
    expect(page.get_by_role("link", name="Mất số điện thoại nhận OTP.")).to_be_visible()
    check_page(page, "login-otp")
    enter_code(page, last_code(sms_outbox, xuan["phone"]))

    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_text("Tạ Văn Xuân")).to_be_visible()
    expect(page.get_by_text("Mức độ 2 (IAL2)")).to_be_visible()
    check_page(page, "profile")

    page.get_by_role("button", name="Đăng xuất").click()
    expect(heading(page, "Đăng nhập")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Bạn đã đăng xuất.")
    page.goto(portal + "/trang-ca-nhan/")
    expect(heading(page, "Đăng nhập")).to_be_visible()  # the profile needs a login again


def test_it_gives_one_generic_message_for_a_wrong_password_or_an_unknown_id(
    page, portal, check_page, sms_outbox, sample_accounts
):
    uyen = sample_person("079192678902")
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, uyen["id_number"], "Sai-MatKhau#9")
    expect(page.get_by_role("alert")).to_have_text(REFUSED)
    expect(page.get_by_label("Tên đăng nhập")).to_have_value(uyen["id_number"])
    expect(page.get_by_label("Mật khẩu")).to_have_value("")
    check_page(page, "wrong-password")

    fill_login_form(page, "001099000111", uyen["account"]["password"])  # no such account
    expect(page.get_by_role("alert")).to_have_text(REFUSED)
    assert sms_outbox == []

    fill_login_form(page, uyen["id_number"], uyen["account"]["password"])
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    assert len(sms_outbox) == 1


def test_a_person_asks_for_another_picture_and_types_its_letters(
    page, portal, check_page, sms_outbox, sample_accounts
):
    """"Đổi mã khác" gives a new picture in place; its letters, typed as read, are the
    ones the portal takes, and wrong letters get a message and another picture."""
    from accounts.captcha_keys import captcha_answer

    xuan = sample_person("012345678")
    page.goto(portal + "/dang-nhap/")
    key = page.locator('input[name="captcha_0"]')
    picture = page.get_by_role("img", name="Ảnh chứa mã xác thực cần nhập")
    first = key.input_value()
    page.get_by_role("button", name="Đổi mã khác").click()
    expect(key).not_to_have_value(first)
    expect(picture).to_have_attribute("src", f"/captcha/image/{key.input_value()}/")
    page.wait_for_function("document.querySelector('img.captcha').naturalWidth === 150")
    expect(page.get_by_label("Nhập mã xác thực")).to_be_focused()  # ready for the letters
    # The pointer leaves the button, as a hand does: a page measured while the button's
    # colours fade back from hover would read as low contrast.
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    check_page(page, "login-another-picture")

    page.get_by_label("Tên đăng nhập").fill(xuan["id_number"])
    page.get_by_label("Mật khẩu").fill(xuan["account"]["password"])
    wrong = "".join("a" if letter != "a" else "b" for letter in captcha_answer(key.input_value()))
    page.get_by_label("Nhập mã xác thực").fill(wrong)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(page.get_by_text("Mã xác thực không đúng, vui lòng nhập lại mã trong ảnh mới.")
           ).to_be_visible()
    check_page(page, "login-wrong-picture")

    page.get_by_label("Mật khẩu").fill(xuan["account"]["password"])
    page.get_by_label("Nhập mã xác thực").fill(" ".join(captcha_answer(key.input_value()).upper()))
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
