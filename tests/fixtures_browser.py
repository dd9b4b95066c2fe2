"""Browser fixtures for the end-to-end tests (Playwright with the system Chromium).

A walk drives the live server the way a person does and, on every page it reaches, calls
`check_page(page, label)`: a full-page screenshot and an axe-core run (WCAG 2.1 A and
AA) at desktop width and again at phone width. Screenshots go to
test-artifacts/screenshots/<test name>/<NN>-<label>.png (git-ignored).
"""

import io
import re
import shutil
from pathlib import Path

import pytest

from accounts.sms.backends import locmem
from tests.sms import e164, last_code, sms_to  # noqa: F401  (the walks import them here)

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# The answer django-simple-captcha accepts in test mode (scripts/test.sh turns it on).
CAPTCHA_ANSWER = "PASSED"
LOCMEM_SMS = "accounts.sms.backends.locmem.LocmemBackend"


# --- Chromium ---------------------------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright cannot download its browser here: use Debian's Chromium."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Vietnamese-speaking person at a desktop screen in Vietnam."""
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "viewport": DESKTOP,
    }


# --- Screenshots ------------------------------------------------------------------------
class Shots:
    """Numbered full-page screenshots of one test, in the order the walk took them."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0

    def __call__(self, page, label: str) -> Path:
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") or "page"
        path = self.folder / f"{self.count:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request) -> Shots:
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Shots(folder)


# --- Accessibility ----------------------------------------------------------------------
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    if page.evaluate("typeof window.axe === 'object'"):
        # Already injected into this document (the phone-width pass): just run it again.
        return page.evaluate("options => axe.run(options)", AXE_OPTIONS)["violations"]
    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def axe_report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
    return "\n".join(lines)


def axe_check(page, where: str = "") -> None:
    """Fail the test, naming each rule, its help and the elements, if axe finds anything."""
    violations = axe_violations(page)
    if violations:
        pytest.fail(
            f"axe (WCAG 2.1 A/AA) found {len(violations)} violation(s) on {where or page.url}:\n"
            + axe_report(violations),
            pytrace=False,
        )


@pytest.fixture(name="axe_check")
def axe_check_fixture():
    return axe_check


@pytest.fixture
def check_page(shots):
    """`check_page(page, label)`: screenshot and axe at 1280 px, then at 375 px.

    The page is left at desktop width, as the walk found it.
    """

    def check(page, label: str) -> None:
        page.wait_for_load_state()
        for name, size in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(size)
            shots(page, f"{label}-{name}")
            axe_check(page, f"“{label}” at {size['width']} px ({page.url})")
        page.set_viewport_size(DESKTOP)

    return check


# --- The live portal --------------------------------------------------------------------
@pytest.fixture
def portal(live_server, transactional_db, settings):
    """The live server's base URL, with SMS going to the in-memory outbox."""
    from accounts.registries import registries_reset
    from accounts.sms import sms_backends_reset

    settings.SMS_BACKENDS = {**settings.SMS_BACKENDS, "default": {"BACKEND": LOCMEM_SMS}}
    sms_backends_reset()
    registries_reset()
    yield live_server.url
    sms_backends_reset()
    registries_reset()


@pytest.fixture
def sample_accounts(transactional_db):
    """The sample people who already have an account (sandbox/people.json), created."""
    from django.core.management import call_command

    call_command("load_sample_accounts", stdout=io.StringIO())


def sample_person(id_number: str) -> dict:
    from sandbox.people import people

    return next(person for person in people() if person["id_number"] == id_number)


# --- SMS --------------------------------------------------------------------------------
@pytest.fixture
def sms_outbox() -> list[dict]:
    """What the locmem SMS backend sent during this test: dicts with phone, text, id."""
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


def national(phone: str) -> str:
    return "0" + phone[3:] if phone.startswith("+84") else phone


def wrong_code(right: str) -> str:
    """A 6-digit code that is certainly not `right`."""
    return "".join(str((int(digit) + 1) % 10) for digit in right)


# --- Steps every walk shares ------------------------------------------------------------
def birth_date_typed(person: dict) -> str:
    """The date of birth as a person types it: dd/mm/yyyy."""
    year, month, day = person["birth_date"].split("-")
    return f"{day}/{month}/{year}"


def fill_mobile_form(page, person: dict) -> None:
    """Type the "Thuê bao di động" form by its labels, captcha included."""
    page.get_by_label("Tên đăng nhập (Số CMT/CCCD)").fill(person["id_number"])
    page.get_by_label("Họ tên").fill(person["full_name"])
    page.get_by_label("Ngày sinh").fill(birth_date_typed(person))
    page.get_by_label("Số điện thoại").fill(national(person["phone"]))
    page.get_by_label("Nhập mã xác thực").fill(CAPTCHA_ANSWER)


def heading(page, name: str):
    return page.get_by_role("heading", level=1, name=name, exact=True)


def fill_login_form(page, username: str, password: str) -> None:
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_label("Nhập mã xác thực").fill(CAPTCHA_ANSWER)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()


def enter_code(page, code: str) -> None:
    page.get_by_label("Nhập mã OTP").fill(code)
    page.get_by_role("button", name="Xác nhận", exact=True).click()
