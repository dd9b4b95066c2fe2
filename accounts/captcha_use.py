"""A picture code ("Mã xác thực") used once, in one statement.

django-simple-captcha's field reads the stored answer, deletes it, and first deletes every
expired answer of every visitor (a scan of the table on each form sent); here the answer
is deleted and returned by one DELETE … RETURNING (PostgreSQL, SQLite 3.35+), so two
requests with the same picture cannot both use it, and the expired answers are left to
housekeeping (accounts.services.housekeeping_purge).
"""

from captcha.models import CaptchaStore
from django.db import connection
from django.utils import timezone


def captcha_take(hashkey: str) -> str | None:
    """The answer of the live picture `hashkey`, which can no longer be used; None when
    there is no such picture or it has expired."""
    table, key, expiration, response = map(connection.ops.quote_name, (
        CaptchaStore._meta.db_table, "hashkey", "expiration", "response"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE {key} = %s AND {expiration} > %s RETURNING {response}",
            [hashkey, connection.ops.adapt_datetimefield_value(timezone.now())],
        )
        row = cursor.fetchone()
    return row[0] if row else None
