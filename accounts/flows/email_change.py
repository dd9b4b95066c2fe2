""""Đổi email": the new address, a 6-digit code mailed to it, then the change.

The address is not checked against other accounts: "already in use" would tell a
stranger which emails have accounts, and emails are not unique. Only the code decides:
whoever reads that mailbox agrees to receive the account's mail. The views sit behind a
recent proof of identity (accounts.fresh.fresh_required).

The code is the one primitive (accounts/codes.py). Its `phone` field keys the resend
cooldown: for an address it holds a short keyed digest of the lowercased address, so the
code's row keeps no address and the field needs no widening.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.activity import activity_record
from accounts.codes import code_issue, code_resend_wait, code_verify
from accounts.crypto import keyed_digest
from accounts.flows.state import FlowKind
from accounts.mail.services import MailUnavailable, mail_queue
from accounts.models import Account, VerificationCode
from accounts.notifications import account_notify
from accounts.ratelimit import RateLimited, rate_consume, rate_refund
from portal.refusals import Refusal, wait_text

PURPOSE = "email_change"
FLOW = FlowKind("email_change", start_url=reverse_lazy("accounts:change_email"))


class EmailRefused(Refusal):
    """No code was mailed: "cooldown" or "limit" (for `wait` seconds), or "unavailable"."""

    texts = {
        "cooldown": lambda wait: _("Mã xác thực vừa được gửi tới email này. Vui lòng đợi "
                                   "%(wait)s rồi thử lại.") % {"wait": wait_text(wait)},
        "limit": lambda wait: _("Đã gửi quá số lần cho phép tới email này hoặc cho tài khoản "
                                "của bạn. Vui lòng thử lại sau %(wait)s.")
        % {"wait": wait_text(wait)},
        "unavailable": _("Hệ thống gửi thư điện tử đang gián đoạn, chưa gửi được mã xác thực. "
                         "Vui lòng thử lại sau ít phút."),
    }


def address_key(email: str) -> str:
    """What a code's `phone` holds for an address (16 characters, like a phone)."""
    return keyed_digest("email-code", email.lower())[:16]


def email_code_wait(email: str) -> int:
    return code_resend_wait(phone=address_key(email), purpose=PURPOSE)


def email_code_send(*, account: Account, email: str) -> int:
    """Mail a new code to `email` under the cooldown and the caps; return its id."""
    wait = email_code_wait(email)
    if wait:
        raise EmailRefused("cooldown", wait=wait)
    charges = (("email_per_account", str(account.pk)), ("email_per_address", email.lower()))
    try:
        rate_consume(*charges)
    except RateLimited as limited:
        raise EmailRefused("limit", wait=limited.wait) from None
    code, raw = code_issue(purpose=PURPOSE, phone=address_key(email))
    minutes = settings.PORTAL_LIMITS["code_valid_seconds"] // 60
    try:
        mail_queue(to=email, template="email_change_code",
                   context={"code": raw, "minutes": minutes})
    except MailUnavailable:
        VerificationCode.objects.filter(id=code.id).delete()
        rate_refund(*charges)  # nothing was sent: a retry must not cost the person
        raise EmailRefused("unavailable") from None
    return code.id


def email_change_start(flow, *, account: Account, email: str) -> None:
    # "phone" keys the code's cooldown, as the shared code page (code_step) reads it.
    flow.start("code", email=email, phone=address_key(email),
               code_id=email_code_send(account=account, email=email))


def email_change_resend(flow, *, account: Account) -> None:
    flow.update(code_id=email_code_send(account=account, email=flow.data["email"]))


def email_change_verify(flow, *, account: Account, raw: str) -> None:
    """Save the new email if `raw` is the code; otherwise raise RateLimited (too many
    guesses for the account, whatever the code) or CodeRefused."""
    state = flow.data
    rate_consume(("email_code_guess", str(account.pk)))
    code_verify(code_id=state["code_id"], raw=raw, purpose=PURPOSE)
    old = account.email
    with transaction.atomic():
        account.email = state["email"]
        account.save(update_fields=["email"])
        activity_record(account, "email_changed", request=flow.request)
        # The old address is told (and the phone): the new one has just proved itself.
        account_notify(account, "email_changed", email=old)
    flow.clear()
