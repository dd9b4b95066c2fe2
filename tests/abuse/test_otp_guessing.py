"""OTP guessing by script, through the login and registration OTP steps.

The script behaves as a bot would: start a flow, guess until the code dies, guess on
anyway (the right code among them), press "Gửi lại OTP", and go on until the portal
stops sending. Eight addresses do so in each of three hours of one day (moved with
time_machine), three at a time.

A guess costs the portal some 10 ms of Python (session, form, row lock, page) besides its
database round trips. The threads overlap the round trips, so the test takes about as
long as the Python alone: some two minutes for 10,400 guesses on a two-core machine.
LOGIN_ADDRESSES and DEAD_GUESSES set the volume.
"""

import dataclasses
import datetime as dt
import random
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import time_machine
from django.db import connections

from accounts.models import OutgoingSms
from accounts.sms.backends import locmem
from tests.abuse.conftest import (
    REGISTRANTS,
    SEND_CAPPED,
    after_midnight,
    attacker,
    citizens,
    code_in,
    sms_to,
)
from tests.accounts.conftest import CAPTCHA, PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

WRONG = "Mã OTP không đúng. Bạn còn {} lần thử."
DEAD = "Bạn đã nhập sai mã OTP quá số lần cho phép"
FLOWS = {
    "login": {"start": "/dang-nhap/", "otp": "/dang-nhap/xac-thuc-otp/",
              "resend": "/dang-nhap/gui-lai-otp/", "in": "/trang-ca-nhan/"},
    "register": {"start": "/dang-ky/mobile/", "otp": "/dang-ky/xac-thuc-otp/",
                 "resend": "/dang-ky/gui-lai-otp/", "in": "/dang-ky/mat-khau/"},
}
LOGIN_ADDRESSES = 7  # and one address for registration
PER_ADDRESS = 7  # six phones at 5 codes fill an address's 30 an hour; the seventh finds it full
THREADS = 3
DEAD_GUESSES = 14  # random guesses on a dead code, besides the right code: 20 a code in all
# Codes each phone of an address gets, by hour of the day: the hourly caps; then, in the
# third hour, the daily cap of 10 a phone for the first one, while the seventh (never
# served so far) gets its 5.
EXPECTED_CODES = {0: [5] * 6 + [0], 1: [5] * 6 + [0], 2: [0, 5]}


@dataclasses.dataclass(frozen=True)
class Script:
    flow: str
    ip: str
    subjects: tuple  # dicts with the form data and "e164"
    seed: int


@dataclasses.dataclass
class Tally:
    guesses: int = 0
    live_wrong: int = 0  # wrong guesses on a live code
    right_on_dead: int = 0  # the right code, typed after the code died
    dead_wrong: int = 0
    successes: int = 0  # guesses that logged in or passed the registration OTP
    codes: dict = dataclasses.field(default_factory=dict)  # phone -> codes received


class Accepted(Exception):
    """A guess got through."""


@pytest.mark.timeout(300)
def test_ten_thousand_guesses_find_no_code_and_no_script_gets_past_the_send_caps(sms_outbox):
    started = time.monotonic()
    midnight = after_midnight(minutes=1)
    logins = citizens(LOGIN_ADDRESSES * PER_ADDRESS)
    groups = [("login", tuple(logins[n * PER_ADDRESS:(n + 1) * PER_ADDRESS]))
              for n in range(LOGIN_ADDRESSES)]
    groups.append(("register", REGISTRANTS))
    total, per_phone = Tally(), {}
    for hour in (0, 1, 2):
        scripts = [Script(flow, f"203.0.113.{hour * 40 + n}",
                          subjects if hour < 2 else (subjects[0], subjects[-1]),
                          seed=hour * 100 + n)
                   for n, (flow, subjects) in enumerate(groups)]
        with time_machine.travel(midnight + dt.timedelta(hours=hour), tick=True):
            with ThreadPoolExecutor(THREADS) as pool:
                tallies = list(pool.map(_run, scripts))
        for script, tally in zip(scripts, tallies, strict=True):
            assert tally.successes == 0, f"{script.flow} at {script.ip}: a guess got through"
            codes = [tally.codes[subject["e164"]] for subject in script.subjects]
            assert codes == EXPECTED_CODES[hour], f"{script.flow} at {script.ip}, hour {hour}"
            for field in ("guesses", "live_wrong", "right_on_dead", "dead_wrong"):
                setattr(total, field, getattr(total, field) + getattr(tally, field))
            for phone, count in tally.codes.items():
                per_phone[phone] = per_phone.get(phone, 0) + count
    elapsed = time.monotonic() - started

    assert total.guesses >= 10_000
    assert total.right_on_dead == sum(per_phone.values())  # every code, right after it died
    # What reached the gateway: no phone over 5 an hour or 10 a day.
    assert Counter(message["phone"] for message in sms_outbox) == Counter(per_phone)
    sent = OutgoingSms.objects.filter(status="sent")
    assert sent.count() == sum(per_phone.values())
    for phone, count in per_phone.items():
        assert sent.filter(phone=phone).count() == count <= 10
        for hour in (0, 1, 2):
            start = midnight.replace(minute=0) + dt.timedelta(hours=hour)
            window = sent.filter(phone=phone, created_at__gte=start,
                                 created_at__lt=start + dt.timedelta(hours=1))
            assert window.count() <= 5
    print(f"\nOTP guessing: {total.guesses} guesses ({total.live_wrong} wrong on live codes, "
          f"{total.right_on_dead} right codes on dead ones, {total.dead_wrong} wrong on dead "
          f"ones) over {sum(per_phone.values())} codes to {len(per_phone)} phones from "
          f"{len(groups) * 3} addresses; 0 got through; {elapsed:.1f} s")


