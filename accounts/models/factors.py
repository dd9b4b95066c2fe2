"""Second factors: each one a django-otp `Device` of an account.

Every factor has the same shape: `kind` (what it is), `verify_token()` (django-otp's:
True once, and the token is spent), `created_at` and `last_used_at`. What a login or a
re-authentication asks of a factor goes through accounts/factors/, never through a
factor's fields.
"""

from base64 import b32encode
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.crypto import keyed_digest


class SmsDevice(TimestampMixin, Device):
    """Codes by SMS to the account's phone. A code is the portal's VerificationCode (a
    keyed digest, single use, a few tries): this device stores nothing of it."""

    kind = "sms"
    # TimestampMixin's, dated now by default rather than always: a device made at a first
    # login is dated from its account, whose phone was proved then, in its one INSERT.
    created_at = models.DateTimeField(null=True, blank=True, default=timezone.now,
                                      help_text=TimestampMixin.created_at.field.help_text)

    class Meta(Device.Meta):
        verbose_name = _("tin nhắn SMS")
        constraints = [models.UniqueConstraint(fields=["user"], name="sms_device_user")]

    def verify_token(self, token):
        from accounts.codes import CodeRefused, code_verify  # codes import the models

        try:
            code_verify(code_id=self._latest_code_id(), raw=str(token), purpose="login")
        except CodeRefused:
            return False
        return True

    def _latest_code_id(self) -> int | None:
        from accounts.models import VerificationCode

        return (VerificationCode.objects.filter(phone=self.user.phone, purpose="login")
                .order_by("-created_at").values_list("id", flat=True).first())


class AppDevice(TOTPDevice):
    """An authenticator app: django-otp's TOTP device (30-s codes, one step of drift
    either way, `last_t` refuses a code twice, throttled), seen as a factor here."""

    kind = "app"

    class Meta:
        proxy = True
        verbose_name = _("ứng dụng xác thực")

    @property
    def config_url(self):
        """The otpauth:// URL (Google's Key URI format) an app scans. The account is named
        by the last digits of its login name only: an app shows this label to anyone who
        holds the phone."""
        issuer = settings.OTP_TOTP_ISSUER
        params = urlencode({"secret": b32encode(self.bin_key).decode(), "algorithm": "SHA1",
                            "digits": self.digits, "period": self.step, "issuer": issuer})
        label = quote(f"{issuer}:…{self.user.get_username()[-4:]}")
        return f"otpauth://totp/{label}?{params}"


class PasskeyDevice(TimestampMixin, Device):
    """A passkey or security key (WebAuthn). The browser proves possession by signing
    a challenge; `verify_token` has no typed token to take."""

    kind = "passkey"
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    transports = models.JSONField(default=list, blank=True)

    class Meta(Device.Meta):
        verbose_name = _("khóa truy cập")

    def verify_token(self, token):
        return False


class BackupCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """Ten single-use backup codes, kept as keyed digests; shown once when made."""

    kind = "backup"

    class Meta(Device.Meta):
        verbose_name = _("mã dự phòng")
        constraints = [models.UniqueConstraint(fields=["user"], name="backup_device_user")]

    def get_throttle_factor(self):
        return settings.OTP_BACKUP_THROTTLE_FACTOR

    def digest(self, raw: str) -> str:
        return keyed_digest("backup", f"{self.pk}:{raw}")

    def verify_token(self, token):
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        raw = "".join(ch for ch in str(token) if ch.isdigit())
        spent = self.codes.filter(digest=self.digest(raw), used_at__isnull=True).update(
            used_at=models.functions.Now())
        if spent:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return bool(spent)


class BackupCode(models.Model):
    device = models.ForeignKey(BackupCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["device", "digest"], name="backup_code_digest")]

    def __str__(self):
        return f"{self.device_id}:{'used' if self.used_at else 'unused'}"
