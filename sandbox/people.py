"""The sample people of sandbox/people.json, and the carrier's answer about them.

The file is read once per path: tests, the sandbox HTTP server and the development server
all answer from the same records.
"""

import json
from functools import cache
from pathlib import Path

from django.conf import settings

from accounts.registries.base import CarrierQuery, CarrierVerdict, name_key

BEHAVIOURS = frozenset({"timeout", "error", "nonsense"})


@cache
def _load(path: str) -> tuple[dict, ...]:
    with open(path, encoding="utf-8") as file:
        return tuple(json.load(file)["people"])


def people(path: str | Path | None = None) -> tuple[dict, ...]:
    """All sample people; `path` lets the HTTP server run without Django settings."""
    return _load(str(path or settings.SANDBOX_PEOPLE_FILE))


def person_by_phone(phone: str, path: str | Path | None = None) -> dict | None:
    return next((person for person in people(path) if person["phone"] == phone), None)


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
