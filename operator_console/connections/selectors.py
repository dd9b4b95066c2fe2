"""Reading the record of outside calls."""

import datetime as dt

from django.db.models import QuerySet

from operator_console.selectors import within_days
from portal.models import OutboundCall


def connections_search(*, system: str = "", outcome: str = "", failed: bool = False,
                       correlation_id: str = "", date_from: dt.date | None = None,
                       date_to: dt.date | None = None) -> QuerySet[OutboundCall]:
    """The records, newest first, narrowed by the filters (dates are whole local days);
    `failed`: every outcome but "ok"; `correlation_id`: one request's calls."""
    calls = OutboundCall.objects.all()
    if correlation_id:
        calls = calls.filter(correlation_id=correlation_id)
    if system:
        calls = calls.filter(system=system)
    if outcome:
        calls = calls.filter(outcome=outcome)
    elif failed:
        calls = calls.exclude(outcome=OutboundCall.Outcome.OK)
    return within_days(calls, "at", date_from, date_to).order_by("-at", "-pk")
