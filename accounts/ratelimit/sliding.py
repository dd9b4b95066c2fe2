"""Sliding-window counters in Redis: each rule's key holds the times of its window's events.

One script checks and counts every rule of a request atomically, so parallel requests
cannot slip past a cap, and a rule counts the events of the last `period` seconds
whatever the clock says: no window edge where twice a cap passes. When Redis does not
answer, the caller counts in the database instead (Unreachable), and this process leaves
Redis alone for a few seconds, so a hung Redis costs one timeout, not one per check.

One Redis, not a cluster (a script's keys would span slots), kept with
`maxmemory-policy noeviction`: an evicted key is a lockout forgotten. Each web process's
clock stamps its events: keep them in time (NTP).
"""

import logging
import math
import secrets
import time

import redis
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

log = logging.getLogger(__name__)
PREFIX = "rl:"
BACK_OFF_SECONDS = 5

# KEYS: a sorted set per rule (event time → a member unique to the event). ARGV: now in
# ms, the event's member, then each key's limit and period in ms. Either counts the event
# under every key and returns 0, or counts nothing and returns the ms until the fullest
# frees a place (when the event that fills it leaves its window).
CONSUME = """
local now, member, wait = tonumber(ARGV[1]), ARGV[2], 0
for i, key in ipairs(KEYS) do
  local limit, period = tonumber(ARGV[2 * i + 1]), tonumber(ARGV[2 * i + 2])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - period)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local filling = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    local frees = filling[2] and (tonumber(filling[2]) + period - now) or period
    wait = math.max(wait, frees)
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, member)
  redis.call('PEXPIRE', key, tonumber(ARGV[2 * i + 2]))
end
return 0
"""

_state = {"client": None, "consume": None, "resting_until": 0.0}


class Unreachable(Exception):
    """Redis did not answer: count in the database."""


def usable() -> bool:
    return bool(settings.RATE_LIMIT_REDIS_URL) and time.monotonic() >= _state["resting_until"]


def _client():
    if _state["client"] is None:
        timeout = settings.REDIS_TIMEOUT
        client = redis.Redis.from_url(settings.RATE_LIMIT_REDIS_URL,
                                      socket_connect_timeout=timeout, socket_timeout=timeout)
        _state.update(client=client, consume=client.register_script(CONSUME))
    return _state["client"]


def _calling(call):
    try:
        return call(_client())
    except (redis.RedisError, ValueError) as error:  # ValueError: a URL redis cannot read
        log.warning("rate limits counted in the database: redis %s", type(error).__name__)
        _state["resting_until"] = time.monotonic() + BACK_OFF_SECONDS
        raise Unreachable() from error


def _now_ms() -> int:
    return int(time.time() * 1000)


def consume(rules) -> int:
    """0 when counted under every rule, else the seconds before the fullest frees."""
    keys = [PREFIX + rule.key for rule in rules]
    args = [_now_ms(), secrets.token_hex(8)]
    for rule in rules:
        args += [rule.limit, rule.period * 1000]
    wait_ms = _calling(lambda client: _state["consume"](keys=keys, args=args, client=client))
    return math.ceil(int(wait_ms) / 1000)


def refund(rules) -> None:
    """Takes back the latest event of each rule (never below none)."""
    def pop(client):
        with client.pipeline(transaction=False) as pipe:
            for rule in rules:
                pipe.zpopmax(PREFIX + rule.key)
            pipe.execute()
    _calling(pop)


def clear(rules) -> None:
    _calling(lambda client: client.delete(*(PREFIX + rule.key for rule in rules)))


@receiver(setting_changed)
def _forget(*, setting: str, **kwargs) -> None:
    if setting in ("RATE_LIMIT_REDIS_URL", "REDIS_TIMEOUT"):
        _state.update(client=None, consume=None, resting_until=0.0)
