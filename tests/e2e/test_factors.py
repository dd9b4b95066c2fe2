"""Second factors in a browser: an authenticator app enrolled by its QR page's secret
(the test computes codes as an app would) and used at login; backup codes; and a lost
phone recovered with a backup code, then a new phone set (carrier check + OTP)."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.fixtures_browser import (
    enter_code,
    fill_login_form,
    heading,
    last_code,
    sample_person,
    wrong_code,
)

pytestmark = pytest.mark.e2e
TUAN = "001084567801"
SECOND_SIM = "+84912345031"


def _app_code(secret: str, *, steps_ahead: int = 0) -> str:
    """What an app holding `secret` shows now (or that many 30-s steps later)."""
    counter = TOTP(base64.b32decode(secret.replace(" ", "")))
    counter.time = time.time() + 30 * steps_ahead
    return f"{counter.token():06d}"


def _log_in_by_sms(page, portal, sms_outbox, person) -> None:
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, person["id_number"], person["account"]["password"])
    enter_code(page, last_code(sms_outbox, person["phone"]))
    expect(heading(page, "Trang cá nhân")).to_be_visible()


def test_it_enrols_an_app_and_logs_in_with_its_code(page, portal, check_page, sms_outbox,
                                                    sample_accounts):
    tuan = sample_person(TUAN)
    _log_in_by_sms(page, portal, sms_outbox, tuan)
    page.get_by_role("link", name="Bảo mật tài khoản").click()
    expect(heading(page, "Bảo mật tài khoản")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Mã OTP qua tin nhắn SMS")) \
        .to_contain_text("Mặc định")
    check_page(page, "security")

    page.get_by_role("link", name="Thêm ứng dụng xác thực").click()
    expect(heading(page, "Thêm ứng dụng xác thực")).to_be_visible()
    expect(page.locator(".app-qr svg")).to_be_visible()
    secret = page.locator("#app-secret").inner_text()
    check_page(page, "app-enrol")
    code_box = page.get_by_label("Nhập mã 6 chữ số đang hiện trên ứng dụng xác thực")
    code_box.fill(wrong_code(_app_code(secret)))
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.get_by_text("Mã xác thực không đúng")).to_be_visible()
    check_page(page, "app-enrol-wrong-code")
    time.sleep(1.1)  # django-otp's back-off after a wrong code
    code_box.fill(_app_code(secret))
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã thêm ứng dụng xác thực")
    app_row = page.get_by_role("listitem").filter(has_text="Ứng dụng xác thực")
    expect(app_row).to_contain_text("Mặc định")
    expect(page.get_by_text(secret)).to_have_count(0)

    page.get_by_role("button", name="Tạo mã dự phòng").click()
    expect(heading(page, "Mã dự phòng")).to_be_visible()
    codes = page.locator("#backup-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\d{5}-\d{5}", code) for code in codes)
    check_page(page, "backup-codes")
    page.get_by_role("link", name="Tôi đã lưu các mã").click()
    expect(page.get_by_text("Còn 10 mã chưa dùng.")).to_be_visible()

    page.goto(portal + "/trang-ca-nhan/")
    page.get_by_role("button", name="Đăng xuất").click()
    sent = len(sms_outbox)
    fill_login_form(page, TUAN, tuan["account"]["password"])
    expect(page.get_by_text("Mở ứng dụng xác thực trên điện thoại")).to_be_visible()
    assert len(sms_outbox) == sent, "no SMS when the app is asked first"
    check_page(page, "login-app-code")
    page.get_by_label("Nhập mã 6 chữ số đang hiện trên ứng dụng xác thực") \
        .fill(_app_code(secret, steps_ahead=1))  # the enrolment spent this step's code
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(heading(page, "Trang cá nhân")).to_be_visible()


def test_it_recovers_a_lost_phone_with_a_backup_code_and_sets_a_new_phone(
        page, portal, check_page, sms_outbox, sample_accounts):
    from accounts.factors.services import backup_codes_issue
    from accounts.models import Account

    tuan = sample_person(TUAN)
    codes = backup_codes_issue(Account.objects.get(username=TUAN))
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, TUAN, tuan["account"]["password"])
    page.get_by_role("link", name="Mất số điện thoại nhận OTP.").click()
    expect(heading(page, "Mất số điện thoại nhận OTP")).to_be_visible()
    check_page(page, "lost-phone")
    page.go_back()

    page.get_by_role("link", name="Chọn phương thức xác thực khác").click()
    expect(heading(page, "Chọn phương thức xác thực khác")).to_be_visible()
    check_page(page, "choose-factor")
    page.get_by_role("button", name=re.compile("Mã dự phòng")).click()
    check_page(page, "login-backup-code")
    page.get_by_label("Nhập một mã dự phòng (10 chữ số)").fill(codes[0])
    page.get_by_role("button", name="Xác nhận", exact=True).click()
    expect(heading(page, "Bảo mật tài khoản")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("mã dự phòng")
    expect(page.get_by_text("Còn 9 mã chưa dùng.")).to_be_visible()

    page.get_by_role("link", name="Đổi số điện thoại").click()
    expect(heading(page, "Đổi số điện thoại")).to_be_visible()
    page.get_by_label("Số điện thoại mới").fill("0912345001")  # someone else's SIM
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_text("không đăng ký chính chủ")).to_be_visible()
    check_page(page, "phone-change-refused")
    page.get_by_label("Số điện thoại mới").fill("0912 345 031")
    page.get_by_role("button", name="Tiếp tục").click()
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    expect(page.get_by_text("Xác nhận số điện thoại mới")).to_be_visible()
    check_page(page, "phone-change-otp")
    enter_code(page, last_code(sms_outbox, SECOND_SIM))
    expect(page.get_by_role("status")).to_contain_text("Đã đổi số điện thoại")
    expect(page.get_by_role("listitem").filter(has_text="Mã OTP qua tin nhắn SMS")) \
        .to_contain_text("031")
    told = [sms["text"] for sms in sms_outbox if sms["phone"] == tuan["phone"]]
    assert "SĐT đã đổi" in told[-1] and "Không phải bạn" in told[-1], told
    assert not [sms for sms in sms_outbox if sms["phone"] == SECOND_SIM
                and "SĐT đã đổi" in sms["text"]], "the notice goes to the old number"

    page.goto(portal + "/trang-ca-nhan/lich-su-hoat-dong/")
    events = page.get_by_role("listitem")
    expect(events.nth(0)).to_contain_text("Đổi số điện thoại")
    expect(events.filter(has_text="Dùng một mã dự phòng")).to_have_count(1)
    expect(events.filter(has_text="Đăng nhập bằng mật khẩu và mã dự phòng")).to_have_count(1)
    check_page(page, "activity-after-recovery")
