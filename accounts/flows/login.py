"""Log in with ID number and password, then a second factor: the one the person chose
last (the SMS code by default), or another from "Chọn phương thức xác thực khác"."""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.activity import activity_record
from accounts.codes import CodeRefused
from accounts.factors.registry import factor_default
from accounts.flows.factor_step import factor_begin
from accounts.flows.state import FlowKind
from accounts.models import Account
from accounts.ratelimit import RateLimited, rate_consume, rate_refund
from portal.metrics import LOGINS
from portal.refusals import Refusal

FLOW = FlowKind("login", start_url=reverse_lazy("accounts:login"))


class LoginRefused(Refusal):
    """Wrong password, unknown ID, locked account or too many guesses: one answer for all."""

    texts = {"refused": _("Tên đăng nhập hoặc mật khẩu không đúng. Nếu nhập sai nhiều lần, "
                          "vui lòng đợi 15 phút rồi thử lại hoặc dùng chức năng “Quên mật "
                          "khẩu?”.")}


def login_check_password(request, *, username: str, password: str, ip: str) -> Account:
    """The account if the password is right and the guess caps allow a try.

    The try is counted before the password is checked, so parallel guesses cannot slip
    past the cap while the hash is computed; a right password gives its count back. The
    checks are ModelBackend's (the hash, then is_active) on the account found once: the
    per-account cap must know the account before the password is checked.
    """
    account = _account_typed(username)
    # Counted under the login name of the account the typed number opens (either of the
    # person's numbers), as Account.objects.get_by_natural_key finds it.
    charges = (("password_per_ip", ip),
               ("password_per_account", account.username if account else username))
    try:
        rate_consume(*charges)
    except RateLimited:
        make_password(password)  # the same cost as a real check: the timing tells nothing
        LOGINS.labels("password", "rate_limited").inc()
        raise LoginRefused("refused") from None
    if account is None:
        make_password(password)
        LOGINS.labels("password", "unknown_account").inc()
        raise LoginRefused("refused")
    if not (account.check_password(password) and ModelBackend().user_can_authenticate(account)):
        if account.is_active:
            activity_record(account, "login_failed", request=request, step="password")
        LOGINS.labels("password", "wrong_password").inc()
        raise LoginRefused("refused")
    rate_refund(*charges)
    return account


def _account_typed(username: str) -> Account | None:
    """The account whose login name, or else whose other ID number, was typed: one query."""
    found = Account.objects.filter(Q(username=username) | Q(other_id_number=username))
    return min(found, key=lambda account: account.username != username, default=None)


def login_code_refused(request, flow, account: Account, refusal: Refusal) -> None:
    """A wrong second-factor answer goes to the account's activity. Tries at an SMS code
    already dead are no guesses (nothing checks them) and are not recorded, but the try
    that killed it says "exhausted" as they do: that one is recorded, once per code."""
    if isinstance(refusal, CodeRefused) and refusal.code == "exhausted":
        if flow.data.get("code_dead") == flow.data.get("code_id"):
            return
        flow.update(code_dead=flow.data.get("code_id"))
    elif refusal.code != "wrong":
        return
    activity_record(account, "login_failed", request=request, step="code")
    LOGINS.labels("password", "wrong_code").inc()


def login_start(flow, *, account: Account, ip: str, next_url: str = "") -> str:
    """Ask the account's first factor (an SMS goes now: SendRefused); the step it opens."""
    device = factor_default(account)
    if device is None:  # every factor removed (by an administrator): nothing to ask
        raise LoginRefused("refused")
    flow.start("choose", account_id=account.pk, next_url=next_url)
    return factor_begin(flow, device, ip=ip, purpose="login")


def login_account(flow) -> Account | None:
    return Account.objects.filter(pk=flow.data["account_id"], is_active=True).first()
