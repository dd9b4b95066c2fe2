""""Phiên đăng nhập": a person logged in on a phone and a computer sees both, and ends the
computer's login from the phone."""

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

PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36")


def _log_in(page, portal, sms_outbox, person) -> None:
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, person["id_number"], person["account"]["password"])
    enter_code(page, last_code(sms_outbox, person["phone"]))
    expect(heading(page, "Trang cá nhân")).to_be_visible()


def test_it_ends_the_login_of_another_device(page, browser, portal, check_page, sms_outbox,
                                             sample_accounts, browser_context_args):
    tuan = sample_person("001084567801")
    _log_in(page, portal, sms_outbox, tuan)  # the computer
    phone = browser.new_context(**{**browser_context_args, "user_agent": PHONE_UA,
                                   "viewport": {"width": 375, "height": 812}}).new_page()
    _log_in(phone, portal, sms_outbox, tuan)

    phone.get_by_role("link", name="Phiên đăng nhập").click()
    expect(heading(phone, "Phiên đăng nhập")).to_be_visible()
    this_one = phone.get_by_role("listitem").filter(has_text="Thiết bị bạn đang dùng")
    expect(this_one).to_contain_text("Chrome · Android")
    computer = phone.get_by_role("listitem").filter(has_not_text="Thiết bị bạn đang dùng")
    expect(computer).to_contain_text("Chrome · Linux")
    check_page(phone, "logins")

    computer.get_by_role("button", name="Đăng xuất khỏi thiết bị này").click()
    expect(phone.get_by_role("status")).to_contain_text("Đã đăng xuất khỏi thiết bị đó.")
    expect(phone.get_by_role("listitem")).to_have_count(1)
    check_page(phone, "logins-after-ending-one")

    page.reload()  # the computer's next request finds nobody logged in
    expect(heading(page, "Đăng nhập")).to_be_visible()
    phone.reload()
    expect(heading(phone, "Phiên đăng nhập")).to_be_visible()
    phone.context.close()
