import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.codes import CodeRefused, code_issue, code_page_state, code_resend_wait, code_verify
from accounts.models import OutgoingSms, VerificationCode

pytestmark = pytest.mark.django_db


def test_it_stores_no_code_in_clear():
    code, raw = code_issue(purpose="login", phone="+84912345001")
    assert len(raw) == 6 and raw.isdigit()
    stored = VerificationCode.objects.get(id=code.id)
    assert raw not in stored.digest and len(stored.digest) == 64


def test_it_accepts_a_right_code_once():
    code, raw = code_issue(purpose="login", phone="+84912345001")
    code_verify(code_id=code.id, raw=raw, purpose="login")
    with pytest.raises(CodeRefused) as refused:
        code_verify(code_id=code.id, raw=raw, purpose="login")
    assert refused.value.code == "used"


def test_it_refuses_a_code_of_another_purpose():
    code, raw = code_issue(purpose="register", phone="+84912345001")
    with pytest.raises(CodeRefused):
        code_verify(code_id=code.id, raw=raw, purpose="reset")


def test_it_counts_wrong_tries_and_kills_the_code_after_five():
    code, raw = code_issue(purpose="login", phone="+84912345001")
    wrong = "000000" if raw != "000000" else "111111"
    left = []
    for _ in range(5):
        with pytest.raises(CodeRefused) as refused:
            code_verify(code_id=code.id, raw=wrong, purpose="login")
        left.append(refused.value.tries_left)
    assert left == [4, 3, 2, 1, 0]
    assert refused.value.code == "exhausted"
    with pytest.raises(CodeRefused) as refused:
        code_verify(code_id=code.id, raw=raw, purpose="login")
    assert refused.value.code == "exhausted"


def test_it_refuses_a_code_after_five_minutes():
    code, raw = code_issue(purpose="login", phone="+84912345001")
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5, seconds=1)):
        with pytest.raises(CodeRefused) as refused:
            code_verify(code_id=code.id, raw=raw, purpose="login")
    assert refused.value.code == "expired"


def test_it_honours_a_shorter_lifetime_for_the_counter():
    code, raw = code_issue(purpose="counter", phone="+84912345001", valid_seconds=120)
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=121)):
        with pytest.raises(CodeRefused):
            code_verify(code_id=code.id, raw=raw, purpose="counter")


def test_it_allows_a_resend_only_after_sixty_seconds():
    code_issue(purpose="login", phone="+84912345001")
    assert 59 <= code_resend_wait(phone="+84912345001", purpose="login") <= 60
    assert code_resend_wait(phone="+84912345002", purpose="login") == 0
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=61)):
        assert code_resend_wait(phone="+84912345001", purpose="login") == 0


def test_it_allows_a_resend_at_once_when_the_code_is_dead_from_wrong_tries():
    code, raw = code_issue(purpose="login", phone="+84912345001")
    VerificationCode.objects.filter(id=code.id).update(failures=5)
    assert code_resend_wait(phone="+84912345001", purpose="login") == 0


def test_it_needs_no_cooldown_after_a_code_was_used():
    code, raw = code_issue(purpose="login", phone="+84912345001")
    code_verify(code_id=code.id, raw=raw, purpose="login")
    assert code_resend_wait(phone="+84912345001", purpose="login") == 0


def _failed_sms() -> OutgoingSms:
    return OutgoingSms.objects.create(phone="+84912345001", template="otp_login",
                                      status=OutgoingSms.Status.FAILED)


def test_the_code_page_tells_of_a_failed_sms_and_lets_it_be_sent_again_at_once():
    code, _raw = code_issue(purpose="login", phone="+84912345001", sms=_failed_sms())
    state = {"code_id": code.id, "phone": "+84912345001", "purpose": "login"}
    assert code_page_state(**state, quiet=False) == (True, 0)
    quiet_failed, quiet_wait = code_page_state(**state, quiet=True)  # tells nothing
    assert not quiet_failed and 59 <= quiet_wait <= 60


def test_the_code_page_tells_of_its_own_code_when_another_page_sent_a_newer_one():
    code, _raw = code_issue(purpose="login", phone="+84912345001", sms=_failed_sms())
    newer, _raw = code_issue(purpose="login", phone="+84912345001")
    failed, wait = code_page_state(code_id=code.id, phone="+84912345001", purpose="login",
                                   quiet=False)
    assert failed and 59 <= wait <= 60  # the newer one's cooldown
    assert code_page_state(code_id=newer.id, phone="+84912345001", purpose="login",
                           quiet=False)[0] is False