@pytest.mark.parametrize("flow", ["login", "register"])
def test_the_right_code_after_five_wrong_ones_is_refused_and_a_new_one_works(flow, sms_outbox):
    """The control for the test above: its script would see a guess that gets through."""
    if flow == "login":
        subject = citizens(1)[0]
    else:
        subject = REGISTRANTS[0]
    urls, client = FLOWS[flow], attacker("198.51.100.7")
    _start(client, flow, subject)
    code = code_in(sms_to(sms_outbox, subject["e164"])[-1])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        assert WRONG.format(left) in _post(client, urls["otp"], wrong)
    assert DEAD in _post(client, urls["otp"], wrong)
    assert DEAD in _post(client, urls["otp"], code), "the right code, on a dead one"
    assert client.get(urls["in"]).status_code == 302, "not in"

    client.post(urls["resend"])  # at once: the last code is dead
    fresh = code_in(sms_to(sms_outbox, subject["e164"])[-1])
    response = client.post(urls["otp"], {"code": fresh})
    assert (response.status_code, response.url) == (302, urls["in"])
    assert client.get(urls["in"]).status_code == 200
    assert len(sms_outbox) == 2


# The attacking script ---------------------------------------------------------------------


def _run(script: Script) -> Tally:
    """One address's script, in a thread of its own (and so a database connection)."""
    try:
        return _attack(script)
    finally:
        connections.close_all()


def _attack(script: Script) -> Tally:
    urls, rng, tally = FLOWS[script.flow], random.Random(script.seed), Tally()
    for subject in script.subjects:
        phone, client = subject["e164"], attacker(script.ip)
        tally.codes[phone], before = 0, len(sms_to(locmem.outbox, phone))
        page = _start(client, script.flow, subject)
        try:
            while len(received := sms_to(locmem.outbox, phone)) > before + tally.codes[phone]:
                # a code came: guess it to death, then ask for another
                tally.codes[phone] += 1
                _guess_to_death(client, urls, code_in(received[-1]), rng, tally)
                client.post(urls["resend"])
        except Accepted:
            tally.successes += 1
            continue
        if tally.codes[phone]:
            page = client.get(urls["otp"]).content.decode()  # the resend's refusal
        assert SEND_CAPPED in page, f"{script.flow} {phone}: sending stopped for another reason"
    return tally


def _guess_to_death(client, urls, code: str, rng: random.Random, tally: Tally) -> None:
    for left in (4, 3, 2, 1, 0):
        page = _guess(client, urls, _wrong(rng, code), tally)
        assert (WRONG.format(left) if left else DEAD) in page
        tally.live_wrong += 1
    assert DEAD in _guess(client, urls, code, tally)
    tally.right_on_dead += 1
    for _ in range(DEAD_GUESSES):
        assert DEAD in _guess(client, urls, _wrong(rng, code), tally)
        tally.dead_wrong += 1


def _guess(client, urls, code: str, tally: Tally) -> str:
    response = client.post(urls["otp"], {"code": code})
    tally.guesses += 1
    if response.status_code == 302 and response.url == urls["in"]:
        raise Accepted()
    assert response.status_code == 200, f"a guess answered {response.status_code}"
    return response.content.decode()


def _wrong(rng: random.Random, code: str) -> str:
    while True:
        guess = f"{rng.randrange(1_000_000):06d}"
        if guess != code:
            return guess


def _start(client, flow: str, subject: dict) -> str:
    if flow == "login":
        data = {"username": subject["username"], "password": PASSWORD}
    else:
        data = {key: value for key, value in subject.items() if key != "e164"}
    return client.post(FLOWS[flow]["start"], {**data, **CAPTCHA}).content.decode()


def _post(client, url: str, code: str) -> str:
    response = client.post(url, {"code": code})
    assert response.status_code == 200
    return response.content.decode()
