"""Reads for the console: the clerk's units, their rights, the list of counter accounts."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from accounts.identity import text_fold
from operator_console import rights
from operator_console.models import CounterRecord, Grant, Unit

COUNTER_MARKS = ("trung tam phuc vu hanh chinh cong", "bo phan mot cua")


def unit_is_counter(unit: Unit) -> bool:
    """Whether a clerk may create accounts in this unit: its name says it is a one-stop
    counter (seed 003), in any case, with or without diacritics."""
    folded = text_fold(unit.name)
    return any(mark in folded for mark in COUNTER_MARKS)


def account_units(account) -> list[Unit]:
    return list(Unit.objects.filter(memberships__account=account).order_by("name"))


def account_right_units(account, right: str) -> list[Unit]:
    """The units where `account` works and holds `right` (granted there)."""
    return list(Unit.objects.filter(memberships__account=account, grants__account=account,
                                    grants__right=right).distinct().order_by("name"))


def account_counter_units(account) -> list[Unit]:
    """The counters where `account` may create citizens' accounts."""
    return [unit for unit in account_right_units(account, rights.CREATE_CITIZEN)
            if unit_is_counter(unit)]


def account_has_right(account, right: str) -> bool:
    """Whether `account` holds `right` in some unit (what a console page asks)."""
    return account.is_authenticated and Grant.objects.filter(account=account, right=right).exists()


def counter_records_search(
    *, units, name: str = "", phone: str = "", id_number: str = "", clerk_name: str = "",
    unit_id: int | None = None, date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[CounterRecord]:
    """Accounts created at the counters of `units`, newest first, narrowed by the filters.

    Names match as folded substrings ("nguyen van a" finds "Nguyễn Văn An"), the phone
    (E.164) and the ID number exactly; dates are whole local days.
    """
    records = CounterRecord.objects.filter(unit__in=units)
    if name:  # the (unit, name) index of the clerk's units, not every name in the country
        matching = CounterRecord.objects.filter(
            unit__in=units, name_folded__contains=text_fold(name)).values("pk")
        records = CounterRecord.objects.filter(pk__in=matching)
    if phone:
        records = records.filter(account__phone=phone)
    if id_number:
        records = records.filter(account__username=id_number)
    if clerk_name:  # the name at the time: a clerk who has left is still found
        records = records.filter(clerk_name_folded__contains=text_fold(clerk_name))
    if unit_id:
        records = records.filter(unit_id=unit_id)
    records = within_days(records, "created_at", date_from, date_to)
    return records.select_related("account", "clerk", "unit").order_by("-created_at", "-pk")


def within_days(rows: QuerySet, field: str, first: dt.date | None,
                last: dt.date | None) -> QuerySet:
    """`rows` whose `field` falls from the first moment of `first` to the last of `last`,
    local time (either bound may be missing)."""
    if first:
        rows = rows.filter(**{f"{field}__gte": _day_start(first)})
    if last:
        rows = rows.filter(**{f"{field}__lt": _day_start(last + dt.timedelta(days=1))})
    return rows


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def counter_record_for(*, account, account_id: int) -> CounterRecord | None:
    """The record if it was made in a unit where `account` creates accounts (else None:
    not theirs)."""
    units = account_right_units(account, rights.CREATE_CITIZEN)
    return (
        CounterRecord.objects.filter(pk=account_id, unit__in=units)
        .select_related("account", "clerk", "unit").first()
    )
