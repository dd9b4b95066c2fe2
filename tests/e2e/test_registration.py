"""Registering by "Thuê bao di động" in a browser, as a citizen does it."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Account, VerificationCode
from tests.fixtures_browser import (
    birth_date_typed,
    enter_code,
    fill_login_form,
    fill_mobile_form,
    heading,
    last_code,
    national,
    sample_person,
    wrong_code,
)

pytestmark = pytest.mark.e2e

PASSWORD = "Hoa-Sen#2025"
REGISTERED = "Đăng ký tài khoản thành công. Mời bạn đăng nhập."


# Who walks which test (sandbox/people.json): each person registers in one test only.
AN = "001090012345"  # the happy path, then the login
BINH = "079185004567"  # five wrong codes
CUONG = "048078123456"  # an expired code
DUNG = "031301234567"  # the resend cooldown
DUC = "038203345678"  # weak and mismatched passwords
HUONG = "036195456789"  # typing the password step's URL
TUAN = "001084567801"  # already has an account
KHOA = "034082789012"  # the SIM is his wife's: not "chính chủ"
QUYNH = "027191234560"  # the carrier times out


def open_mobile_form(page, portal, check_page) -> None:
    page.goto(portal + "/dang-ky/")
    expect(heading(page, "Đăng ký")).to_be_visible()
    expect(page.get_by_text("Vui lòng chọn phương thức đăng ký")).to_be_visible()
    check_page(page, "chooser")
    page.get_by_role("link", name="Thuê bao di động").click()
    expect(page.get_by_text("Thuê bao di động (Chỉ dành cho công dân)")).to_be_visible()


def start_registration(page, portal, check_page, person: dict) -> None:
    """From the chooser through the identity form to the OTP screen."""
    open_mobile_form(page, portal, check_page)
    fill_mobile_form(page, person)
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    check_page(page, "register-otp")


def choose_password(page, password: str, confirmation: str) -> None:
    page.get_by_label("Nhập mật khẩu").fill(password)
    page.get_by_label("Xác nhận mật khẩu").fill(confirmation)
    page.get_by_role("button", name="Đăng ký", exact=True).click()


def code_error(page):
    """The message under the OTP field."""
    return page.locator("#div_id_code .invalid-feedback")


def make_resend_possible() -> None:
    """As if the 60-second cooldown had passed: the codes were issued a minute ago."""
    VerificationCode.objects.update(created_at=timezone.now() - dt.timedelta(seconds=61))


def expect_form_kept(page, person: dict) -> None:
    expect(page.get_by_label("Tên đăng nhập (Số CMT/CCCD)")).to_have_value(person["id_number"])
    expect(page.get_by_label("Họ tên")).to_have_value(person["full_name"])
    expect(page.get_by_label("Ngày sinh")).to_have_value(birth_date_typed(person))
    expect(page.get_by_label("Số điện thoại")).to_have_value(national(person["phone"]))


def test_it_registers_by_mobile_subscriber_and_then_logs_in(page, portal, check_page, sms_outbox):
    an = sample_person(AN)  # a clean carrier match with no account yet
    open_mobile_form(page, portal, check_page)
    check_page(page, "mobile-form")
    fill_mobile_form(page, an)
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    expect(page.get_by_text("091****001")).to_be_visible()
    check_page(page, "register-otp")
    enter_code(page, last_code(sms_outbox, an["phone"]))

    expect(heading(page, "Đăng ký")).to_be_visible()
    expect(page.get_by_text("Sử dụng 8 ký tự trở lên bao gồm chữ thường")).to_be_visible()
    check_page(page, "password")
    page.get_by_label("Nhập mật khẩu").fill(PASSWORD)
    page.get_by_label("Xác nhận mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(heading(page, "Đăng nhập")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(REGISTERED)
    check_page(page, "login-after-register")
    fill_login_form(page, an["id_number"], PASSWORD)

    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    expect(page.get_by_text("Mã xác thực đã được gửi qua số điện thoại:")).to_be_visible()
    check_page(page, "login-otp")
    enter_code(page, last_code(sms_outbox, an["phone"]))

    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_text("Nguyễn Văn An")).to_be_visible()
    expect(page.get_by_text("Mức độ 2 (IAL2)")).to_be_visible()
    check_page(page, "profile")
    assert len(sms_outbox) == 2  # one code to register, one to log in
    assert Account.objects.get(username=an["id_number"]).registration_method == "mobile"


def test_it_refuses_a_wrong_otp_five_times_until_a_new_code_is_sent(
    page, portal, check_page, sms_outbox
):
    binh = sample_person(BINH)
    start_registration(page, portal, check_page, binh)
    right = last_code(sms_outbox, binh["phone"])

    for tries_left in (4, 3, 2, 1):
        enter_code(page, wrong_code(right))
        expect(code_error(page)).to_have_text(f"Mã OTP không đúng. Bạn còn {tries_left} lần thử.")
        if tries_left == 4:
            check_page(page, "otp-wrong")
    enter_code(page, wrong_code(right))
    exhausted = ("Bạn đã nhập sai mã OTP quá số lần cho phép. "
                 "Vui lòng bấm “Gửi lại OTP” để nhận mã mới.")
    expect(code_error(page)).to_have_text(exhausted)
    check_page(page, "otp-exhausted")

    enter_code(page, right)  # the right code is dead now too
    expect(code_error(page)).to_have_text(exhausted)
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()

    make_resend_possible()
    page.reload()
    page.get_by_role("button", name="Gửi lại OTP").click()
    expect(page.get_by_role("status")).to_have_text(
        "Mã OTP mới đã được gửi. Mã cũ không còn dùng được.")
    assert len(sms_outbox) == 2
    enter_code(page, last_code(sms_outbox, binh["phone"]))
    expect(page.get_by_label("Nhập mật khẩu")).to_be_visible()


def test_it_refuses_an_expired_otp_and_a_new_one_works(
    page, portal, check_page, sms_outbox, time_machine
):
    cuong = sample_person(CUONG)
    start_registration(page, portal, check_page, cuong)
    old = last_code(sms_outbox, cuong["phone"])

    time_machine.move_to(timezone.now() + dt.timedelta(minutes=5, seconds=30), tick=True)
    enter_code(page, old)
    expect(code_error(page)).to_have_text(
        "Mã OTP đã hết hạn hoặc đã được sử dụng. Vui lòng bấm “Gửi lại OTP” để nhận mã mới.")
    check_page(page, "otp-expired")

    resend = page.get_by_role("button", name="Gửi lại OTP")
    expect(resend).to_be_enabled()  # the cooldown is long over
    resend.click()
    expect(page.get_by_role("status")).to_contain_text("Mã OTP mới đã được gửi.")
    new = last_code(sms_outbox, cuong["phone"])
    enter_code(page, new)
    expect(page.get_by_label("Nhập mật khẩu")).to_be_visible()


def test_it_lets_a_code_be_resent_only_after_the_cooldown(page, portal, check_page, sms_outbox):
    dung = sample_person(DUNG)
    start_registration(page, portal, check_page, dung)
    first = last_code(sms_outbox, dung["phone"])

    resend = page.get_by_role("button", name="Gửi lại OTP")
    expect(resend).to_be_disabled()
    expect(page.get_by_text("Có thể gửi lại sau")).to_be_visible()
    # A page kept open from before, or a double click: the server holds the cooldown too.
    resend.evaluate("button => { button.disabled = false; }")
    resend.click()
    expect(page.get_by_role("alert")).to_have_text(re.compile(
        r"^Mã OTP vừa được gửi tới số điện thoại này\. Vui lòng đợi \d+ giây rồi thử lại\.$"))
    check_page(page, "resend-too-early")
    assert len(sms_outbox) == 1

    make_resend_possible()
    page.reload()
    expect(resend).to_be_enabled()
    resend.click()
    expect(page.get_by_role("status")).to_have_text(
        "Mã OTP mới đã được gửi. Mã cũ không còn dùng được.")
    check_page(page, "resent")
    assert len(sms_outbox) == 2
    second = last_code(sms_outbox, dung["phone"])

    enter_code(page, first)
    expect(code_error(page)).to_contain_text("Mã OTP không đúng.")
    enter_code(page, second)
    expect(page.get_by_label("Nhập mật khẩu")).to_be_visible()


def test_it_tells_an_existing_account_holder_the_three_ways_out(
    page, portal, check_page, sms_outbox, sample_accounts
):
    tuan = sample_person(TUAN)  # has had an account since the sample data
    open_mobile_form(page, portal, check_page)
    fill_mobile_form(page, tuan)
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(heading(page, "Tài khoản đã tồn tại")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text(
        "Số CMT/CCCD hoặc mã số thuế này đã có tài khoản trên Cổng Dịch vụ công quốc gia")
    ways_out = page.get_by_role("main").get_by_role("listitem")
    expect(ways_out).to_have_count(3)
    expect(ways_out.nth(0)).to_contain_text("Quên mật khẩu")
    expect(ways_out.nth(1)).to_contain_text("Đến quầy giao dịch")
    expect(ways_out.nth(2)).to_contain_text("Gửi khiếu nại nếu bạn không sở hữu tài khoản này")
    check_page(page, "duplicate")
    assert sms_outbox == []

    page.get_by_role("link", name="Quên mật khẩu").click()
    expect(heading(page, "Quên mật khẩu")).to_be_visible()


def test_it_refuses_a_phone_not_registered_to_this_person(page, portal, check_page, sms_outbox):
    khoa = sample_person(KHOA)  # his SIM is in his wife's name
    open_mobile_form(page, portal, check_page)
    fill_mobile_form(page, khoa)
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Không thể đăng ký: thuê bao di động này không đăng ký chính chủ")
    expect(page.get_by_role("alert")).to_contain_text("soạn TTTB gửi 1414")
    expect(page.get_by_role("alert")).not_to_contain_text("Nguyễn Thị Hạnh")  # the registry's data
    expect_form_kept(page, khoa)
    check_page(page, "not-owner")
    assert sms_outbox == []
    assert not Account.objects.exists()


def test_it_keeps_the_typed_data_when_the_carrier_times_out(page, portal, check_page, sms_outbox):
    quynh = sample_person(QUYNH)  # the carrier never answers for her number
    open_mobile_form(page, portal, check_page)
    fill_mobile_form(page, quynh)
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Hệ thống của nhà mạng di động đang không phản hồi nên chưa kiểm tra được thông tin.")
    expect(page.get_by_role("alert")).to_contain_text("vui lòng nhập mã xác thực mới")
    expect_form_kept(page, quynh)
    check_page(page, "carrier-timeout")
    assert sms_outbox == []
    assert not Account.objects.exists()


def test_it_refuses_a_weak_password_and_mismatched_passwords(
    page, portal, check_page, sms_outbox
):
    duc = sample_person(DUC)
    start_registration(page, portal, check_page, duc)
    enter_code(page, last_code(sms_outbox, duc["phone"]))
    expect(page.get_by_label("Nhập mật khẩu")).to_be_visible()

    choose_password(page, "songhong1975", "songhong1975")
    expect(page.locator("#div_id_password1 .invalid-feedback")).to_have_text(
        "Mật khẩu chưa đạt yêu cầu, còn thiếu: chữ in hoa, ký tự đặc biệt.")
    check_page(page, "weak-password")

    choose_password(page, PASSWORD, PASSWORD + "x")
    expect(page.locator("#div_id_password2 .invalid-feedback")).to_have_text(
        "Mật khẩu xác nhận không khớp.")
    check_page(page, "mismatched-passwords")
    assert not Account.objects.exists()

    choose_password(page, PASSWORD, PASSWORD)
    expect(page.get_by_role("status")).to_have_text(REGISTERED)
    assert Account.objects.filter(username=duc["id_number"]).exists()


def test_it_sends_whoever_opens_the_password_step_directly_back_to_the_start(
    page, portal, check_page, sms_outbox
):
    start_again = "Phiên thực hiện đã hết hạn hoặc chưa đến bước này. Vui lòng bắt đầu lại."
    page.goto(portal + "/dang-ky/mat-khau/")
    expect(page).to_have_url(portal + "/dang-ky/")
    expect(heading(page, "Đăng ký")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text(start_again)
    check_page(page, "password-step-typed")

    huong = sample_person(HUONG)  # halfway: the code is sent but not typed
    start_registration(page, portal, check_page, huong)
    page.goto(portal + "/dang-ky/mat-khau/")
    expect(page).to_have_url(portal + "/dang-ky/")
    expect(page.get_by_role("status")).to_have_text(start_again)
    assert not Account.objects.exists()
