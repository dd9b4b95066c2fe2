"""The sample province's portal, run as `manage.py run_province` in its own process against
the live portal, walked in a browser: a person signs in there with their national account
(password and SMS, then consent), reads the claims it received, opens the level-3 service
(a level-2 account is told level 3 is needed; a level-3 account steps up with its SIM ký
số), and "Đăng xuất" ends both sessions."""

import contextlib
import datetime as dt
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Account
from tests.e2e import test_sim
from tests.e2e.test_sim import on_phone, send_request
from tests.fixtures_browser import enter_code, fill_login_form, heading, last_code, sample_person
from tests.fixtures_sandbox import free_port

pytestmark = pytest.mark.e2e
# The SIM walk's fixtures (the in-process SIM service, the development CA trusted), shared.
ca_dir, sim_portal = test_sim.ca_dir, test_sim.sim_portal

ROOT = Path(__file__).resolve().parents[2]
PROVINCE = "Cổng dịch vụ công tỉnh Bắc Kạn (thử nghiệm)"
CLIENT_ID, SECRET = "backan-dev", "a-secret-for-the-province-walk"
SIGN_IN = "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia"
STEP_UP = "Đăng nhập bằng chữ ký số (mức độ 3)"
SIGNED_OUT = "Bạn đã đăng xuất khỏi cổng tỉnh và khỏi Cổng Dịch vụ công quốc gia."
TUAN = "001084567801"
AN_ID, AN_NAME, AN_PHONE, AN_PASSWORD = "001090012345", "Nguyễn Văn An", "0912345001", "Dvc@2026mat"


@contextlib.contextmanager
def running_province(issuer: str, port: int):
    """`manage.py run_province` on `port` against `issuer`; its base URL; stopped after."""
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "manage.py", "run_province", "--port", str(port),
               "--issuer", issuer, "--client-id", CLIENT_ID, "--secret", SECRET]
    with tempfile.NamedTemporaryFile(prefix="province-", suffix=".log") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ), stdout=log,
                                   stderr=subprocess.STDOUT)
        try:
            _wait_up(url, process, log.name)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_up(url: str, process: subprocess.Popen, log_path: str) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url + "/", timeout=1).ok:
                return
        time.sleep(0.1)
    pytest.fail(f"the province's site did not start at {url}:\n"
                + Path(log_path).read_text(encoding="utf-8", errors="replace")[-2000:])


@pytest.fixture
def province(sim_portal, settings):
    """The province's base URL: registered as `make run` registers it (oidc_client_dev),
    with the live portal as its issuer."""
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": sim_portal}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    call_command("oidc_client_dev", name=PROVINCE, client_id=CLIENT_ID, secret=SECRET,
                 redirect=[base + "/callback"], post_logout_redirect=[base + "/"],
                 scopes="openid profile id_number phone email", stdout=io.StringIO())
    with running_province(sim_portal, port) as url:
        yield url


def expect_claim(page, term: str, value: str) -> None:
    row = page.locator(".claims div").filter(has=page.get_by_role("term").filter(has_text=term))
    expect(row.get_by_role("definition")).to_have_text(value)


def sign_in_with_password(page, province, portal, check_page, sms_outbox, *, username,
                          password, phone) -> None:
    """From the province's home page to its claims page, through the portal's login
    (password, SMS code) and consent."""
    page.goto(province + "/")
    expect(heading(page, PROVINCE)).to_be_visible()
    check_page(page, "province-home")
    page.get_by_role("link", name=SIGN_IN).click()
    expect(page.get_by_role("status")).to_contain_text(f"Đăng nhập để tiếp tục đến {PROVINCE}")
    assert page.url.startswith(portal + "/dang-nhap/")
    check_page(page, "portal-login")
    fill_login_form(page, username, password)
    expect(page.get_by_label("Nhập mã OTP")).to_be_visible()
    check_page(page, "portal-otp")
    enter_code(page, last_code(sms_outbox, phone))
    expect(heading(page, "Chia sẻ thông tin")).to_be_visible()
    expect(page.get_by_text(PROVINCE).first).to_be_visible()
    check_page(page, "portal-consent")
    page.get_by_role("button", name="Đồng ý").click()
    page.wait_for_url(province + "/thong-tin")
    expect(heading(page, "Thông tin đã nhận")).to_be_visible()


