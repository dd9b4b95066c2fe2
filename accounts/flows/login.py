"""Log in with ID number and password, then an OTP to the account's phone."""

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.flows.state import FlowKind
from accounts.models import Account
from accounts.otp import otp_send
from accounts.ratelimit import RateLimited, rate_consume, rate_refund
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
    past the cap while the hash is computed; a right password gives its count back.
    """
    # Counted under the login name of the account the typed number opens (either of the
    # person's numbers), as Account.objects.get_by_natural_key finds it.
    login_name = username if Account.objects.filter(username=username).exists() else (
        Account.objects.filter(other_id_number=username).values_list("username", flat=True)
        .first() or username)
    charges = (("password_per_ip", ip), ("password_per_account", login_name))
    try:
        rate_consume(*charges)
    except RateLimited:
        make_password(password)  # the same cost as a real check: the timing tells nothing
        raise LoginRefused("refused") from None
    account = authenticate(request, username=username, password=password)
    if account is None or not account.phone:
        raise LoginRefused("refused")
    rate_refund(*charges)
    return account


def login_start(flow, *, account: Account, ip: str, next_url: str = "") -> None:
    code_id = otp_send(purpose="login", phone=account.phone, ip=ip)
    flow.start("otp", account_id=account.pk, code_id=code_id, phone=account.phone,
               next_url=next_url)


def login_account(flow) -> Account | None:
    return Account.objects.filter(pk=flow.data["account_id"], is_active=True).first()
