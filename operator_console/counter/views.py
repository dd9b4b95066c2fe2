"""The counter's creation of an account in three steps: look up the ID, take the data and
the scan, confirm by the citizen's OTP. Views parse, call a step, render."""

import functools

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.codes import CodeRefused
from accounts.flows.state import Flow, flow_step
from accounts.http import client_ip
from accounts.identity import phone_national
from accounts.otp import SendRefused
from accounts.services import AccountExists
from operator_console.access import clerk_only
from operator_console.counter import flow as steps
from operator_console.counter.forms import OTHER_TAB, CitizenForm, ConfirmForm, LookupForm
from operator_console.counter.request_pdf import request_form_response
from operator_console.counter.scans import ScanRefused, scan_check, scan_store
from operator_console.models import Unit
from operator_console.selectors import account_counter_units, account_units
from portal.refusals import Refusal


@clerk_only
def lookup(request):
    units = account_counter_units(request.user)
    if not units:
        return render(request, "operator_console/no_unit.html",
                      {"units": account_units(request.user)})
    form = LookupForm(request.POST or None)
    existing = None
    if request.method == "POST" and form.is_valid():
        flow = Flow(request, steps.FLOW)
        try:
            existing = steps.counter_lookup(
                flow, clerk=request.user, id_number=form.cleaned_data["id_number"],
                ip=client_ip(request), unit=units[0],
            )
        except Refusal as refusal:  # past the clerk's cap, or the population database down
            form.add_error(None, refusal.message_in(steps.LOOKUP_REFUSALS))
        else:
            if existing is None:
                return redirect("operator_console:details")
    return render(request, "operator_console/lookup.html", {
        "form": form, "existing": existing, "typed": form.cleaned_data.get("id_number", "")
        if form.is_bound and form.is_valid() else "",
    })


def _in_flow(*allowed_steps):
    """A clerk's view inside a live counter flow at one of `allowed_steps`, as
    view(request, flow, units); a clerk who no longer works at a counter starts over."""

    def decorator(view):
        @functools.wraps(view)
        def with_units(request, flow, *args, **kwargs):
            units = account_counter_units(request.user)
            if not units:
                messages.warning(request, str(steps.FLOW.expired))
                return redirect(steps.FLOW.start_url)
            return view(request, flow, units, *args, **kwargs)

        return clerk_only(flow_step(steps.FLOW, *allowed_steps)(with_units))

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
                       mismatch_reason=state.get("mismatch_reason", ""))
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
        flow.advance("details")
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
            form.add_error("code", refusal.message_in(steps.CONFIRM_REFUSALS))
        except AccountExists as refusal:
            flow.clear()
            messages.error(request, refusal.message_in(steps.CONFIRM_REFUSALS))
            return redirect("operator_console:lookup")
        else:
            _created_message(request, account, sent)
            return redirect("operator_console:record", account_id=account.pk)
    return render(request, "operator_console/confirm.html", {
        "form": form, "state": flow.data, "person": steps.counter_person(flow), "unit": unit,
        "code_sent": bool(flow.data.get("code_id")),
    })


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
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Đã gửi mã OTP tới số điện thoại của công dân. "
                                    "Chỉ mã gửi sau cùng có hiệu lực."))
    return redirect("operator_console:confirm")


@_in_flow("confirm")
def request_form(request, flow, units):
    unit = next((u for u in units if u.pk == flow.data["unit_id"]), units[0])
    return request_form_response(steps.counter_person(flow), request.user, unit, timezone.now())
