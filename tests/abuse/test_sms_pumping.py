"""SMS pumping: scripts that try to make the portal send many SMS, and what the outbox gets.

Whatever the flow (registration, login, password reset, the counter's "Gửi mã OTP") and
however many addresses a script uses, a phone gets at most 5 SMS an hour and 10 a day, an
address at most 30 an hour, a clerk at most 60 an hour; a reset for an ID and phone that
match no account sends nothing.
"""

import datetime as dt
import random
from collections import Counter

import pytest
import time_machine
from django.test import Client

from operator_console.rights import CREATE_CITIZEN
from tests.abuse.conftest import (
    REGISTRANTS,
    SEND_CAPPED,
    after_midnight,
    attacker,
    citizens,
)
from tests.accounts.conftest import CAPTCHA, PASSWORD
from tests.operator_console.conftest import WALK_IN, details_post, person, start_creation

pytestmark = pytest.mark.django_db(transaction=True)

TUAN = {"username": "001084567801", "phone": "0912345017", "e164": "+84912345017"}  # `citizen`
COOLDOWN = dt.timedelta(seconds=61)
COUNTER = "/quan-tri/tao-tai-khoan-cong-dan/them-moi/"
OFFICE = "203.0.113.200"  # one address for a whole counter office


def _login(client, known: dict):
    return client.post("/dang-nhap/", {"username": known["username"], "password": PASSWORD,
                                       **CAPTCHA})


def _reset(client, username: str, phone: str):
    return client.post("/quen-mat-khau/", {"username": username, "phone": phone, **CAPTCHA})


def _register(client, person: dict):
    form = {key: value for key, value in person.items() if key != "e164"}
    return client.post("/dang-ky/mobile/", {**form, **CAPTCHA})


def test_a_botnet_gets_five_sms_an_hour_and_ten_a_day_to_a_phone_whatever_the_flow(
    citizen, sms_outbox
):
    """Every minute, new addresses start a login and a reset for Tuấn (the script knows his
    password and phone) and a registration for An, and press "Gửi lại OTP" at once."""
    an = REGISTRANTS[0]
    flows = (
        (lambda client: _login(client, TUAN), "/dang-nhap/gui-lai-otp/"),
        (lambda client: _reset(client, TUAN["username"], TUAN["phone"]),
         "/quen-mat-khau/gui-lai-otp/"),
        (lambda client: _register(client, an), "/dang-ky/gui-lai-otp/"),
    )
    per_hour, bot = [], 0
    with time_machine.travel(after_midnight(minutes=1), tick=False) as traveller:
        for hour in range(3):
            traveller.move_to(after_midnight(hours=hour, minutes=1))
            before = len(sms_outbox)
            for _minute in range(8):
                for start, resend in flows:
                    bot += 1
                    client = attacker(f"10.66.{bot // 200}.{bot % 200}")
                    response = start(client)
                    if response.status_code == 302:
                        client.post(resend)
                    else:
                        assert SEND_CAPPED in response.content.decode()
                traveller.shift(COOLDOWN)
            per_hour.append(Counter(message["phone"] for message in sms_outbox[before:]))
    assert bot == 72
    assert per_hour == [{TUAN["e164"]: 5, an["e164"]: 5}, {TUAN["e164"]: 5, an["e164"]: 5}, {}]


def test_one_address_gets_thirty_sms_an_hour_whatever_the_phones(sms_outbox):
    known = citizens(26)
    forged = iter(range(100))

    def bot():  # one address, however it fills X-Forwarded-For (no proxy is trusted)
        return attacker("203.0.113.77", HTTP_X_FORWARDED_FOR=f"198.18.0.{next(forged)}")

    with time_machine.travel(after_midnight(minutes=1), tick=True):
        answers = [_login(bot(), k) for k in known[:13]]
        answers += [_reset(bot(), k["username"], k["phone"]) for k in known[13:]]
        answers += [_register(bot(), person) for person in REGISTRANTS]
        assert len(answers) == 33
        assert len(sms_outbox) == 30 == len({message["phone"] for message in sms_outbox})
        refused = [answer for answer in answers if answer.status_code != 302]
        assert len(refused) == 3
        assert all(SEND_CAPPED in answer.content.decode() for answer in refused)

        # The cap was the address's: from another, the last person refused gets the code.
        assert _register(attacker("198.51.100.77"), REGISTRANTS[-1]).status_code == 302
        assert sms_outbox[-1]["phone"] == REGISTRANTS[-1]["e164"]


