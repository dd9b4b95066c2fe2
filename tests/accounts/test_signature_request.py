"""A signature login or registration is one request kept on the server for the browser that
started it: a lost answer, a reload, a second tab or a rotated session loses nothing, and
nobody else can use it."""

import pytest
from django.conf import settings as django_settings
from django.test import Client

from accounts.flows import sim
from accounts.flows.signature_request import binding_cookie
from accounts.models import Account, SignatureRequest
from sandbox.sim_service import SIM_PIN, shared_service
from tests.fixtures_signing import usb_signed as signed_by

pytestmark = pytest.mark.django_db(transaction=True)
LOGIN = "/dang-nhap/usb-ky-so/"
TUAN_SIM = "0912345017"


@pytest.fixture(autouse=True)
def ca(trusted_dev_ca, settings):
    settings.SIM_SIGNATURE_SERVICE = {
        "BACKEND": "sandbox.registries.SandboxSimSignatureService", "OPTIONS": {}}
    return trusted_dev_ca


def usb_signed(client, ca, name="citizen-tuan", page=LOGIN) -> dict:
    return signed_by(client, ca.identities[name], page)


def session_started(client) -> None:
    """The browser has a session before it logs in (a flow it began, a message shown)."""
    session = client.session
    session["seen"] = True
    session.save()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = session.session_key


def session_cookie(client) -> str:
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def logged_in_as(client) -> str:
    page = client.get("/trang-ca-nhan/")
    return "" if page.status_code != 200 else page.wsgi_request.user.username


def test_a_login_whose_answer_was_lost_completes_again(client, ca, citizen):
    session_started(client)
    signed = usb_signed(client, ca)
    before = session_cookie(client)
    done = client.post(LOGIN, signed).url
    assert client.get(done).url == "/trang-ca-nhan/"
    assert session_cookie(client) != before, "the login rotated the session"

    # The answer that carried the new cookie never arrived: the browser still sends the
    # old one, whose session the server has deleted.
    client.cookies[django_settings.SESSION_COOKIE_NAME] = before
    assert logged_in_as(client) == ""
    assert client.post(LOGIN, signed).url == done, "posting the signature again"
    assert client.get(done).url == "/trang-ca-nhan/"
    assert logged_in_as(client) == citizen.username


def test_a_request_of_another_tab_with_the_old_cookie_keeps_the_login(client, ca, citizen):
    session_started(client)
    before = session_cookie(client)
    client.get(client.post(LOGIN, usb_signed(client, ca)).url)
    after = session_cookie(client)

    other_tab = Client()
    other_tab.cookies[django_settings.SESSION_COOKIE_NAME] = before
    answer = other_tab.get("/dang-nhap/")  # sent before the login's answer arrived
    assert django_settings.SESSION_COOKIE_NAME not in answer.cookies, (
        "no deletion of the session cookie, which would remove the new one")
    client.cookies[django_settings.SESSION_COOKIE_NAME] = after
    assert logged_in_as(client) == citizen.username


def test_logging_out_still_deletes_the_session_cookie(client, ca, citizen):
    done = client.post(LOGIN, usb_signed(client, ca)).url
    client.get(done)
    answer = client.post("/dang-xuat/")
    assert answer.cookies[django_settings.SESSION_COOKIE_NAME].value == ""
    # And the completed login cannot be opened again from this browser.
    assert client.get(done).url == "/dang-nhap/"
    assert logged_in_as(client) == ""


def test_nobody_but_the_browser_that_signed_can_complete(client, ca, citizen):
    done = client.post(LOGIN, usb_signed(client, ca)).url
    stranger = Client()
    assert stranger.get(done).url == "/dang-nhap/"
    assert logged_in_as(stranger) == ""
    thief = Client()  # a copied binding cookie from another request does not fit either
    thief.cookies[binding_cookie()] = "x" * 43
    assert thief.get(done).url == "/dang-nhap/" and logged_in_as(thief) == ""
    assert client.get(done).url == "/trang-ca-nhan/"


