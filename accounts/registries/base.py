"""The contract every carrier adapter keeps, sandbox or real."""

import abc
import datetime as dt
import enum
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.outbound import Unavailable

# The registry a person's ID numbers are looked up in, named when it does not answer.
POPULATION_LABEL = _("CSDL quốc gia về dân cư")


class RegistryUnavailable(Unavailable):
    """The registry did not answer usably: down, timed out, or answered nonsense.

    `reason` is one of portal.outbound.REASONS; it is logged, never shown, and carries no
    personal data. `label` names the registry to the person (the registration engine
    names its method's; the population database's by default).
    """

    texts = {"unavailable": lambda label: _(
        "Hệ thống %(registry)s đang không phản hồi nên chưa kiểm tra được thông tin. Thông tin "
        "bạn nhập vẫn được giữ; vui lòng nhập mã xác thực mới và bấm Đăng ký để thử lại, hoặc "
        "chọn phương thức đăng ký khác.") % {"registry": label or POPULATION_LABEL}}

    def __init__(self, reason: str, label: str = ""):
        super().__init__(reason, label=label)


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


@dataclass(frozen=True)
class PersonRecord:
    """What a registry holds of a person. The portal compares it and never shows it."""

    id_number: str
    full_name: str
    birth_date: dt.date

    def matches(self, *, id_number: str, full_name: str, birth_date: dt.date) -> bool:
        """ID and date exactly; the name ignoring case, spaces and normal form (not accents)."""
        return (
            self.id_number == id_number
            and self.birth_date == birth_date
            and name_key(self.full_name) == name_key(full_name)
        )

    @classmethod
    def from_json(cls, data: dict) -> "PersonRecord":
        """Raises KeyError, TypeError or ValueError on a malformed record."""
        return cls(
            id_number=str(data["id_number"]),
            full_name=str(data["full_name"]),
            birth_date=dt.date.fromisoformat(data["birth_date"]),
        )


class BhxhRegistry(abc.ABC):
    """The social-insurance registry (CSDL BHXH)."""

    @abc.abstractmethod
    def insured_lookup(self, code: str) -> PersonRecord | None:
        """The insured person under this code (10 digits, or the 12-digit personal ID that
        stands in for it since August 2025); None when unknown; or RegistryUnavailable."""


class VnpostRegistry(abc.ABC):
    """Vietnam Post's register of customers it has identified in person."""

    @abc.abstractmethod
    def customer_lookup(self, id_number: str) -> PersonRecord | None:
        """The identified customer with this ID number; None when there is none; or
        RegistryUnavailable."""


class PopulationRegistry(abc.ABC):
    """The national population database (CSDL quốc gia về dân cư): which ID numbers are
    one person's. A 9-digit CMND and the 12-digit CCCD that replaced it are the same
    person, and so one account."""

    @abc.abstractmethod
    def person_numbers(self, id_number: str) -> frozenset[str]:
        """Every ID number of the person holding `id_number`, itself included (only
        itself when the database knows no other); or RegistryUnavailable."""


class CarrierRegistry(abc.ABC):
    """Answers whether a mobile subscription is registered to the given person.

    The answer is a verdict only: the registry's own data never comes back to the portal.
    """

    @abc.abstractmethod
    def subscriber_check(self, query: CarrierQuery) -> CarrierVerdict:
        """The verdict, or RegistryUnavailable."""
