"""Plain-HTTP walkers: one person through a flow of the portal, one request at a time, as
a browser would send them (no JavaScript: the requests its scripts would make are made
here). Every step's status and redirect are checked; a wrong step raises AssertionError
naming the request, what came back, what the page says and the page's tail.

The picture code (captcha) is worked out from its key with the portal's own code: the
test process holds the server's SECRET_KEY. The SMS codes are read from the SMS gateway
stand-in (the sandbox server), and the SIM signature is approved on its phone.

People are dicts shaped like sandbox/people.json: id_number, full_name, birth_date
(ISO), phone (E.164).
"""

import html
import json
import re
import time
from urllib.parse import urlencode

import requests

from tests.pdfs import scan_pdf

TIMEOUT = 30
SMS_WAIT_SECONDS = 15.0
SIM_POLL_SECONDS = 2.0  # the waiting page's script asks every two seconds
SIM_POLLS = 15
SIM_PIN = "1234"  # every sample SIM's PIN
CODE_RE = re.compile(r"\b(\d{6})\b")
PASSWORD = "Dang-ky#2026"
SAID_RE = re.compile(
    r'<div[^>]*\sclass="[^"]*\b(?:alert|invalid-feedback)\b[^"]*"[^>]*>(.*?)</div>', re.S)
TAG_RE = re.compile(r"<[^>]+>")
PROFILE = "/trang-ca-nhan/"
COUNTER = "/quan-tri/tao-tai-khoan-cong-dan/"
# The scan of both sides of the ID card the counter takes: a blank one-page PDF will do.
SCAN = ("CCCD-2-mat.pdf", scan_pdf(), "application/pdf")


class Site:
    """Where the portal and the sandbox server are; what every person shares."""

    def __init__(self, base_url: str, sandbox_url: str, verify=True):
        self.base_url = base_url.rstrip("/")
        self.sandbox_url = sandbox_url.rstrip("/")
        self.verify = verify

    def browser(self) -> "Browser":
        return Browser(self)

    def captcha(self, page_text: str) -> dict:
        """The picture code's fields: its key from the form, the letters the picture shows
        (worked out from the key; the picture itself is not fetched)."""
        from accounts.captcha_keys import captcha_answer

        key = hidden(page_text, "captcha_0")
        answer = captcha_answer(key)
        assert answer, "the picture code's key is not this portal's (another SECRET_KEY?)"
        return {"captcha_0": key, "captcha_1": answer}

    def sms_messages(self, phone_e164: str) -> list[dict]:
        """The SMS the gateway stand-in received for `phone_e164`, newest first."""
        response = requests.get(self.sandbox_url + "/sms/messages?"
                                + urlencode({"to": phone_e164}), timeout=5)
        response.raise_for_status()
        return response.json()

    def sms_code(self, phone_e164: str, after: int) -> str:
        """The code of the newest SMS to `phone_e164` once more than `after` have arrived
        (the SMS goes out from a task: it may come a moment after the page)."""
        deadline = time.monotonic() + SMS_WAIT_SECONDS
        while time.monotonic() < deadline:
            messages = self.sms_messages(phone_e164)
            if len(messages) > after:
                match = CODE_RE.search(messages[0]["text"])
                assert match, f"no code in the SMS: {messages[0]['text']!r}"
                return match[1]
            time.sleep(0.05)
        raise AssertionError(f"no new SMS to {phone_e164} within {SMS_WAIT_SECONDS:.0f} s")

    def sim_approve(self, phone_e164: str, code: str) -> None:
        """The person finds on the phone the request showing the waiting page's check
        code, confirms it and types the SIM's PIN."""
        pending = requests.get(self.sandbox_url + "/sim/pending", params={"phone": phone_e164},
                               timeout=5).json()["pending"]
        mine = [item for item in pending if item["code"] == code]
        assert mine, f"no request with the code {code} on {phone_e164}'s phone: {pending}"
        answer = requests.post(self.sandbox_url + "/sim/approve",
                               json={"session_id": mine[0]["session_id"], "pin": SIM_PIN},
                               timeout=10)
        assert answer.ok, answer.text


class Browser:
    """One person's browser: one cookie jar; redirects are followed by the walker."""

    def __init__(self, site: Site):
        self.site = site
        self.http = requests.Session()
        self.answered: list[str] = []  # X-Upstream of each response: which web process
        self.before = None  # called with (method, path) before each request, if set
        self.steps: list[str] = []  # "POST /dang-nhap/ 302 /dang-nhap/xac-thuc-otp/", …

    def get(self, path: str, **kw) -> requests.Response:
        self._before("GET", path)
        kw.setdefault("allow_redirects", False)
        kw.setdefault("timeout", TIMEOUT)
        kw.setdefault("verify", self.site.verify)  # a session's is lost to REQUESTS_CA_BUNDLE
        return self._kept(self.http.get(self.site.base_url + path, **kw))

    def post(self, path: str, data=None, files=None, ajax=False) -> requests.Response:
        """A form's POST with the CSRF token (a script's POST with ajax=True) and the
        Referer a browser sends: Django's CSRF check on HTTPS requires one of this site."""
        self._before("POST", path)
        token = self.http.cookies.get("csrftoken", "")
        headers = {"Referer": self.site.base_url + path}
        if ajax:
            headers["X-CSRFToken"] = token
        data = {**(data or {}), "csrfmiddlewaretoken": token}
        return self._kept(self.http.post(self.site.base_url + path, data=data, files=files,
                                         headers=headers, allow_redirects=False,
                                         timeout=TIMEOUT, verify=self.site.verify))

    def _before(self, method: str, path: str) -> None:
        if self.before:
            self.before(method, path)

    def _kept(self, response: requests.Response) -> requests.Response:
        self.answered.append(response.headers.get("X-Upstream", ""))
        path = response.request.url[len(self.site.base_url):]
        target = location(self.site, response)
        self.steps.append(f"{response.request.method} {path} {response.status_code}"
                          + (f" {target}" if target else ""))
        return response


