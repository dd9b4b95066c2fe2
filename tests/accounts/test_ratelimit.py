"""The counters, in either store (Redis, and the database it falls back to): what a
refused guess or send leaves behind."""

import datetime as dt

import pytest

from accounts.models import RateBucket
from accounts.ratelimit import RateLimited, rate_clear, rate_consume, rate_refund

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts(request, rate_store):
    """The counts of every counter still counting, in the store the test runs on."""
    if rate_store == "database":
        return lambda: sorted(RateBucket.objects.filter(count__gt=0)
                              .values_list("count", flat=True))
    client = request.getfixturevalue("rate_redis")
    return lambda: sorted(filter(None, map(client.zcard, client.scan_iter("rl:*"))))


@pytest.fixture
def limits(settings, counts):
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_ip": ["3/1h"],
                              "sms_per_phone": ["2/1h", "10/1d"]}


def test_a_full_rule_refuses_and_counts_nothing_for_the_others(limits, counts):
    for _ in range(2):
        rate_consume(("sms_per_ip", "203.0.113.5"), ("sms_per_phone", "+84912345001"))
    with pytest.raises(RateLimited) as limited:
        rate_consume(("sms_per_ip", "203.0.113.5"), ("sms_per_phone", "+84912345001"))
    assert limited.value.wait > 0
    # The address (2 of 3) and the day (2 of 10) were not charged for the refused send.
    assert counts() == [2, 2, 2]


def test_the_wait_is_that_of_the_longest_full_window(settings, counts, time_machine):
    # Mid-day: the database's fixed windows are aligned on UTC, so in a day's last hour the
    # day's window ends when the hour's does, and the longest wait is under an hour (the
    # test failed in CI at 23:40 UTC).
    time_machine.move_to(dt.datetime(2026, 12, 7, 10, 15, tzinfo=dt.UTC))
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_phone": ["1/1h", "1/1d"]}
    rate_consume(("sms_per_phone", "+84912345001"))
    with pytest.raises(RateLimited) as limited:
        rate_consume(("sms_per_phone", "+84912345001"))
    assert limited.value.wait > 3600  # the day's window, not the hour's


def test_a_refund_gives_back_one_of_each_charge_and_never_goes_below_zero(limits, counts):
    rate_consume(("sms_per_ip", "203.0.113.5"), ("sms_per_phone", "+84912345001"))
    rate_refund(("sms_per_ip", "203.0.113.5"), ("sms_per_phone", "+84912345001"))
    rate_refund(("sms_per_ip", "203.0.113.5"))
    assert counts() == []


def test_a_charge_named_twice_counts_once(limits, counts):
    rate_consume(("sms_per_ip", "203.0.113.5"), ("sms_per_ip", "203.0.113.5"))
    assert counts() == [1]


def test_clearing_lets_the_person_start_again(limits, counts):
    for _ in range(2):
        rate_consume(("sms_per_phone", "+84912345001"))
    rate_clear(("sms_per_phone", "+84912345001"))
    rate_consume(("sms_per_phone", "+84912345001"))
    assert counts() == [1, 1]


def test_a_limit_without_rules_counts_and_refunds_nothing(limits, counts, settings):
    rate_consume(("sms_per_phone", "+84912345001"))
    settings.PORTAL_LIMITS = {**settings.PORTAL_LIMITS, "sms_per_ip": []}
    rate_consume(("sms_per_ip", "203.0.113.5"))
    rate_refund(("sms_per_ip", "203.0.113.5"))
    assert counts() == [1, 1]  # the phone's hour and day, untouched
