"""Keyed digests and sealing, with keys derived from the deployment's secrets."""

import base64
import hashlib
import hmac
import json
from functools import cache

from cryptography.fernet import Fernet
from django.conf import settings


def _derived(label: str) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), label.encode(), hashlib.sha256).digest()


def keyed_digest(purpose: str, value: str) -> str:
    """HMAC-SHA256 of a value: what we store instead of a code, a phone or an ID as a key."""
    return hmac.new(_derived("digest:" + purpose), value.encode(), hashlib.sha256).hexdigest()


@cache
def _fernet(key: str, secret: str) -> Fernet:
    if key:
        return Fernet(key.encode())
    return Fernet(base64.urlsafe_b64encode(_derived("sealing")))


def seal(data: dict) -> str:
    return _fernet(settings.SEALING_KEY, settings.SECRET_KEY).encrypt(
        json.dumps(data).encode()
    ).decode()


def unseal(token: str) -> dict:
    return json.loads(_fernet(settings.SEALING_KEY, settings.SECRET_KEY).decrypt(token.encode()))
