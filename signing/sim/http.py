"""The mobile signature service over HTTP (protocol: docs/sandbox-api.md, "SIM ký số").

`POST {url}/start` pushes a request to the phone; `POST {url}/poll` waits up to
`wait_seconds` for the session to leave "running". Every call has a bounded timeout. That
one session is not polled twice at once is the caller's to ensure, across processes (the
portal holds its signature request's row for the poll: accounts/flows/sim.py).
"""

import base64
import logging

import requests

from signing.sim.base import SimResult, SimServiceUnavailable, SimSignatureService, SimState

log = logging.getLogger("signing.sim")

# A service that cannot even accept the connection quickly will not answer well either.
CONNECT_TIMEOUT_CAP = 3.0
ALGORITHMS = frozenset({"RS256", "PS256", "ES256"})


class HttpSimSignatureService(SimSignatureService):
    def __init__(self, url: str, timeout: float = 5.0):
        self.url = url.rstrip("/")
        self.timeout = float(timeout)

    def start(self, *, phone: str, digest: bytes, display_text: str) -> str:
        payload = {"phone": phone, "digest": base64.b64encode(digest).decode("ascii"),
                   "display_text": display_text}
        answer = self._ask("/start", payload, self.timeout)
        try:
            session_id = answer["session_id"]
        except (KeyError, TypeError) as error:
            raise _unavailable("bad_answer") from error
        if not (isinstance(session_id, str) and session_id):
            raise _unavailable("bad_answer")
        return session_id

    def poll(self, session_id: str, *, wait_seconds: float = 1.0) -> SimResult:
        wait = max(float(wait_seconds), 0.0)
        # The service may hold the answer for the whole wait before it starts to reply.
        answer = self._ask("/poll", {"session_id": session_id, "wait_seconds": wait},
                           wait + self.timeout)
        try:
            return _result(answer)
        except (KeyError, TypeError, ValueError) as error:
            raise _unavailable("bad_answer") from error

    def _ask(self, path: str, payload: dict, read_timeout: float):
        try:
            response = requests.post(
                self.url + path, json=payload, allow_redirects=False,
                timeout=(min(self.timeout, CONNECT_TIMEOUT_CAP), read_timeout),
            )
        except requests.Timeout as error:
            raise _unavailable("timeout") from error
        except requests.ConnectionError as error:
            raise _unavailable("unreachable") from error
        except requests.RequestException as error:
            raise _unavailable("error") from error
        if response.status_code >= 400:
            raise _unavailable("error")
        try:
            return response.json()
        except ValueError as error:
            raise _unavailable("bad_answer") from error


def _result(answer: dict) -> SimResult:
    """Raises KeyError, TypeError or ValueError on anything but a documented answer."""
    state = SimState(answer["state"])
    if state != SimState.OK:
        return SimResult(state)
    algorithm = answer["algorithm"]
    if algorithm not in ALGORITHMS:
        raise ValueError("unknown algorithm")
    signature, certificate = _b64(answer["signature"]), _b64(answer["certificate"])
    return SimResult(state, signature=signature, certificate_der=certificate,
                     algorithm=algorithm)


def _b64(value) -> bytes:
    if not isinstance(value, str):
        raise TypeError("expected a base64 string")
    decoded = base64.b64decode(value, validate=True)  # binascii.Error is a ValueError
    if not decoded:
        raise ValueError("empty")
    return decoded


def _unavailable(reason: str) -> SimServiceUnavailable:
    # Only the reason is logged: requests carry the phone number and the text shown on it.
    log.warning("SIM signature service unavailable: %s", reason)
    return SimServiceUnavailable(reason)
