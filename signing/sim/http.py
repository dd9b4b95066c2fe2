"""The mobile signature service over HTTP (protocol: docs/sandbox-api.md, "SIM ký số").

`POST {url}/start` pushes a request to the phone; `POST {url}/poll` waits up to
`wait_seconds` for the session to leave "running". Every call has a bounded timeout. That
one session is not polled twice at once is the caller's to ensure, across processes (the
portal holds its signature request's row for the poll: accounts/flows/sim.py).
"""

import base64

from portal import outbound
from signing.sim.base import SimResult, SimServiceUnavailable, SimSignatureService, SimState

ALGORITHMS = frozenset({"RS256", "PS256", "ES256"})


class HttpSimSignatureService(SimSignatureService):
    def __init__(self, url: str, timeout: float = 5.0):
        self.url = url.rstrip("/")
        self.timeout = float(timeout)

    def start(self, *, phone: str, digest: bytes, display_text: str) -> str:
        payload = {"phone": phone, "digest": base64.b64encode(digest).decode("ascii"),
                   "display_text": display_text}
        # Not sent twice: a second start would push a second request to the phone.
        return self._ask("/start", payload, _session_id, retry=False)

    def poll(self, session_id: str, *, wait_seconds: float = 1.0) -> SimResult:
        wait = max(float(wait_seconds), 0.0)
        # The service may hold the answer for the whole wait before it starts to reply.
        return self._ask("/poll", {"session_id": session_id, "wait_seconds": wait}, _result,
                         read_timeout=wait + self.timeout)

    def _ask(self, path: str, payload: dict, read, **options):
        # Requests carry the phone number and the text shown on it: outbound logs neither.
        return outbound.post_json(self.url + path, payload, read,
                                  system="SIM signature service", kind=SimServiceUnavailable,
                                  timeout=self.timeout, **options)


def _session_id(answer: dict) -> str:
    session_id = answer["session_id"]
    if not (isinstance(session_id, str) and session_id):
        raise ValueError("no session id")
    return session_id


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
