"""The registries over HTTP: the real adapters, tested against the sandbox server.

Each adapter POSTs one JSON object and reads one JSON answer; the shared part (timeouts,
status, decoding, the reasons for RegistryUnavailable) lives in `_JsonRegistry`.
"""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

import requests

from accounts.registries.base import (
    BhxhRegistry,
    CarrierQuery,
    CarrierRegistry,
    CarrierVerdict,
    PersonRecord,
    PopulationRegistry,
    RegistryUnavailable,
    VnpostRegistry,
)
from portal import outbound

log = logging.getLogger("accounts.registries")

# A registry that cannot even accept the connection quickly will not answer well either.
CONNECT_TIMEOUT_CAP = 3.0

Answer = TypeVar("Answer")


class _JsonRegistry:
    name = ""  # named in the log line

    def __init__(self, url: str, timeout: float = 5.0):
        self.url = url
        self.timeout = float(timeout)

    def _ask(self, payload: dict, read: Callable[[Any], Answer]) -> Answer:
        """`read` turns the decoded JSON into the answer; anything it cannot read is
        "bad_answer" (it raises KeyError, TypeError or ValueError)."""
        response = self._post(payload)
        if response.status_code >= 400:
            raise self._unavailable("error")
        try:
            return read(response.json())
        except (ValueError, TypeError, KeyError) as error:
            raise self._unavailable("bad_answer") from error

    def _post(self, payload: dict) -> requests.Response:
        try:
            return outbound.post(
                self.url,
                json=payload,
                timeout=(min(self.timeout, CONNECT_TIMEOUT_CAP), self.timeout),
                allow_redirects=False,
            )
        except requests.Timeout as error:
            raise self._unavailable("timeout") from error
        except requests.ConnectionError as error:
            raise self._unavailable("unreachable") from error
        except requests.RequestException as error:
            raise self._unavailable("error") from error

    def _unavailable(self, reason: str) -> RegistryUnavailable:
        # Only the reason is logged: the payload holds ID numbers, names and birth dates.
        log.warning("%s registry unavailable: %s", self.name, reason)
        return RegistryUnavailable(reason)


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


class HttpCarrierRegistry(_JsonRegistry, CarrierRegistry):
    """POSTs the query as JSON; the answer is {"verdict": "match"|"not_owner"|"no_subscriber"}."""

    name = "carrier"

    def subscriber_check(self, query: CarrierQuery) -> CarrierVerdict:
        return self._ask(query.as_json(), _verdict)


class HttpBhxhRegistry(_JsonRegistry, BhxhRegistry):
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


class HttpPopulationRegistry(_JsonRegistry, PopulationRegistry):
    """POSTs {"id_number": …}; the answer is {"numbers": [every number of that person]}."""

    name = "population"

    def person_numbers(self, id_number: str) -> frozenset[str]:
        return self._ask({"id_number": id_number}, _numbers) | {id_number}


class HttpVnpostRegistry(_JsonRegistry, VnpostRegistry):
    """POSTs {"id_number": …}."""

    name = "vnpost"

    def customer_lookup(self, id_number: str) -> PersonRecord | None:
        return self._ask({"id_number": id_number}, _person)
