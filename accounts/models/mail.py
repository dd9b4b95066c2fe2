"""Email: a message waiting for the worker, and what the development backend "sent"."""

import uuid

from django.db import models
from django.utils import timezone


class OutgoingMail(models.Model):
    """An email waiting for the worker (accounts/mail/services.py). Like an SMS, its
    context (which may hold a code) is sealed until sent, then erased."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENT = "sent"
        FAILED = "failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.EmailField()
    template = models.CharField(max_length=100)
    sealed_context = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"mail {self.pk} ({self.status})"


class OutboxMail(models.Model):
    """What the development `outbox` mail backend "sent": shown at /dev/email/."""

    to = models.TextField()  # every recipient, comma-separated
    subject = models.CharField(max_length=300)
    body = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"outbox mail {self.pk}"
