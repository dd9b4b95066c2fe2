"""Django's session middleware, except that a stale cookie never deletes a fresh one.

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
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils.cache import patch_vary_headers


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES
                and not session.modified and session.is_empty()):
            if session.accessed:
                patch_vary_headers(response, ("Cookie",))
            return response
        return super().process_response(request, response)
