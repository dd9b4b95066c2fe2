""""Quên mật khẩu?": ID number and registered phone, an OTP, a new password.

Whether or not the pair belongs to an account, the pages and the caps behave the same:
a code is issued either way, and sent only when the pair matches. Even what happens to
that SMS (the SMS system down, the phone over its own cap) changes nothing on the page:
the owner is told to send another code if none arrives (accounts.otp, `quiet`).
"""

from django.urls import reverse_lazy

from accounts.flows.state import FlowKind
from accounts.models import Account
from accounts.otp import otp_send
from accounts.ratelimit import rate_clear
from accounts.selectors import account_for_reset
from accounts.services import account_password_set

FLOW = FlowKind("reset", start_url=reverse_lazy("accounts:reset"))


def reset_start(flow, *, id_number: str, phone: str, ip: str) -> None:
    account = account_for_reset(id_number, phone)
    deliver = account is not None
    limit_key = f"{id_number}:{phone}"
    code_id = otp_send(purpose="reset", phone=phone, ip=ip, deliver=deliver,
                       limit_key=limit_key, quiet=True)
    flow.start("otp", account_id=account.pk if account else None, code_id=code_id,
               phone=phone, deliver=deliver, limit_key=limit_key, quiet=True)


def reset_account(flow) -> Account | None:
    account_id = flow.data.get("account_id")
    return Account.objects.filter(pk=account_id, is_active=True).first() if account_id else None


def reset_finish(flow, *, account: Account, password: str) -> None:
    """The new password; a lockout from wrong guesses ends with it (the person has just
    proved the phone), so the new password works at once."""
    account_password_set(account=account, password=password, request=flow.request, reset=True)
    rate_clear(("password_per_account", account.username))
    flow.clear()
