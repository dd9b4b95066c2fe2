"""When the person last proved who they are (an OTP or a signature), for sensitive acts."""

import time

from django.contrib.auth import login as auth_login

FRESH_KEY = "auth_fresh_at"


def login_complete(request, account) -> None:
    """Log in after a second factor (OTP) or a signature; the proof is fresh from now."""
    auth_login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    auth_mark_fresh(request)


def auth_mark_fresh(request) -> None:
    request.session[FRESH_KEY] = time.time()


def auth_is_fresh(request, seconds: int) -> bool:
    return time.time() - request.session.get(FRESH_KEY, 0) < seconds
