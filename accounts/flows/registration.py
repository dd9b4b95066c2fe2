"""Registration of a citizen at level 2: one engine that every IAL2 method runs on.

A method (see accounts/flows/ial2.py) only declares its form, the registry that vouches
for the person and how that answer is judged, and what the account records as "verified
by". The steps after it are shared: duplicate check, OTP to the phone, password, account.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse_lazy

from accounts.flows.state import FlowKind
from accounts.models import Account
from accounts.otp import otp_send
from accounts.ratelimit import rate_consume
from accounts.registries import RegistryUnavailable
from accounts.selectors import account_holding, other_number, person_numbers
from accounts.services import AccountExists, citizen_register

log = logging.getLogger(__name__)

FLOW = FlowKind("registration", start_url=reverse_lazy("accounts:register"))
# What the flow keeps of the form: no captcha, no registry code.
PERSON_FIELDS = ("id_number", "full_name", "birth_date", "phone", "email")


@dataclass(frozen=True)
class RegistrationMethod:
    key: str  # in the URL: /dang-ky/<key>/
    label: str
    form_class: type
    # Asks the registry about the typed data; returns the person as the registry vouches
    # for them (BHXH: with the ID number it holds), or raises IdentityRefused or
    # RegistryUnavailable.
    vouch: Callable[[dict], dict]
    registry_label: str  # "CSDL BHXH": named in the message when the registry is down
    verified_by: str
    account_method: str
    note: str = ""  # shown under the form
    level: int = Account.Level.MEDIUM


def registration_start(flow, *, method: RegistrationMethod, person: dict, ip: str) -> None:
    """Ask the registry, check duplicates, send the OTP, and move the flow to the OTP step.

    The duplicate check comes after the registry has vouched for the person, on the ID
    number the registry vouched for, so the notice "this ID already has an account" goes
    only to someone who knows the person's data. Raises RateLimited, IdentityRefused,
    RegistryUnavailable, AccountExists or SendRefused; in each case nothing is stored.
    """
    rate_consume(("registry_per_ip", ip))
    try:
        vouched = method.vouch(person)
    except RegistryUnavailable as down:
        log.warning("registration: registry unavailable method=%s reason=%s",
                    method.key, down.reason)
        raise RegistryUnavailable(down.reason, label=method.registry_label) from None
    numbers = person_numbers(vouched["id_number"])  # down: the population database named
    if account_holding(numbers) is not None:  # under this number, or the person's other
        raise AccountExists("exists")
    code_id = otp_send(purpose="register", phone=vouched["phone"], ip=ip)
    kept = {field: vouched.get(field, "") for field in PERSON_FIELDS}
    flow.start(
        "otp", method=method.key, code_id=code_id, phone=vouched["phone"],
        person={**kept, "other_id_number": other_number(vouched["id_number"], numbers)},
    )


def registration_finish(flow, *, method: RegistrationMethod, password: str) -> Account:
    account = citizen_register(
        person=flow.data["person"], password=password, method=method.account_method,
        level=method.level, verified_by=str(method.verified_by),
    )
    flow.clear()
    log.info("account registered method=%s", method.key)
    return account


def registration_person_stub(flow) -> Account:
    """An unsaved account with the person's data, for the password-similarity check."""
    person = flow.data["person"]
    return Account(username=person["id_number"], full_name=person["full_name"],
                   email=person.get("email", ""))