def sign_out(page, province, portal, check_page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(province + "/?state=*")
    expect(page.get_by_role("status")).to_have_text(SIGNED_OUT)
    expect(page.get_by_role("link", name=SIGN_IN)).to_be_visible()
    expect(page.get_by_role("button", name="Đăng xuất")).to_have_count(0)
    check_page(page, "province-signed-out")
    page.goto(portal + "/trang-ca-nhan/")  # logged out of the portal too
    expect(page).to_have_url(f"{portal}/dang-nhap/?next=/trang-ca-nhan/")


def test_it_signs_in_a_level_2_account_and_tells_it_the_service_needs_level_3(
    page, province, sim_portal, check_page, sms_outbox, sample_accounts
):
    tuan = sample_person(TUAN)
    sign_in_with_password(page, province, sim_portal, check_page, sms_outbox,
                          username=TUAN, password=tuan["account"]["password"],
                          phone=tuan["phone"])
    expect_claim(page, "Họ tên", "Cao Văn Tuấn")
    expect_claim(page, "Ngày sinh", "21/01/1984")
    expect_claim(page, "Số CMT/CCCD", TUAN)
    expect_claim(page, "Số điện thoại", "0912345017")
    expect_claim(page, "Mức độ xác thực", "Mức độ 2 — mật khẩu và mã OTP gửi qua SMS")
    expect(page.get_by_text("urn:dichvucong:loa:2")).to_be_visible()
    check_page(page, "province-claims")

    page.get_by_role("link", name="Dịch vụ mức độ 3").click()
    expect(heading(page, "Dịch vụ mức độ 3")).to_be_visible()
    check_page(page, "province-service-asks-level-3")
    page.get_by_role("link", name=STEP_UP).click()
    expect(heading(page, "Dịch vụ cần tài khoản mức độ 3")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Tài khoản của bạn đang ở")
    check_page(page, "portal-level-required")
    page.get_by_role("button", name=f"Quay lại {PROVINCE}").click()

    page.wait_for_url(province + "/dich-vu-muc-do-3")
    expect(page.get_by_role("alert")).to_contain_text("Chưa đăng nhập được ở mức độ 3")
    expect(page.get_by_text("Bạn đang đăng nhập ở Mức độ 2")).to_be_visible()
    check_page(page, "province-service-refused")
    sign_out(page, province, sim_portal, check_page)


def test_it_steps_a_level_3_account_up_with_its_sim_for_the_level_3_service(
    page, province, sim_portal, check_page, sms_outbox
):
    an = Account(username=AN_ID, full_name=AN_NAME, birth_date=dt.date(1990, 3, 15),
                 phone="+84" + AN_PHONE[1:], assurance_level=Account.Level.HIGH,
                 registration_method=Account.Method.COUNTER)
    an.set_password(AN_PASSWORD)
    an.save()
    sign_in_with_password(page, province, sim_portal, check_page, sms_outbox,
                          username=AN_ID, password=AN_PASSWORD, phone=an.phone)
    # A level-3 account logged in by password is at level 2 for this login.
    expect_claim(page, "Mức độ xác thực", "Mức độ 2 — mật khẩu và mã OTP gửi qua SMS")

    page.get_by_role("link", name="Dịch vụ mức độ 3").click()
    page.get_by_role("link", name=STEP_UP).click()
    expect(page.get_by_role("status").filter(has_text=PROVINCE)).to_contain_text(
        "yêu cầu đăng nhập bằng chữ ký số")
    check_page(page, "portal-signature-login")
    page.get_by_role("link", name="SIM ký số", exact=True).click()
    code = send_request(page, AN_PHONE)
    check_page(page, "portal-sim-waiting")
    on_phone(page, sim_portal, AN_PHONE, code)

    page.wait_for_url(province + "/dich-vu-muc-do-3")  # no consent asked again
    expect(page.get_by_text("Mức độ 3 — chữ ký số (SIM ký số)")).to_be_visible()
    expect(page.get_by_text(AN_ID)).to_be_visible()
    check_page(page, "province-service-level-3")
    page.get_by_role("link", name="Thông tin đã nhận").click()
    expect_claim(page, "Họ tên", AN_NAME)
    expect_claim(page, "Mức độ xác thực", "Mức độ 3 — chữ ký số (SIM ký số)")
    expect(page.get_by_text("urn:dichvucong:loa:3")).to_be_visible()
    check_page(page, "province-claims-level-3")
    sign_out(page, province, sim_portal, check_page)
