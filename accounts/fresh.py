"""When the person last proved who they are (an OTP or a signature), for sensitive acts.

The proof is a flow of its own kind (accounts/flows/state.py): it belongs to the account
that made it and lasts at most the flow time limit; a sensitive act asks for a proof
younger than its own limit.
"""

from django.contrib.auth import login as auth_login
from django.urls import reverse_lazy

from accounts.device_sessions import session_recorded
from accounts.flows.state import Flow, FlowKind

FRESH = FlowKind("fresh", start_url=reverse_lazy("accounts:login"), limit="fresh_valid_seconds")


def login_complete(request, account) -> None:
    """Log in after a second factor (OTP) or a signature; the proof is fresh from now."""
    auth_login(request, account, backend="django.contrib.auth.backends.ModelBackend")
    session_recorded(request, account)
    auth_mark_fresh(request)


def auth_mark_fresh(request) -> None:
    Flow(request, FRESH).start("proved")


def auth_is_fresh(request) -> bool:
    return Flow(request, FRESH).age < FRESH.seconds()
