"""OTP SMS through Celery and Redis to the SMS gateway stand-in, against a no-op task
through the same worker; then the time from queueing to the gateway at a steady pace.

    python -m bench.sms --sandbox URL [--count 600] [--rate 20] [--seconds 10]

Run in the bench's environment (bench.settings, its database and Redis): it queues the
messages as the portal does after `sms_queue` has stored them, and prints JSON.
"""

import argparse
import datetime as dt
import json
import statistics
import time

import requests

# How often the end is looked for. The SMS figures take their end from the gateway's own
# receipt times, so only the no-op figure depends on this (by under 1 %); polling faster
# would take the very CPU the worker is measured on.
POLL_SECONDS = 0.01
SMS_POLL_SECONDS = 0.1


def messages_store(count: int, first: int) -> list[str]:
    """`count` sealed OTP messages, stored as sms_queue stores them, to new phones."""
    from accounts.crypto import seal
    from accounts.models import OutgoingSms

    rows = [OutgoingSms(phone=f"+84889{number:06d}", template="otp_register",
                        sealed_context=seal({"code": f"{number % 1_000_000:06d}",
                                             "minutes": 5}))
            for number in range(first, first + count)]
    return [str(row.pk) for row in OutgoingSms.objects.bulk_create(rows)]


def sent_count(ids: list[str]) -> int:
    from accounts.models import OutgoingSms

    return OutgoingSms.objects.filter(pk__in=ids, status=OutgoingSms.Status.SENT).count()


def gateway_received(sandbox: str, ids: list[str]) -> dict[str, float]:
    """When the gateway received each of `ids` (epoch seconds)."""
    wanted = set(ids)
    messages = requests.get(sandbox + "/sms/messages", timeout=30).json()
    return {message["key"]: dt.datetime.fromisoformat(message["received_at"]).timestamp()
            for message in messages if message["key"] in wanted}


def wait_for(condition, seconds: float = 120.0, every: float = POLL_SECONDS) -> float:
    deadline = time.time() + seconds
    while not condition():
        if time.time() > deadline:
            raise SystemExit("the worker did not finish in time: see worker.log")
        time.sleep(every)
    return time.time()


def sms_throughput(sandbox: str, count: int, first: int) -> float:
    from accounts.tasks import sms_deliver_task

    ids = messages_store(count, first)
    started = time.time()
    for sms_id in ids:
        sms_deliver_task.delay(sms_id)
    wait_for(lambda: sent_count(ids) == len(ids), every=SMS_POLL_SECONDS)
    return len(ids) / (max(gateway_received(sandbox, ids).values()) - started)


def noop_throughput(count: int) -> float:
    """The same number of tasks that do nothing, until the queue and the worker's
    unacknowledged set are empty (the worker acknowledges after running: acks_late)."""
    import redis
    from django.conf import settings

    from bench.tasks import noop_task

    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    started = time.time()
    for number in range(count):
        noop_task.delay(number)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE  # where the no-op task goes
    finished = wait_for(lambda: broker.llen(queue) == 0 and broker.hlen("unacked") == 0)
    return count / (finished - started)


def sms_latency(sandbox: str, rate: float, seconds: float, first: int) -> dict:
    """Queue at `rate` per second; from each queueing to the gateway's receipt."""
    from accounts.tasks import sms_deliver_task

    ids = messages_store(int(rate * seconds), first)
    queued = {}
    started = time.time()
    for index, sms_id in enumerate(ids):
        time.sleep(max(0.0, started + index / rate - time.time()))
        queued[sms_id] = time.time()
        sms_deliver_task.delay(sms_id)
    wait_for(lambda: sent_count(ids) == len(ids), every=SMS_POLL_SECONDS)
    received = gateway_received(sandbox, ids)
    delays = sorted(1000 * (received[sms_id] - queued[sms_id]) for sms_id in ids)
    return {"count": len(delays), "median": statistics.median(delays),
            "p99": delays[int(0.99 * (len(delays) - 1))], "max": delays[-1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sandbox", required=True)
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--first", type=int, default=0)
    args = parser.parse_args()
    import django

    django.setup()
    noop_throughput(20)  # the worker's children warm
    result = {
        "noop_rate": noop_throughput(args.count),
        "sms_rate": sms_throughput(args.sandbox, args.count, args.first),
        "latency": sms_latency(args.sandbox, args.rate, args.seconds, args.first + args.count),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
