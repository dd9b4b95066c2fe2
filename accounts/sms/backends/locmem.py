from accounts.sms.backends.base import SmsBackend

# What tests read, like django.core.mail.outbox.
outbox: list[dict] = []


class LocmemBackend(SmsBackend):
    def send(self, *, phone, text, message_id):
        outbox.append({"phone": phone, "text": text, "id": message_id})
