"""The counter console: the list of accounts created at the clerk's counters and the
three steps of creating one (look up, data, OTP). Views parse, call a step, render."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.codes import CodeRefused
from accounts.flows.messages import code_refused_text, send_refused_text, too_many_tries_text
from accounts.flows.state import Flow
from accounts.http import client_ip
from accounts.identity import phone_national
from accounts.otp import SendRefused
from accounts.ratelimit import RateLimited
from accounts.registries import RegistryUnavailable
from accounts.services import AccountExists
from operator_console import counter_flow as steps
from operator_console.access import right_required
from operator_console.forms import (
    OTHER_TAB,
    CitizenForm,
    ConfirmForm,
    LookupForm,
    SearchForm,
)
from operator_console.models import AuditEntry, Unit
from operator_console.request_form import request_form_pdf
from operator_console.rights import CREATE_CITIZEN
from operator_console.scans import ScanRefused, scan_check, scan_read, scan_store
from operator_console.selectors import (
    account_counter_units,
    account_right_units,
    account_units,
    counter_record_for,
    counter_records_search,
)
from operator_console.services import audit_record, counter_password_resend

LIST_URL = "operator_console:records"
PAGE_SIZE = 20
clerk_only = right_required(CREATE_CITIZEN)


@clerk_only
def records(request):
    units = account_right_units(request.user, CREATE_CITIZEN)
    form = SearchForm(request.GET or None, units=Unit.objects.filter(pk__in=[u.pk for u in units]))
    page = None
    if not form.is_bound or form.is_valid():
        found = counter_records_search(units=units, **(form.filters() if form.is_bound else {}))
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "operator_console/records.html", {
        "form": form, "page": page, "counter_units": account_counter_units(request.user),
        "query": _query_without_page(request),
    })


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("trang", None)
    return query.urlencode()


@clerk_only
def lookup(request):
    units = account_counter_units(request.user)
    if not units:
        return render(request, "operator_console/no_unit.html",
                      {"units": account_units(request.user)})
    form = LookupForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        flow = Flow(request, steps.FLOW_KEY)
        try:
            existing = steps.counter_lookup(
                flow, clerk=request.user, id_number=form.cleaned_data["id_number"],
                ip=client_ip(request), unit=units[0],
            )
        except RateLimited as limited:
            form.add_error(None, too_many_tries_text(limited.retry_after))
        except RegistryUnavailable:
            form.add_error(None, _("Hệ thống CSDL quốc gia về dân cư đang không phản hồi nên "
                                   "chưa kiểm tra được số này đã có tài khoản hay chưa. Vui "
                                   "lòng tra cứu lại sau ít phút."))
        else:
            if existing is None:
                return redirect("operator_console:details")
    return render(request, "operator_console/lookup.html", {
        "form": form, "existing": existing, "typed": form.cleaned_data.get("id_number", "")
        if form.is_bound and form.is_valid() else "",
    })


def _in_flow(*allowed_steps):
    """Run the view only inside a live counter flow at one of `allowed_steps`."""

    def decorator(view):
        def wrapper(request, *args, **kwargs):
            flow = Flow(request, steps.FLOW_KEY)
            state = flow.data
            units = account_counter_units(request.user)
            if not state or state.get("step") not in allowed_steps or not units:
                messages.warning(request, _("Phiên tạo tài khoản đã hết hạn hoặc chưa tra cứu "
                                            "số CMND/CCCD. Vui lòng tra cứu lại."))
                return redirect("operator_console:lookup")
            return view(request, flow, units, *args, **kwargs)

        wrapper.__name__ = view.__name__
        return clerk_only(wrapper)

    return decorator


@_in_flow("details", "confirm")
def details(request, flow, units):
    state = flow.data
    unit_choices = Unit.objects.filter(pk__in=[u.pk for u in units])
    form = CitizenForm(request.POST or None, request.FILES or None,
                       initial=_details_initial(state, units), id_number=state["id_number"],
                       units=unit_choices, has_scan=bool(state.get("scan")),
                       clerk_phone=request.user.phone)
    if request.method == "POST":
        if request.POST.get("for_id") == state["id_number"]:  # not a page of another lookup
            _scan_take(request, flow, form)
        if form.is_valid():
            steps.counter_details_save(flow, data={**form.cleaned_data, "mismatch": form.mismatch})
            return redirect("operator_console:confirm")
    return render(request, "operator_console/details.html", {
        "form": form, "state": flow.data, "now": timezone.now(),
        "clerk_phone": phone_national(request.user.phone),
    })


def _details_initial(state: dict, units) -> dict:
    """What the form shows: the data already taken when the clerk comes back to edit."""
    initial = {"unit": units[0].pk} if len(units) == 1 else {}
    person = state.get("person")
    if person:
        initial.update(person, phone=phone_national(person["phone"]), unit=state["unit_id"],
                       mismatch_reason=state.get("mismatch_reason", ""),
                       birth_date=dt.date.fromisoformat(person["birth_date"]))
    return initial


def _scan_take(request, flow, form) -> None:
    """Check and store a newly attached scan; a refusal becomes the field's error."""
    files = request.FILES.getlist("scan")
    if getattr(request, "upload_too_large", False):
        form.add_error("scan", _("Tệp đính kèm vượt quá 5 MB cho phép. Vui lòng quét lại với "
                                 "độ phân giải thấp hơn."))
        return
    if len(files) > 1:
        form.add_error("scan", _("Chỉ đính kèm 1 tệp gồm cả 2 mặt CCCD/CMND."))
        return
    if not files:
        return
    try:
        kind = scan_check(files[0])
    except ScanRefused as refusal:
        form.add_error("scan", refusal.message)
        return
    files[0].seek(0)
    data = files[0].read()
    steps.counter_scan_keep(flow, name=scan_store(data), kind=kind, size=len(data))


