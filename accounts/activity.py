"""An account's activity ("Lịch sử hoạt động"): recording what happened, and reading it.

Each record is one `AccountEvent` row, written where the thing happened, in the same
transaction. A request, when there is one, tells from what device (coarsely) and what
address (its last part hidden), as "Phiên đăng nhập" tells them.
"""

import datetime as dt

from django.db.models.functions import Now

from accounts.device_sessions import address_masked, device_described
from accounts.http import client_ip
from accounts.models import Account, AccountEvent
from accounts.models.events import KEPT_DAYS
from accounts.notifications import account_notify

Kind = AccountEvent.Kind
# What `detail` may say, and nothing else: how a thing was done, never with what secret
# or about whom. A method, a factor's kind, a failed step, how many, a counter's unit,
# the name of a portal the account signed in to.
DETAIL_KEYS = frozenset({"method", "factor", "step", "count", "unit", "client"})
DETAIL_MAX = 200


def activity_record(account: Account, kind: str, *, request=None, **detail) -> AccountEvent:
    """One event of `account`; raises ValueError for an unknown kind or detail key."""
    if kind not in Kind.values:
        raise ValueError(f"unknown account event: {kind}")
    unknown = set(detail) - DETAIL_KEYS
    if unknown:
        raise ValueError(f"account event detail may not hold {sorted(unknown)}")
    detail = {key: value if isinstance(value, int) else str(value)[:DETAIL_MAX]
              for key, value in detail.items() if value not in ("", None)}
    where = {}
    if request is not None:
        where = {"device": device_described(request.META.get("HTTP_USER_AGENT", "")),
                 "address": address_masked(client_ip(request))}
    return AccountEvent.objects.create(account=account, kind=kind, detail=detail, **where)


def activity_login(request, account: Account, *, method: str, factor: str) -> AccountEvent:
    """Record a login; from a device this account has not logged in from before (in the
    events kept), its holder is told. An account's first login is nobody's alarm."""
    earlier = set(AccountEvent.objects.filter(account=account, kind=Kind.LOGIN)
                  .values_list("device", flat=True).distinct())
    event = activity_record(account, Kind.LOGIN, request=request, method=method,
                            factor=factor if method == "password" else "")
    if earlier and event.device not in earlier:
        account_notify(account, "new_device")
    return event


def activity_recent(account: Account):
    """The account's events of the days kept, newest first."""
    return AccountEvent.objects.filter(account=account, at__gte=_kept_since())


def activity_purge() -> int:
    """Delete the events older than the days kept (housekeeping); how many."""
    return AccountEvent.objects.filter(at__lt=_kept_since()).delete()[0]


def _kept_since():
    # The database's clock, as the trigger's: the two must agree on which rows are old.
    return Now() - dt.timedelta(days=KEPT_DAYS)
