"""Where an account is logged in ("Phiên đăng nhập"), and ending those logins.

Each login writes one `AccountSession`: the session's key, a coarse description of the
device (browser and system, never the whole User-Agent) and the address with its last
part hidden. Ending a login deletes its session from the store, whatever the engine, so
the device's next request finds nobody logged in. A row whose session has ended by itself
(expiry, logout, a password change) is dropped when the list is read.
"""

import datetime as dt
import ipaddress
import re

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string

from accounts.http import client_ip
from accounts.models import AccountSession

SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
           ("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"),
           ("Linux", "Linux"))
# Order matters: Edge and Cốc Cốc also name Chrome, Chrome also names Safari.
BROWSERS = (("Edg/", "Edge"), ("coc_coc", "Cốc Cốc"), ("OPR/", "Opera"),
            ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))


def session_recorded(request, account) -> None:
    """Note the login just made in `request` (its session key is already the new one)."""
    key = request.session.session_key
    if key:  # one upsert: the key is new at a login, but a record under it is replaced
        record = AccountSession(
            session_key=key, account=account,
            device=device_described(request.META.get("HTTP_USER_AGENT", "")),
            address=address_masked(client_ip(request)))
        AccountSession.objects.bulk_create(
            [record], update_conflicts=True, unique_fields=["session_key"],
            update_fields=["account", "device", "address"])


def session_forgotten(request) -> None:
    """The login of this request ends (logout)."""
    key = request.session.session_key
    if key:
        AccountSession.objects.filter(session_key=key).delete()


def session_rekeyed(old_key: str | None, request) -> None:
    """The request's session took a new key (a password change keeps this login)."""
    if old_key:
        AccountSession.objects.filter(session_key=old_key).update(
            session_key=request.session.session_key)


def sessions_of(account) -> list[AccountSession]:
    """The account's logins still alive, newest first."""
    rows = list(AccountSession.objects.filter(account=account).select_related("account"))
    alive = [row for row in rows if _alive(row)]
    ended = [row.pk for row in rows if row not in alive]
    if ended:
        AccountSession.objects.filter(pk__in=ended).delete()
    return alive


def session_end(account, session_id: int) -> bool:
    """End one of the account's logins; False when there is no such login of it."""
    row = AccountSession.objects.filter(account=account, pk=session_id).first()
    if row is None:
        return False
    _store(row.session_key).delete(row.session_key)
    row.delete()
    return True


def sessions_end_others(request) -> int:
    """End every login of the request's account but this one; how many were alive."""
    others = AccountSession.objects.filter(account=request.user).exclude(
        session_key=request.session.session_key).select_related("account")
    ended = 0
    for row in others:
        if _alive(row):
            ended += 1
            _store(row.session_key).delete(row.session_key)
    others.delete()
    return ended


def sessions_ended_purge() -> int:
    """Drop the records of logins whose session has ended, among those older than a
    session lives unless used (housekeeping); how many."""
    older = timezone.now() - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    ended = [row.pk for row in AccountSession.objects.filter(created_at__lt=older)
             .select_related("account").iterator() if not _alive(row)]
    return AccountSession.objects.filter(pk__in=ended).delete()[0]


def device_described(user_agent: str) -> str:
    """"Chrome · Windows", or what can be told of it ("" when nothing)."""
    system = next((name for mark, name in SYSTEMS if mark in user_agent), "")
    browser = next((name for mark, name in BROWSERS if mark in user_agent), "")
    return " · ".join(part for part in (browser, system) if part)


def address_masked(address: str) -> str:
    """The address with its last part hidden: 203.0.113.* or 2001:db8:85a3:*."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "—"
    if parsed.version == 4:
        return re.sub(r"\.\d+$", ".*", str(parsed))
    return ":".join(parsed.exploded.split(":")[:3]) + ":*"


def _alive(row: AccountSession) -> bool:
    """Whether the login still opens the account: the store holds its session, unexpired
    (loading it is how every engine checks both: a dead one loses its key), and the
    session still carries the account's current password hash (a password change ends
    the other logins at their next request, as Django checks it)."""
    store = _store(row.session_key)
    data = store.load()
    return store.session_key is not None and constant_time_compare(
        data.get(HASH_SESSION_KEY, ""), row.account.get_session_auth_hash())


def _store(key: str | None = None) -> SessionBase:
    return import_string(settings.SESSION_ENGINE + ".SessionStore")(key)
