""""Quên mật khẩu?": the ID number and the registered phone, an SMS code, a new password."""

import pytest
from playwright.sync_api import expect

from tests.fixtures_browser import (
    CAPTCHA_ANSWER,
    enter_code,
    fill_login_form,
    heading,
    last_code,
    national,
    sample_person,
    sms_to,
)

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Sen-Hong#2026"
MAYBE_SENT = ("Nếu số CMT/CCCD và số điện thoại khớp với một tài khoản, "
              "mã xác thực đã được gửi qua SĐT:")


def ask_for_reset(page, portal, check_page, id_number: str, phone: str) -> None:
    page.goto(portal + "/dang-nhap/")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(heading(page, "Quên mật khẩu")).to_be_visible()
    check_page(page, "reset-request")
    page.get_by_label("Tên đăng nhập (Số CMT/CCCD)").fill(id_number)
    page.get_by_label("Số điện thoại đã đăng ký").fill(national(phone))
    page.get_by_label("Nhập mã xác thực").fill(CAPTCHA_ANSWER)
    page.get_by_role("button", name="Tiếp tục").click()
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    expect(page.get_by_text(MAYBE_SENT)).to_be_visible()


def test_it_resets_a_forgotten_password_and_logs_in_with_the_new_one(
    page, portal, check_page, sms_outbox, sample_accounts
):
    tuan = sample_person("001084567801")
    ask_for_reset(page, portal, check_page, tuan["id_number"], tuan["phone"])
    check_page(page, "reset-otp")
    enter_code(page, last_code(sms_outbox, tuan["phone"]))

    expect(heading(page, "Đặt lại mật khẩu")).to_be_visible()
    check_page(page, "reset-password")
    page.get_by_label("Nhập mật khẩu").fill(NEW_PASSWORD)
    page.get_by_label("Xác nhận mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Xác nhận").click()

    expect(heading(page, "Đăng nhập")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Đặt lại mật khẩu thành công.")
    check_page(page, "login-after-reset")
    told = sms_to(sms_outbox, tuan["phone"])[-1]["text"]
    assert told.startswith("DVCQG: mật khẩu đã đổi lúc "), "the phone is told of the change"

    fill_login_form(page, tuan["id_number"], tuan["account"]["password"])  # the old one
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng.")
    fill_login_form(page, tuan["id_number"], NEW_PASSWORD)
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    enter_code(page, last_code(sms_outbox, tuan["phone"]))
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_text("Cao Văn Tuấn")).to_be_visible()


def test_it_shows_the_same_code_page_for_an_id_and_phone_that_do_not_match(
    page, portal, check_page, sms_outbox, sample_accounts
):
    uyen = sample_person("079192678902")
    stranger_phone = "+84912345099"  # not Uyên's phone, nor anyone's in the samples
    ask_for_reset(page, portal, check_page, uyen["id_number"], stranger_phone)
    expect(page.get_by_text("091****099")).to_be_visible()
    check_page(page, "reset-otp-unknown-pair")
    assert sms_outbox == []  # nothing is sent, but the page does not say so

    enter_code(page, "123456")
    expect(page.locator("#div_id_code .invalid-feedback")).to_have_text(
        "Mã OTP không đúng. Bạn còn 4 lần thử.")
    page.goto(portal + "/quen-mat-khau/mat-khau-moi/")
    expect(heading(page, "Quên mật khẩu")).to_be_visible()  # no way round the code
