"""A top administrator registers a province's portal in the console, reads its secret
once, and disables the portal; the secret authenticates at the token endpoint."""

import io

import pytest
import requests
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Account
from operator_console.models import AuditEntry
from tests.e2e.test_administration import TOP
from tests.fixtures_browser import enter_code, fill_login_form, heading, last_code

pytestmark = pytest.mark.e2e

PASSWORD = "Cap-Tinh#2026"
NAME = "Cổng dịch vụ công tỉnh Bắc Kạn"
CALLBACK = "https://dichvucong.backan.example.vn/oidc/callback"


@pytest.fixture
def top_admin(transactional_db):
    """Thảo, made top administrator by the command, her own password already chosen."""
    call_command("load_units", "--sample", stdout=io.StringIO())
    call_command("create_top_admin", province="33", id_number=TOP["id_number"],
                 full_name=TOP["full_name"], phone=TOP["phone"], stdout=io.StringIO())
    account = Account.objects.get(username=TOP["id_number"])
    account.set_password(PASSWORD)
    account.must_change_password = False
    account.save()
    return account


def authenticates(portal: str, client_id: str, secret: str) -> bool:
    """Whether the token endpoint takes the secret (it then finds the code wrong)."""
    answer = requests.post(f"{portal}/oidc/token/", auth=(client_id, secret), timeout=10,
                           data={"grant_type": "authorization_code", "code": "x",
                                 "redirect_uri": CALLBACK, "code_verifier": "v" * 50})
    return answer.json()["error"] == "invalid_grant"


def test_a_top_admin_registers_a_portal_and_disables_it(page, portal, check_page, sms_outbox,
                                                        top_admin):
    page.goto(portal + "/quan-tri/cong-ket-noi/")
    fill_login_form(page, TOP["id_number"], PASSWORD)
    enter_code(page, last_code(sms_outbox, top_admin.phone))
    expect(heading(page, "Cổng kết nối đăng nhập")).to_be_visible()
    page.get_by_role("link", name="Đăng ký cổng mới").click()

    page.get_by_label("Tên cổng").fill(NAME)
    page.get_by_label("Mã cổng (client_id)").fill("backan")
    page.get_by_label("Địa chỉ trả về (redirect URI)").fill("http://dichvucong.backan.example.vn/cb")
    page.get_by_label("Họ tên, Ngày sinh (profile)").check()
    page.get_by_label("Số CMT/CCCD (id_number)").check()
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.get_by_text("phải dùng https://")).to_be_visible()
    check_page(page, "bad-redirect-uri")
    page.get_by_label("Địa chỉ trả về (redirect URI)").fill(CALLBACK)
    page.get_by_role("button", name="Đăng ký", exact=True).click()

    expect(heading(page, "Khóa bí mật của cổng")).to_be_visible()
    expect(page.get_by_text(f"Đã đăng ký {NAME}.")).to_be_visible()
    secret = page.get_by_label("Khóa bí mật (client_secret)").input_value()
    assert len(secret) >= 40 and authenticates(portal, "backan", secret)
    check_page(page, "secret-shown-once")

    page.get_by_role("link", name="Về danh sách cổng kết nối").click()
    row = page.get_by_role("row").filter(has_text=NAME)
    expect(row.get_by_text("Đang hoạt động")).to_be_visible()
    assert secret not in page.content()
    check_page(page, "list")
    page.get_by_role("link", name=f"Sửa {NAME}").click()
    expect(heading(page, "Sửa cổng kết nối")).to_be_visible()
    assert secret not in page.content()
    check_page(page, "edit")
    page.get_by_role("button", name="Tắt cổng").click()
    expect(page.get_by_text(f"Đã tắt {NAME}: cổng không đăng nhập được")).to_be_visible()
    expect(page.get_by_role("button", name="Bật cổng")).to_be_visible()
    check_page(page, "disabled")
    assert not authenticates(portal, "backan", secret), "a disabled portal is unknown"
    assert list(AuditEntry.objects.filter(action__startswith="client").order_by("pk")
                .values_list("action", flat=True)) == ["client_create", "client_disable"]
