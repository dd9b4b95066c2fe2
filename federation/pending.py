"""An authorization request waiting for its person to log in.

The request (its query string) waits in the session under a short random id, and the
login is given `?next=/oidc/tiep-tuc/<id>/`: the query is far longer than a `next` may be
(accounts.http.NEXT_MAX). Not a `Flow` (accounts/flows/state.py), by necessity: a flow
begun by nobody is forgotten once someone logs in, and outliving that login is this
record's whole purpose. It keeps the flows' time limit, and the few latest requests only.
"""

import secrets
import time

from django.conf import settings

SESSION_KEY = "oidc:pending"
KEPT = 5  # requests of one session (tabs of several portals at once)


def pending_keep(request, query: str) -> str:
    """Keep an authorization request's query; its id."""
    kept = _live(request)
    pending_id = secrets.token_urlsafe(16)
    kept[pending_id] = {"query": query, "at": time.time()}
    request.session[SESSION_KEY] = dict(sorted(kept.items(), key=lambda item: item[1]["at"])
                                        [-KEPT:])
    return pending_id


def pending_take(request, pending_id: str) -> str | None:
    """The query kept under `pending_id`, forgotten as it is taken; None when there is none
    (taken already, too old, or of another session)."""
    kept = _live(request)
    found = kept.pop(pending_id, None)
    request.session[SESSION_KEY] = kept
    return found["query"] if found else None


def _live(request) -> dict:
    limit = settings.PORTAL_LIMITS["flow_valid_seconds"]
    now = time.time()
    return {key: value for key, value in request.session.get(SESSION_KEY, {}).items()
            if now - value["at"] < limit}
