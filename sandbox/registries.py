"""In-process stand-ins for the outside registries, answering from sandbox/people.json."""

import logging

from accounts.registries.base import (
    CarrierQuery,
    CarrierRegistry,
    CarrierVerdict,
    RegistryUnavailable,
)
from sandbox.people import carrier_answer

log = logging.getLogger("accounts.registries")

# A misbehaving sample person fails the way the HTTP adapter would, only without the wait.
_BEHAVIOUR_REASONS = {"timeout": "timeout", "error": "error", "nonsense": "bad_answer"}


class SandboxCarrierRegistry(CarrierRegistry):
    def __init__(self, **options):
        # url and timeout belong to the HTTP adapter; the same settings block serves both.
        self.options = options

    def subscriber_check(self, query: CarrierQuery) -> CarrierVerdict:
        answer = carrier_answer(query)
        if isinstance(answer, CarrierVerdict):
            return answer
        reason = _BEHAVIOUR_REASONS[answer]
        log.warning("carrier registry unavailable: %s", reason)
        raise RegistryUnavailable(reason)
