"""Rate limits counted in a real Redis for one test (the suite counts in the database)."""

import pytest
import redis


@pytest.fixture
def rate_redis(redis_url, settings):
    """Count in the test Redis; its counters are gone before and after the test."""
    client = redis.Redis.from_url(redis_url)
    _forget(client)
    settings.RATE_LIMIT_REDIS_URL = redis_url
    yield client
    _forget(client)


def _forget(client) -> None:
    keys = list(client.scan_iter("rl:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(params=["database", "redis"])
def rate_store(request, settings):
    """The test runs once on each store of the rate limits; its name."""
    if request.param == "redis":
        request.getfixturevalue("rate_redis")
    else:
        settings.RATE_LIMIT_REDIS_URL = ""
    return request.param
