"""Registering by "Bảo hiểm xã hội" and by "Bưu điện Việt Nam" in a browser."""

import pytest
from playwright.sync_api import expect

from accounts.models import Account
from tests.fixtures_browser import (
    enter_code,
    fill_login_form,
    fill_mobile_form,
    heading,
    last_code,
    sample_person,
)

pytestmark = pytest.mark.e2e

PASSWORD = "Hoa-Sen#2025"
PHUC, CUC, GIANG, TUAN = "075087123450", "035189890124", "030200123457", "001084567801"
DANH, OANH = "083094901235", "019183567803"
BHXH_MISMATCH = "Không thể đăng ký: dữ liệu không khớp với CSDL BHXH."
VNPOST_MISMATCH = "thông tin không khớp với dữ liệu khách hàng đã được Bưu điện Việt Nam"


def open_form(page, portal, check_page, method_label: str) -> None:
    page.goto(portal + "/dang-ky/")
    page.get_by_role("link", name=method_label).click()
    expect(page.get_by_text(f"{method_label} (Chỉ dành cho công dân)")).to_be_visible()
    check_page(page, "form")


def fill_form(page, person: dict, bhxh: bool) -> None:
    fill_mobile_form(page, person)
    if bhxh:
        page.get_by_label("Mã bảo hiểm xã hội").fill(person["bhxh"]["code"])
    page.get_by_role("button", name="Đăng ký", exact=True).click()


def register_and_log_in(page, portal, check_page, sms_outbox, person, method_label, bhxh):
    open_form(page, portal, check_page, method_label)
    fill_form(page, person, bhxh)
    expect(heading(page, "Xác thực mã OTP")).to_be_visible()
    enter_code(page, last_code(sms_outbox, person["phone"]))
    page.get_by_label("Nhập mật khẩu").fill(PASSWORD)
    page.get_by_label("Xác nhận mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_role("status")).to_have_text(
        "Đăng ký tài khoản thành công. Mời bạn đăng nhập.")
    fill_login_form(page, person["id_number"], PASSWORD)
    enter_code(page, last_code(sms_outbox, person["phone"]))
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    expect(page.get_by_text("Mức độ 2 (IAL2)")).to_be_visible()
    check_page(page, "profile")


def test_it_registers_by_social_insurance(page, portal, check_page, sms_outbox):
    register_and_log_in(page, portal, check_page, sms_outbox, sample_person(PHUC),
                        "Bảo hiểm xã hội", bhxh=True)
    expect(page.get_by_text("Cơ quan BHXH")).to_be_visible()


def test_it_registers_by_vietnam_post(page, portal, check_page, sms_outbox):
    register_and_log_in(page, portal, check_page, sms_outbox, sample_person(CUC),
                        "Bưu điện Việt Nam", bhxh=False)
    expect(page.get_by_text("Bưu điện Việt Nam", exact=True).last).to_be_visible()


@pytest.mark.parametrize("method_label,bhxh,mismatch,down,down_text", [
    ("Bảo hiểm xã hội", True, CUC, GIANG, "Hệ thống CSDL Bảo hiểm xã hội đang không phản hồi"),
    ("Bưu điện Việt Nam", False, DANH, OANH, "Hệ thống của Bưu điện Việt Nam đang không phản hồi"),
], ids=["bhxh", "vnpost"])
def test_it_refuses_mismatches_survives_a_registry_down_and_stops_duplicates(
    page, portal, check_page, sms_outbox, sample_accounts, method_label, bhxh, mismatch, down,
    down_text,
):
    open_form(page, portal, check_page, method_label)
    fill_form(page, sample_person(mismatch), bhxh)
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(BHXH_MISMATCH if bhxh else VNPOST_MISMATCH)
    expect(page.get_by_label("Họ tên")).to_have_value(sample_person(mismatch)["full_name"])
    check_page(page, "mismatch")

    fill_form(page, sample_person(down), bhxh)
    expect(alert).to_contain_text(down_text)
    expect(alert).to_contain_text("Thông tin bạn nhập vẫn được giữ")
    expect(page.get_by_label("Tên đăng nhập (Số CMT/CCCD)")).to_have_value(down)
    check_page(page, "registry-down")

    fill_form(page, sample_person(TUAN), bhxh)
    expect(heading(page, "Tài khoản đã tồn tại")).to_be_visible()
    expect(page.get_by_role("link", name="Quên mật khẩu")).to_be_visible()
    check_page(page, "duplicate")
    assert sms_outbox == []
    assert Account.objects.filter(registration_method__in=["bhxh", "vnpost"]).count() == 0


def test_one_person_has_one_account_across_the_change_of_card(page, portal, check_page,
                                                              sms_outbox):
    """Châu Thị Yến registers by phone with her old 9-digit CMND; later, at Vietnam Post,
    she tries her new CCCD: the portal knows it is her (the population registry) and says
    the account exists, with the ways out. Then she logs in with the CCCD."""
    yen = sample_person("271234567")
    register_and_log_in(page, portal, check_page, sms_outbox, yen, "Thuê bao di động",
                        bhxh=False)
    page.get_by_role("button", name="Đăng xuất").click()
    open_form(page, portal, check_page, "Bưu điện Việt Nam")
    fill_form(page, {**yen, "id_number": "079165001234"}, bhxh=False)
    expect(heading(page, "Tài khoản đã tồn tại")).to_be_visible()
    expect(page.get_by_role("link", name="Quên mật khẩu")).to_be_visible()
    check_page(page, "exists-under-the-old-card")
    assert Account.objects.get().other_id_number == "079165001234"
    page.goto(portal + "/dang-nhap/")
    fill_login_form(page, "079165001234", PASSWORD)
    enter_code(page, last_code(sms_outbox, yen["phone"]))
    expect(heading(page, "Trang cá nhân")).to_be_visible()
