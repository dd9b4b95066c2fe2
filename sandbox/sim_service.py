"""The sandbox mobile signature service ("SIM ký số"): the carriers' service and the SIMs of
the sample people, in memory.

Both backends use it: `sandbox.registries.SandboxSimSignatureService` in the portal's own
process (`make run`) and the sandbox HTTP server (`run_sandbox`). A person's `sim` record in
sandbox/people.json says what the SIM of their phone does: `{"identity": "<dev CA name>"}`
holds that development-CA certificate and its key, `{"behaviour": "<end state>"}` ends every
request in that state. A phone without a record has no signing SIM.
"""

import fcntl
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
from django.conf import settings

from accounts.identity import phone_to_e164
from sandbox.dev_ca import DevCA, dev_ca_ensure
from sandbox.people import people
from signing.sim.base import SimResult, SimState, verification_code

SIM_PIN = "1234"  # the PIN of every sample SIM
BEHAVIOURS = frozenset({"user_cancelled", "timeout", "not_a_signing_sim", "phone_unreachable",
                        "sim_error"})
# The phone gives up on a request nobody answers, as a real SIM does; longer than the
# portal's own 2-minute limit, so the portal's time-out is the one a person sees.
# A "timeout" SIM never ends by itself: that is the portal's limit being tested.
PHONE_GIVES_UP = timedelta(minutes=3)
FORGET_AFTER = timedelta(minutes=15)  # ended or abandoned sessions: memory stays bounded
DIGEST_BYTES = 32
# What the phone says after the person acts, on both phone pages.
PHONE_SAYS = {
    "approved": "Đã xác nhận: chữ ký đã được gửi về Cổng.",
    "refused": "Đã từ chối yêu cầu ký.",
    "wrong_pin": "Mã PIN không đúng. Yêu cầu vẫn đang chờ, mời nhập lại.",
    "not_pending": "Yêu cầu này không còn chờ xác nhận.",
}


@dataclass
class _Session:
    phone: str
    digest: bytes
    text: str
    created: datetime
    identity: str | None  # None: a behaviour SIM, nothing to approve
    result: SimResult = field(default_factory=lambda: SimResult(SimState.RUNNING))