def test_a_usb_and_a_sim_attempt_in_two_tabs_keep_their_own_challenges(client, ca, citizen):
    usb_tab = usb_signed(client, ca)  # tab 1 has the token sign its challenge…
    sim_tab = client.post("/dang-nhap/sim-ky-so/", {"phone": TUAN_SIM}).url  # …tab 2 starts
    another_usb = client.post(LOGIN + "thu-thach/").json()  # …and tab 3 asks for one more
    assert len({usb_tab["request"], another_usb["request"], sim_tab.split("/")[-2]}) == 3

    done = client.post(LOGIN, usb_tab).url
    assert done.startswith("/dang-nhap/ky-so/"), "tab 1's challenge was not overwritten"
    assert client.post(sim_tab + "trang-thai/").json()["state"] == "running"
    waiting = shared_service().pending("+84" + TUAN_SIM[1:])[0]
    shared_service().approve(waiting["session_id"], SIM_PIN)
    answer = client.post(sim_tab + "trang-thai/").json()
    assert answer["state"] == "done" and answer["next"] != done
    assert SignatureRequest.objects.filter(state="done").count() == 2


def test_the_sim_poll_answers_done_again_and_the_wait_page_leads_on(client, citizen):
    sim_tab = client.post("/dang-nhap/sim-ky-so/", {"phone": TUAN_SIM}).url
    waiting = shared_service().pending("+84" + TUAN_SIM[1:])[0]
    shared_service().approve(waiting["session_id"], SIM_PIN)
    first = client.post(sim_tab + "trang-thai/").json()
    assert first["state"] == "done"
    assert client.post(sim_tab + "trang-thai/").json() == first, "the poll asked again"
    assert client.get(sim_tab).url == first["next"], "the waiting page reloaded"
    assert client.get(first["next"]).url == "/trang-ca-nhan/"


def test_a_poll_under_way_elsewhere_is_not_repeated(client, citizen, monkeypatch):
    """While one poll (another tab, another process) holds the request, a second one
    answers "running" without asking the service."""
    sim_tab = client.post("/dang-nhap/sim-ky-so/", {"phone": TUAN_SIM}).url
    request = SignatureRequest.objects.get()
    assert sim.request_lease(request, 30)

    def never(*args, **kwargs):
        raise AssertionError("the service was polled twice at once")

    monkeypatch.setattr(sim, "sim_service", lambda: type("S", (), {"poll": never})())
    assert client.post(sim_tab + "trang-thai/").json()["state"] == "running"


def test_a_registration_is_made_once_from_one_signature(client, ca):
    details = client.post("/dang-ky/usb-ky-so/cong-dan/",
                          usb_signed(client, ca, "citizen-an", "/dang-ky/usb-ky-so/cong-dan/")).url
    form = {"email": "", "captcha_0": "test", "captcha_1": "PASSED"}
    second_tab = client.get(details)
    assert second_tab.status_code == 200
    assert client.post(details, form).url == "/dang-nhap/usb-ky-so/"
    assert client.post(details, form).url == "/dang-nhap/usb-ky-so/"
    assert Account.objects.filter(username="001090012345").count() == 1


def test_over_https_the_binding_cookie_is_a_host_cookie(client, ca, citizen, settings):
    settings.SESSION_COOKIE_SECURE = True
    answer = client.post(LOGIN + "thu-thach/", secure=True)
    cookie = answer.cookies["__Host-dvc_ky_so"]
    assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_an_overlong_next_address_is_dropped_not_a_crash(client, ca, citizen):
    query = "?next=/" + "a" * 400
    signed = signed_by(client, ca.identities["citizen-tuan"], LOGIN, query=query)
    done = client.post(LOGIN + query, signed).url
    assert client.get(done).url == "/trang-ca-nhan/"


def test_a_request_gone_while_it_is_decided_reads_as_ended(client, ca, citizen):
    from accounts.flows.signature_request import request_decide

    signed = usb_signed(client, ca)
    pending = SignatureRequest.objects.get(token=signed["request"])
    SignatureRequest.objects.all().delete()  # the person logged out in another tab
    decided = request_decide(pending, lambda current: {"account": citizen})
    assert decided.state == "failed" and "Yêu cầu ký đã kết thúc" in decided.message
