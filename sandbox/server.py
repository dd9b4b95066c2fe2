"""The sandbox HTTP server: stand-ins for the outside systems, JSON in and out.

Started by `manage.py run_sandbox` and by docker-compose. It answers from the sample people
file like the in-process sandboxes, so the real HTTP adapters are tested for real.
The API is described in docs/sandbox-api.md.
"""

import datetime as dt
import json
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from accounts.registries.base import CarrierQuery, PersonRecord
from sandbox.people import bhxh_answer, carrier_answer, vnpost_answer

# Longer than any client timeout the portal uses, so a "timeout" person really times out.
SLOW_ANSWER_SECONDS = 30
MAX_BODY_BYTES = 64 * 1024


class SmsInbox:
    """What the SMS gateway stand-in received, deduplicated by idempotency key."""

    def __init__(self, fail_first: int = 0):
        self._lock = threading.Lock()
        self._messages: list[dict] = []
        self._failures_left = fail_first

    def receive(self, key: str, to: str, text: str) -> bool:
        """False while the configured first sends are still to fail (for retry tests)."""
        with self._lock:
            if self._failures_left > 0:
                self._failures_left -= 1
                return False
            if all(message["key"] != key for message in self._messages):
                received_at = dt.datetime.now(dt.UTC).isoformat()
                self._messages.append({"to": to, "text": text, "key": key,
                                       "received_at": received_at})
            return True

    def newest_first(self) -> list[dict]:
        with self._lock:
            return list(reversed(self._messages))

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()


class SandboxServer(ThreadingHTTPServer):
    # A "timeout" answer sleeps in its thread; it must not hold up shutting down.
    daemon_threads = True

    def __init__(self, address, people_file: str | Path, sms_fail_first: int = 0):
        super().__init__(address, SandboxHandler)
        self.people_file = str(people_file)
        self.sms = SmsInbox(sms_fail_first)


class BadRequest(Exception):
    pass


class SandboxHandler(BaseHTTPRequestHandler):
    server: SandboxServer

    def do_GET(self):
        if self.path == "/health":
            return self._json({"status": "ok"})
        if self.path == "/sms/messages":
            return self._json(self.server.sms.newest_first())
        return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def do_DELETE(self):
        if self.path == "/sms/messages":
            self.server.sms.clear()
            return self._json({"status": "cleared"})
        return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def do_POST(self):
        routes = {
            "/carrier/check": self._carrier_check,
            "/bhxh/lookup": self._bhxh_lookup,
            "/vnpost/lookup": self._vnpost_lookup,
            "/sms/send": self._sms_send,
        }
        route = routes.get(self.path)
        if route is None:
            return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
        try:
            route(self._body())
        except BadRequest as error:
            self._json({"error": str(error)}, HTTPStatus.BAD_REQUEST)

    def _carrier_check(self, body: dict) -> None:
        answer = carrier_answer(_carrier_query(body), self.server.people_file)
        if isinstance(answer, str):
            return self._misbehave(answer)
        return self._json({"verdict": answer.value})

    def _bhxh_lookup(self, body: dict) -> None:
        code = _text_field(body, "code")
        self._person_answer(bhxh_answer(code, self.server.people_file))

    def _vnpost_lookup(self, body: dict) -> None:
        id_number = _text_field(body, "id_number")
        self._person_answer(vnpost_answer(id_number, self.server.people_file))

    def _person_answer(self, answer: PersonRecord | None | str) -> None:
        if isinstance(answer, str):
            return self._misbehave(answer)
        if answer is None:
            return self._json({"found": False})
        return self._json({"found": True, "person": _person_json(answer)})

    def _misbehave(self, behaviour: str) -> None:
        """What a registry does for a sample person whose record is a behaviour."""
        if behaviour == "timeout":
            time.sleep(SLOW_ANSWER_SECONDS)
            return self._json({"error": "too late"}, HTTPStatus.GATEWAY_TIMEOUT)
        if behaviour == "error":
            return self._json({"error": "registry failure"}, HTTPStatus.INTERNAL_SERVER_ERROR)
        return self._send(HTTPStatus.OK, b"not json", "text/plain")

    def _sms_send(self, body: dict) -> None:
        key = self.headers.get("Idempotency-Key", "").strip()
        if not key:
            raise BadRequest("the Idempotency-Key header is required")
        to, text = body.get("to"), body.get("text")
        if not (isinstance(to, str) and to.startswith("+84") and isinstance(text, str)):
            raise BadRequest('expected {"to": "+84…", "text": "…"}')
        if not self.server.sms.receive(key, to, text):
            return self._json({"error": "try again"}, HTTPStatus.SERVICE_UNAVAILABLE)
        return self._json({"status": "accepted", "id": key})

    def _body(self) -> dict:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise BadRequest("body too large")
        try:
            body = json.loads(self.rfile.read(length) or b"null")
        except (ValueError, UnicodeDecodeError) as error:
            raise BadRequest("the body is not JSON") from error
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object")
        return body

    def _json(self, data, status: HTTPStatus = HTTPStatus.OK) -> None:
        payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self._send(status, payload, "application/json; charset=utf-8")

    def _send(self, status: HTTPStatus, payload: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (the point of a "timeout" person)


def _carrier_query(body: dict) -> CarrierQuery:
    try:
        return CarrierQuery(
            phone=str(body["phone"]),
            id_number=str(body["id_number"]),
            full_name=str(body["full_name"]),
            birth_date=dt.date.fromisoformat(body["birth_date"]),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BadRequest("expected phone, id_number, full_name, birth_date (YYYY-MM-DD)") from error


def _text_field(body: dict, field: str) -> str:
    value = body.get(field)
    if not (isinstance(value, str) and value.strip()):
        raise BadRequest(f'expected {{"{field}": "…"}}')
    return value  # as sent: normalising is the portal's job, as with a real registry


def _person_json(record: PersonRecord) -> dict:
    return {
        "id_number": record.id_number,
        "full_name": record.full_name,
        "birth_date": record.birth_date.isoformat(),
    }


def serve(host: str, port: int, people_file: str | Path, sms_fail_first: int = 0) -> None:
    with SandboxServer((host, port), people_file, sms_fail_first) as server:
        server.serve_forever()
