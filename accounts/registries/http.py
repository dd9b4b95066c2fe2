"""The registries over HTTP: the real adapters, tested against the sandbox server.

Each adapter POSTs one JSON object and reads one JSON answer through portal.outbound,
which bounds the waits and turns every failure into a RegistryUnavailable.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from accounts.registries import base
from accounts.registries.base import CarrierQuery, CarrierVerdict, PersonRecord
from portal import outbound

Answer = TypeVar("Answer")


class _JsonRegistry:
    name = ""  # named in the log line

    def __init__(self, url: str, timeout: float = 5.0):
        self.url = url
        self.timeout = float(timeout)

    def _ask(self, payload: dict, read: Callable[[Any], Answer]) -> Answer:
        """`read` turns the decoded JSON into the answer; anything it cannot read is
        "bad_answer" (it raises KeyError, TypeError or ValueError)."""
        return outbound.post_json(self.url, payload, read, system=f"{self.name} registry",
                                  kind=base.RegistryUnavailable, timeout=self.timeout)


def _verdict(answer: dict) -> CarrierVerdict:
    return CarrierVerdict(answer["verdict"])


def _person(answer: dict) -> PersonRecord | None:
    """{"found": false}, or {"found": true, "person": {id_number, full_name, birth_date}}."""
    found = answer["found"]
    if found is False:
        return None
    if found is not True:
        raise ValueError("found is neither true nor false")
    return PersonRecord.from_json(answer["person"])


class HttpCarrierRegistry(_JsonRegistry, base.CarrierRegistry):
    """POSTs the query as JSON; the answer is {"verdict": "match"|"not_owner"|"no_subscriber"}."""

    name = "carrier"

    def subscriber_check(self, query: CarrierQuery) -> CarrierVerdict:
        return self._ask(query.as_json(), _verdict)


class HttpBhxhRegistry(_JsonRegistry, base.BhxhRegistry):
    """POSTs {"code": …}; the code may be the 12-digit personal ID."""

    name = "bhxh"

    def insured_lookup(self, code: str) -> PersonRecord | None:
        return self._ask({"code": code}, _person)


def _numbers(answer: dict) -> frozenset[str]:
    numbers = answer["numbers"]
    if not (isinstance(numbers, list) and all(isinstance(n, str) and n.isdigit()
                                              for n in numbers)):
        raise ValueError("numbers is not a list of digit strings")
    return frozenset(numbers)


class HttpPopulationRegistry(_JsonRegistry, base.PopulationRegistry):
    """POSTs {"id_number": …}; the answer is {"numbers": [every number of that person]}."""

    name = "population"

    def person_numbers(self, id_number: str) -> frozenset[str]:
        return self._ask({"id_number": id_number}, _numbers) | {id_number}


class HttpVnpostRegistry(_JsonRegistry, base.VnpostRegistry):
    """POSTs {"id_number": …}."""

    name = "vnpost"

    def customer_lookup(self, id_number: str) -> PersonRecord | None:
        return self._ask({"id_number": id_number}, _person)
