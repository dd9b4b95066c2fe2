"""Every multi-step flow and short-lived proof is one `Flow`: its step, its owner, its
start and its time limit, kept under its own kind's key, its dates kept as dates."""

import datetime as dt
import time
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse_lazy

from accounts.flows import state
from accounts.flows.state import Flow, FlowKind, flow_step
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
TUAN = {"username": "001084567801", "phone": "0912345017"}
TUAN_PHONE = "+84912345017"
STEPS = FlowKind("test-steps", start_url=reverse_lazy("accounts:register"), per_step=True)
WHOLE = FlowKind("test-whole", start_url=reverse_lazy("accounts:register"))


def _request(user=None):
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.user = user or AnonymousUser()
    request._messages = FallbackStorage(request)
    return request


@pytest.fixture
def later(monkeypatch):
    """later(s): the flows' clock reads `s` seconds after the test began."""
    began = time.time()

    def move(seconds: float) -> None:
        monkeypatch.setattr(state, "time", SimpleNamespace(time=lambda: began + seconds))

    return move


def test_a_login_and_a_reset_live_side_by_side_in_one_session(client, citizen, sms_outbox):
    client.post("/dang-nhap/", {**TUAN, "password": PASSWORD, **CAPTCHA})
    login_code = last_code(sms_outbox, TUAN_PHONE)
    # The same person, in another tab, starts "Quên mật khẩu?" meanwhile.
    assert client.post("/quen-mat-khau/", {**TUAN, **CAPTCHA}).url == "/quen-mat-khau/xac-thuc-otp/"
    assert client.get("/quen-mat-khau/xac-thuc-otp/").status_code == 200
    # The login tab still stands at its own step, with its own code.
    assert client.get("/dang-nhap/xac-thuc-otp/").status_code == 200
    assert client.post("/quen-mat-khau/xac-thuc-otp/", {"code": last_code(sms_outbox, TUAN_PHONE)}
                       ).url == "/quen-mat-khau/mat-khau-moi/"
    assert client.post("/dang-nhap/xac-thuc-otp/", {"code": login_code}).url == "/trang-ca-nhan/"


def test_a_flow_keeps_dates_as_dates():
    request = _request()
    Flow(request, WHOLE).start("one", person={"birth_date": dt.date(1990, 3, 15)})
    assert Flow(request, WHOLE).data["person"]["birth_date"] == dt.date(1990, 3, 15)
    assert Flow(request, WHOLE).data["step"] == "one"


def test_a_flow_ends_at_its_time_limit_from_its_start(later, settings):
    request = _request()
    flow = Flow(request, WHOLE)
    flow.start("one")
    later(10 * 60)
    flow.advance("two")
    later(settings.PORTAL_LIMITS["flow_valid_seconds"] + 1)
    assert flow.data is None and WHOLE.session_key not in request.session


def test_a_flow_of_timed_steps_gives_each_step_its_own_limit(later, settings):
    request = _request()
    flow = Flow(request, STEPS)
    flow.start("one")
    later(10 * 60)
    flow.advance("two")
    later(10 * 60 + settings.PORTAL_LIMITS["flow_valid_seconds"] - 1)
    assert flow.step == "two"


def test_a_flow_belongs_to_whoever_was_logged_in_when_it_began(citizen):
    request = _request()
    Flow(request, WHOLE).start("one")
    request.user = citizen  # someone logged in in between
    assert Flow(request, WHOLE).data is None


def test_the_guard_runs_a_view_only_at_its_steps():
    @flow_step(STEPS, "two")
    def view(request, flow):
        return flow.step

    request = _request()
    Flow(request, STEPS).start("one")
    refused = view(request)
    assert refused.status_code == 302 and refused.url == "/dang-ky/"
    assert [str(m) for m in request._messages] == [str(STEPS.expired)]
    Flow(request, STEPS).advance("two")
    assert view(request) == "two"


def test_an_updated_flow_that_has_just_expired_stays_gone(later, settings):
    request = _request()
    flow = Flow(request, WHOLE)
    flow.start("one")
    later(settings.PORTAL_LIMITS["flow_valid_seconds"] + 1)
    flow.update(code_id=7)
    flow.advance("two")
    assert WHOLE.session_key not in request.session
