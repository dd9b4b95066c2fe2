"""A top administrator reads the record of calls to outside systems: the portal called the
SMS gateway and the carrier registry, and the gateway once did not answer; she finds the
failure with the filters and is told when a filter is wrong."""

import pytest
from playwright.sync_api import expect

from portal import outbound
from tests.e2e.test_administration import TOP
from tests.e2e.test_clients import PASSWORD, top_admin  # noqa: F401
from tests.fixtures_browser import enter_code, fill_login_form, heading, last_code

pytestmark = pytest.mark.e2e


@pytest.fixture
def calls_made(sandbox_server, transactional_db):
    """Real calls through portal.outbound, recorded as the portal records them."""
    outbound.request("POST", sandbox_server + "/sms/send", system="sms gateway", timeout=3,
                     json={"to": "+84912345017", "text": "Mã OTP: 123456"},
                     headers={"Idempotency-Key": "e2e-connections-1"})
    outbound.post_json(sandbox_server + "/carrier/check", {
        "phone": "0912345017", "id_number": "001084567801", "full_name": "Cao Văn Tuấn",
        "birth_date": "1984-01-21"}, system="carrier registry", timeout=3)
    with pytest.raises(outbound.Unavailable):
        outbound.request("POST", "http://127.0.0.1:9/sms/send", system="sms gateway",
                         timeout=1, json={})


def test_a_top_admin_finds_a_failed_call_to_the_sms_gateway(page, portal, check_page,
                                                            sms_outbox, top_admin,  # noqa: F811
                                                            calls_made):
    page.goto(portal + "/quan-tri/")
    fill_login_form(page, TOP["id_number"], PASSWORD)
    enter_code(page, last_code(sms_outbox, top_admin.phone))
    page.get_by_role("link", name="Kết nối hệ thống ngoài").click()
    expect(heading(page, "Nhật ký kết nối hệ thống ngoài")).to_be_visible()
    expect(page.get_by_text("Tìm thấy 3 kết quả")).to_be_visible()
    table = page.get_by_role("region", name="Danh sách kết nối")
    expect(table.get_by_text("Nhà mạng (thông tin thuê bao di động)")).to_be_visible()
    check_page(page, "connections")

    page.get_by_label("Kết quả").select_option(label="Mọi lần không thành công")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_text("Tìm thấy 1 kết quả")).to_be_visible()
    row = table.get_by_role("row").filter(has_text="Cổng gửi tin nhắn SMS")
    expect(row.get_by_text("Không kết nối được")).to_be_visible()
    check_page(page, "connections-failed")

    page.get_by_label("Từ ngày").fill("31/02/2026")
    page.get_by_role("button", name="Tìm kiếm").click()
    expect(page.get_by_text("Vui lòng sửa các ô tìm kiếm được đánh dấu.")).to_be_visible()
    check_page(page, "connections-bad-date")
