"""The audit log of the units an administrator administers: a filtered page and its CSV.

There is no view that edits or deletes an entry; the database refuses it anyway
(the trigger of migration 0002)."""

import csv

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import DATE_FORMAT
from accounts.identity import id_number_normalize
from operator_console.access import admin_required
from operator_console.audit import audit_csv_rows, audit_search
from operator_console.forms import ConsoleDateField, UnitChoiceField
from operator_console.models import AuditEntry
from operator_console.scope import admin_scope, scope_units

PAGE_SIZE = 50
DATE_ERRORS = {"invalid": gettext_lazy("Ngày phải có dạng dd/mm/yyyy.")}


class AuditSearchForm(forms.Form):
    """The log's filters; every one optional, all sent by GET. The units offered are
    those the administrator administers, and no other is accepted."""

    actor = forms.CharField(label=gettext_lazy("Người thực hiện"), required=False,
                            max_length=150)
    action = forms.ChoiceField(
        label=gettext_lazy("Hành động"), required=False,
        choices=[("", gettext_lazy("-- Tất cả --")), *AuditEntry.Action.choices],
        error_messages={"invalid_choice": gettext_lazy("Hành động không hợp lệ.")},
    )
    target = forms.CharField(label=gettext_lazy("Đối tượng (CMND/CCCD)"), required=False,
                             max_length=20)
    unit = UnitChoiceField(label=gettext_lazy("Đơn vị"), queryset=None, required=False,
                           empty_label=gettext_lazy("-- Tất cả --"),
                           error_messages={"invalid_choice": gettext_lazy("Đơn vị không hợp lệ.")})
    date_from = ConsoleDateField(label=gettext_lazy("Từ ngày"), required=False,
                                input_formats=[DATE_FORMAT], error_messages=DATE_ERRORS)
    date_to = ConsoleDateField(label=gettext_lazy("Đến ngày"), required=False,
                              input_formats=[DATE_FORMAT], error_messages=DATE_ERRORS)

    placeholders = {
        "actor": gettext_lazy("Nhập tên người thực hiện"),
        "target": gettext_lazy("Nhập số CMND/CCCD"),
        "date_from": "dd/mm/yyyy", "date_to": "dd/mm/yyyy",
    }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for name, text in self.placeholders.items():
            self.fields[name].widget.attrs["placeholder"] = text

    def clean_target(self):
        number = id_number_normalize(self.cleaned_data["target"])
        if number and not number.isdecimal():
            raise forms.ValidationError(_("Số CMND/CCCD chỉ gồm chữ số."))
        return number

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
        return data

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "actor_name": data["actor"], "action": data["action"], "target": data["target"],
            "unit_id": data["unit"].pk if data["unit"] else None,
            "date_from": data["date_from"], "date_to": data["date_to"],
        }


def _search_form(request, scope: set[int]) -> AuditSearchForm:
    return AuditSearchForm(request.GET or None, units=scope_units(scope))


@admin_required
def audit_list(request):
    scope = admin_scope(request.user)
    form = _search_form(request, scope)
    page = None
    if not form.is_bound or form.is_valid():
        found = audit_search(scope=scope, **(form.filters() if form.is_bound else {}))
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "operator_console/audit.html", {
        "form": form, "page": page, "query": _query_without_page(request),
    })


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


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
