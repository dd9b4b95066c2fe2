"""`make run` keeps its data in SQLite, where the outbox's written-out statements must
work too (accounts/outbox.py): an SMS and an email queued there are delivered once."""

import subprocess
import sys

from tests.faults.conftest import portal_env

SCRIPT = """
import sys
import django
from django.conf import settings

settings.DATABASES["default"]["NAME"] = sys.argv[1]
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)

from accounts.crypto import seal
from accounts.mail.services import mail_deliver
from accounts.models import OutgoingMail, OutgoingSms
from accounts.sms.backends import locmem
from accounts.sms.services import sms_deliver
from django.core import mail

sms = OutgoingSms.objects.create(phone="+84912345001", template="otp_login",
                                 sealed_context=seal({"code": "654321", "minutes": 5}))
letter = OutgoingMail.objects.create(to="an@example.vn", template="email_change_code",
                                     sealed_context=seal({"code": "123456", "minutes": 10}))
outcomes = [sms_deliver(sms_id=str(sms.pk)), sms_deliver(sms_id=str(sms.pk)),
            mail_deliver(mail_id=str(letter.pk))]
sms.refresh_from_db()
letter.refresh_from_db()
print([str(outcome) for outcome in outcomes], sms.status, sms.attempts,
      sms.sealed_context == "", sms.sent_at is not None, letter.status,
      len(locmem.outbox), locmem.outbox[0]["id"] == str(sms.pk), len(mail.outbox))
"""


def test_an_sms_and_an_email_are_delivered_once_on_sqlite(tmp_path):
    env = portal_env(DATABASE_URL="",
                     EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "db.sqlite3")],
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split() == ["['sent',", "'',", "'sent']", "sent", "1", "True", "True",
                                   "sent", "1", "True", "1"]
