"""Email settings: SMTP from the environment in production, the outbox in development,
whose page /dev/email/ a production site does not route."""

from tests.portal.test_settings import PRODUCTION, _manage

PROBE = """
from django.conf import settings
from django.urls import Resolver404, resolve
try:
    resolve("/dev/email/")
    print("dev mail routed")
except Resolver404:
    print("dev mail absent")
print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS,
      settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD, settings.DEFAULT_FROM_EMAIL, sep="|")
"""
SMTP = {"EMAIL_HOST": "smtp.example.vn", "EMAIL_PORT": "465", "EMAIL_USE_TLS": "0",
        "EMAIL_HOST_USER": "cong", "DEFAULT_FROM_EMAIL": "DVC <khongtraloi@dvc.example.vn>"}


def test_production_sends_by_smtp_as_the_environment_says(tmp_path):
    (tmp_path / "password").write_text("mat-khau-smtp\n")
    result = _manage("shell", "-c", PROBE, **PRODUCTION, **SMTP,
                     EMAIL_HOST_PASSWORD_FILE=str(tmp_path / "password"))
    assert result.returncode == 0, result.stderr
    assert "dev mail absent" in result.stdout
    assert ("django.core.mail.backends.smtp.EmailBackend|smtp.example.vn|465|False|cong|"
            "mat-khau-smtp|DVC <khongtraloi@dvc.example.vn>") in result.stdout


def test_production_refuses_a_login_without_its_password():
    result = _manage("check", **PRODUCTION, **SMTP)
    assert result.returncode != 0
    assert "EMAIL_HOST_PASSWORD must be set when EMAIL_HOST_USER is" in result.stderr


def test_production_refuses_the_development_outbox():
    outbox = {"EMAIL_BACKEND": "accounts.mail.outbox.OutboxBackend"}
    result = _manage("check", **PRODUCTION, **outbox)
    assert result.returncode != 0 and "is a stand-in" in result.stderr
    allowed = _manage("check", **PRODUCTION, **outbox, SANDBOX_BACKENDS_ALLOWED="1")
    assert allowed.returncode == 0, allowed.stderr


def test_development_keeps_mail_in_the_outbox_shown_at_dev_email():
    result = _manage("shell", "-c", PROBE, DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert "dev mail routed" in result.stdout
    assert result.stdout.splitlines()[-1].startswith("accounts.mail.outbox.OutboxBackend|")
