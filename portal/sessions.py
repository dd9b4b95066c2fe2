"""Sessions in the database (SESSION_ENGINE = "portal.sessions"), and Django's session
middleware, except that a stale cookie never deletes a fresh one.

A new session costs one INSERT: Django first asks whether its new random key is taken (a
SELECT), which the INSERT answers anyway (a taken key fails it, and Django draws another);
and a deleted one costs one DELETE.
Sessions stay in the database rather than the cache: `cached_db` saves no write, and a
logout while Redis does not answer would leave the session alive in the cache.

A browser may have several requests in flight with the cookie it held when each was sent.
When one of them logs in, the session is rotated: the old one is deleted and the browser
gets a new cookie. Another tab's request that still carries the old cookie then finds
no session, and Django's middleware answers it with a deletion of the session cookie,
which removes the new one the browser has just stored: the person is logged out of a
login that succeeded. Here a request whose session is empty and unchanged leaves the
cookie alone (at worst a dead cookie stays, which the next login replaces); a session
emptied on purpose (logout, flush) is still deleted.
"""

from django.conf import settings
from django.contrib.sessions.backends import base, db
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.cache import patch_vary_headers
from django.utils.crypto import get_random_string


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES
                and not session.modified and session.is_empty()):
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)


class SessionStore(db.SessionStore):
    def _get_new_session_key(self):
        # 32 characters of 36 (about 165 bits): a key already taken is left to the
        # INSERT's unique key (save(must_create=True) then draws another).
        return get_random_string(32, base.VALID_KEY_CHARS)

    def delete(self, session_key=None):
        """One DELETE (Django's reads the row first)."""
        session_key = self.session_key if session_key is None else session_key
        if session_key is not None:
            self.model.objects.filter(session_key=session_key).delete()
