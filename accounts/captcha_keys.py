"""Picture codes ("Mã xác thực") that need no stored row until one is used.

django-simple-captcha stores each picture's answer in a row when a form page is drawn: an
INSERT and a commit for every page view, most of them never posted. Here the key a page
carries is signed instead: a random nonce, its expiry and a MAC, 40 hex characters (the
shape of the library's keys, so its widget, URLs and templates take it). The answer is the
nonce's keyed hash written as letters: only this portal can draw or check it. A used key
is recorded (one INSERT … ON CONFLICT DO NOTHING … RETURNING), so each picture gets one
guess, right or wrong, as before; housekeeping purges the records an hour after the keys
expire (a web host whose clock lags must not see a used key as new).

The picture is drawn by the library's own drawing (its noise, fonts and sizes settings
apply), from the derived text.
"""

import datetime as dt
import hmac
import re
import secrets
import time

from captcha.conf import settings as captcha_settings
from django.db import connection

from accounts.crypto import keyed_digest
from accounts.models import CaptchaUsed

LETTERS = "abcdefghijklmnopqrstuvwxyz"
KEY_SHAPE = re.compile(r"[0-9a-f]{40}")


def captcha_key_new() -> str:
    """A new picture's key: nonce (16 hex), expiry in Unix seconds (8 hex), MAC (16 hex)."""
    nonce = secrets.token_hex(8)
    expires = int(time.time()) + 60 * int(captcha_settings.CAPTCHA_TIMEOUT)
    body = f"{nonce}{expires:08x}"
    return body + _mac(body)


def captcha_answer(key: str) -> str | None:
    """The letters drawn in the picture of a live `key` (lower case); None when the key is
    not one of ours or has expired."""
    parts = _parts(key)
    return None if parts is None else _letters(parts[0])


def captcha_take(key: str) -> str | None:
    """captcha_answer, and the key can no longer be used: None as well when it already was."""
    parts = _parts(key)
    if parts is None:
        return None
    nonce, expires = parts
    table, column, expiry = map(connection.ops.quote_name, (
        CaptchaUsed._meta.db_table, "nonce", "expires_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({column}, {expiry}) VALUES (%s, %s) "
            f"ON CONFLICT ({column}) DO NOTHING RETURNING {column}",
            [nonce, connection.ops.adapt_datetimefield_value(
                dt.datetime.fromtimestamp(expires, dt.UTC))],
        )
        fresh = cursor.fetchone() is not None
    return _letters(nonce) if fresh else None


def _parts(key) -> tuple[str, int] | None:
    if not isinstance(key, str) or not KEY_SHAPE.fullmatch(key):
        return None
    body, mac = key[:24], key[24:]
    if not hmac.compare_digest(mac, _mac(body)):
        return None
    expires = int(body[16:], 16)
    return (body[:16], expires) if expires > time.time() else None


def _mac(body: str) -> str:
    return keyed_digest("captcha-key", body)[:16]


def _letters(nonce: str) -> str:
    number = int(keyed_digest("captcha-answer", nonce), 16)
    letters = []
    for _ in range(int(captcha_settings.CAPTCHA_LENGTH)):
        number, index = divmod(number, len(LETTERS))
        letters.append(LETTERS[index])
    return "".join(letters)
