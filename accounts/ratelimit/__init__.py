"""Caps on events (guesses, sends, lookups), declared by name in settings.PORTAL_LIMITS.

A rule such as "10/15m" means at most 10 events in any 15 minutes. They are counted in
Redis (`sliding.py`: a log of the window's events, one atomic script per check) when
RATE_LIMIT_REDIS_URL is set; when it is not, or Redis cannot be reached, in PostgreSQL
(`windows.py`: fixed windows, where up to twice a cap can pass across a window's edge).
Never uncounted: a guess that Redis cannot count is counted in the database.

The keys are HMAC digests of what is counted (a phone, an ID, an address), so neither
store holds personal data.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.crypto import keyed_digest
from accounts.ratelimit import sliding, windows
from portal.metrics import RATE_LIMITED
from portal.refusals import Refusal, wait_text

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RULE_RE = re.compile(r"^(\d+)/(\d*)([smhd])$")


class RateLimited(Refusal):
    """Past a cap: the person may try again in `wait` seconds."""

    texts = {"too_many": lambda wait: _("Bạn đã thử quá nhiều lần. Vui lòng thử lại sau "
                                        "%(wait)s.") % {"wait": wait_text(wait)}}


@dataclass(frozen=True, order=True)
class Rule:
    """One rule of one charge: its counter's key, how many events, in how many seconds."""

    key: str
    limit: int
    period: int


def _rules(charges) -> list[Rule]:
    """Every rule of every charge, sorted by key: the database store locks them in this
    order, so two requests cannot deadlock. A key names its limit, rule and value, so a
    charge given twice counts once."""
    found = {}
    for name, value in charges:
        for text in settings.PORTAL_LIMITS[name]:
            count, amount, unit = RULE_RE.match(text).groups()
            key = keyed_digest("rate:" + name + text, value)
            found[key] = Rule(key, int(count), int(amount or 1) * UNITS[unit])
    return sorted(found.values())


def _store():
    """Redis when it is set and answering, else the database."""
    return sliding if sliding.usable() else windows


def _run(operation: str, rules: list[Rule]):
    store = _store()
    try:
        return getattr(store, operation)(rules)
    except sliding.Unreachable:
        return getattr(windows, operation)(rules)


def rate_consume(*charges: tuple[str, str]) -> None:
    """Count one event for each (limit name, value); raise RateLimited if any rule is full.

    Either every rule of every charge counts the event or none does.
    """
    rules = _rules(charges)
    if rules:
        wait = _run("consume", rules)
        if wait:
            RATE_LIMITED.labels("+".join(sorted({name for name, _value in charges}))).inc()
            raise RateLimited("too_many", wait=wait)


def rate_refund(*charges: tuple[str, str]) -> None:
    """Give back one event of each charge: what was counted but turned out harmless."""
    if rules := _rules(charges):
        _run("refund", rules)


def rate_clear(*charges: tuple[str, str]) -> None:
    """Forget what each charge has counted (a password reset ends a lockout), in both
    stores: what Redis counted must not refuse the person once it answers again."""
    if rules := _rules(charges):
        windows.clear(rules)
        if sliding.usable():
            try:
                sliding.clear(rules)
            except sliding.Unreachable:
                pass  # its counts end with their window: at worst a late refusal
