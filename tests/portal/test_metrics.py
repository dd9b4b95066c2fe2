"""Prometheus metrics (portal/metrics.py) in one process: what each event adds, and who may
read them. tests/stack/test_stateless.py reads them from the production shape's processes
(several per server, PROMETHEUS_MULTIPROC_DIR)."""

import datetime as dt

import pytest
from prometheus_client import REGISTRY

from accounts.models import OutgoingSms
from accounts.sms.services import _waited, sms_deliver, sms_store
from portal.calls import call_record
from tests.accounts.conftest import CAPTCHA, PASSWORD, last_code

pytestmark = pytest.mark.django_db(transaction=True)
TUAN = "001084567801"


def count(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


class Delta:
    """How much the named samples grew inside the block."""

    def __init__(self, *samples: tuple[str, dict]):
        self.samples = samples

    def __enter__(self):
        self.before = [count(name, **labels) for name, labels in self.samples]
        return self

    def __exit__(self, *exc):
        self.grew = [count(name, **labels) - before
                     for (name, labels), before in zip(self.samples, self.before, strict=True)]


def login(client, password=PASSWORD):
    return client.post("/dang-nhap/", {"username": TUAN, "password": password, **CAPTCHA})


def test_logins_are_counted_by_method_and_outcome(client, citizen, sms_outbox):
    logins = "portal_logins_total"
    with Delta((logins, {"method": "password", "outcome": "wrong_password"}),
               (logins, {"method": "password", "outcome": "wrong_code"}),
               (logins, {"method": "password", "outcome": "ok"})) as delta:
        login(client, "Sai@2026mat")
        login(client)
        client.post("/dang-nhap/xac-thuc-otp/", {"code": "000000"})
        client.post("/dang-nhap/xac-thuc-otp/", {"code": last_code(sms_outbox, citizen.phone)})
    assert delta.grew == [1, 1, 1]


def test_a_vneid_answer_refused_is_counted(client):
    """An answer the portal never asked for (no flow started): refused, and counted."""
    with Delta(("portal_logins_total", {"method": "vneid", "outcome": "refused"})) as delta:
        page = client.get("/dang-nhap/vneid/ket-qua/", {"state": "khong-co", "code": "x"})
    assert page.status_code == 302
    assert delta.grew == [1]


def test_requests_are_counted_by_view_and_status(client):
    requests = "portal_http_requests_total"
    with Delta((requests, {"view": "home", "method": "GET", "status": "200"}),
               (requests, {"view": "unresolved", "method": "GET", "status": "404"}),
               ("portal_http_request_seconds_count", {"view": "home"})) as delta:
        client.get("/")
        client.get("/khong-co-trang-nay/")
    assert delta.grew == [1, 1, 1]


def test_caps_refusals_and_outside_calls_are_counted(client, citizen, settings):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "password_per_account": ["1/15m"]}
    with Delta(("portal_rate_limited_total", {"limits": "password_per_account+password_per_ip"}),
               ("portal_logins_total", {"method": "password", "outcome": "rate_limited"}),
               ("portal_outbound_calls_total", {"system": "bhxh registry", "outcome": "timeout"}),
               ("portal_outbound_call_seconds_sum", {"system": "bhxh registry"})) as delta:
        login(client, "Sai@2026mat")
        login(client, "Sai@2026mat")
        call_record(system="bhxh registry", operation="POST /lookup", started=0.0,
                    duration_ms=5000, outcome="timeout", status=None)
    assert delta.grew == [1, 1, 1, 5.0]


def test_an_sms_sent_is_counted_with_its_wait_for_the_gateway(sms_outbox):
    sms = sms_store(phone="+84912345017", template="otp_login", context={"code": "123456"})
    OutgoingSms.objects.filter(pk=sms.pk).update(
        created_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=3))
    with Delta(("portal_sms_total", {"event": "sent"}),
               ("portal_sms_queue_to_gateway_seconds_count", {}),
               ("portal_sms_queue_to_gateway_seconds_sum", {})) as delta:
        sms_deliver(sms_id=str(sms.pk))
    assert delta.grew[:2] == [1, 1]
    assert 3 <= delta.grew[2] < 30


def test_a_wait_read_from_sqlite_text_is_taken_as_utc():
    stored = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=10)).replace(tzinfo=None)
    assert 10 <= _waited(stored.isoformat(sep=" ")) < 20


def test_only_the_probes_may_read_them(client):
    assert client.get("/metrics/", REMOTE_ADDR="203.0.113.9").status_code == 404
    page = client.get("/metrics/", REMOTE_ADDR="10.1.2.3")
    assert page.status_code == 200
    assert "# TYPE portal_logins_total counter" in page.content.decode()
