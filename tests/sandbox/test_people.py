"""The sample people file is what every sandbox and browser test stands on."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.contrib.auth.password_validation import validate_password

from accounts.identity import cccd_matches_birth, id_number_is_valid, phone_to_e164
from accounts.models import Account
from accounts.registries.base import name_key
from sandbox.people import people

BEHAVIOURS = {"timeout", "error", "nonsense"}


@pytest.fixture(scope="module")
def everyone():
    return people()


def _records(everyone, registry):
    return [(person, person[registry]) for person in everyone if person[registry]]


def test_it_has_enough_people_each_with_a_purpose(everyone):
    assert len(everyone) >= 20
    assert all(person["purpose"].strip() and person["full_name"].strip() for person in everyone)


def test_it_gives_every_person_a_unique_valid_id_number(everyone):
    numbers = [person["id_number"] for person in everyone]
    assert not [n for n, count in Counter(numbers).items() if count > 1]
    assert all(id_number_is_valid(number) for number in numbers)


def test_it_makes_every_cccd_agree_with_the_birth_date(everyone):
    for person in everyone:
        birth = dt.date.fromisoformat(person["birth_date"])
        assert cccd_matches_birth(person["id_number"], birth), person["id_number"]


def test_it_gives_every_person_a_unique_mobile_number_in_e164(everyone):
    phones = [person["phone"] for person in everyone]
    assert len(set(phones)) == len(phones)
    assert all(phone_to_e164(phone) == phone for phone in phones)


def test_it_writes_registry_records_in_the_documented_shape(everyone):
    for registry in ("carrier", "bhxh", "vnpost"):
        for person, record in _records(everyone, registry):
            if "behaviour" in record:
                assert record["behaviour"] in BEHAVIOURS, person["id_number"]
                continue
            assert id_number_is_valid(record["id_number"]), person["id_number"]
            dt.date.fromisoformat(record["birth_date"])
            assert record["full_name"].strip()


def test_it_gives_bhxh_records_unique_ten_digit_codes(everyone):
    codes = [r["code"] for _, r in _records(everyone, "bhxh") if "behaviour" not in r]
    assert all(re.fullmatch(r"\d{10}", code) for code in codes)
    assert len(set(codes)) == len(codes)


def test_it_covers_every_carrier_case_the_flows_need(everyone):
    def carrier_is(person, kind):
        record = person["carrier"]
        if record is None or "behaviour" in record:
            return (record or {}).get("behaviour", "none") == kind
        same = (record["id_number"], record["birth_date"], name_key(record["full_name"])) == (
            person["id_number"], person["birth_date"], name_key(person["full_name"])
        )
        return kind == ("match" if same else "mismatch")

    kinds = Counter(
        kind for person in everyone for kind in ("match", "mismatch", "none", *BEHAVIOURS)
        if carrier_is(person, kind)
    )
    free_matches = [p for p in everyone if carrier_is(p, "match") and p["account"] is None]
    assert len(free_matches) >= 6
    assert kinds["mismatch"] >= 3 and kinds["none"] >= 1
    assert all(kinds[behaviour] >= 1 for behaviour in BEHAVIOURS)


def test_it_gives_sample_accounts_passwords_the_portal_would_accept(everyone):
    holders = [person for person in everyone if person["account"]]
    assert 2 <= len(holders) <= 3
    for person in holders:
        sample = person["account"]
        user = Account(username=person["id_number"], full_name=person["full_name"])
        validate_password(sample["password"], user)  # the configured rule, not a copy of it
        assert sample["level"] in Account.Level.values
        assert sample["method"] in Account.Method.values
