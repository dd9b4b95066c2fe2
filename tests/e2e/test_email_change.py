""""Đổi email": from the personal page, a code read in the development mailbox (/dev/email/),
a wrong one first, then the new email on the profile."""

import re

import pytest
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
NEW = "tuan.cao@example.vn"


@pytest.fixture
def dev_mailbox(settings):
    """Mail kept by the development backend, as `make run` keeps it, for /dev/email/."""
    settings.EMAIL_BACKEND = "accounts.mail.outbox.OutboxBackend"


def mailed_code(page, portal, to: str) -> str:
    """The code in the newest mail to `to`, read on the development mailbox page."""
    mailbox = page.context.new_page()
    mailbox.goto(portal + "/dev/email/")
    expect(heading(mailbox, "Thư điện tử đã gửi (bản phát triển)")).to_be_visible()
    mail = mailbox.locator("article").filter(has_text=to).first
    code = re.search(r"(?<!\d)\d{6}(?!\d)", mail.inner_text()).group()
    mailbox.close()
    return code


def test_it_changes_the_email_with_the_code_mailed_to_the_new_address(
        page, portal, check_page, sms_outbox, sample_accounts, dev_mailbox):
    tuan = sample_person("001084567801")
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, tuan["id_number"], tuan["account"]["password"])
    enter_code(page, last_code(sms_outbox, tuan["phone"]))  # a login is a fresh proof
    expect(heading(page, "Trang cá nhân")).to_be_visible()

    page.get_by_role("link", name="Đổi email").click()
    expect(heading(page, "Đổi email")).to_be_visible()
    page.get_by_label("Email mới").fill("khong-phai-email")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    expect(page.get_by_text("Email không hợp lệ.")).to_be_visible()
    check_page(page, "email-change-bad-address")
    page.get_by_label("Email mới").fill(NEW)
    page.get_by_role("button", name="Gửi mã xác thực").click()

    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    expect(page.get_by_text(NEW)).to_be_visible()
    check_page(page, "email-change-code")
    code = mailed_code(page, portal, NEW)
    enter_code(page, wrong_code(code))
    expect(page.get_by_text("Mã OTP không đúng. Bạn còn 4 lần thử.")).to_be_visible()
    check_page(page, "email-change-wrong-code")
    enter_code(page, code)

    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Đổi email thành công.")
    expect(page.get_by_text(NEW, exact=True)).to_be_visible()
    check_page(page, "profile-new-email")


def test_the_development_mailbox_passes_the_checks(page, portal, check_page, dev_mailbox):
    from django.core.mail import EmailMessage

    EmailMessage("Mã xác thực đổi email", "Mã xác thực: 123456", to=[NEW]).send()
    page.goto(portal + "/dev/email/")
    expect(page.get_by_text("Mã xác thực: 123456")).to_be_visible()
    check_page(page, "dev-mailbox")
