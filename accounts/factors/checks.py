"""Asking a factor for a challenge and checking the answer: the one way every login and
re-authentication does it, whatever the factor."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.codes import code_verify
from accounts.factors.passkey import passkey_challenge, passkey_verify
from accounts.otp import otp_send
from accounts.ratelimit import rate_consume, rate_refund
from portal.refusals import Refusal, wait_text


class FactorRefused(Refusal):
    """A factor's answer was not accepted: "wrong", "throttled" (for `wait` seconds), or
    "passkey" (the browser's proof did not hold)."""

    texts = {
        "wrong": _("Mã xác thực không đúng. Vui lòng kiểm tra lại và nhập mã mới nhất."),
        "throttled": lambda wait: _("Bạn đã nhập sai mã nhiều lần. Vui lòng thử lại sau "
                                    "%(wait)s.") % {"wait": wait_text(wait)},
        "passkey": _("Không xác thực được bằng khóa truy cập. Vui lòng thử lại hoặc chọn "
                     "phương thức xác thực khác."),
    }


def factor_challenge(device, *, ip: str, purpose: str, origin: str) -> dict:
    """What the flow keeps while the person answers: the SMS code's id (the SMS goes now,
    under the send caps: SendRefused), a passkey's challenge for the page's `origin`, or
    nothing (an app or a backup code needs none).

    A passkey's challenge is asked of all the account's passkeys: the browser offers those
    it holds, and any of them may answer (factor_check returns the one that did)."""
    if device.kind == "sms":
        phone = device.user.phone
        return {"code_id": otp_send(purpose=purpose, phone=phone, ip=ip), "phone": phone}
    if device.kind == "passkey":
        return passkey_challenge(device.user, origin=origin)
    return {}


def factor_check(device, answer: str, *, challenge: dict, ip: str, purpose: str):
    """Accept `answer` from `device` or raise a Refusal; the device that answered (for a
    passkey, whichever of the account's passkeys signed), its use recorded.

    An SMS code counts its own wrong tries (accounts/codes.py). Every other guess counts
    against the account and the address (PORTAL_LIMITS factor_guess_*) before it is
    checked, and the device's own back-off (django-otp's throttling) holds on top.
    """
    if device.kind == "sms":
        code_verify(code_id=challenge.get("code_id"), raw=answer, purpose=purpose)
        type(device).objects.filter(pk=device.pk).update(last_used_at=timezone.now())
        return device
    charges = (("factor_guess_per_account", str(device.user_id)), ("factor_guess_per_ip", ip))
    rate_consume(*charges)
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        answered, refusal = _answered(locked, answer, challenge)
    if refusal:
        raise refusal
    rate_refund(*charges)
    return answered


def _answered(device, answer: str, challenge: dict) -> tuple:
    """(the device that answered, None) or (None, the refusal): a refusal is returned, not
    raised, so that what a wrong answer wrote (a back-off) is kept."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        wait = (info["locked_until"] - timezone.now()).total_seconds()
        return None, FactorRefused("throttled", wait=max(1, int(wait + 0.999)))
    if device.kind == "passkey":
        answered = passkey_verify(device, answer, challenge)
        return (answered, None) if answered else (None, FactorRefused("passkey"))
    return (device, None) if device.verify_token(answer) else (None, FactorRefused("wrong"))
