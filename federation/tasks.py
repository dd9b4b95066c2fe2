from celery import shared_task
from oauth2_provider.models import clear_expired


@shared_task
def tokens_expired_purge_task() -> None:
    """Codes, tokens and ID tokens past their time go (the toolkit's `cleartokens`); a
    code's sign-in (federation.SignIn) goes with it."""
    clear_expired()
