"""The portal in English: a person clicks "English" in the header, and every page a citizen,
a counter officer or an administrator opens speaks English (the names of people, units and
the operator aside), passes axe at desktop and phone widths, and is saved as a
screenshot. The walks in Vietnamese (the other tests) check the same pages' states."""

import re

import pytest
from playwright.sync_api import expect

from sandbox.management.commands.load_sample_accounts import VERIFIED_BY
from sandbox.people import people
from sandbox.staff import STAFF
from tests.e2e.test_administration import TOP
from tests.e2e.test_clients import PASSWORD as TOP_PASSWORD
from tests.e2e.test_clients import top_admin  # noqa: F401
from tests.fixtures_browser import CAPTCHA_ANSWER, last_code

pytestmark = pytest.mark.e2e

VIETNAMESE = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]",
                        re.I)
PUBLIC = ["/", "/dang-ky/", "/dang-ky/mobile/", "/dang-ky/bhxh/", "/dang-ky/vnpost/",
          "/dang-ky/usb-ky-so/cong-dan/", "/dang-ky/sim-ky-so/cong-dan/",
          "/dang-ky/usb-ky-so/doanh-nghiep/", "/dang-ky/sim-ky-so/doanh-nghiep/",
          "/dang-ky/usb-ky-so/co-quan-nha-nuoc/", "/dang-nhap/", "/dang-nhap/sim-ky-so/",
          "/dang-nhap/usb-ky-so/", "/quen-mat-khau/", "/dieu-khoan/",
          "/chinh-sach-chia-se-thong-tin/", "/ho-tro/cong-cu-ky-so/",
          "/ho-tro/mat-so-dien-thoai/"]
CITIZEN = ["/trang-ca-nhan/", "/trang-ca-nhan/doi-mat-khau/", "/trang-ca-nhan/doi-email/",
           "/trang-ca-nhan/phien-dang-nhap/", "/trang-ca-nhan/lich-su-hoat-dong/",
           "/trang-ca-nhan/bao-mat/", "/trang-ca-nhan/bao-mat/ung-dung-xac-thuc/",
           "/trang-ca-nhan/doi-so-dien-thoai/", "/trang-ca-nhan/ung-dung-duoc-chia-se/"]
CONSOLE = ["/quan-tri/tao-tai-khoan-cong-dan/", "/quan-tri/tao-tai-khoan-cong-dan/them-moi/",
           "/quan-tri/nguoi-dung/", "/quan-tri/quan-tri-don-vi/",
           "/quan-tri/nhat-ky/", "/quan-tri/thong-ke/",
           "/quan-tri/cong-ket-noi/", "/quan-tri/cong-ket-noi/dang-ky/",
           "/quan-tri/ket-noi-ngoai/"]
XUAN = "012345678"


def names_allowed() -> set[str]:
    """Words that stay Vietnamese in English: names of people, units and the operator,
    legal documents' numbers, and the switch back to Tiếng Việt."""
    from django.conf import settings

    from operator_console.models import Unit

    texts = [person["full_name"] for person in [*people(), *STAFF, TOP]]
    texts += list(Unit.objects.values_list("name", flat=True))
    texts += [settings.PORTAL_OPERATOR["name"], "Tiếng Việt",
              "13/2023/NĐ-CP",  # a decree is cited by its number
              "Bắc Kạn",  # the province an example portal's name gives
              VERIFIED_BY]  # stored with the sample accounts: data, not the page's words
    return {word.lower() for text in texts for word in re.findall(r"\w+", text)}


def speaks_english(page, allowed: set[str], where: str) -> None:
    words = re.findall(r"\w+", page.inner_text("body") + " " + page.title())
    left = sorted({word for word in words
                   if VIETNAMESE.search(word) and word.lower() not in allowed})
    assert not left, f"Vietnamese words on {where} in English: {left}"


def visit(page, portal, check_page, paths, allowed) -> None:
    for path in paths:
        response = page.goto(portal + path)
        assert response.status == 200, f"{path}: {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", "en")
        label = "en-" + (path.strip("/").replace("/", "-") or "home")
        check_page(page, label)
        speaks_english(page, allowed, path)


def mistakes_in_english(page, portal, check_page, allowed) -> None:
    """The forms' messages, in English too: a registration typed wrong, a wrong password."""
    page.goto(portal + "/dang-ky/mobile/")
    page.get_by_label("Username (ID card number, CMT/CCCD)").fill("12345")
    page.get_by_label("Full name").fill("An")
    page.get_by_label("Date of birth (dd/mm/yyyy)").fill("31/02/1990")
    page.get_by_label("Phone number").fill("0123")
    page.get_by_label("Enter the verification code").fill(CAPTCHA_ANSWER)
    page.get_by_role("button", name="Register", exact=True).click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    check_page(page, "en-register-mistakes")
    speaks_english(page, allowed, "the registration form's mistakes")

    page.goto(portal + "/dang-nhap/")
    page.get_by_label("Username").fill(XUAN)
    page.get_by_label("Password").fill("Sai-MatKhau#9")
    page.get_by_label("Enter the verification code").fill(CAPTCHA_ANSWER)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("alert")).to_be_visible()
    check_page(page, "en-login-refused")
    speaks_english(page, allowed, "the login refused")


def log_in(page, portal, sms_outbox, username: str, password: str, phone: str,
           check_page, allowed) -> None:
    page.goto(portal + "/dang-nhap/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_label("Enter the verification code").fill(CAPTCHA_ANSWER)
    page.get_by_role("button", name="Log in", exact=True).click()
    check_page(page, f"en-login-code-{username}")
    speaks_english(page, allowed, "the login's code page")
    page.get_by_label("Enter the one-time code (OTP)").fill(last_code(sms_outbox, phone))
    page.get_by_role("button", name="Confirm", exact=True).click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


@pytest.mark.timeout(300)
def test_every_page_speaks_english_once_chosen(
    page, portal, check_page, sms_outbox, sample_accounts, top_admin  # noqa: F811
):
    page.goto(portal + "/dang-nhap/")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    allowed = names_allowed()
    visit(page, portal, check_page, PUBLIC, allowed)
    mistakes_in_english(page, portal, check_page, allowed)

    xuan = next(person for person in people() if person["id_number"] == XUAN)
    log_in(page, portal, sms_outbox, XUAN, xuan["account"]["password"], xuan["phone"],
           check_page, allowed)
    visit(page, portal, check_page, CITIZEN, allowed)
    page.goto(portal + "/trang-ca-nhan/")
    page.get_by_role("button", name="Log out").click()

    log_in(page, portal, sms_outbox, TOP["id_number"], TOP_PASSWORD, "+84" + TOP["phone"][1:],
           check_page, allowed)
    visit(page, portal, check_page, CONSOLE, allowed)

    page.get_by_role("link", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
