"""Reading the audit trail: an administrator sees the entries of the units they administer,
on the page and as a CSV file."""

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import text_fold
from operator_console.models import AuditEntry
from operator_console.selectors import within_days

CSV_TIME_FORMAT = "%d/%m/%Y %H:%M:%S"
# A spreadsheet reads a cell opening with one of these as a formula (CWE-1236).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def audit_search(
    *, scope: set[int], actor_name: str = "", action: str = "", target: str = "",
    unit_id: int | None = None, date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditEntry]:
    """Entries of the units in `scope`, newest first, narrowed by the filters.

    The actor's name matches as a folded substring, the target's ID number as a substring
    of `detail` (which keeps it even after the account is gone); dates are whole local days.
    """
    entries = AuditEntry.objects.filter(unit_id__in=scope)
    if actor_name:
        entries = entries.filter(actor__name_folded__contains=text_fold(actor_name))
    if action:
        entries = entries.filter(action=action)
    if target:
        entries = entries.filter(detail__contains=target)
    if unit_id:
        entries = entries.filter(unit_id=unit_id)
    entries = within_days(entries, "at", date_from, date_to)
    return entries.select_related("actor", "unit").order_by("-at", "-pk")


def audit_csv_rows(entries: Iterable[AuditEntry]) -> Iterator[list[str]]:
    """The header, then one row per entry, every cell safe to open in a spreadsheet."""
    yield [_("Thời gian"), _("Người thực hiện"), _("Hành động"), _("Đối tượng"), _("Đơn vị"),
           _("Địa chỉ IP")]
    for entry in entries:
        yield [_csv_cell(cell) for cell in _csv_row(entry)]


def _csv_row(entry: AuditEntry) -> list[str]:
    return [
        timezone.localtime(entry.at).strftime(CSV_TIME_FORMAT),
        (f"{entry.actor.full_name} ({entry.actor.username})" if entry.actor
         else _("Lệnh quản trị trên máy chủ")),
        str(entry.get_action_display()),
        entry.detail,
        entry.unit.name if entry.unit else "",
        entry.ip or "",
    ]


def _csv_cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
