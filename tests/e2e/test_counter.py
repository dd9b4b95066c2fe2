"""Seed 003 at the counter: a clerk creates an account for a walk-in citizen, who then
logs in with the password from the SMS and is made to change it."""

import re

import pypdfium2
import pytest
from playwright.sync_api import expect

from sandbox.staff import STAFF
from tests.fixtures_browser import (
    SCREENSHOTS,
    enter_code,
    fill_login_form,
    heading,
    last_code,
    sms_to,
    wrong_code,
)
from tests.pdfs import scan_pdf

pytestmark = pytest.mark.e2e

HA, LAN, HAU = STAFF[:3]  # counter clerk, clerk of another counter, clerk of a department
WALK_IN = {"id_number": "033095012345", "full_name": "Hoàng Văn Nam",
           "birth_date": "12/05/1995", "phone": "0912345111"}
PDF = scan_pdf()
NEW_PASSWORD = "Nam@2026quay"


@pytest.fixture
def scans(settings, tmp_path):
    settings.SCAN_STORAGE_ROOT = tmp_path / "scans"


def console_login(page, portal, sms_outbox, staff: dict) -> None:
    """The console has no door of its own: the portal's login brings the clerk back."""
    page.goto(portal + "/quan-tri/tao-tai-khoan-cong-dan/")
    expect(heading(page, "Đăng nhập")).to_be_visible()
    fill_login_form(page, staff["id_number"], staff["password"])
    enter_code(page, last_code(sms_outbox, staff["phone"]))


def fill_citizen(page, tmp_path, upload: tuple[str, bytes]) -> None:
    page.get_by_label("Họ và tên").fill(WALK_IN["full_name"])
    page.get_by_label("Ngày sinh").fill(WALK_IN["birth_date"])
    page.get_by_label("Số điện thoại").fill(WALK_IN["phone"])
    path = tmp_path / upload[0]
    path.write_bytes(upload[1])
    page.get_by_label("Đính kèm CCCD/CMND").set_input_files(str(path))


def render_pdf(data: bytes, name: str) -> None:
    """The downloaded form as a picture, next to the screenshots, to look at."""
    image = pypdfium2.PdfDocument(data)[0].render(scale=1.5).to_pil()
    image.save(SCREENSHOTS / f"{name}.png")


def test_a_clerk_creates_an_account_for_a_walk_in_citizen(
    page, portal, check_page, sms_outbox, sample_accounts, scans, tmp_path
):
    console_login(page, portal, sms_outbox, HA)
    expect(heading(page, "Tạo tài khoản công dân")).to_be_visible()
    expect(page.get_by_text("Tìm thấy 0 kết quả")).to_be_visible()
    expect(page.get_by_text("Không tìm thấy tài khoản thỏa mãn các tiêu chí trên")).to_be_visible()
    check_page(page, "console-list-empty")

    page.get_by_role("link", name="Thêm mới").click()
    page.get_by_label("Số CMND/CCCD").fill("001084567801")  # Cao Văn Tuấn has an account
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_text("Số CMND/CCCD 001084567801 đã có tài khoản")).to_be_visible()
    check_page(page, "lookup-existing")

    page.get_by_label("Số CMND/CCCD").fill(WALK_IN["id_number"])
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.get_by_text("Thông tin cán bộ")).to_be_visible()
    fill_citizen(page, tmp_path, ("CCCD.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64))
    page.get_by_role("button", name="Tiếp tục").click()
    expect(page.get_by_text("không phải tài liệu PDF hoặc Word")).to_be_visible()
    expect(page.get_by_label("Họ và tên")).to_have_value(WALK_IN["full_name"])
    check_page(page, "details-wrong-file")
    fill_citizen(page, tmp_path, ("CCCD-2-mat.pdf", PDF))
    page.get_by_role("button", name="Tiếp tục").click()

    expect(page.get_by_text("(OTP chỉ có hiệu lực trong vòng 2 phút)")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải xuống").click()
    form = download.value.path().read_bytes()
    assert "Hoàng Văn Nam" in pypdfium2.PdfDocument(form)[0].get_textpage().get_text_range()
    render_pdf(form, "counter-request-form")
    page.get_by_role("button", name="Gửi mã OTP").click()
    expect(page.get_by_text("Đã gửi mã OTP tới số điện thoại của công dân.")).to_be_visible()
    code = last_code(sms_outbox, WALK_IN["phone"])
    page.get_by_label("Nhập mã OTP").fill(wrong_code(code))
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_text("Mã OTP không đúng. Bạn còn 4 lần thử.")).to_be_visible()
    check_page(page, "confirm-wrong-code")
    page.get_by_label("Nhập mã OTP").fill(code)
    page.get_by_role("button", name="Tạo tài khoản").click()

    expect(page.get_by_text("Đã tạo tài khoản cho công dân Hoàng Văn Nam.")).to_be_visible()
    expect(page.get_by_text("Bộ phận một cửa phường Phố Hiến")).to_be_visible()
    check_page(page, "created")
    page.get_by_role("link", name="Tạo tài khoản công dân").click()
    expect(page.get_by_text("Tìm thấy 1 kết quả")).to_be_visible()
    page.get_by_placeholder("Nhập tên công dân").fill("hoang van nam")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_role("cell", name=WALK_IN["id_number"])).to_be_visible()
    check_page(page, "console-list")
    page.get_by_role("button", name="Đăng xuất").click()

    password_sms = sms_to(sms_outbox, WALK_IN["phone"])[-1]["text"]
    password = re.search(r"mật khẩu (\S+)\.", password_sms).group(1)
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, WALK_IN["id_number"], password)
    enter_code(page, last_code(sms_outbox, WALK_IN["phone"]))
    expect(heading(page, "Đổi mật khẩu")).to_be_visible()
    expect(page.get_by_text("Vui lòng đổi mật khẩu để tiếp tục")).to_be_visible()
    check_page(page, "first-login-change-password")
    page.goto(portal + "/trang-ca-nhan/")  # nothing else opens before the change
    expect(heading(page, "Đổi mật khẩu")).to_be_visible()
    page.get_by_label("Mật khẩu hiện tại").fill(password)
    page.get_by_label("Nhập mật khẩu").fill(NEW_PASSWORD)
    page.get_by_label("Xác nhận mật khẩu").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đổi mật khẩu").click()
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_text("Tại quầy một cửa")).to_be_visible()
    expect(page.get_by_text("Mức độ 3 (IAL3)")).to_be_visible()


def test_a_clerk_of_a_department_is_told_why_and_whom_to_ask(
    page, portal, check_page, sms_outbox, sample_accounts
):
    console_login(page, portal, sms_outbox, HAU)
    expect(page.get_by_text("Sở Tư pháp tỉnh Hưng Yên").first).to_be_visible()
    page.get_by_role("link", name="Thêm mới").click()
    expect(heading(page, "Bạn chưa thể tạo tài khoản công dân: chưa chọn được đơn vị")
           ).to_be_visible()
    expect(page.get_by_text("đề nghị cán bộ quản trị của cơ quan, đơn vị")).to_be_visible()
    check_page(page, "no-counter-unit")


def test_a_citizen_without_the_right_gets_a_403_page_saying_why(
    page, portal, check_page, sms_outbox, sample_accounts
):
    tuan = {"id_number": "001084567801", "password": "ThuNghiem#01", "phone": "0912345017"}
    console_login(page, portal, sms_outbox, tuan)
    expect(heading(page, "Không có quyền truy cập")).to_be_visible()
    expect(page.get_by_text("Quyền tạo tài khoản công dân")).to_be_visible()
    check_page(page, "forbidden")
