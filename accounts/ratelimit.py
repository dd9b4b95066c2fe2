"""Fixed-window counters in the database, declared by name in settings.PORTAL_LIMITS.

The keys are HMAC digests of what is counted (a phone, an ID, an address), so the table
holds no personal data.
"""

import datetime as dt
import math
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.crypto import keyed_digest
from accounts.models import RateBucket

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RULE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")


class RateLimited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


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


def _bucket(key: str, start: dt.datetime) -> RateBucket:
    try:
        with transaction.atomic():
            RateBucket.objects.get_or_create(key=key, window_start=start)
    except IntegrityError:
        pass  # created by a concurrent request: the lock below serialises us
    return RateBucket.objects.select_for_update().get(key=key, window_start=start)


def _windows(charges) -> list[tuple[str, dt.datetime, int, int]]:
    """(key, window start, limit, seconds left) of every rule of every charge, by key:
    locks are always taken in the same order, so two requests cannot deadlock."""
    found = []
    for name, value in charges:
        for rule, limit, period in _rules(name):
            start, retry_after = _window(period)
            found.append((keyed_digest("rate:" + name + rule, value), start, limit, retry_after))
    return sorted(found)


def rate_consume(*charges: tuple[str, str]) -> None:
    """Count one event for each (limit name, value); raise RateLimited if any rule is full.

    Either every rule of every charge counts the event or none does.
    """
    with transaction.atomic():
        for key, start, limit, retry_after in _windows(charges):
            bucket = _bucket(key, start)
            if bucket.count >= limit:
                raise RateLimited(retry_after)
            bucket.count += 1
            bucket.save(update_fields=["count"])


def rate_refund(*charges: tuple[str, str]) -> None:
    """Give back one event of each charge: what was counted but turned out harmless."""
    for key, start, _limit, _left in _windows(charges):
        RateBucket.objects.filter(key=key, window_start=start, count__gt=0).update(
            count=F("count") - 1
        )


def rate_clear(*charges: tuple[str, str]) -> None:
    """Forget the current windows of each charge (a password reset ends a lockout)."""
    for key, start, _limit, _left in _windows(charges):
        RateBucket.objects.filter(key=key, window_start=start).delete()
