"""One mechanism for every multi-step flow and every short-lived proof in the session.

A flow (registration, login, reset, the counter's creation, an administrator's
re-authentication, the proof that someone has just authenticated) is one `Flow`: its kind,
its step, its owner (the account logged in when it began, or nobody), when it began and
when its current step began. Each kind sits under its own session key, so flows of
different kinds live side by side; starting a flow again replaces only its own kind.

A flow is read only through `Flow.data`, which forgets it once its kind's time limit has
passed or when another account is now logged in; `flow_step` runs a view only at the
steps it names, and sends anyone else back to the kind's start with its sentence. The
data is stored as JSON, dates included (`state_dump` / `state_load`): no caller turns
dates into strings by hand.
"""

import datetime as dt
import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SESSION_PREFIX = "flow:"
DATE_TAG = "$date"


@dataclass(frozen=True)
class FlowKind:
    key: str
    start_url: str | Promise  # where the guard sends someone not at the step
    expired: str | Promise = _("Phiên thực hiện đã hết hạn hoặc chưa đến bước này. "
                               "Vui lòng bắt đầu lại.")
    limit: str = "flow_valid_seconds"  # the PORTAL_LIMITS entry giving the time limit
    per_step: bool = False  # each step has its own time limit, from when it began

    @property
    def session_key(self) -> str:
        return SESSION_PREFIX + self.key

    def seconds(self) -> int:
        return settings.PORTAL_LIMITS[self.limit]


class Flow:
    def __init__(self, request, kind: FlowKind):
        self.request = request
        self.kind = kind

    def start(self, step: str, **data) -> None:
        self.request.session[self.kind.session_key] = flow_record(
            step, owner=_owner(self.request), **data)

    @property
    def data(self) -> dict | None:
        """The flow's data and its "step", or None once it has expired or changed hands."""
        stored = self._stored()
        return None if stored is None else {**state_load(stored["data"]), "step": stored["step"]}

    @property
    def step(self) -> str | None:
        stored = self._stored()
        return None if stored is None else stored["step"]

    @property
    def age(self) -> float:
        """Seconds since the flow began (infinite when there is none)."""
        stored = self._stored()
        return float("inf") if stored is None else time.time() - stored["started"]

    def update(self, **changes) -> None:
        """Change a live flow's data; a flow that has just expired stays gone."""
        stored = self._stored()
        if stored is not None:
            data = {**state_load(stored["data"]), **changes}
            self.request.session[self.kind.session_key] = {**stored, "data": state_dump(data)}

    def advance(self, step: str, **changes) -> None:
        """Move a live flow to `step`; the step's clock starts now."""
        self.update(**changes)
        stored = self._stored()
        if stored is not None:
            self.request.session[self.kind.session_key] = {
                **stored, "step": step, "step_started": time.time()}

    def clear(self) -> None:
        self.request.session.pop(self.kind.session_key, None)

    def _stored(self) -> dict | None:
        stored = self.request.session.get(self.kind.session_key)
        if not stored:
            return None
        since = stored["step_started"] if self.kind.per_step else stored["started"]
        if time.time() - since > self.kind.seconds() or stored["owner"] != _owner(self.request):
            self.clear()
            return None
        return stored


def flow_record(step: str, *, owner: int | None, **data) -> dict:
    """A new flow as the session keeps it (tests put one in a test client's session)."""
    now = time.time()
    return {"step": step, "owner": owner, "started": now, "step_started": now,
            "data": state_dump(data)}


def _owner(request) -> int | None:
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


def flow_step(kind: FlowKind, *steps: str):
    """Run the view only inside a live flow of `kind` at one of `steps`, as
    view(request, flow, ...); otherwise back to the kind's start, told why."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            flow = Flow(request, kind)
            if flow.step not in steps:
                messages.warning(request, str(kind.expired))
                return redirect(str(kind.start_url))
            return view(request, flow, *args, **kwargs)

        return wrapper

    return decorator


def state_dump(value):
    """`value` as JSON the session (or a JSONField) can keep: dates tagged, the rest as is."""
    if isinstance(value, dict):
        return {key: state_dump(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [state_dump(item) for item in value]
    if isinstance(value, dt.datetime):
        raise TypeError("a flow keeps dates, not datetimes: store a timestamp")
    if isinstance(value, dt.date):
        return {DATE_TAG: value.isoformat()}
    return value


def state_load(value):
    """The inverse of `state_dump`."""
    if isinstance(value, dict):
        if value.keys() == {DATE_TAG}:
            return dt.date.fromisoformat(value[DATE_TAG])
        return {key: state_load(item) for key, item in value.items()}
    if isinstance(value, list):
        return [state_load(item) for item in value]
    return value
