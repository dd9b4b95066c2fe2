"""The contract every carrier adapter keeps, sandbox or real."""

import abc
import datetime as dt
import enum
import unicodedata
from dataclasses import dataclass


class RegistryUnavailable(Exception):
    """The registry did not answer usably: down, timed out, or answered nonsense.

    `reason` is one of "timeout", "unreachable", "error", "bad_answer"; it is logged,
    never shown, and carries no personal data.
    """

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class CarrierVerdict(enum.Enum):
    MATCH = "match"  # the subscriber is registered to this very person ("chính chủ")
    NOT_OWNER = "not_owner"  # the number is registered to someone else's identity
    NO_SUBSCRIBER = "no_subscriber"  # the carrier has no such subscriber


@dataclass(frozen=True)
class CarrierQuery:
    phone: str  # E.164
    id_number: str
    full_name: str
    birth_date: dt.date

    def as_json(self) -> dict:
        return {
            "phone": self.phone,
            "id_number": self.id_number,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat(),
        }


def name_key(name: str) -> str:
    """Names compare ignoring case, extra spaces and Unicode normal form, not diacritics."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


class CarrierRegistry(abc.ABC):
    """Answers whether a mobile subscription is registered to the given person.

    The answer is a verdict only: the registry's own data never comes back to the portal.
    """

    @abc.abstractmethod
    def subscriber_check(self, query: CarrierQuery) -> CarrierVerdict:
        """The verdict, or RegistryUnavailable."""
