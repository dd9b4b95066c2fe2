from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundCall(models.Model):
    """One call to an outside system (portal/outbound.py): which, what, when, how long, how
    it ended. Never the payload or the answer: they hold ID numbers, phones and names.
    Kept OUTBOUND_CALLS_KEEP_DAYS days (accounts.services.housekeeping_purge)."""

    class Outcome(models.TextChoices):
        OK = "ok", _("Thành công")
        TIMEOUT = "timeout", _("Hết thời gian chờ")
        UNREACHABLE = "unreachable", _("Không kết nối được")
        ERROR = "error", _("Trả về lỗi")
        BAD_ANSWER = "bad_answer", _("Trả lời không đọc được")
        TOO_LARGE = "too_large", _("Trả lời quá lớn")

    at = models.DateTimeField(default=timezone.now)
    system = models.CharField(max_length=60)
    operation = models.CharField(max_length=120)
    duration_ms = models.PositiveIntegerField()
    outcome = models.CharField(max_length=12, choices=Outcome)
    status = models.PositiveSmallIntegerField(null=True, blank=True)  # the HTTP status, if any
    correlation_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["at"]),
            models.Index(fields=["system", "at"]),
            # The console's "every failure" and one request's calls, without a scan.
            models.Index(fields=["at"], condition=~models.Q(outcome="ok"),
                         name="outbound_call_failed_at"),
            models.Index(fields=["correlation_id"], name="outbound_call_correlation"),
        ]

    def __str__(self):
        return f"{self.system} {self.operation} {self.outcome}"
