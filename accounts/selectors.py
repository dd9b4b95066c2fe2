from accounts.models import Account


def account_exists(id_number: str) -> bool:
    return Account.objects.filter(username=id_number).exists()


def account_for_reset(id_number: str, phone: str) -> Account | None:
    """The active account with this ID number and registered phone, if any."""
    return Account.objects.filter(username=id_number, phone=phone, is_active=True).first()
