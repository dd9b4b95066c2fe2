from django.db.models import Q

from accounts.models import Account
from accounts.registries import registry


def person_numbers(id_number: str) -> frozenset[str]:
    """Every ID number of the person holding `id_number` (a CMND and the CCCD that
    replaced it), from the population database; raises RegistryUnavailable."""
    return registry("population").person_numbers(id_number) | {id_number}


def account_holding(numbers) -> Account | None:
    """The citizen's account whose login name or other ID number is one of `numbers` (a
    household business whose tax code is its owner's ID number is another account)."""
    numbers = list(numbers)
    return Account.objects.filter(
        Q(username__in=numbers) | Q(other_id_number__in=numbers),
        account_type=Account.Type.CITIZEN).first()


def account_of_person(id_number: str) -> Account | None:
    """The account of the person holding `id_number`, under whichever of their numbers it
    was made; raises RegistryUnavailable (one person, one account: nobody registers again
    while that cannot be checked)."""
    return account_holding(person_numbers(id_number))


def account_exists(id_number: str) -> bool:
    """Whether the person holding `id_number` has an account; RegistryUnavailable."""
    return account_of_person(id_number) is not None


def account_for_reset(id_number: str, phone: str) -> Account | None:
    """The active account with this ID number (either of the person's) and registered
    phone, if any."""
    return Account.objects.filter(Q(username=id_number) | Q(other_id_number=id_number),
                                  phone=phone, is_active=True).first()


def other_number(id_number: str, numbers) -> str:
    """The person's other ID number to record with an account made under `id_number`:
    the one other number the population database names, else ""."""
    others = sorted(set(numbers) - {id_number})
    return others[0] if len(others) == 1 else ""
