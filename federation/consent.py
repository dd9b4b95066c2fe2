"""What a person agreed to share with each portal: asking, remembering, withdrawing.

A decision is remembered per account and client as the set of scopes agreed to: a later
sign-in asking the same or fewer is not asked again; one asking a new scope is, and its
agreement adds to the set. Withdrawn, the row goes, every token the client holds for the
account is revoked, and the next sign-in asks again. Each step is on the account's activity.
"""

from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import (
    get_access_token_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from accounts.activity import activity_record
from accounts.models import Account
from federation.models import Client, Consent
from federation.scopes import scope_attributes, scopes_known


def consent_covers(account: Account, client: Client, scopes) -> bool:
    agreed = (Consent.objects.filter(account=account, client=client)
              .values_list("scopes", flat=True).first())
    return agreed is not None and set(scopes) <= set(agreed)


def consent_grant(*, account: Account, client: Client, scopes, request) -> Consent:
    with transaction.atomic():
        consent, created = Consent.objects.select_for_update().get_or_create(
            account=account, client=client, defaults={"scopes": scopes_known(scopes)})
        if not created:
            consent.scopes = scopes_known({*consent.scopes, *scopes})
            consent.updated_at = timezone.now()
            consent.save(update_fields=["scopes", "updated_at"])
        activity_record(account, "client_consent", request=request, client=client.display_name)
    return consent


def consent_withdraw(*, account: Account, consent_id: int, request) -> Client | None:
    """Withdraw one of the account's consents; the client it was given to, or None if the
    account has no such consent (any more)."""
    with transaction.atomic():
        consent = (Consent.objects.select_for_update().select_related("client__application")
                   .filter(account=account, pk=consent_id).first())
        if consent is None:
            return None
        consent.delete()
        tokens_revoke(account=account, client=consent.client)
        activity_record(account, "client_withdrawn", request=request,
                        client=consent.client.display_name)
    return consent.client


def tokens_revoke(*, account: Account, client: Client) -> None:
    """Every code and token the client holds for the account stops working now."""
    owned = {"user": account, "application": client.application}
    for refresh in get_refresh_token_model().objects.filter(revoked__isnull=True, **owned):
        refresh.revoke()
    get_access_token_model().objects.filter(**owned).delete()
    get_id_token_model().objects.filter(**owned).delete()
    get_grant_model().objects.filter(**owned).delete()


def consents_of(account: Account) -> list[dict]:
    """The portals the account shares with, each with what it receives and since when."""
    rows = (Consent.objects.filter(account=account).select_related("client")
            .order_by("-granted_at"))
    return [{"consent": row, "client": row.client,
             "attributes": scope_attributes(row.scopes, account.account_type)} for row in rows]
