"""Sending a one-time code by SMS, under the cooldown and the send caps."""

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.codes import code_digits, code_issue, code_resend_wait
from accounts.models import VerificationCode
from accounts.ratelimit import RateLimited, rate_consume, rate_refund
from accounts.sms.services import SmsUnavailable, sms_hand_over, sms_store
from portal.refusals import Refusal, wait_text


class SendRefused(Refusal):
    """No code was sent: "cooldown" or "limit" (for `wait` seconds), or "unavailable"."""

    texts = {
        "cooldown": lambda wait: _("Mã OTP vừa được gửi tới số điện thoại này. Vui lòng đợi "
                                   "%(wait)s rồi thử lại.") % {"wait": wait_text(wait)},
        "limit": lambda wait: _("Đã gửi quá số lần cho phép tới số điện thoại này hoặc từ "
                                "mạng của bạn. Vui lòng thử lại sau %(wait)s.")
        % {"wait": wait_text(wait)},
        "unavailable": _("Hệ thống gửi tin nhắn đang gián đoạn, chưa gửi được mã OTP. "
                         "Vui lòng thử lại sau ít phút."),
    }


def otp_send(
    *, purpose: str, phone: str, ip: str, deliver: bool = True, limit_key: str = "",
    valid_seconds: int | None = None, sender: tuple[str, str] | None = None,
    quiet: bool = False,
) -> int:
    """Issue a code for `phone` and queue its SMS; return the code's id.

    The cooldown holds per phone and purpose, so starting a flow again does not skip it.
    `deliver=False` issues a code without sending it, under the same cooldown and caps:
    the password reset uses it when the ID and phone do not match, so the page behaves
    the same; it then counts on `limit_key` instead of the phone, so that strangers
    cannot use up the allowance of someone else's phone. `sender` (a limit's name and
    key) replaces the per-address cap: a counter's clerks all send from one office.

    `quiet`: what the person sees must not depend on `deliver` (the password reset, where
    it would say whether the ID and phone match an account), neither its words nor its
    time. The visible caps count on `limit_key` whatever `deliver` is; one more counter is
    charged (the phone's own cap when the SMS is meant to go, one of the pair's otherwise),
    and a message is queued either way, marked to be dropped by the worker when it must
    not go (no match, or the phone over its cap). An SMS system that is down changes
    nothing on the page either: the code is issued all the same, and the page offers to
    send another.
    """
    wait = code_resend_wait(phone=phone, purpose=purpose, sooner_if_failed=not quiet)
    if wait:
        raise SendRefused("cooldown", wait=wait)
    charges = (sender or ("sms_per_ip", ip), ("sms_per_phone", limit_key or phone))
    try:
        rate_consume(*charges)
    except RateLimited as limited:
        raise SendRefused("limit", wait=limited.wait) from None
    if quiet:  # one counter charged either way: the same work, matched or not
        goes = _allows(("sms_per_phone", phone if deliver else f"unsent:{limit_key}"))
        deliver = deliver and goes
    elif not deliver:
        return code_issue(purpose=purpose, phone=phone, valid_seconds=valid_seconds)[0].id
    raw = code_digits()
    minutes = (valid_seconds or settings.PORTAL_LIMITS["code_valid_seconds"]) // 60
    context = {"code": raw, "minutes": minutes} if deliver else {"discard": True}
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("otp_send must run outside a transaction")  # see _hand_over
    with transaction.atomic():  # the message and its code: one commit
        sms = sms_store(phone=phone, template=f"otp_{purpose}", context=context)
        code, _raw = code_issue(purpose=purpose, phone=phone, valid_seconds=valid_seconds,
                                raw=raw, sms=sms)
    _hand_over(sms, code, charges, quiet=quiet)
    return code.id


def _hand_over(sms, code, charges, *, quiet: bool) -> None:
    """The committed message goes to the worker (committed first, or the worker could look
    for it before it exists). A queue that refuses it undoes the send (no code, no count)
    and raises SendRefused; `quiet` sends say nothing: the page must read the same."""
    try:
        sms_hand_over(sms)
    except SmsUnavailable:
        if quiet:
            return
        VerificationCode.objects.filter(id=code.id).delete()
        rate_refund(*charges)  # nothing was sent: a retry must not cost the person
        raise SendRefused("unavailable") from None


def _allows(charge: tuple[str, str]) -> bool:
    try:
        rate_consume(charge)
    except RateLimited:
        return False
    return True
