"""The in-process carrier sandbox answers each sample person as people.json says."""

import datetime as dt
import time

import pytest

from accounts.registries.base import CarrierQuery, CarrierVerdict, RegistryUnavailable
from sandbox.people import person_by_phone
from sandbox.registries import SandboxCarrierRegistry

# The phone numbers of sample people chosen for each case (see their "purpose").
CLEAN = "+84912345001"
SIM_IN_WIFES_NAME = "+84912345009"
CARRIER_NAME_IN_CAPITALS = "+84912345010"
CARRIER_NAME_WITHOUT_DIACRITICS = "+84912345011"
CARRIER_DATE_ONE_DAY_OFF = "+84912345012"
NO_SUBSCRIBER = "+84912345013"
CARRIER_NAME_DECOMPOSED = "+84912345026"


def query_for(sample_phone: str, **changes) -> CarrierQuery:
    """What the sample person with this phone types on the register form, with `changes`."""
    person = person_by_phone(sample_phone)
    fields = {
        "phone": sample_phone,
        "id_number": person["id_number"],
        "full_name": person["full_name"],
        "birth_date": dt.date.fromisoformat(person["birth_date"]),
    }
    return CarrierQuery(**{**fields, **changes})


@pytest.fixture
def carrier():
    # Options are those of the HTTP adapter: the sandbox must accept and ignore them.
    return SandboxCarrierRegistry(url="http://127.0.0.1:1/carrier/check", timeout=1.0)


@pytest.mark.parametrize("phone", [CLEAN, CARRIER_NAME_IN_CAPITALS, CARRIER_NAME_DECOMPOSED])
def test_it_confirms_the_owner_of_the_number(carrier, phone):
    assert carrier.subscriber_check(query_for(phone)) is CarrierVerdict.MATCH


def test_it_ignores_case_and_spacing_the_person_types(carrier):
    query = query_for(CLEAN, full_name="  nguyễn   VĂN an ")
    assert carrier.subscriber_check(query) is CarrierVerdict.MATCH


@pytest.mark.parametrize(
    "phone",
    [SIM_IN_WIFES_NAME, CARRIER_NAME_WITHOUT_DIACRITICS, CARRIER_DATE_ONE_DAY_OFF],
)
def test_it_says_not_the_owner_when_the_carrier_holds_other_details(carrier, phone):
    assert carrier.subscriber_check(query_for(phone)) is CarrierVerdict.NOT_OWNER


def test_it_says_not_the_owner_when_someone_types_another_persons_id(carrier):
    query = query_for(CLEAN, id_number="079185004567")
    assert carrier.subscriber_check(query) is CarrierVerdict.NOT_OWNER


def test_it_says_no_subscriber_for_a_number_the_carrier_does_not_know(carrier):
    assert carrier.subscriber_check(query_for(NO_SUBSCRIBER)) is CarrierVerdict.NO_SUBSCRIBER
    unknown = query_for(CLEAN, phone="+84912399999")
    assert carrier.subscriber_check(unknown) is CarrierVerdict.NO_SUBSCRIBER


@pytest.mark.parametrize(
    ("phone", "reason"),
    [("+84912345014", "timeout"), ("+84912345015", "error"), ("+84912345016", "bad_answer")],
)
def test_it_fails_like_the_real_registry_for_misbehaving_numbers(carrier, phone, reason, caplog):
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as failure:
        carrier.subscriber_check(query_for(phone))
    assert failure.value.reason == reason
    assert time.monotonic() - started < 1  # in-process, a "timeout" must not make tests wait
    assert reason in caplog.text and phone not in caplog.text