def location(site: Site, response: requests.Response) -> str:
    """The redirect's target as a path of the site ("" when there is none)."""
    target = response.headers.get("Location", "")
    return target[len(site.base_url):] if target.startswith(site.base_url) else target


def said(page: str) -> list[str]:
    """What the page says in its alerts and field errors."""
    return [" ".join(html.unescape(TAG_RE.sub(" ", text)).split())
            for text in SAID_RE.findall(page)]


def expect(site: Site, response: requests.Response, status: int,
           to: str | None = None) -> requests.Response:
    """`response` if it has `status` (and redirects to `to`, or to a path starting with it
    when `to` ends with "*"); AssertionError otherwise."""
    target = location(site, response)
    wrong_target = to is not None and not (
        target.startswith(to[:-1]) if to.endswith("*") else target == to)
    if response.status_code != status or wrong_target:
        request = response.request
        raise AssertionError(
            f"{request.method} {request.url}: expected {status}"
            f"{' -> ' + to if to else ''}, got {response.status_code}"
            f"{' -> ' + target if target else ''}\nthe page says: {said(response.text)}\n"
            f"the page ends: {response.text[-1500:]}")
    return response


def national(phone_e164: str) -> str:
    return "0" + phone_e164[3:]


def day_month_year(iso_date: str) -> str:
    return "/".join(reversed(iso_date.split("-")))


def hidden(page: str, name: str) -> str:
    """The value of the form's (hidden) field `name`."""
    tag = re.search(rf'<input[^>]*\sname="{name}"[^>]*>', page)
    assert tag, f"no field {name} on the page\n" + page[-1500:]
    value = re.search(r'\svalue="([^"]*)"', tag[0])
    return html.unescape(value[1]) if value else ""


def selected(page: str, name: str) -> str:
    """The value of the option chosen in the form's <select name=`name`>."""
    select = re.search(rf'<select[^>]*\sname="{name}".*?</select>', page, re.S)
    assert select, f"no select {name} on the page\n" + page[-1500:]
    match = re.search(r'<option value="([^"]*)"[^>]*\sselected\b', select[0])
    assert match, f"no option chosen in {name}: {select[0]}"
    return match[1]


# --- 1. Registration by mobile subscriber ---------------------------------------------


def register_mobile(site: Site, person: dict, password: str = PASSWORD,
                    browser: Browser | None = None) -> Browser:
    """Register `person` by their mobile subscription: identity, SMS code, password."""
    browser = browser or site.browser()
    expect(site, browser.get("/dang-ky/"), 200)
    page = expect(site, browser.get("/dang-ky/mobile/"), 200)
    sent = len(site.sms_messages(person["phone"]))
    form = {"id_number": person["id_number"], "full_name": person["full_name"],
            "birth_date": day_month_year(person["birth_date"]),
            "phone": national(person["phone"]), "email": "", **site.captcha(page.text)}
    expect(site, browser.post("/dang-ky/mobile/", form), 302, "/dang-ky/xac-thuc-otp/")
    code_step(site, browser, "/dang-ky/xac-thuc-otp/", person["phone"], sent,
              "/dang-ky/mat-khau/")
    expect(site, browser.get("/dang-ky/mat-khau/"), 200)
    expect(site, browser.post("/dang-ky/mat-khau/",
                              {"password1": password, "password2": password}),
           302, "/dang-nhap/")
    return browser


def code_step(site: Site, browser: Browser, path: str, phone: str, sent: int,
              to: str | None) -> requests.Response:
    """The code page: opened, the code of the SMS that came after `sent` typed in."""
    expect(site, browser.get(path), 200)
    code = site.sms_code(phone, after=sent)
    return expect(site, browser.post(path, {"code": code}), 302, to)


# --- 2. Login with password and SMS code -------------------------------------------------


def login_password_sms(site: Site, username: str, password: str, phone: str,
                       browser: Browser | None = None) -> requests.Response:
    """Log in with the password and the SMS code; the profile page."""
    browser = browser or site.browser()
    done = password_and_code(site, browser, "/dang-nhap/", username, password, phone)
    expect(site, done, 302, PROFILE)
    return expect(site, browser.get(PROFILE), 200)


