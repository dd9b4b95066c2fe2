from accounts.models import OutboxMessage
from accounts.sms.backends.base import SmsBackend


class OutboxBackend(SmsBackend):
    """Development: messages are kept and listed at /dev/sms/ (only when DEBUG is on)."""

    def send(self, *, phone, text, message_id):
        OutboxMessage.objects.create(phone=phone, text=text)
