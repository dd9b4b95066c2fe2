from django.core.mail.backends.base import BaseEmailBackend

from accounts.models import OutboxMail


class OutboxBackend(BaseEmailBackend):
    """Development: each message is kept and listed at /dev/email/ (DEV_PAGES only)."""

    def send_messages(self, email_messages):
        for message in email_messages:
            OutboxMail.objects.create(to=", ".join(message.recipients()),
                                      subject=message.subject, body=message.body)
        return len(email_messages)