@_in_flow("confirm")
def confirm(request, flow, units):
    unit = next((u for u in units if u.pk == flow.data["unit_id"]), None)
    if unit is None:  # the clerk has left that unit meanwhile
        flow.update(step="details")
        return redirect("operator_console:details")
    form = ConfirmForm(request.POST if request.method == "POST" else None,
                       id_number=flow.data["id_number"])
    if request.method == "POST" and not flow.data.get("code_id"):
        form.is_valid()
        form.add_error("code", _("Chưa gửi mã OTP. Vui lòng bấm “Gửi mã OTP” trước."))
    elif request.method == "POST" and form.is_valid():
        try:
            account, sent = steps.counter_create(
                flow, clerk=request.user, unit=unit, ip=client_ip(request),
                raw_code=form.cleaned_data["code"])
        except CodeRefused as refusal:
            form.add_error("code", _counter_code_text(refusal))
        except AccountExists:
            flow.clear()
            messages.error(request, _("Số CMND/CCCD này vừa được dùng để tạo một tài khoản "
                                      "khác. Không cần tạo mới."))
            return redirect("operator_console:lookup")
        else:
            _created_message(request, account, sent)
            return redirect("operator_console:record", account_id=account.pk)
    return render(request, "operator_console/confirm.html", {
        "form": form, "state": flow.data, "person": steps.counter_person(flow), "unit": unit,
        "code_sent": bool(flow.data.get("code_id")),
    })


def _counter_code_text(refusal: CodeRefused) -> str:
    return code_refused_text(refusal).replace(_("“Gửi lại OTP”"), _("“Gửi mã OTP”"))


def _created_message(request, account, sent: bool) -> None:
    if sent:
        messages.success(request, _("Đã tạo tài khoản cho công dân %(name)s. Mật khẩu đăng "
                                    "nhập đã được gửi bằng tin nhắn tới số điện thoại của "
                                    "công dân.") % {"name": account.full_name})
    else:
        messages.warning(request, _("Đã tạo tài khoản cho công dân %(name)s nhưng hệ thống "
                                    "gửi tin nhắn đang gián đoạn nên chưa gửi được mật khẩu. "
                                    "Vui lòng bấm “Gửi lại mật khẩu” sau ít phút.")
                         % {"name": account.full_name})


@require_POST
@_in_flow("confirm")
def send_code(request, flow, units):
    if request.POST.get("for_id") != flow.data["id_number"]:
        messages.error(request, OTHER_TAB)
        return redirect("operator_console:confirm")
    try:
        steps.counter_code_send(flow, clerk=request.user, ip=client_ip(request))
    except SendRefused as refusal:
        messages.error(request, send_refused_text(refusal))
    else:
        messages.success(request, _("Đã gửi mã OTP tới số điện thoại của công dân. "
                                    "Chỉ mã gửi sau cùng có hiệu lực."))
    return redirect("operator_console:confirm")


@_in_flow("confirm")
def request_form(request, flow, units):
    unit = next((u for u in units if u.pk == flow.data["unit_id"]), units[0])
    return _pdf(steps.counter_person(flow), request.user, unit, timezone.now())


def _pdf(person: dict, clerk_account, unit, created_at) -> HttpResponse:
    """The request form; the clerk named is the one who received the citizen."""
    citizen = {**person, "phone": phone_national(person["phone"])}
    clerk = {"full_name": clerk_account.full_name,
             "phone": phone_national(clerk_account.phone) if clerk_account.phone else ""}
    pdf = request_form_pdf(citizen=citizen, clerk=clerk, unit_name=unit.name,
                           created_at=created_at)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="giay-de-nghi-tao-tai-khoan.pdf"'
    response["Cache-Control"] = "no-store"
    return response


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
    return _pdf(person, found.clerk, found.unit, found.created_at)


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
        messages.error(request, too_many_tries_text(limited.retry_after))
        return
    if sent:
        messages.success(request, _("Đã gửi lại mật khẩu mới tới số điện thoại của công dân. "
                                    "Mật khẩu gửi trước không còn dùng được."))
    else:
        messages.error(request, _("Hệ thống gửi tin nhắn đang gián đoạn. "
                                  "Vui lòng thử lại sau ít phút."))
