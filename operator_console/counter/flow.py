"""Creating an account at a counter: look up the ID, take the data, confirm by OTP.

The state is one flow (accounts/flows/state.py), each step with its own 15 minutes: the
ID looked up, then the citizen's data and the stored scan, then the id of the latest code
sent to the citizen's phone. Only that code counts; a resend replaces it.
"""

from django.conf import settings
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.codes import code_verify
from accounts.flows.state import FlowKind
from accounts.otp import otp_send
from accounts.ratelimit import rate_consume
from accounts.selectors import account_holding, other_number, person_numbers
from operator_console.counter.scans import scan_delete, scan_label
from operator_console.models import AuditEntry, CounterRecord, Unit
from operator_console.services import (
    audit_record,
    counter_account_create,
    counter_password_send,
)

FLOW = FlowKind(
    "counter", start_url=reverse_lazy("operator_console:lookup"), per_step=True,
    expired=_("Phiên tạo tài khoản đã hết hạn hoặc chưa tra cứu số CMND/CCCD. Vui lòng tra "
              "cứu lại."),
)
# What the counter says its own way: the population database down at the look-up; at the
# confirmation, the code the clerk sends (“Gửi mã OTP”) and an ID taken meanwhile.
LOOKUP_REFUSALS = {
    "unavailable": _("Hệ thống CSDL quốc gia về dân cư đang không phản hồi nên chưa kiểm tra "
                     "được số này đã có tài khoản hay chưa. Vui lòng tra cứu lại sau ít phút."),
}
CONFIRM_REFUSALS = {
    "exhausted": _("Bạn đã nhập sai mã OTP quá số lần cho phép. "
                   "Vui lòng bấm “Gửi mã OTP” để nhận mã mới."),
    "expired": _("Mã OTP đã hết hạn hoặc đã được sử dụng. "
                 "Vui lòng bấm “Gửi mã OTP” để nhận mã mới."),
    "used": _("Mã OTP đã hết hạn hoặc đã được sử dụng. "
              "Vui lòng bấm “Gửi mã OTP” để nhận mã mới."),
    "exists": _("Số CMND/CCCD này vừa được dùng để tạo một tài khoản khác. Không cần tạo mới."),
}


def counter_lookup(flow, *, clerk, id_number: str, ip: str, unit: Unit | None):
    """The person's existing account (under this ID number or their other one: the
    population database says which are theirs), or None after starting the flow.
    Look-ups are counted per clerk (raises RateLimited past the cap; RegistryUnavailable
    while the population database does not answer)."""
    rate_consume(("lookup_per_clerk", str(clerk.pk)))
    numbers = person_numbers(id_number)
    existing = account_holding(numbers)
    audit_record(actor=clerk, action=AuditEntry.Action.LOOKUP, unit=unit, target=existing,
                 detail=id_number, ip=ip)
    if existing is None:
        _scan_drop(flow)
        flow.start("details", id_number=id_number,
                   other_id_number=other_number(id_number, numbers))
    return existing


def counter_details_save(flow, *, data: dict) -> None:
    person = {
        "id_number": flow.data["id_number"], "full_name": data["full_name"],
        "other_id_number": flow.data.get("other_id_number", ""),
        "birth_date": data["birth_date"], "phone": data["phone"],
        "email": data["email"],
    }
    flow.advance("confirm", person=person, unit_id=data["unit"].pk,
                 mismatch_reason=data["mismatch_reason"].strip() if data["mismatch"] else "",
                 code_id=None)


def counter_scan_keep(flow, *, name: str, kind: str, size: int) -> None:
    """Keep a checked scan at once, so a form sent back for another field keeps it.

    The name the clerk's computer gave the file is neither kept nor shown (it may carry
    path parts or a second extension): the scan is described by what the portal read.
    """
    _scan_drop(flow)
    flow.update(scan={"name": name, "type": kind, "label": scan_label(kind, size)})


def counter_person(flow) -> dict:
    return flow.data["person"]


def counter_code_send(flow, *, clerk, ip: str) -> None:
    """Send a code to the citizen's phone (raises accounts.otp.SendRefused), in Vietnamese
    whatever the officer's page shows: the SMS is the citizen's."""
    with translation.override(settings.LANGUAGE_CODE):
        code_id = otp_send(
            purpose="counter", phone=flow.data["person"]["phone"], ip=ip,
            valid_seconds=settings.PORTAL_LIMITS["counter_code_valid_seconds"],
            sender=("sms_per_clerk", str(clerk.pk)),
        )
    flow.update(code_id=code_id)


def counter_create(flow, *, clerk, unit: Unit, raw_code: str, ip: str):
    """Burn the code (raises CodeRefused), then create the account (AccountExists)."""
    state = flow.data
    code_verify(code_id=state.get("code_id"), raw=raw_code, purpose="counter")
    try:
        account, password = counter_account_create(
            clerk=clerk, unit=unit, person=counter_person(flow), scan=state["scan"], ip=ip,
            mismatch_reason=state.get("mismatch_reason", ""),
        )
    finally:
        flow.clear()  # the scan now belongs to the record, or to housekeeping
    return account, counter_password_send(account=account, password=password)


def _scan_drop(flow) -> None:
    """A scan stored for a flow that did not create an account is deleted."""
    scan = (flow.data or {}).get("scan")
    if scan and not CounterRecord.objects.filter(scan_name=scan["name"]).exists():
        scan_delete(scan["name"])
