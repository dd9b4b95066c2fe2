"""SMS backends chosen in settings.SMS_BACKENDS, in the shape of Django's mail backends."""

from portal.adapters import adapter, adapters_reset


class SmsTransientError(Exception):
    """The gateway may accept the message later: the task retries."""


class SmsPermanentError(Exception):
    """The gateway refused the message for good: retrying would not help."""


def sms_backend(alias: str = "default"):
    return adapter("SMS_BACKENDS", alias)


def sms_backends_reset() -> None:
    """Forget the built backends (for tests that edit settings.SMS_BACKENDS in place)."""
    adapters_reset("SMS_BACKENDS")
