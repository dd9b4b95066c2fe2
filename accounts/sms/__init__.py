"""SMS backends chosen in settings.SMS_BACKENDS, in the shape of Django's mail backends."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


class SmsTransientError(Exception):
    """The gateway may accept the message later: the task retries."""


class SmsPermanentError(Exception):
    """The gateway refused the message for good: retrying would not help."""


@cache
def sms_backend(alias: str = "default"):
    config = settings.SMS_BACKENDS[alias]
    return import_string(config["BACKEND"])(**config.get("OPTIONS", {}))


def sms_backends_reset() -> None:
    sms_backend.cache_clear()
