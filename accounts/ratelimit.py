"""Fixed-window counters in the database, declared by name in settings.PORTAL_LIMITS.

The keys are HMAC digests of what is counted (a phone, an ID, an address), so the table
holds no personal data. Counting is one upsert of every counter concerned (PostgreSQL and
SQLite 3.35+), which also locks them until the transaction ends: a request pays one round
trip however many caps it touches (a login touches five), not several statements each.
"""

import datetime as dt
import math
import re

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.crypto import keyed_digest
from accounts.models import RateBucket
from portal.refusals import Refusal, wait_text

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RULE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")


class RateLimited(Refusal):
    """Past a cap: the person may try again in `wait` seconds."""

    texts = {"too_many": lambda wait: _("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau "
                                        "%(wait)s.") % {"wait": wait_text(wait)}}


def _rules(name: str) -> list[tuple[str, int, int]]:
    parsed = []
    for rule in settings.PORTAL_LIMITS[name]:
        count, amount, unit = RULE_RE.match(rule).groups()
        parsed.append((rule, int(count), int(amount or 1) * UNITS[unit]))
    return parsed


def _window(period: int) -> tuple[dt.datetime, int]:
    now = timezone.now().timestamp()
    start = math.floor(now / period) * period
    return dt.datetime.fromtimestamp(start, tz=dt.UTC), int(start + period - now) + 1


def _count_all(windows: list[tuple[str, dt.datetime]]) -> dict[str, int]:
    """Add one to each window's counter (created at 1) in one statement; the new counts
    by key. The rows stay locked until the transaction ends, taken in the given order."""
    table, key_, start_, count = map(connection.ops.quote_name, (
        RateBucket._meta.db_table, "key", "window_start", "count"))
    rows = ", ".join(["(%s, %s, 1)"] * len(windows))
    params = [value for key, start in windows
              for value in (key, connection.ops.adapt_datetimefield_value(start))]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_}, {start_}, {count}) VALUES {rows} "
            f"ON CONFLICT ({key_}, {start_}) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"RETURNING {key_}, {count}",
            params,
        )
        return dict(cursor.fetchall())


def _windows(charges) -> list[tuple[str, dt.datetime, int, int]]:
    """(key, window start, limit, seconds left) of every rule of every charge, by key:
    locks are always taken in the same order, so two requests cannot deadlock. A key
    names its limit, rule and value, so a charge given twice counts once."""
    found = {}
    for name, value in charges:
        for rule, limit, period in _rules(name):
            start, retry_after = _window(period)
            key = keyed_digest("rate:" + name + rule, value)
            found[key] = (key, start, limit, retry_after)
    return sorted(found.values())


def rate_consume(*charges: tuple[str, str]) -> None:
    """Count one event for each (limit name, value); raise RateLimited if any rule is full.

    Either every rule of every charge counts the event or none does: a full rule rolls
    back the counts already added.
    """
    windows = _windows(charges)
    if not windows:
        return
    with transaction.atomic():
        counts = _count_all([(key, start) for key, start, _limit, _left in windows])
        full = [left for key, _start, limit, left in windows if counts[key] > limit]
        if full:
            raise RateLimited("too_many", wait=max(full))


def rate_refund(*charges: tuple[str, str]) -> None:
    """Give back one event of each charge: what was counted but turned out harmless.

    One statement per counter, in the order rate_consume locks them: a single UPDATE of
    several rows would lock them in the table's order and could deadlock with it.
    """
    for key, start, _limit, _left in _windows(charges):
        RateBucket.objects.filter(key=key, window_start=start, count__gt=0).update(
            count=F("count") - 1
        )


def rate_clear(*charges: tuple[str, str]) -> None:
    """Forget the current windows of each charge (a password reset ends a lockout)."""
    for key, start, _limit, _left in _windows(charges):
        RateBucket.objects.filter(key=key, window_start=start).delete()
