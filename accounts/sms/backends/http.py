from accounts.sms import SmsPermanentError, SmsTransientError
from accounts.sms.backends.base import SmsBackend
from portal import outbound


class HttpGatewayBackend(SmsBackend):
    """POSTs {"to", "text"} as JSON to the gateway, with the message id as idempotency key."""

    def send(self, *, phone, text, message_id):
        headers = {"Idempotency-Key": message_id}
        if self.options.get("token"):
            headers["Authorization"] = "Bearer " + self.options["token"]
        try:
            outbound.request("POST", self.options["url"], system="sms gateway",
                             json={"to": phone, "text": text}, headers=headers,
                             timeout=float(self.options.get("timeout", 5.0)))
        except outbound.Unavailable as failure:
            # A refusal of this very message is final; a busy or broken gateway, or no
            # answer at all, may take it later.
            if failure.status and 400 <= failure.status < 500 and failure.status != 429:
                raise SmsPermanentError(f"gateway answered {failure.status}") from failure
            raise SmsTransientError(failure.reason) from failure
