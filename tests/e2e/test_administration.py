"""Seed 003 end to end, from an empty database plus the bootstrap command: the top
administrator appoints a unit administrator, who adds a clerk and grants her the right;
the clerk then creates an account for a walk-in citizen."""

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Account
from operator_console.models import AuditEntry
from tests.e2e.test_counter import PDF, WALK_IN, fill_citizen
from tests.fixtures_browser import (
    enter_code,
    fill_login_form,
    fill_mobile_form,
    heading,
    last_code,
    sample_person,
)

pytestmark = pytest.mark.e2e

TOP = {"id_number": "033180000001", "full_name": "Lê Thu Thảo", "phone": "0912345301"}
AN = "001090012345"  # registers on the portal, becomes the administrator of Phố Hiến
BINH = "079185004567"  # registers on the portal, becomes a clerk at its counter
PASSWORDS = {AN: "Quan-Tri#2026", BINH: "Mot-Cua#2026", TOP["id_number"]: "Cap-Tinh#2026"}


@pytest.fixture
def bootstrapped(transactional_db, settings, tmp_path) -> str:
    """Units and the first top administrator, by command; returns the one-time password."""
    settings.SCAN_STORAGE_ROOT = tmp_path / "scans"
    call_command("load_units", "--sample", stdout=io.StringIO())
    out = io.StringIO()
    call_command("create_top_admin", province="33", id_number=TOP["id_number"],
                 full_name=TOP["full_name"], phone=TOP["phone"], stdout=out)
    return re.search(r"One-time password[^:]*: (\S+)", out.getvalue()).group(1)


def register(page, portal, sms_outbox, id_number: str) -> None:
    person = sample_person(id_number)
    page.goto(portal + "/dang-ky/mobile/")
    fill_mobile_form(page, person)
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    enter_code(page, last_code(sms_outbox, person["phone"]))
    page.get_by_label("Nhập mật khẩu").fill(PASSWORDS[id_number])
    page.get_by_label("Xác nhận mật khẩu").fill(PASSWORDS[id_number])
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("Đăng ký tài khoản thành công")).to_be_visible()


def log_in(page, portal, sms_outbox, id_number: str, phone: str, password: str) -> None:
    page.goto(portal + "/quan-tri/")
    fill_login_form(page, id_number, password)
    enter_code(page, last_code(sms_outbox, phone))


def unit_select(page):
    return page.get_by_role("combobox", name="Đơn vị")


def log_out(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    expect(heading(page, "Đăng nhập")).to_be_visible()


def grant(page, who: str, rights: list[str]) -> None:
    page.get_by_role("link", name="Người dùng và phân quyền").click()
    page.get_by_role("link", name=f"Phân quyền {who}").first.click()
    for right in rights:
        page.get_by_label(right, exact=True).check()
    page.get_by_role("button", name="Lưu phân quyền").click()
    expect(page.get_by_text(f"Đã lưu phân quyền: cấp {len(rights)} quyền")).to_be_visible()


def test_the_seed_003_story_from_an_empty_database(
    page, portal, check_page, sms_outbox, bootstrapped, tmp_path
):
    an, binh = sample_person(AN), sample_person(BINH)
    register(page, portal, sms_outbox, AN)
    register(page, portal, sms_outbox, BINH)

    # The top administrator: first login with the printed password, changed at once.
    log_in(page, portal, sms_outbox, TOP["id_number"], TOP["phone"], bootstrapped)
    expect(heading(page, "Đổi mật khẩu")).to_be_visible()
    page.get_by_label("Mật khẩu hiện tại").fill(bootstrapped)
    page.get_by_label("Nhập mật khẩu").fill(PASSWORDS[TOP["id_number"]])
    page.get_by_label("Xác nhận mật khẩu").fill(PASSWORDS[TOP["id_number"]])
    page.get_by_role("button", name="Đổi mật khẩu").click()
    page.goto(portal + "/quan-tri/quan-tri-don-vi/")
    expect(heading(page, "Quản trị đơn vị")).to_be_visible()
    page.get_by_role("textbox", name="Số CMND/CCCD").fill(AN)
    unit_select(page).select_option(label="Phường Phố Hiến")
    page.get_by_role("button", name="Bổ nhiệm").click()
    expect(page.get_by_text("Đã bổ nhiệm Nguyễn Văn An làm quản trị Phường Phố Hiến.")
           ).to_be_visible()
    check_page(page, "appointed")
    grant(page, "Nguyễn Văn An", ["Quyền cho thêm mới người dùng",
                                  "Quyền tạo tài khoản công dân"])
    check_page(page, "granted-to-admin")
    log_out(page)

    # The unit administrator adds Bình to the counter and grants her the right.
    log_in(page, portal, sms_outbox, AN, an["phone"], PASSWORDS[AN])
    page.get_by_role("link", name="Người dùng và phân quyền").click()
    page.get_by_role("textbox", name="Số CMND/CCCD").fill(BINH)
    unit_select(page).select_option(label="Bộ phận một cửa phường Phố Hiến")
    page.get_by_role("button", name="Thêm người dùng").click()
    expect(page.get_by_text("Đã thêm Trần Thị Bình vào Bộ phận một cửa phường Phố Hiến.")
           ).to_be_visible()
    check_page(page, "staff-added")
    page.get_by_role("link", name="Phân quyền Trần Thị Bình").click()
    expect(page.get_by_label("Xem thông tin hồ sơ dịch vụ công")).to_be_disabled()  # not his
    expect(page.get_by_text("Chức năng của quyền này nằm ngoài Cổng này").first).to_be_visible()
    check_page(page, "grant-screen")
    grant(page, "Trần Thị Bình", ["Quyền tạo tài khoản công dân"])
    log_out(page)

    # The clerk creates an account for a walk-in citizen.
    log_in(page, portal, sms_outbox, BINH, binh["phone"], PASSWORDS[BINH])
    expect(heading(page, "Tạo tài khoản công dân")).to_be_visible()
    page.get_by_role("link", name="Thêm mới").click()
    page.get_by_label("Số CMND/CCCD").fill(WALK_IN["id_number"])
    page.get_by_role("button", name="Tra cứu").click()
    fill_citizen(page, tmp_path, ("CCCD.pdf", PDF))
    page.get_by_role("button", name="Tiếp tục").click()
    page.get_by_role("button", name="Gửi mã OTP").click()
    page.get_by_label("Nhập mã OTP").fill(last_code(sms_outbox, WALK_IN["phone"]))
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_text("Đã tạo tài khoản cho công dân Hoàng Văn Nam.")).to_be_visible()

    citizen = Account.objects.get(username=WALK_IN["id_number"])
    assert citizen.created_by.username == BINH and citizen.assurance_level == 3
    on_the_web = AuditEntry.objects.exclude(actor=None).order_by("at", "id")
    assert list(on_the_web.values_list("action", flat=True)) == [
        "appoint", "grant", "grant", "member_add", "grant", "lookup", "create"]
    assert AuditEntry.objects.filter(actor=None, action="appoint").count() == 1  # the command
