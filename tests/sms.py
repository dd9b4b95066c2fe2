"""Reading the SMS the portal sent, as a person reads their phone."""

import re

import pytest

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def e164(phone: str) -> str:
    return "+84" + phone[1:] if phone.startswith("0") else phone


def sms_to(outbox: list[dict], phone: str) -> list[dict]:
    return [message for message in outbox if message["phone"] == e164(phone)]


def last_code(outbox: list[dict], phone: str | None = None) -> str:
    """The 6-digit code in the last SMS (to `phone`, if named); fails if none was sent."""
    messages = outbox if phone is None else sms_to(outbox, phone)
    for message in reversed(messages):
        found = CODE.search(message["text"])
        if found:
            return found.group(1)
    pytest.fail(f"no SMS with a 6-digit code was sent to {phone or 'anyone'}; "
                f"outbox: {outbox!r}")
