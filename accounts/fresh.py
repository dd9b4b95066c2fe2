"""When the person last proved who they are (a second factor or a signature), for
sensitive acts.

The proof is a flow of its own kind (accounts/flows/state.py): it belongs to the account
that made it and lasts at most the flow time limit; a sensitive act asks for a proof
younger than its own limit, and `fresh_required` sends an older one to confirm again
("Xác nhận lại", accounts/views/reauth.py) and back.
"""

import functools
import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _

from accounts.activity import activity_login
from accounts.device_sessions import session_recorded
from accounts.flows.state import Flow, FlowKind
from portal.metrics import LOGINS

FRESH = FlowKind("fresh", start_url=reverse_lazy("accounts:login"), limit="fresh_valid_seconds")
LOGIN_HOW = "login_how"  # how and when this session's login was made


def login_how(request) -> dict | None:
    """How this session logged in: {"method": "password"|"usb"|"sim"|…, "factor": the
    second factor's kind after a password, "at": Unix time}; None if not by login_complete
    (another portal asks it for `acr`, `amr` and `auth_time`)."""
    return request.session.get(LOGIN_HOW)


def login_complete(request, account, *, method: str = "password", factor: str = "sms") -> None:
    """Log in after a second factor or a signature; the proof is fresh from now. `method`
    ("password", "usb", "sim") and, after a password, `factor` (its kind) go to the
    account's activity."""
    auth_login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    request.session[LOGIN_HOW] = {"method": method, "factor": factor, "at": int(time.time())}
    session_recorded(request, account)
    auth_mark_fresh(request, by="signature" if method in ("usb", "sim") else "factor")
    activity_login(request, account, method=method, factor=factor)
    LOGINS.labels(method, "ok").inc()


def auth_mark_fresh(request, *, by: str = "factor") -> None:
    """`by`: "factor" (a second factor) or "signature" (a USB or SIM signature)."""
    Flow(request, FRESH).start("proved", by=by)


def auth_fresh_by(request) -> str:
    """How the live proof was made ("factor", "signature"), or "" when there is none."""
    data = Flow(request, FRESH).data if auth_is_fresh(request) else None
    return (data or {}).get("by", "")


def auth_is_fresh(request) -> bool:
    return Flow(request, FRESH).age < FRESH.seconds()


def fresh_required(view=None, *, back: str = ""):
    """A logged-in person's sensitive act (a factor, the phone, the email, the password, an
    administrator's grant) runs only within a few minutes of a proof; otherwise they
    confirm with a factor of theirs ("Xác nhận lại") and come back, told that nothing was
    saved. A POST comes back to `back` (a URL name: the page of its form; a view that
    answers POST only must name one), anything else to the page it asked for."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect(reverse("accounts:login") + "?" + urlencode(
                    {"next": request.get_full_path()}))
            if auth_is_fresh(request):
                return view(request, *args, **kwargs)
            if request.method == "POST":
                messages.warning(request, _("Chưa lưu thay đổi: vui lòng xác nhận lại bạn là "
                                            "chủ tài khoản rồi thực hiện lại."))
            target = reverse(back) if back else request.get_full_path()
            return redirect(reverse("accounts:reauth") + "?" + urlencode({"next": target}))

        return wrapper

    return decorator(view) if view is not None else decorator