def password_and_code(site: Site, browser: Browser, path: str, username: str,
                      password: str, phone: str) -> requests.Response:
    """The login form at `path` (it keeps its ?next=), then the SMS code; the answer to
    the code, for the caller to check where it leads."""
    page = expect(site, browser.get(path), 200)
    sent = len(site.sms_messages(phone))
    form = {"username": username, "password": password, **site.captcha(page.text)}
    expect(site, browser.post(path, form), 302, "/dang-nhap/xac-thuc-otp/")
    return code_step(site, browser, "/dang-nhap/xac-thuc-otp/", phone, sent, None)


# --- 3. Login with the SIM signature ------------------------------------------------------


def login_sim(site: Site, phone: str, sandbox_url: str | None = None,
              browser: Browser | None = None) -> requests.Response:
    """Log in with the SIM ký số of `phone` (E.164): the request, the waiting page's polls,
    the approval on the phone; the profile page."""
    phone_e164 = phone if phone.startswith("+") else "+84" + phone[1:]
    if sandbox_url:
        site = Site(site.base_url, sandbox_url, site.verify)
    browser = browser or site.browser()
    expect(site, browser.get("/dang-nhap/sim-ky-so/"), 200)
    started = browser.post("/dang-nhap/sim-ky-so/", {"phone": national(phone_e164)})
    waiting = location(site, expect(site, started, 302, "/ky-so/sim/*"))
    page = expect(site, browser.get(waiting), 200).text
    code = re.search(r'id="sim-code">([^<]+)<', page)
    assert code, "no check code on the waiting page\n" + page[-1500:]
    first = sim_poll(site, browser, waiting)
    assert first["state"] == "running", f"the SIM request ended before approval: {first}"
    site.sim_approve(phone_e164, code[1].strip())
    answer = sim_poll(site, browser, waiting)
    for _ in range(SIM_POLLS):
        if answer["state"] != "running":
            break
        time.sleep(SIM_POLL_SECONDS)
        answer = sim_poll(site, browser, waiting)
    assert answer["state"] == "done", f"the SIM request ended {answer}"
    expect(site, browser.get(answer["next"]), 302, PROFILE)
    return expect(site, browser.get(PROFILE), 200)


def sim_poll(site: Site, browser: Browser, waiting: str) -> dict:
    """One poll of the waiting page's script (JSON)."""
    response = expect(site, browser.post(waiting + "trang-thai/", ajax=True), 200)
    try:
        return response.json()
    except json.JSONDecodeError:
        raise AssertionError("the poll's answer is not JSON: " + response.text[-1500:]) from None


# --- 4. An account created at the counter -------------------------------------------------


def counter_create(site: Site, clerk_username: str, password: str, clerk_phone: str,
                   citizen: dict, scan: tuple[str, bytes, str] = SCAN) -> requests.Response:
    """The clerk logs in (the console sends them to the portal's login and back), looks the
    citizen's ID up, types their data with the scan of the ID card (name, bytes, type),
    sends the code to the citizen's phone and types it in; the new account's page."""
    browser = site.browser()
    door = expect(site, browser.get(COUNTER), 302, "/dang-nhap/?next=*")
    back = password_and_code(site, browser, location(site, door), clerk_username, password,
                             clerk_phone)
    expect(site, back, 302, COUNTER)
    expect(site, browser.get(COUNTER), 200)
    expect(site, browser.get(COUNTER + "them-moi/"), 200)
    looked_up = browser.post(COUNTER + "them-moi/", {"id_number": citizen["id_number"]})
    expect(site, looked_up, 302, COUNTER + "them-moi/thong-tin/")
    counter_details(site, browser, citizen, scan)
    return counter_confirm(site, browser, citizen)


def counter_details(site: Site, browser: Browser, citizen: dict,
                    scan: tuple[str, bytes, str]) -> None:
    path = COUNTER + "them-moi/thong-tin/"
    page = expect(site, browser.get(path), 200).text
    form = {"full_name": citizen["full_name"],
            "birth_date": day_month_year(citizen["birth_date"]),
            "phone": national(citizen["phone"]), "email": citizen.get("email", ""),
            "unit": selected(page, "unit"), "for_id": hidden(page, "for_id")}
    expect(site, browser.post(path, form, files={"scan": scan}), 302,
           COUNTER + "them-moi/xac-nhan/")


def counter_confirm(site: Site, browser: Browser, citizen: dict) -> requests.Response:
    path = COUNTER + "them-moi/xac-nhan/"
    for_id = hidden(expect(site, browser.get(path), 200).text, "for_id")
    sent = len(site.sms_messages(citizen["phone"]))
    expect(site, browser.post(COUNTER + "them-moi/gui-ma-otp/", {"for_id": for_id}), 302, path)
    expect(site, browser.get(path), 200)
    code = site.sms_code(citizen["phone"], after=sent)
    created = browser.post(path, {"code": code, "for_id": for_id})
    record = location(site, expect(site, created, 302, COUNTER + "*"))
    assert re.fullmatch(rf"{COUNTER}\d+/", record), f"not an account's page: {record}"
    return expect(site, browser.get(record), 200)
