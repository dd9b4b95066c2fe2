"""In-process stand-ins for the outside registries and the mobile signature service,
answering from sandbox/people.json."""

from accounts.registries import base
from accounts.registries.base import CarrierQuery, CarrierVerdict, PersonRecord
from portal.outbound import unavailable
from sandbox.people import bhxh_answer, carrier_answer, population_answer, vnpost_answer
from sandbox.sim_service import shared_service
from signing.sim.base import SimResult, SimSignatureService

# The in-process poll holds its caller's thread: no longer than the HTTP service would.
SIM_MAX_WAIT_SECONDS = 5.0

# A misbehaving sample person fails the way the HTTP adapter would, only without the wait.
_BEHAVIOUR_REASONS = {"timeout": "timeout", "error": "error", "nonsense": "bad_answer"}


class _SandboxRegistry:
    name = ""  # named in the log line, as the HTTP adapters do

    def __init__(self, **options):
        # url and timeout belong to the HTTP adapter; the same settings block serves both.
        self.options = options

    def _answered(self, answer):
        """The answer itself, or RegistryUnavailable when it is a behaviour string."""
        if not isinstance(answer, str):
            return answer
        raise unavailable(base.RegistryUnavailable, _BEHAVIOUR_REASONS[answer],
                          system=f"{self.name} registry")


class SandboxCarrierRegistry(_SandboxRegistry, base.CarrierRegistry):
    name = "carrier"

    def subscriber_check(self, query: CarrierQuery) -> CarrierVerdict:
        return self._answered(carrier_answer(query))


class SandboxBhxhRegistry(_SandboxRegistry, base.BhxhRegistry):
    name = "bhxh"

    def insured_lookup(self, code: str) -> PersonRecord | None:
        return self._answered(bhxh_answer(code))


class SandboxVnpostRegistry(_SandboxRegistry, base.VnpostRegistry):
    name = "vnpost"

    def customer_lookup(self, id_number: str) -> PersonRecord | None:
        return self._answered(vnpost_answer(id_number))


class SandboxPopulationRegistry(_SandboxRegistry, base.PopulationRegistry):
    name = "population"

    def person_numbers(self, id_number: str) -> frozenset[str]:
        return self._answered(population_answer(id_number))


class SandboxSimSignatureService(SimSignatureService):
    """The sandbox SIM service in this process: the phone page at /dev/dien-thoai/ answers
    the requests it starts (sandbox.sim_service.shared_service)."""

    def __init__(self, **options):
        self.options = options  # url and timeout belong to the HTTP adapter

    def start(self, *, phone: str, digest: bytes, display_text: str) -> str:
        return shared_service().start(phone, digest, display_text)

    def poll(self, session_id: str, *, wait_seconds: float = 1.0) -> SimResult:
        return shared_service().poll(session_id, min(wait_seconds, SIM_MAX_WAIT_SECONDS))
