"""Keyboard only: a registration, a login with its SMS code and an account made at the
counter, walked with Tab, typing, Enter and Space, never the mouse. Every control is
reached in the page's order and shows where the focus is."""

import pytest
from playwright.sync_api import expect

from sandbox.staff import STAFF
from tests.e2e.test_counter import PDF, WALK_IN, scans  # noqa: F401
from tests.fixtures_browser import CAPTCHA_ANSWER, birth_date_typed, heading, last_code, national
from tests.fixtures_browser import sample_person as person_of

pytestmark = pytest.mark.e2e

TABS_AT_MOST = 60
PASSWORD = "Ban-Phim#2026"
FOCUS_SHOWN = """el => {
  const style = getComputedStyle(el);
  return el.matches(':focus-visible')
    && (style.outlineStyle !== 'none' || style.boxShadow !== 'none');
}"""


def tab_to(page, target) -> None:
    """Tab, as a person does, until `target` has the focus; it must show it."""
    for _ in range(TABS_AT_MOST):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            assert target.evaluate(FOCUS_SHOWN), f"no visible focus on {target}"
            return
    pytest.fail(f"{TABS_AT_MOST} presses of Tab never reach {target}")


def type_into(page, target, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


def code_step(page, sms_outbox, phone: str) -> None:
    type_into(page, page.get_by_label("Nhập mã OTP"), last_code(sms_outbox, phone))
    page.keyboard.press("Enter")


def log_in(page, sms_outbox, username: str, password: str, phone: str) -> None:
    type_into(page, page.get_by_label("Tên đăng nhập"), username)
    type_into(page, page.get_by_label("Mật khẩu"), password)
    type_into(page, page.get_by_label("Nhập mã xác thực"), CAPTCHA_ANSWER)
    page.keyboard.press("Enter")
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    code_step(page, sms_outbox, phone)


def test_a_registration_and_its_login_by_keyboard(page, portal, sms_outbox, shots):
    an = person_of("001090012345")
    page.goto(portal + "/dang-ky/")
    tab_to(page, page.get_by_role("link", name="Thuê bao di động"))
    page.keyboard.press("Enter")
    type_into(page, page.get_by_label("Tên đăng nhập (Số CMT/CCCD)"), an["id_number"])
    type_into(page, page.get_by_label("Họ tên"), an["full_name"])
    type_into(page, page.get_by_label("Ngày sinh"), birth_date_typed(an))
    type_into(page, page.get_by_label("Số điện thoại"), national(an["phone"]))
    type_into(page, page.get_by_label("Nhập mã xác thực"), CAPTCHA_ANSWER)
    tab_to(page, page.get_by_role("button", name="Đăng ký", exact=True))
    shots(page, "focus-on-the-register-button")
    page.keyboard.press("Enter")

    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    code_step(page, sms_outbox, an["phone"])
    type_into(page, page.get_by_label("Nhập mật khẩu"), PASSWORD)
    type_into(page, page.get_by_label("Xác nhận mật khẩu"), PASSWORD)
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_have_text(
        "Đăng ký tài khoản thành công. Mời bạn đăng nhập.")
    log_in(page, sms_outbox, an["id_number"], PASSWORD, an["phone"])
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_text(an["full_name"])).to_be_visible()


def test_a_counter_officer_creates_an_account_by_keyboard(
    page, portal, sms_outbox, sample_accounts, scans, tmp_path, shots  # noqa: F811
):
    ha = STAFF[0]
    # The file picker is caught from the start: set up only when the key is pressed, its
    # interception could reach the browser after the key does (the picker then opens
    # unseen, and the walk waits for nothing).
    pickers = []
    page.on("filechooser", lambda picker: pickers.append(picker))
    page.goto(portal + "/quan-tri/tao-tai-khoan-cong-dan/")
    log_in(page, sms_outbox, ha["id_number"], ha["password"], ha["phone"])
    expect(heading(page, "Tạo tài khoản công dân")).to_be_visible()

    tab_to(page, page.get_by_role("link", name="Thêm mới"))
    page.keyboard.press("Enter")
    type_into(page, page.get_by_label("Số CMND/CCCD"), WALK_IN["id_number"])
    page.keyboard.press("Enter")
    type_into(page, page.get_by_label("Họ và tên"), WALK_IN["full_name"])
    type_into(page, page.get_by_label("Ngày sinh"), WALK_IN["birth_date"])
    type_into(page, page.get_by_label("Số điện thoại"), WALK_IN["phone"])
    scan = tmp_path / "CCCD-2-mat.pdf"
    scan.write_bytes(PDF)
    tab_to(page, page.get_by_label("Đính kèm CCCD/CMND"))
    page.keyboard.press("Space")  # the system's file picker opens
    for _ in range(100):
        if pickers:
            break
        page.wait_for_timeout(100)
    assert len(pickers) == 1, "Space on the focused file field opened no file picker"
    pickers[0].set_files(str(scan))
    tab_to(page, page.get_by_role("button", name="Tiếp tục"))
    page.keyboard.press("Enter")

    tab_to(page, page.get_by_role("button", name="Gửi mã OTP"))
    shots(page, "focus-on-send-code")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Đã gửi mã OTP tới số điện thoại của công dân.")).to_be_visible()
    code_step(page, sms_outbox, "+84" + WALK_IN["phone"][1:])
    expect(page.get_by_text(f"Đã tạo tài khoản cho công dân {WALK_IN['full_name']}."))\
        .to_be_visible()
