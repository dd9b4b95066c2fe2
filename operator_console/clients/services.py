"""The console's writes on a client: federation's service and the audit line, together.

A client is the whole country's, not a unit's; its audit line goes to the unit where the
actor holds the right (their province), where their fellow administrators read it.
"""

from django.db import transaction

from federation import clients
from federation.models import Client
from operator_console.models import AuditEntry
from operator_console.rights import MANAGE_CLIENTS
from operator_console.selectors import account_right_units
from operator_console.services import audit_record

Action = AuditEntry.Action


def client_register(*, actor, ip: str, **values) -> tuple[Client, str]:
    """federation.clients.client_create, audited; the client and its secret (once)."""
    with transaction.atomic():
        client, secret = clients.client_create(**values)
        _audit(actor, Action.CLIENT_CREATE, client, ip)
    return client, secret


def client_change(*, actor, client: Client, ip: str, labels: dict, **values) -> list[str]:
    """federation.clients.client_update, audited with what changed (`labels`: a field's
    name as the page names it)."""
    with transaction.atomic():
        changed = clients.client_update(client=client, **values)
        if changed:
            what = ", ".join(str(labels.get(name, name)) for name in changed)
            _audit(actor, Action.CLIENT_UPDATE, client, ip, what)
    return changed


def client_switch(*, actor, client: Client, enabled: bool, ip: str) -> bool:
    with transaction.atomic():
        changed = clients.client_set_enabled(client=client, enabled=enabled)
        if changed:
            _audit(actor, Action.CLIENT_ENABLE if enabled else Action.CLIENT_DISABLE, client, ip)
    return changed


def client_new_secret(*, actor, client: Client, ip: str) -> str:
    with transaction.atomic():
        secret = clients.client_secret_reset(client=client)
        _audit(actor, Action.CLIENT_SECRET, client, ip)
    return secret


def _audit(actor, action: str, client: Client, ip: str, what: str = "") -> None:
    units = account_right_units(actor, MANAGE_CLIENTS)
    detail = f"{client.application.client_id}: {client.display_name}"
    audit_record(actor=actor, action=action, unit=units[0] if units else None, ip=ip,
                 detail=f"{detail} ({what})" if what else detail)