def test_resets_for_an_id_and_phone_that_match_no_account_send_nothing(citizen, sms_outbox):
    rng = random.Random(20260707)
    with time_machine.travel(after_midnight(minutes=1), tick=False) as traveller:
        # Many addresses, random pairs, and "Gửi lại OTP" after each.
        for address in range(8):
            for _ in range(8):
                client = attacker(f"10.77.0.{address}")
                username = f"001{rng.randrange(10**9):09d}"
                response = _reset(client, username, f"098{rng.randrange(10**7):07d}")
                assert response.url == "/quen-mat-khau/xac-thuc-otp/"  # as for a match
                client.post("/quen-mat-khau/gui-lai-otp/")
        # Tuấn's ID with phones that are not his.
        for n in range(10):
            response = _reset(attacker(f"10.78.0.{n}"), TUAN["username"], f"09123450{50 + n}")
            assert response.url == "/quen-mat-khau/xac-thuc-otp/"
        assert sms_outbox == []

        # A stranger repeats an ID with Tuấn's phone, then Tuấn asks for his own: the
        # answers are the same, the stranger's cost Tuấn nothing, and only his reach him.
        traveller.shift(COOLDOWN)
        stranger = _answers(traveller, lambda n: _reset(attacker(f"10.79.0.{n}"),
                                                        "079192678902", TUAN["phone"]))
        assert sms_outbox == []
        owner = _answers(traveller, lambda n: _reset(attacker(f"10.80.0.{n}"),
                                                     TUAN["username"], TUAN["phone"]))
    assert stranger == owner == ["sent"] * 5 + ["capped"]
    assert [message["phone"] for message in sms_outbox] == [TUAN["e164"]] * 5


def _answers(traveller, request, tries: int = 6) -> list[str]:
    """What a script reads from `tries` requests a minute apart (after the cooldown)."""
    answers = []
    for n in range(tries):
        response = request(n)
        if response.status_code == 302:
            answers.append("sent")
        else:
            assert SEND_CAPPED in response.content.decode()
            answers.append("capped")
        traveller.shift(COOLDOWN)
    return answers


# The counter's "Gửi mã OTP" --------------------------------------------------------------


@pytest.fixture
def colleague(units):
    """Minh: the right, at the same counter of Phố Hiến as Hà (`clerk`)."""
    return person("033186001238", "Trần Văn Minh", "+84912345105",
                  units=[units["S-X11953"]], rights=[CREATE_CITIZEN])


def _at_the_counter(clerk) -> Client:
    """A clerk at the office address with a walk-in citizen's data taken (scan included)."""
    client = Client(REMOTE_ADDR=OFFICE)
    client.force_login(clerk)
    start_creation(client)
    assert details_post(client).status_code == 302
    return client


def _send_code(client, *, follow: bool = False):
    return client.post(COUNTER + "gui-ma-otp/", {"for_id": WALK_IN["id_number"]},
                       follow=follow)


def test_a_clerk_sends_at_most_sixty_codes_an_hour_and_the_office_address_is_no_cap(
    clerk, colleague, sms_outbox
):
    with time_machine.travel(after_midnight(minutes=1), tick=True) as traveller:
        client = _at_the_counter(clerk)
        for n in range(60):  # each to another citizen's phone: no phone reaches its cap
            assert details_post(client, phone=f"0913{n:06d}", scan=None).status_code == 302
            _send_code(client)
        assert len(sms_outbox) == 60 == len({message["phone"] for message in sms_outbox})
        for n in (60, 61):
            assert details_post(client, phone=f"0913{n:06d}", scan=None).status_code == 302
            assert SEND_CAPPED in _send_code(client, follow=True).content.decode()
        assert len(sms_outbox) == 60

        # Another clerk of the office, same address: 60 SMS from it did not cap him.
        _send_code(_at_the_counter(colleague))
        assert len(sms_outbox) == 61 and sms_outbox[-1]["phone"] == "+84912345111"

        traveller.move_to(after_midnight(hours=1, minutes=1))  # the next hour: sends again
        client = _at_the_counter(clerk)
        _send_code(client)
        assert len(sms_outbox) == 62


def test_the_counter_sends_one_citizen_at_most_five_codes_an_hour(clerk, sms_outbox):
    with time_machine.travel(after_midnight(minutes=1), tick=False) as traveller:
        client = _at_the_counter(clerk)
        for _ in range(5):
            _send_code(client)
            traveller.shift(COOLDOWN)
        assert SEND_CAPPED in _send_code(client, follow=True).content.decode()
    assert [message["phone"] for message in sms_outbox] == ["+84912345111"] * 5
