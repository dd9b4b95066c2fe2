"""Reads for the statistics page: accounts created over a period of whole local days.

Every series is one aggregate query grouped by the local day (TruncDate in the portal's
time zone), so a year on a million accounts costs one scan, not a query a day; the days
without a row are filled with zeros here.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Account
from operator_console.models import CounterRecord
from operator_console.selectors import within_days

DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Breakdown:
    """Counts per day and per category: `series` holds (label, one count a day)."""

    days: list[dt.date]
    series: list[tuple[str, list[int]]]


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last 30 days, today included."""
    end = today or timezone.localdate()
    return end - dt.timedelta(days=DEFAULT_DAYS - 1), end


def days_in(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]


def _created_between(queryset: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    """Rows created from the first moment of `start` to the last of `end`, local time."""
    return within_days(queryset, "created_at", start, end)


def _by_day(queryset: QuerySet, *fields: str) -> QuerySet:
    """One GROUP BY query: the local day, `fields`, and the row count as `n`."""
    day = TruncDate("created_at", tzinfo=timezone.get_current_timezone())
    return queryset.annotate(day=day).values("day", *fields).annotate(n=Count("pk")).order_by()


def _counters(scope: set[int], start: dt.date, end: dt.date) -> QuerySet:
    return _created_between(CounterRecord.objects.filter(unit_id__in=scope), start, end)


def counter_creations_by_unit(scope: set[int], start: dt.date, end: dt.date
                              ) -> list[tuple[str, int]]:
    """(unit name, accounts created at its counter), the busiest unit first."""
    rows = (_counters(scope, start, end).values("unit_id", "unit__name")
            .annotate(n=Count("pk")).order_by("-n", "unit__name"))
    return [(row["unit__name"], row["n"]) for row in rows]


def counter_creations_by_day(scope: set[int], start: dt.date, end: dt.date
                             ) -> list[tuple[dt.date, int]]:
    """(day, accounts created at the counters in scope) for every day of the period."""
    counts = {row["day"]: row["n"] for row in _by_day(_counters(scope, start, end))}
    return [(day, counts.get(day, 0)) for day in days_in(start, end)]


def _breakdown(field: str, choices, start: dt.date, end: dt.date) -> Breakdown:
    """Portal-wide accounts per day and per value of `field`, one series per choice."""
    rows = _by_day(_created_between(_online(), start, end), field)
    counts = {(row["day"], row[field]): row["n"] for row in rows}
    days = days_in(start, end)
    return Breakdown(days=days, series=[
        (str(label), [counts.get((day, value), 0) for day in days]) for value, label in choices
    ])


# Accounts made at a counter or by an administrator belong to a unit: they are counted in
# the viewer's own series only, never in the portal-wide one.
UNIT_METHODS = (Account.Method.COUNTER, Account.Method.ADMIN)


def _online() -> QuerySet:
    return Account.objects.exclude(registration_method__in=UNIT_METHODS)


def registrations_by_day(start: dt.date, end: dt.date) -> Breakdown:
    """Online registrations per day and per method, over the whole portal: they belong to
    no unit."""
    methods = [(v, label) for v, label in Account.Method.choices if v not in UNIT_METHODS]
    return _breakdown("registration_method", methods, start, end)


def registrations_by_level(start: dt.date, end: dt.date) -> Breakdown:
    """Online registrations per day and per assurance level, over the whole portal."""
    return _breakdown("assurance_level", Account.Level.choices, start, end)
