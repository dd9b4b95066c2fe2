"""Sending a stored message once: the one way the worker delivers an SMS (OutgoingSms) or
an email (OutgoingMail).

The worker locks the message's row for the whole send (SELECT … FOR UPDATE in one
transaction), so two workers never send it twice; a worker that dies mid-send drops its
connection, PostgreSQL rolls its transaction back, and the message is still queued for the
task's next delivery (the gateway's idempotency key covers a message it already took).

The three statements are written out rather than built by the ORM: on the busiest path of
a login surge the ORM's query building cost more CPU than the send itself (bench/README,
"OTP SMS"). Each outbox table has the columns `id`, `status`, `sealed_context`,
`attempts` and `sent_at`. They run on SQLite too (`make run`), where a transaction holds
the whole database and there is no FOR UPDATE.
"""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import get_language

from accounts.crypto import seal, unseal

QUEUED, SENT, DROPPED = "queued", "sent", "dropped"


def outbox_deliver(model: type[models.Model], message_id: str, columns: tuple[str, ...],
                   send: Callable[[dict], str], transient: type[Exception]) -> str:
    """Send the queued message `message_id` of `model` with `send`, once.

    `send` receives the message's "id" and `columns` (a dict) and returns the status to
    record: SENT, the model's FAILED for a refusal for good, or DROPPED for a message
    that was never meant to go (no attempt counted). It raises `transient` when the message may go
    later: the attempt is counted, the message stays queued and the error is raised again
    for the task to retry. Returns the status recorded, "" when the message was not
    queued (sent, failed or dropped already)."""
    table, ops = connection.ops.quote_name(model._meta.db_table), connection.ops
    message_id = uuid.UUID(str(message_id))
    key = model._meta.pk.get_db_prep_value(message_id, connection)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite: none
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(map(ops.quote_name, columns))} FROM {table} "
                       f"WHERE id = %s AND status = %s{lock}", [key, QUEUED])
        found = cursor.fetchone()
        if found is None:
            return ""
        try:
            status = send({"id": str(message_id), **dict(zip(columns, found, strict=True))})
        except transient as error:
            cursor.execute(f"UPDATE {table} SET attempts = attempts + 1 WHERE id = %s", [key])
            failure = error
        else:
            sent_at = ops.adapt_datetimefield_value(timezone.now()) if status == SENT else None
            cursor.execute(
                f"UPDATE {table} SET status = %s, sealed_context = '', sent_at = %s, "
                f"attempts = attempts + %s WHERE id = %s",
                [str(status), sent_at, int(status != DROPPED), key])
            return status
    raise failure


def outbox_seal(context: dict) -> str:
    """A message's context, sealed with the language of the page that sends it: the worker
    writes the message in that language (outbox_unseal)."""
    return seal({**context, "language": get_language()})


def outbox_unseal(sealed: str) -> tuple[dict, str]:
    """The context and the language to write the message in (Vietnamese for a message
    sealed before languages were)."""
    context = unseal(sealed)
    return context, context.pop("language", None) or settings.LANGUAGE_CODE
