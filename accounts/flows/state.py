"""A multi-step flow kept as one small object under one session key.

The state says which step is next, for whom, and since when; a step's view runs only
when the state exists, has not timed out, and is at that step, so no step can be
reached by typing its URL.
"""

import functools
import time

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class Flow:
    def __init__(self, request, key: str):
        self.request = request
        self.key = key

    def start(self, step: str, **data) -> None:
        self.request.session[self.key] = {"step": step, "started": time.time(), **data}

    @property
    def data(self) -> dict | None:
        state = self.request.session.get(self.key)
        if not state:
            return None
        if time.time() - state["started"] > settings.PORTAL_LIMITS["flow_valid_seconds"]:
            self.clear()
            return None
        return state

    def update(self, **changes) -> None:
        """Change a live flow; a flow that has just expired stays gone."""
        state = self.data
        if state is not None:
            self.request.session[self.key] = {**state, **changes}

    def clear(self) -> None:
        self.request.session.pop(self.key, None)


def flow_step(key: str, step: str, start_url: str):
    """Run the view only at `step` of the flow under `key`; otherwise back to the start."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            flow = Flow(request, key)
            state = flow.data
            if not state or state.get("step") != step:
                messages.warning(
                    request,
                    _("Phiên thực hiện đã hết hạn hoặc chưa đến bước này. Vui lòng bắt đầu lại."),
                )
                return redirect(start_url)
            return view(request, flow, *args, **kwargs)

        return wrapper

    return decorator
