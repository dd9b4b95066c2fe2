"""Registering and logging in with a "SIM ký số": the waiting page polls the portal while
the person approves (or refuses) on the simulated phone page (/dev/dien-thoai/), which
answers the in-process sandbox SIM service."""

import re

import pytest
from playwright.sync_api import expect

from accounts.flows import sim
from accounts.models import Account
from accounts.signatures import trust_reset
from sandbox.dev_ca import INTERMEDIATE_NAME, dev_ca_ensure
from sandbox.sim_service import PHONE_SAYS, SIM_PIN, shared_service
from tests.fixtures_browser import CAPTCHA_ANSWER, heading

pytestmark = pytest.mark.e2e

AN, SAOMAI, CANCELS, SILENT = "0912345001", "0912345010", "0912345009", "0912345014"
AN_NAME, AN_ID = "Nguyễn Văn An", "001090012345"
SAOMAI_NAME, SAOMAI_MST = "CÔNG TY TNHH PHẦN MỀM SAO MAI", "0101234567"
WAITING = "Chờ xác nhận trên điện thoại"
REGISTERED = "Đăng ký tài khoản thành công. Mời bạn đăng nhập bằng SIM ký số."
REFUSED = "Bạn đã từ chối yêu cầu ký trên điện thoại."
TIMED_OUT = "Đã hết thời gian chờ xác nhận trên điện thoại"
RESTART = "Gửi lại yêu cầu"


@pytest.fixture(scope="module")
def ca_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dev-ca")
    dev_ca_ensure(folder)
    return folder


@pytest.fixture
def sim_portal(portal, settings, ca_dir):
    """The portal's base URL, with the in-process sandbox SIM service and its phone page
    (routed in development), trusting the development CA."""
    settings.DEBUG = True
    settings.DEV_CA_DIR = ca_dir
    settings.SIM_SIGNATURE_SERVICE = {
        "BACKEND": "sandbox.registries.SandboxSimSignatureService", "OPTIONS": {}}
    settings.SIGNING_TRUST = {"ROOTS": [str(ca_dir / "root.pem")],
                              "INTERMEDIATES": [str(ca_dir / "intermediate.pem")],
                              "CRLS": [str(ca_dir / "crl.pem")]}
    settings.PORTAL_ORIGIN = portal
    trust_reset()
    yield portal
    trust_reset()


def open_register(page, portal, kind: str) -> None:
    page.goto(portal + "/dang-ky/")
    if kind == "Doanh nghiệp":
        page.get_by_role("tab", name="Doanh nghiệp").click()
    page.get_by_role("tabpanel").get_by_role("link", name="SIM ký số", exact=True).click()
    expect(page.get_by_text(f"SIM ký số ({kind})")).to_be_visible()


def send_request(page, number: str) -> str:
    """Type the number, send the request; return the code the waiting page shows."""
    page.get_by_label("Số điện thoại của SIM ký số").fill(number)
    page.get_by_role("button", name="Gửi yêu cầu ký").click()
    expect(heading(page, WAITING)).to_be_visible()
    code = page.locator("#sim-code")
    expect(code).to_have_text(re.compile(r"^\s*\d{4}\s*$"))
    return code.inner_text().strip()


def on_phone(page, portal, number: str, code: str, action: str = "Xác nhận",
             check_page=None):
    """In another page of the same browser: the phone shows the same code; PIN, then act."""
    phone = page.context.new_page()
    phone.goto(f"{portal}/dev/dien-thoai/?so={number}")
    expect(heading(phone, "Điện thoại mô phỏng")).to_be_visible()
    newest = phone.locator("section").first  # newest first
    expect(newest).to_contain_text(code)
    if check_page:
        check_page(phone, "phone")
    if action == "Xác nhận":
        newest.get_by_label("Mã PIN của SIM").fill(SIM_PIN)
    newest.get_by_role("button", name=action, exact=True).click()
    said = PHONE_SAYS["approved" if action == "Xác nhận" else "refused"]
    expect(phone.get_by_text(said)).to_be_visible()
    expect(phone.get_by_text("Không có yêu cầu nào đang chờ.")).to_be_visible()
    phone.close()


