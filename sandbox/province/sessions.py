"""Visitors' sessions, in this process's memory.

The cookie carries only a random 256-bit id: what a sign-in brought (an ID number, a
phone, the ID token) stays on the server, and a restart forgets every session, as a
stand-in may. One lock: the server answers each request in its own thread.
"""

import secrets
import threading
import time
from http.cookies import CookieError, SimpleCookie

COOKIE = "backan_phien"  # not a name the portal uses: both may share 127.0.0.1
IDLE_SECONDS = 2 * 3600
MAX_PENDING = 5  # logins begun and not yet back (tabs), per session


class Sessions:
    def __init__(self, idle_seconds: int = IDLE_SECONDS):
        self.idle_seconds = idle_seconds
        self._lock = threading.Lock()
        self._data: dict[str, tuple[float, dict]] = {}

    def load(self, cookie_header: str) -> tuple[str, dict]:
        """The session named by the request's cookie: (id, a copy of its data); ("", {})
        when there is none (or it has expired)."""
        try:
            morsel = SimpleCookie(cookie_header).get(COOKIE)
        except CookieError:
            morsel = None
        with self._lock:
            kept = self._data.get(morsel.value) if morsel else None
            if kept is None or time.monotonic() - kept[0] > self.idle_seconds:
                return "", {}
            return morsel.value, dict(kept[1])

    def save(self, session_id: str, data: dict, *, renew: bool = False) -> str:
        """Keep `data`; a new id when there was none or `renew` (a sign-in or sign-out:
        an id known before it must not carry what comes after)."""
        with self._lock:
            self._prune()
            if renew or not session_id:
                self._data.pop(session_id, None)
                session_id = secrets.token_urlsafe(32)
            self._data[session_id] = (time.monotonic(), data)
        return session_id

    def _prune(self) -> None:
        now = time.monotonic()
        for session_id in [key for key, (at, _data) in self._data.items()
                           if now - at > self.idle_seconds]:
            del self._data[session_id]


def cookie_header(session_id: str) -> str:
    return f"{COOKIE}={session_id}; Path=/; HttpOnly; SameSite=Lax"


def pending_keep(data: dict, pending: dict) -> None:
    """Remember a login begun, by its state; the oldest go past MAX_PENDING."""
    kept = dict(data.get("pending", {}))
    kept[pending["state"]] = pending
    data["pending"] = dict(list(kept.items())[-MAX_PENDING:])


def pending_take(data: dict, state: str) -> dict | None:
    """The login `state` began, forgotten as it is taken: a state is good once."""
    kept = dict(data.get("pending", {}))
    pending = kept.pop(state, None)
    data["pending"] = kept
    return pending
