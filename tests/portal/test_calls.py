"""Every call to an outside system leaves a record (portal/calls.py) of which system, what,
when, how long and how it ended, under the correlation id of the request that made it,
and nothing of what was sent or answered."""

import datetime as dt
import logging

import pytest
import time_machine
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from accounts.services import housekeeping_purge
from portal import outbound
from portal.correlation import HEADER, CorrelationMiddleware
from portal.models import OutboundCall
from tests.local_http import serving, silent
from tests.portal.test_outbound import PAYLOAD, _Handler

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def server():
    with serving(_Handler) as url:
        yield url


def recorded() -> list[tuple]:
    return list(OutboundCall.objects.order_by("pk").values_list(
        "system", "operation", "outcome", "status"))


def test_a_call_is_recorded_without_what_it_carried(server):
    outbound.post_json(server + "/json?id_number=001090012345", PAYLOAD,
                       system="carrier registry", timeout=2)
    (call,) = OutboundCall.objects.all()
    assert (call.system, call.operation, call.outcome, call.status) == (
        "carrier registry", "POST /json", "ok", None)
    assert 0 <= call.duration_ms < 2000
    assert abs(call.at - timezone.now()) < dt.timedelta(seconds=5)
    text = " ".join(str(value) for value in OutboundCall.objects.values().get().values())
    assert not any(value in text for value in ("001090012345", "912345001", "found"))


def test_each_way_a_call_fails_is_recorded_once(server):
    def fails(call, url, **kwargs):
        with pytest.raises(outbound.Unavailable):
            call(url, system="sms gateway", timeout=1.0, **kwargs)

    fails(lambda url, **kw: outbound.request("GET", url, **kw), server + "/status/503")
    fails(outbound.post_json, server + "/not-json", payload={})
    fails(lambda url, **kw: outbound.request("GET", url, **kw), server + "/bytes/200",
          limit=100)
    with silent() as never:
        fails(lambda url, **kw: outbound.request("GET", url, **kw), never + "/x")
    fails(lambda url, **kw: outbound.request("GET", url, **kw), "http://127.0.0.1:9/x")
    assert recorded() == [
        ("sms gateway", "GET /status/503", "error", 503),
        ("sms gateway", "POST /not-json", "bad_answer", None),
        ("sms gateway", "GET /bytes/200", "too_large", None),
        ("sms gateway", "GET /x", "timeout", None),
        ("sms gateway", "GET /x", "unreachable", None),
    ]


def test_a_call_inside_a_transaction_is_recorded_when_it_commits(server):
    with transaction.atomic():
        outbound.request("GET", server + "/json", system="VNeID", timeout=2)
        assert not OutboundCall.objects.exists()
    assert recorded() == [("VNeID", "GET /json", "ok", None)]
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        outbound.request("GET", server + "/json", system="VNeID", timeout=2)
        1 / 0  # noqa: B018 - the caller's transaction rolls back, and its record with it
    assert len(recorded()) == 1


def test_a_record_that_cannot_be_written_never_fails_the_call(server, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(OutboundCall, "save", broken)
    with caplog.at_level(logging.WARNING, logger="portal.calls"):
        assert outbound.request("GET", server + "/json", system="VNeID", timeout=2)
    assert "outbound call not recorded: DatabaseError" in caplog.text


def test_a_call_made_for_a_request_carries_its_correlation_id(server):
    def view(request):
        outbound.request("GET", server + "/json", system="VNeID", timeout=2)
        return HttpResponse("ok")

    middleware = CorrelationMiddleware(view)
    given = middleware(RequestFactory().get("/", headers={HEADER: "proxy-id-0123456789"}))
    made = middleware(RequestFactory().get("/", headers={HEADER: "not ok; <script>"}))
    assert given[HEADER] == "proxy-id-0123456789"
    assert len(made[HEADER]) == 32 and made[HEADER] != given[HEADER]
    assert list(OutboundCall.objects.order_by("pk").values_list("correlation_id", flat=True)
                ) == ["proxy-id-0123456789", made[HEADER]]


def test_records_are_kept_the_days_configured(settings, server):
    settings.OUTBOUND_CALLS_KEEP_DAYS = 30
    now = timezone.now()
    for days in (31, 29):
        with time_machine.travel(now - dt.timedelta(days=days), tick=False):
            outbound.request("GET", server + "/json", system="VNeID", timeout=2)
    assert housekeeping_purge()["outbound_calls"] == 1
    (kept,) = OutboundCall.objects.all()
    assert now - kept.at < dt.timedelta(days=30)


def test_every_system_the_portal_calls_has_a_name_an_administrator_reads():
    from accounts.registries import http as registries
    from federation.vneid.base import SYSTEM as VNEID
    from portal.calls import SYSTEMS

    adapters = [getattr(registries, name) for name in dir(registries)
                if name.startswith("Http") and name.endswith("Registry")]
    named = {f"{adapter.name} registry" for adapter in adapters if adapter.name}
    assert len(named) == 4
    assert named | {"sms gateway", "SIM signature service", "CA revocation service", VNEID} \
        == set(SYSTEMS)
    sources = "".join(open(path, encoding="utf-8").read() for path in (
        "accounts/sms/backends/http.py", "signing/sim/http.py", "signing/fetch.py"))
    assert all(f'system="{name}"' in sources for name in
               ("sms gateway", "SIM signature service", "CA revocation service"))


def test_an_answer_read_by_the_caller_is_recorded_as_it_was_read(server):
    """As VNeID's adapter reads its JSON: an answer it cannot read is the call's outcome."""

    def read(body: bytes):
        raise outbound.unavailable(outbound.Unavailable, "bad_answer", system="VNeID")

    assert outbound.request("GET", server + "/json", system="VNeID", timeout=2,
                            read=lambda body: body.upper()) == b'{"FOUND": FALSE}'
    with pytest.raises(outbound.Unavailable):
        outbound.request("GET", server + "/not-json", system="VNeID", timeout=2, read=read)
    assert recorded() == [("VNeID", "GET /json", "ok", None),
                          ("VNeID", "GET /not-json", "bad_answer", None)]


def test_a_recorder_that_fails_never_fails_the_call(server, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("no database here")

    monkeypatch.setattr(outbound, "recorder", broken)
    with caplog.at_level(logging.WARNING, logger="portal.outbound"):
        assert outbound.request("GET", server + "/json", system="VNeID", timeout=2)
        with pytest.raises(outbound.Unavailable) as failed:
            outbound.request("GET", server + "/status/404", system="VNeID", timeout=2)
    assert failed.value.status == 404, "the call's own failure, not the recorder's"
    assert caplog.text.count("outbound call not recorded: RuntimeError") == 2


def test_a_call_is_dated_when_it_began(server):
    with silent() as never:
        began = timezone.now()
        with pytest.raises(outbound.Unavailable):
            outbound.request("GET", never + "/x", system="VNeID", timeout=1.0)
    (call,) = OutboundCall.objects.all()
    assert call.duration_ms >= 1000
    assert abs(call.at - began) < dt.timedelta(milliseconds=300)


def test_a_task_run_outside_any_request_leaves_no_id_behind(server):
    """A task runs under its own id, and the id is gone once it has run."""
    from accounts.tasks import housekeeping_purge_task
    from portal.correlation import correlation_id

    seen = []
    housekeeping_purge_task.apply()  # run here, with the task signals a worker sends
    seen.append(correlation_id())
    outbound.request("GET", server + "/json", system="VNeID", timeout=2)
    assert seen == [""] and OutboundCall.objects.get().correlation_id == ""