def finish_details(page, email: str = "") -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Nhập mã xác thực").fill(CAPTCHA_ANSWER)
    page.get_by_role("button", name="Đăng ký", exact=True).click()


def expect_details(page, *pairs) -> None:
    for term, value in pairs:
        expect(page.get_by_role("term").filter(has_text=term)).to_be_visible()
        expect(page.get_by_role("definition").filter(has_text=value).first).to_be_visible()


def expect_profile(page, *texts: str) -> None:
    expect(heading(page, "Trang cá nhân")).to_be_visible()
    for text in texts:
        expect(page.get_by_role("definition").filter(has_text=text).first).to_be_visible()


def expect_ended(page, message: str, timeout: float = 5_000) -> None:
    expect(page.get_by_role("alert")).to_contain_text(message, timeout=timeout)
    expect(page.get_by_role("link", name=RESTART)).to_be_visible()
    expect(page.locator("#sim-state")).to_be_hidden()


def test_it_registers_a_citizen_approving_on_the_phone_and_logs_in(
    page, sim_portal, check_page
):
    open_register(page, sim_portal, "Công dân")
    check_page(page, "start")
    code = send_request(page, AN)
    expect(page.get_by_text("Yêu cầu ký đã được gửi tới số")).to_be_visible()
    expect(page.locator("#sim-state")).to_have_text(re.compile(r"còn \d+ giây"))
    counted = int(page.locator("[data-seconds]").inner_text())
    assert 0 < counted <= sim.TIME_LIMIT
    expect(page.locator("[data-seconds]")).not_to_have_text(str(counted))  # it counts down
    check_page(page, "waiting")

    on_phone(page, sim_portal, AN, code, check_page=check_page)
    # The waiting page notices by itself and moves on to the certificate's data.
    expect(page).to_have_url(re.compile(re.escape(sim_portal) + r"/dang-ky/chu-ky-so/[\w-]+/$"))
    expect_details(page, ("Họ tên", AN_NAME), ("Số CMT/CCCD", AN_ID),
                   ("Tên CA", INTERMEDIATE_NAME))
    expect(page.get_by_text("Ngày hiệu lực")).to_be_visible()
    expect(page.get_by_text("Ngày hết hạn")).to_be_visible()
    check_page(page, "details")
    finish_details(page)  # the email is optional for a citizen

    expect(page.get_by_text(REGISTERED)).to_be_visible()
    expect(page.get_by_role("link", name="SIM ký số")).to_have_attribute("aria-current", "page")
    account = Account.objects.get(username=AN_ID)
    assert (account.account_type, account.full_name, account.registration_method) == (
        "citizen", AN_NAME, "sim")
    assert account.assurance_level == Account.Level.HIGH
    assert not account.has_usable_password()
    check_page(page, "registered")

    code = send_request(page, AN)
    on_phone(page, sim_portal, AN, code)
    expect_profile(page, AN_NAME, "Mức độ 3 (IAL3)", "SIM ký số", "Công dân")
    check_page(page, "profile")


def test_it_registers_a_business_by_sim_with_its_email_and_logs_in(page, sim_portal, check_page):
    open_register(page, sim_portal, "Doanh nghiệp")
    code = send_request(page, SAOMAI)
    on_phone(page, sim_portal, SAOMAI, code)

    expect_details(page, ("Tên doanh nghiệp", SAOMAI_NAME), ("Mã số thuế", SAOMAI_MST),
                   ("Tên CA", INTERMEDIATE_NAME))
    finish_details(page)
    expect(page.get_by_text("Doanh nghiệp phải nhập email.")).to_be_visible()
    assert not Account.objects.filter(username=SAOMAI_MST).exists()
    check_page(page, "email-required")

    finish_details(page, "ketoan@saomai.example.vn")
    expect(page.get_by_text(REGISTERED)).to_be_visible()
    account = Account.objects.get(username=SAOMAI_MST)
    assert (account.account_type, account.email) == ("business", "ketoan@saomai.example.vn")

    # Logging in, approved by the phone's service directly this time.
    code = send_request(page, SAOMAI)
    waiting = shared_service().pending(SAOMAI)[0]
    assert waiting["code"] == code
    assert shared_service().approve(waiting["session_id"], SIM_PIN) is None
    expect_profile(page, SAOMAI_NAME, "Doanh nghiệp", "Mức độ 3 (IAL3)", "SIM ký số")
    check_page(page, "profile")


