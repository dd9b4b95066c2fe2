"""Fixed-window counters in the database: the store when Redis is not set or not answering.

Counting is one upsert of every counter concerned (PostgreSQL and SQLite 3.35+), which
also locks them until the transaction ends: a request pays one round trip however many
caps it touches, not several statements each.
"""

import datetime as dt
import math

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import RateBucket


def _window(period: int) -> tuple[dt.datetime, int]:
    """The current window's start, and the seconds until it ends."""
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


def consume(rules) -> int:
    """Count the event under every rule, or (a full rule rolls the others back) under
    none and return the seconds until the longest full window ends."""
    windows = [(rule, *_window(rule.period)) for rule in rules]
    with transaction.atomic():
        counts = _count_all([(rule.key, start) for rule, start, _left in windows])
        full = [left for rule, _start, left in windows if counts[rule.key] > rule.limit]
        if full:
            transaction.set_rollback(True)
            return max(full)
    return 0


def refund(rules) -> None:
    """One statement per counter, in the order consume locks them: a single UPDATE of
    several rows would lock them in the table's order and could deadlock with it."""
    for rule in rules:
        start, _left = _window(rule.period)
        RateBucket.objects.filter(key=rule.key, window_start=start, count__gt=0).update(
            count=F("count") - 1
        )


def clear(rules) -> None:
    for rule in rules:
        start, _left = _window(rule.period)
        RateBucket.objects.filter(key=rule.key, window_start=start).delete()