class SimService:
    """Thread-safe: the HTTP server answers each request in its own thread."""

    def __init__(self, people_file: str | Path | None = None, ca_dir: str | Path | None = None,
                 ca: DevCA | None = None, now: Callable[[], datetime] | None = None):
        self._people_file = people_file
        self._ca_dir = ca_dir
        self._ca = ca
        self._now = now or (lambda: datetime.now(UTC))
        self._changed = threading.Condition()
        self._ca_lock = threading.Lock()
        self._sessions: dict[str, _Session] = {}

    # The portal's side ---------------------------------------------------------------

    def start(self, phone: str, digest: bytes, text: str) -> str:
        if len(digest) != DIGEST_BYTES:
            raise ValueError("the digest must be the 32 bytes of a SHA-256 hash")
        phone = phone_to_e164(phone) or phone
        sim = self._sim_of(phone)
        session = _Session(phone, digest, text, self._now(), sim.get("identity"))
        # A "timeout" SIM never answers: the session stays RUNNING until the portal gives up.
        if sim.get("behaviour") not in (None, "timeout"):
            session.result = SimResult(SimState(sim["behaviour"]))
        session_id = str(uuid.uuid4())
        with self._changed:
            self._forget_old()
            self._sessions[session_id] = session
        return session_id

    def poll(self, session_id: str, wait_seconds: float = 0.0) -> SimResult:
        """The session's result, waiting up to `wait_seconds` for it to leave RUNNING."""
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        with self._changed:
            while True:
                session = self._sessions.get(session_id)
                if session is None:
                    return SimResult(SimState.SIM_ERROR)
                self._expire(session)
                left = deadline - time.monotonic()
                if session.result.state != SimState.RUNNING or left <= 0:
                    return session.result
                self._changed.wait(left)

    # The phone's side ----------------------------------------------------------------

    def pending(self, phone: str) -> list[dict]:
        """Requests waiting on the phone, newest first: what its screen shows."""
        phone = phone_to_e164(phone) or phone
        with self._changed:
            waiting = [(session_id, session) for session_id, session in self._sessions.items()
                       if session.phone == phone and self._waiting(session)]
        return [{"session_id": session_id, "text": session.text,
                 "code": verification_code(session.digest), "created": session.created}
                for session_id, session in sorted(waiting, key=lambda item: item[1].created,
                                                   reverse=True)]

    def approve(self, session_id: str, pin: str) -> str | None:
        """Sign with the SIM's key; None, or "wrong_pin" (still waiting) or "not_pending"."""
        ca = self._dev_ca()  # outside the lock: making the CA the first time takes seconds
        with self._changed:
            session = self._sessions.get(session_id)
            if session is None or not self._waiting(session):
                return "not_pending"
            if pin != SIM_PIN:
                return "wrong_pin"
            issued = ca.identities[session.identity]
            signature, algorithm = sim_sign(issued.key, session.digest)
            session.result = SimResult(SimState.OK, signature, issued.der, algorithm)
            self._changed.notify_all()
        return None

    def refuse(self, session_id: str) -> str | None:
        """The person presses "Từ chối": None, or "not_pending"."""
        with self._changed:
            session = self._sessions.get(session_id)
            if session is None or not self._waiting(session):
                return "not_pending"
            session.result = SimResult(SimState.USER_CANCELLED)
            self._changed.notify_all()
        return None

    # Inside --------------------------------------------------------------------------

    def _sim_of(self, phone: str) -> dict:
        person = next((p for p in people(self._people_file) if p["phone"] == phone), None)
        return (person or {}).get("sim") or {"behaviour": "not_a_signing_sim"}

    def _waiting(self, session: _Session) -> bool:
        self._expire(session)
        return session.identity is not None and session.result.state == SimState.RUNNING

    def _expire(self, session: _Session) -> None:
        if (session.identity is not None and session.result.state == SimState.RUNNING
                and self._now() - session.created > PHONE_GIVES_UP):
            session.result = SimResult(SimState.TIMEOUT)

    def _forget_old(self) -> None:
        cutoff = self._now() - FORGET_AFTER
        for session_id in [k for k, s in self._sessions.items() if s.created < cutoff]:
            del self._sessions[session_id]

    def _dev_ca(self) -> DevCA:
        # Loaded on the first approval only: starting and polling need no keys.
        with self._ca_lock:
            if self._ca is None:
                self._ca = _dev_ca_locked(Path(self._ca_dir or settings.DEV_CA_DIR))
            return self._ca


def sim_sign(key, digest: bytes) -> tuple[bytes, str]:
    """Sign the hash itself, as a SIM does: the result verifies as RS256 or ES256 over the
    message the hash was made from."""
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(digest, padding.PKCS1v15(), utils.Prehashed(hashes.SHA256())), "RS256"
    return key.sign(digest, ec.ECDSA(utils.Prehashed(hashes.SHA256()))), "ES256"


def _dev_ca_locked(ca_dir: Path) -> DevCA:
    # The portal's process and run_sandbox may both create the CA on first use: two writers
    # could leave an intermediate that no longer chains to the root the portal trusts.
    ca_dir.mkdir(parents=True, exist_ok=True)
    with open(ca_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return dev_ca_ensure(ca_dir)[0]


_shared: tuple[tuple, SimService] | None = None
_shared_lock = threading.Lock()


def shared_service() -> SimService:
    """The one core of this process, so that the in-process backend and the phone page see
    the same requests; made anew only when the settings it was made from change (tests)."""
    global _shared
    key = (str(settings.SANDBOX_PEOPLE_FILE), str(settings.DEV_CA_DIR))
    with _shared_lock:
        if _shared is None or _shared[0] != key:
            _shared = (key, SimService(*key))
        return _shared[1]