def test_it_explains_a_refusal_and_offers_to_send_again(page, sim_portal, check_page):
    # A SIM whose owner refuses at once.
    page.goto(sim_portal + "/dang-nhap/sim-ky-so/")
    send_request(page, CANCELS)
    expect_ended(page, REFUSED)
    check_page(page, "refused")
    page.get_by_role("link", name=RESTART).click()
    expect(page).to_have_url(sim_portal + "/dang-nhap/sim-ky-so/")
    expect(page.get_by_label("Số điện thoại của SIM ký số")).to_be_visible()

    # "Từ chối" pressed on the phone page.
    open_register(page, sim_portal, "Công dân")
    code = send_request(page, AN)
    on_phone(page, sim_portal, AN, code, action="Từ chối")
    expect_ended(page, REFUSED)
    assert not Account.objects.exists()


def test_it_gives_up_when_the_phone_never_answers(page, sim_portal, monkeypatch, check_page):
    monkeypatch.setattr(sim, "TIME_LIMIT", 4)  # instead of two minutes
    page.goto(sim_portal + "/dang-nhap/sim-ky-so/")
    send_request(page, SILENT)
    expect(page.locator("#sim-state")).to_have_text(re.compile(r"còn [0-4] giây"))
    # The portal decides at its next poll after the limit (a poll every 2 s, each up to 1 s).
    expect_ended(page, TIMED_OUT, timeout=15_000)
    expect(page.locator("#sim-progress")).to_have_attribute("style", re.compile(r"width: 0%"))
    check_page(page, "timed-out")


def test_it_logs_in_although_the_answer_that_completed_it_was_lost(
    page, sim_portal, check_page
):
    """The poll that finds the phone's approval completes the request on the server; its
    answer is dropped on the way back (a tab switched, the network lost): the page asks
    again, hears "done" again, and the person ends up logged in."""
    Account.objects.create(username=AN_ID, full_name=AN_NAME, account_type="citizen",
                           assurance_level=3, registration_method="sim")
    dropped = []

    def drop_the_first_done(route):
        answer = route.fetch()  # the server handles the poll in full…
        if not dropped and answer.json().get("state") == "done":
            dropped.append(answer.json())
            return route.abort("connectionreset")  # …and the browser never hears it
        return route.fulfill(response=answer)

    page.route(re.compile(r".*/ky-so/sim/[\w-]+/trang-thai/$"), drop_the_first_done)
    page.goto(sim_portal + "/dang-nhap/sim-ky-so/")
    code = send_request(page, AN)
    on_phone(page, sim_portal, AN, code)
    expect_profile(page, AN_NAME, "Mức độ 3 (IAL3)")
    assert dropped, "the completing answer was dropped"
    check_page(page, "profile-after-a-lost-answer")


def test_it_finishes_in_the_tab_reloaded_after_the_phone_approved(page, sim_portal):
    """The waiting page is closed or reloaded while the phone approves: coming back to
    it leads on to the login, once the portal has heard from the phone."""
    Account.objects.create(username=AN_ID, full_name=AN_NAME, account_type="citizen",
                           assurance_level=3, registration_method="sim")
    page.goto(sim_portal + "/dang-nhap/sim-ky-so/")
    code = send_request(page, AN)
    waiting_url = page.url
    page.goto(sim_portal + "/ho-tro/cong-cu-ky-so/")  # away, mid-poll
    on_phone(page, sim_portal, AN, code)
    page.goto(waiting_url)
    expect_profile(page, AN_NAME, "Mức độ 3 (IAL3)")
