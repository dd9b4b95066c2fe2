"""Log in with ID number and password, then an OTP to the account's phone."""

from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password

from accounts.models import Account
from accounts.otp import otp_send
from accounts.ratelimit import RateLimited, rate_consume, rate_exhausted

FLOW_KEY = "login"
GUESS_LIMITS = ("password_per_ip", "password_per_account")


class LoginRefused(Exception):
    """Wrong password, unknown ID, locked account or too many guesses: one answer for all."""


def login_check_password(request, *, username: str, password: str, ip: str) -> Account:
    keys = {"password_per_ip": ip, "password_per_account": username}
    if any(rate_exhausted(name, keys[name]) for name in GUESS_LIMITS):
        make_password(password)  # the same cost as a real check: the timing tells nothing
        raise LoginRefused()
    account = authenticate(request, username=username, password=password)
    if account is None or not account.phone:
        for name in GUESS_LIMITS:
            try:
                rate_consume(name, keys[name])
            except RateLimited:
                pass
        raise LoginRefused()
    return account


def login_start(flow, *, account: Account, ip: str, next_url: str = "") -> None:
    code_id = otp_send(purpose="login", phone=account.phone, ip=ip)
    flow.start("otp", account_id=account.pk, code_id=code_id, phone=account.phone,
               next_url=next_url)


def login_account(flow) -> Account | None:
    return Account.objects.filter(pk=flow.data["account_id"], is_active=True).first()
