"""The audit log of the units an administrator administers: a filtered page and its CSV.

There is no view that edits or deletes an entry; the database refuses it anyway
(the trigger of migration 0002)."""

import csv

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from operator_console.access import admin_required
from operator_console.audit.forms import AuditSearchForm
from operator_console.audit.selectors import audit_csv_rows, audit_search
from operator_console.paging import page_get, query_without_page
from operator_console.scope import admin_scope, scope_units

PAGE_SIZE = 50


def _search_form(request, scope: set[int]) -> AuditSearchForm:
    return AuditSearchForm(request.GET or None, units=scope_units(scope))


@admin_required
def audit_list(request):
    scope = admin_scope(request.user)
    form = _search_form(request, scope)
    page = None
    if not form.is_bound or form.is_valid():
        found = audit_search(scope=scope, **(form.filters() if form.is_bound else {}))
        page = page_get(request, found, PAGE_SIZE)
    return render(request, "operator_console/audit.html", {
        "form": form, "page": page, "query": query_without_page(request),
    })


@admin_required
def audit_csv(request):
    scope = admin_scope(request.user)
    form = _search_form(request, scope)
    if form.is_bound and not form.is_valid():
        return HttpResponseBadRequest(_("Bộ lọc không hợp lệ, vui lòng kiểm tra lại."),
                                      content_type="text/plain; charset=utf-8")
    found = audit_search(scope=scope, **(form.filters() if form.is_bound else {}))
    response = StreamingHttpResponse(_csv_lines(audit_csv_rows(found.iterator(chunk_size=500))),
                                     content_type="text/csv; charset=utf-8")
    filename = f"nhat-ky-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class _Echo:
    """csv.writer's file: hands each formatted line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def _csv_lines(rows):
    # The byte-order mark tells Excel the file is UTF-8, so Vietnamese shows right.
    yield "\ufeff"
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
