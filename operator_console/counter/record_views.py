"""The counter's list of the accounts created at the clerk's counters, and one account's
page with its scan, its request form and a new first password."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.http import client_ip
from accounts.identity import phone_national
from accounts.ratelimit import RateLimited
from operator_console.access import clerk_only
from operator_console.counter.forms import SearchForm
from operator_console.counter.request_pdf import request_form_response
from operator_console.counter.scans import ScanRefused, scan_read
from operator_console.models import AuditEntry, Unit
from operator_console.paging import page_get, query_without_page
from operator_console.rights import CREATE_CITIZEN
from operator_console.selectors import (
    account_counter_units,
    account_right_units,
    counter_record_for,
    counter_records_search,
)
from operator_console.services import audit_record, counter_password_resend

PAGE_SIZE = 20


@clerk_only
def records(request):
    units = account_right_units(request.user, CREATE_CITIZEN)
    form = SearchForm(request.GET or None, units=Unit.objects.filter(pk__in=[u.pk for u in units]))
    page = None
    if not form.is_bound or form.is_valid():
        found = counter_records_search(units=units, **(form.filters() if form.is_bound else {}))
        page = page_get(request, found, PAGE_SIZE)
    return render(request, "operator_console/records.html", {
        "form": form, "page": page, "counter_units": account_counter_units(request.user),
        "query": query_without_page(request),
    })


def _record(request, account_id: int):
    record = counter_record_for(account=request.user, account_id=account_id)
    if record is None:
        raise Http404
    return record


@clerk_only
def record(request, account_id: int):
    found = _record(request, account_id)
    return render(request, "operator_console/record.html", {
        "record": found, "citizen": found.account, "phone": phone_national(found.account.phone),
    })


@clerk_only
def record_scan(request, account_id: int):
    found = _record(request, account_id)
    try:
        data = scan_read(found.scan_name)
    except (FileNotFoundError, ScanRefused):
        messages.error(request, _("Không mở được bản quét của tài khoản này (tệp đã mất hoặc "
                                  "khóa mã hóa đã đổi). Vui lòng báo quản trị hệ thống."))
        return redirect("operator_console:record", account_id=account_id)
    audit_record(actor=request.user, action=AuditEntry.Action.SCAN_VIEW, unit=found.unit,
                 target=found.account, detail=found.account.username, ip=client_ip(request))
    response = HttpResponse(data, content_type=SCAN_TYPES[found.scan_type])
    response["Content-Disposition"] = (
        f'attachment; filename="cccd-{found.account.username}.{found.scan_type}"')
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


SCAN_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "doc": "application/msword",
}


@clerk_only
def record_request_form(request, account_id: int):
    found = _record(request, account_id)
    citizen = found.account
    person = {"id_number": citizen.username, "full_name": citizen.full_name,
              "birth_date": citizen.birth_date, "phone": citizen.phone, "email": citizen.email}
    return request_form_response(person, found.clerk, found.unit, found.created_at)


@require_POST
@clerk_only
def record_password(request, account_id: int):
    found = _record(request, account_id)
    if not found.account.must_change_password:
        messages.info(request, _("Công dân đã tự đặt mật khẩu; nếu quên, công dân dùng chức "
                                 "năng “Quên mật khẩu?” ở trang đăng nhập."))
    else:
        _password_resend(request, found)
    return redirect("operator_console:record", account_id=account_id)


def _password_resend(request, found) -> None:
    try:
        sent = counter_password_resend(clerk=request.user, record=found, ip=client_ip(request))
    except RateLimited as limited:
        messages.error(request, limited.message)
        return
    if sent:
        messages.success(request, _("Đã gửi lại mật khẩu mới tới số điện thoại của công dân. "
                                    "Mật khẩu gửi trước không còn dùng được."))
    else:
        messages.error(request, _("Hệ thống gửi tin nhắn đang gián đoạn. "
                                  "Vui lòng thử lại sau ít phút."))
