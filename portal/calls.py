"""The record of calls to outside systems (OutboundCall), written for every call that
portal/outbound.py makes, kept OUTBOUND_CALLS_KEEP_DAYS days and read by top
administrators in the console ("Nhật ký kết nối hệ thống ngoài").

A record holds no personal data: the system, the method and path of the call (the
configured address, never its query), when, how long, how it ended and the request's
correlation id (portal/correlation.py). A record that cannot be written is logged and
the call goes on: the person's step never fails for want of its record. A call made in a
transaction that rolls back loses its record with it (call_record).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.correlation import correlation_id
from portal.metrics import CALL_SECONDS, CALLS
from portal.models import OutboundCall

log = logging.getLogger(__name__)

# The systems the portal calls, by the name each adapter gives portal.outbound, with the
# name an administrator reads.
SYSTEMS = {
    "carrier registry": _("Nhà mạng (thông tin thuê bao di động)"),
    "bhxh registry": _("Bảo hiểm xã hội Việt Nam"),
    "vnpost registry": _("Bưu điện Việt Nam"),
    "population registry": _("Cơ sở dữ liệu quốc gia về dân cư"),
    "sms gateway": _("Cổng gửi tin nhắn SMS"),
    "SIM signature service": _("Dịch vụ ký số trên SIM"),
    "CA revocation service": _("Dịch vụ kiểm tra thu hồi chứng thư số (CRL, OCSP)"),
    "VNeID": _("VNeID"),
}


def call_record(*, system: str, operation: str, started: float, duration_ms: int,
                outcome: str, status: int | None) -> None:
    """Record one call (outbound.recorder). Inside a transaction, the record is written once
    it commits: a savepoint for every call would cost the SMS worker three round trips,
    and a record of a call whose transaction rolled back is lost with it."""
    CALLS.labels(system, outcome).inc()
    CALL_SECONDS.labels(system).observe(max(0, duration_ms) / 1000)
    call = OutboundCall(at=dt.datetime.fromtimestamp(started, dt.UTC),
                        system=system[:60], operation=operation[:120],
                        duration_ms=max(0, duration_ms), outcome=outcome, status=status,
                        correlation_id=correlation_id())
    if connection.in_atomic_block:
        transaction.on_commit(lambda: _save(call))
    else:
        _save(call)


def _save(call: OutboundCall) -> None:
    try:
        call.save(force_insert=True)
    except Exception as error:  # noqa: BLE001 - a record never fails the call it records
        log.warning("outbound call not recorded: %s", type(error).__name__)


def calls_purge(now: dt.datetime | None = None) -> int:
    """Delete the records older than the days kept; how many went."""
    now = now or timezone.now()
    keep = dt.timedelta(days=settings.OUTBOUND_CALLS_KEEP_DAYS)
    return OutboundCall.objects.filter(at__lt=now - keep).delete()[0]
