"""The sample people file is what every sandbox and browser test stands on."""

import datetime as dt
import re
import unicodedata
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
    records = [record for _, record in _records(everyone, "bhxh")]
    assert all("code" in record for record in records if "behaviour" not in record)
    # A misbehaving record may name a code too, so a 10-digit code reaches the behaviour.
    codes = [record["code"] for record in records if "code" in record]
    assert all(re.fullmatch(r"\d{10}", code) for code in codes)
    assert len(set(codes)) == len(codes)


def _kind(person, registry) -> str:
    """What `registry` holds of `person`, compared with what the person would type."""
    record = person[registry]
    if record is None or "behaviour" in record:
        return (record or {}).get("behaviour", "none")
    if record["id_number"] != person["id_number"]:
        return "other_id"
    if record["birth_date"] != person["birth_date"]:
        return "other_date"
    if name_key(record["full_name"]) == name_key(person["full_name"]):
        return "match"
    same_letters = _without_diacritics(record["full_name"]) == _without_diacritics(
        person["full_name"])
    return "name_without_diacritics" if same_letters else "other_name"


def _without_diacritics(name: str) -> str:
    decomposed = unicodedata.normalize("NFD", name_key(name).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def test_it_covers_every_carrier_case_the_flows_need(everyone):
    kinds = Counter(_kind(person, "carrier") for person in everyone)
    free_matches = [p for p in everyone if _kind(p, "carrier") == "match" and not p["account"]]
    assert len(free_matches) >= 6
    mismatches = sum(kinds[kind] for kind in
                     ("other_id", "other_date", "name_without_diacritics", "other_name"))
    assert mismatches >= 3 and kinds["none"] >= 1
    assert all(kinds[behaviour] >= 1 for behaviour in BEHAVIOURS)


@pytest.mark.parametrize("registry", ["bhxh", "vnpost"])
def test_it_covers_every_bhxh_and_vnpost_case_the_flows_need(everyone, registry):
    kinds = Counter(_kind(person, registry) for person in everyone)
    free_matches = [p for p in everyone if _kind(p, registry) == "match" and not p["account"]]
    assert len(free_matches) >= 2
    for kind in ("name_without_diacritics", "other_date", "none", "timeout", "error"):
        assert kinds[kind] >= 1, kind
    known_to_both = [p for p in everyone if p["account"]
                     and _kind(p, "bhxh") == _kind(p, "vnpost") == "match"]
    assert known_to_both, "someone with an account whom both registries know"


def test_it_gives_sample_accounts_passwords_the_portal_would_accept(everyone):
    holders = [person for person in everyone if person["account"]]
    assert 2 <= len(holders) <= 3
    for person in holders:
        sample = person["account"]
        user = Account(username=person["id_number"], full_name=person["full_name"])
        validate_password(sample["password"], user)  # the configured rule, not a copy of it
        assert sample["level"] in Account.Level.values
        assert sample["method"] in Account.Method.values
