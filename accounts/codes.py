"""The one code-verification primitive every OTP in the portal uses.

A code is 6 random digits from `secrets`, stored only as an HMAC bound to its row (by the
row's random nonce), valid a few minutes, single use, compared in constant time under a
row lock, and dead after a few wrong tries (a new one must be sent).
"""

import datetime as dt
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.crypto import keyed_digest
from accounts.models import OutgoingSms, VerificationCode
from portal.refusals import Refusal


class CodeRefused(Refusal):
    """Why a code was not accepted: "wrong" (with `tries_left`), "exhausted", "expired"
    or "used"."""

    texts = {
        "wrong": _("Mã OTP không đúng. Bạn còn %(tries_left)d lần thử."),
        "exhausted": _("Bạn đã nhập sai mã OTP quá số lần cho phép. "
                       "Vui lòng bấm “Gửi lại OTP” để nhận mã mới."),
        "expired": _("Mã OTP đã hết hạn hoặc đã được sử dụng. "
                     "Vui lòng bấm “Gửi lại OTP” để nhận mã mới."),
    }
    texts["used"] = texts["expired"]


def _limits() -> dict:
    return settings.PORTAL_LIMITS


def _digest(code: VerificationCode, raw: str) -> str:
    return keyed_digest("code", f"n{code.nonce}:{raw}" if code.nonce else f"{code.id}:{raw}")


def code_digits() -> str:
    """A new code's plain digits."""
    return "".join(secrets.choice("0123456789") for _ in range(_limits()["code_digits"]))


def code_issue(*, purpose: str, phone: str, valid_seconds: int | None = None,
               raw: str | None = None, sms=None):
    """A new code row (one INSERT, with the SMS that carries it, if any) and its plain
    digits: `raw`, or new ones (the caller seals them into the SMS at once)."""
    raw = raw or code_digits()
    now = timezone.now()
    lifetime = valid_seconds or _limits()["code_valid_seconds"]
    code = VerificationCode(purpose=purpose, phone=phone, nonce=secrets.token_hex(16),
                            created_at=now, expires_at=now + dt.timedelta(seconds=lifetime),
                            sms=sms)
    code.digest = _digest(code, raw)
    code.save(force_insert=True)
    return code, raw


def code_verify(*, code_id: int | None, raw: str, purpose: str) -> VerificationCode:
    """Burn the code if `raw` is right; otherwise count the failure and raise CodeRefused.

    The refusal is raised after the transaction commits, so the failure stays counted.
    """
    with transaction.atomic():
        code = (
            VerificationCode.objects.select_for_update()
            .filter(id=code_id, purpose=purpose)
            .first()
        )
        refusal = _check(code, raw.strip())
    if refusal:
        raise refusal
    return code


def _check(code: VerificationCode | None, raw: str) -> CodeRefused | None:
    if code is None:
        return CodeRefused("wrong", tries_left=0)
    dead = _dead_reason(code)
    if dead:
        return CodeRefused(dead, tries_left=0)
    if not hmac.compare_digest(code.digest, _digest(code, raw)):
        code.failures += 1
        code.save(update_fields=["failures"])
        tries_left = max(0, _limits()["code_max_failures"] - code.failures)
        return CodeRefused("wrong" if tries_left else "exhausted", tries_left=tries_left)
    code.used_at = timezone.now()
    code.save(update_fields=["used_at"])
    return None


def _dead_reason(code: VerificationCode) -> str:
    if code.used_at:
        return "used"
    if code.failures >= _limits()["code_max_failures"]:
        return "exhausted"
    if timezone.now() >= code.expires_at:
        return "expired"
    return ""


def code_resend_wait(*, phone: str, purpose: str, sooner_if_failed: bool = True) -> int:
    """Seconds before another code for this phone and purpose may be sent (0: now).

    The cooldown is for "I did not get it": the last code may be followed at once when
    it was used, is dead from wrong tries, or (`sooner_if_failed`) its SMS could not be
    delivered.
    """
    return _wait(_latest(phone, purpose), sooner_if_failed=sooner_if_failed)


def code_page_state(*, code_id: int | None, phone: str, purpose: str,
                    quiet: bool) -> tuple[bool, int]:
    """What the code page tells: whether the SMS of the flow's code `code_id` could not be
    delivered (never when `quiet`), and code_resend_wait. One read while that code is the
    phone's last one for the purpose, as it is unless another page sent a newer one."""
    latest = _latest(phone, purpose)
    if quiet:
        failed = False
    elif latest is not None and latest.pk == code_id:
        failed = _sms_failed(latest)
    else:
        failed = VerificationCode.objects.filter(
            id=code_id, sms__status=OutgoingSms.Status.FAILED).exists()
    return failed, _wait(latest, sooner_if_failed=not quiet)


def _latest(phone: str, purpose: str) -> VerificationCode | None:
    return (VerificationCode.objects.filter(phone=phone, purpose=purpose)
            .select_related("sms").order_by("-created_at", "-pk").first())


def _sms_failed(code: VerificationCode) -> bool:
    return code.sms is not None and code.sms.status == OutgoingSms.Status.FAILED


def _wait(code: VerificationCode | None, *, sooner_if_failed: bool) -> int:
    if code is None or code.used_at or code.failures >= _limits()["code_max_failures"]:
        return 0
    if sooner_if_failed and _sms_failed(code):
        return 0
    ready = code.created_at + dt.timedelta(seconds=_limits()["code_resend_after_seconds"])
    return max(0, int((ready - timezone.now()).total_seconds() + 0.999))
