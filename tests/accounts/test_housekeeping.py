import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from accounts.crypto import seal
from accounts.models import OutgoingSms, RateBucket, VerificationCode
from accounts.otp import otp_send

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_purges_what_has_served_its_purpose(sms_outbox):
    otp_send(purpose="login", phone="+84912345001", ip="203.0.113.1")
    stuck = OutgoingSms.objects.create(phone="+84912345002", template="otp_login",
                                       sealed_context=seal({"code": "111111", "minutes": 5}))
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        call_command("purge_expired", stdout=None)
        assert not VerificationCode.objects.exists()
        assert RateBucket.objects.exists(), "the day's caps still count"
        stuck.refresh_from_db()
        assert stuck.sealed_context  # young enough to be sent still
    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        call_command("purge_expired", stdout=None)
        assert not RateBucket.objects.exists() and not OutgoingSms.objects.exists()


def test_it_erases_stuck_mail_and_purges_sent_mail():
    from accounts.models import OutboxMail, OutgoingMail

    stuck = OutgoingMail.objects.create(to="tuan@example.vn", template="email_change_code",
                                        sealed_context=seal({"code": "111111"}))
    OutboxMail.objects.create(to="tuan@example.vn", subject="Mã", body="111111")
    with time_machine.travel(timezone.now() + dt.timedelta(hours=25)):
        call_command("purge_expired", stdout=None)
        assert not OutgoingMail.objects.filter(pk=stuck.pk).exists()
        assert not OutboxMail.objects.exists()

