"""Caps that must hold when requests arrive at the same moment (PostgreSQL row locks)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import RequestFactory

from accounts.flows import login as login_flow
from accounts.models import Account
from accounts.otp import SendRefused, otp_send
from tests.accounts.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _in_parallel(function, count: int) -> list:
    barrier = threading.Barrier(count)

    def run(n):
        barrier.wait()
        try:
            return function(n)
        finally:
            connection.close()

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_it_checks_no_more_passwords_than_the_cap_allows(citizen, monkeypatch, rate_store):
    checked = []
    real = Account.check_password

    def counting(*args, **kwargs):
        checked.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(Account, "check_password", counting)
    request = RequestFactory().post("/dang-nhap/")

    def guess(n):
        try:
            login_flow.login_check_password(request, username=citizen.username,
                                            password=f"Sai#{n}x", ip=f"203.0.113.{n}")
        except login_flow.LoginRefused:
            return "refused"

    assert _in_parallel(guess, 24) == ["refused"] * 24
    assert len(checked) == 10  # password_per_account: 10 per 15 minutes
    with pytest.raises(login_flow.LoginRefused):  # even the right one, while capped
        login_flow.login_check_password(request, username=citizen.username,
                                        password=PASSWORD, ip="198.51.100.1")


def test_it_sends_no_more_sms_than_the_cap_allows(sms_outbox, settings, rate_store):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "code_resend_after_seconds": 0}

    def send(n):
        try:
            otp_send(purpose="login", phone="+84912345001", ip=f"203.0.113.{n}")
            return "sent"
        except SendRefused as refused:
            return refused.code

    results = _in_parallel(send, 12)
    assert results.count("sent") == 5 and results.count("limit") == 7
    assert len(sms_outbox) == 5
