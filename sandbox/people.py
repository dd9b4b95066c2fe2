"""The sample people of sandbox/people.json, and what each registry answers about them.

The file is read once per path: tests, the sandbox HTTP server and the development server
all answer from the same records.
"""

import json
import re
from functools import cache
from pathlib import Path

from django.conf import settings

from accounts.registries.base import CarrierQuery, CarrierVerdict, PersonRecord, name_key

BEHAVIOURS = frozenset({"timeout", "error", "nonsense"})
# Since August 2025 the 12-digit personal ID may be given where a BHXH code is asked for.
PERSONAL_ID_RE = re.compile(r"\d{12}")


@cache
def _load(path: str) -> tuple[dict, ...]:
    with open(path, encoding="utf-8") as file:
        return tuple(json.load(file)["people"])


def people(path: str | Path | None = None) -> tuple[dict, ...]:
    """All sample people; `path` lets the HTTP server run without Django settings."""
    return _load(str(path or settings.SANDBOX_PEOPLE_FILE))


def person_by_phone(phone: str, path: str | Path | None = None) -> dict | None:
    return _by_phone(str(path or settings.SANDBOX_PEOPLE_FILE)).get(phone)


@cache
def _by_phone(path: str) -> dict[str, dict]:
    """The first person holding each phone, their own SIMs beside it included (`make
    bench` asks about thousands)."""
    index: dict[str, dict] = {}
    for person in _load(path):
        for phone in (person["phone"], *person.get("other_phones", ())):
            index.setdefault(phone, person)
    return index


def carrier_answer(query: CarrierQuery, path: str | Path | None = None) -> CarrierVerdict | str:
    """The carrier's verdict on `query`, or the behaviour ("timeout", "error", "nonsense")."""
    person = person_by_phone(query.phone, path)
    record = person["carrier"] if person else None
    if record is None:
        return CarrierVerdict.NO_SUBSCRIBER
    if "behaviour" in record:
        return record["behaviour"]
    same_person = (
        record["id_number"] == query.id_number
        and record["birth_date"] == query.birth_date.isoformat()
        and name_key(record["full_name"]) == name_key(query.full_name)
    )
    return CarrierVerdict.MATCH if same_person else CarrierVerdict.NOT_OWNER


def bhxh_answer(code: str, path: str | Path | None = None) -> PersonRecord | None | str:
    """The insured person under `code`, None when unknown, or the behaviour string.

    A 12-digit code is a personal ID: it finds the record holding that ID number.
    """
    field = "id_number" if PERSONAL_ID_RE.fullmatch(code) else "code"
    return _lookup("bhxh", field, code, path)


def vnpost_answer(id_number: str, path: str | Path | None = None) -> PersonRecord | None | str:
    """The customer Vietnam Post identified under `id_number`, None, or the behaviour."""
    return _lookup("vnpost", "id_number", id_number, path)


def other_id_number(person: dict) -> str:
    """The one other ID number the population registry holds for a sample person, or ""."""
    numbers = set((person.get("population") or {}).get("numbers", [])) - {person["id_number"]}
    return numbers.pop() if len(numbers) == 1 else ""


def population_answer(id_number: str, path: str | Path | None = None) -> frozenset[str] | str:
    """Every ID number of the sample person holding `id_number` ("population": its
    "numbers"; by default only their own), or the behaviour string."""
    return _by_number(str(path or settings.SANDBOX_PEOPLE_FILE)).get(
        id_number, frozenset({id_number}))


@cache
def _by_number(path: str) -> dict[str, frozenset[str] | str]:
    """Each ID number the population registry knows, to its answer (`make bench` asks
    about thousands of people)."""
    index: dict[str, frozenset[str] | str] = {}
    for person in _load(path):
        record = person.get("population") or {}
        numbers = record.get("numbers", [person["id_number"]])
        for number in numbers:
            index.setdefault(number, record.get("behaviour") or frozenset(numbers))
    return index


def _lookup(registry: str, field: str, value: str, path) -> PersonRecord | None | str:
    for person in people(path):
        record = person[registry]
        if record is not None and _key(person, record, field) == value:
            return record["behaviour"] if "behaviour" in record else PersonRecord.from_json(record)
    return None


def _key(person: dict, record: dict, field: str) -> str | None:
    # A misbehaving registry holds nothing of its own: asked by ID number about this person,
    # it misbehaves; asked by code, only if the record names one.
    if "behaviour" in record and field == "id_number":
        return person["id_number"]
    return record.get(field)
