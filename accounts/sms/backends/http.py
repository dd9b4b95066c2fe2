import logging

import requests

from accounts.sms import SmsPermanentError, SmsTransientError
from accounts.sms.backends.base import SmsBackend
from portal import outbound

log = logging.getLogger(__name__)


class HttpGatewayBackend(SmsBackend):
    """POSTs {"to", "text"} as JSON to the gateway, with the message id as idempotency key."""

    def send(self, *, phone, text, message_id):
        headers = {"Idempotency-Key": message_id}
        if self.options.get("token"):
            headers["Authorization"] = "Bearer " + self.options["token"]
        timeout = float(self.options.get("timeout", 5.0))
        try:
            response = outbound.post(
                self.options["url"], json={"to": phone, "text": text},
                headers=headers, timeout=(min(timeout, 3.0), timeout),
            )
        except requests.RequestException as error:
            log.warning("sms gateway unreachable: %s", type(error).__name__)
            raise SmsTransientError(type(error).__name__) from error
        if response.status_code >= 500 or response.status_code == 429:
            raise SmsTransientError(f"gateway answered {response.status_code}")
        if response.status_code >= 400:
            raise SmsPermanentError(f"gateway answered {response.status_code}")
