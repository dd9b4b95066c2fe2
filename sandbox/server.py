"""The sandbox HTTP server: stand-ins for the outside systems, JSON in and out.

Started by `manage.py run_sandbox` and by docker-compose. It answers from the sample people
file like the in-process sandboxes, so the real HTTP adapters are tested for real.
The API is described in docs/sandbox-api.md.
"""

import base64
import binascii
import datetime as dt
import html
import json
import math
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from accounts.identity import phone_national, phone_to_e164
from accounts.registries.base import CarrierQuery, PersonRecord
from sandbox.ca_service import Outage, crl_der, ocsp_answer
from sandbox.people import bhxh_answer, carrier_answer, population_answer, vnpost_answer
from sandbox.sim_service import DIGEST_BYTES, PHONE_SAYS, SIM_PIN, SimService
from sandbox.vneid import PREFIX as VNEID_PREFIX
from sandbox.vneid import Answer, VneidSandbox
from signing.sim.base import SimResult, SimState

# Longer than any client timeout the portal uses, so a "timeout" person really times out.
SLOW_ANSWER_SECONDS = 30
MAX_BODY_BYTES = 64 * 1024
# A poll holds a server thread while it waits: bounded, whatever the client asks for.
SIM_MAX_WAIT_SECONDS = 5.0
# What a phone screen shows of a request (Mobile-ID allows a few dozen characters more).
SIM_DISPLAY_TEXT_MAX = 200


class SmsInbox:
    """What the SMS gateway stand-in received, deduplicated by idempotency key."""

    def __init__(self, fail_first: int = 0):
        self._lock = threading.Lock()
        self._messages: list[dict] = []
        self._keys: set[str] = set()
        self._failures_left = fail_first

    def receive(self, key: str, to: str, text: str) -> bool:
        """False while the configured first sends are still to fail (for retry tests)."""
        with self._lock:
            if self._failures_left > 0:
                self._failures_left -= 1
                return False
            if key not in self._keys:
                self._keys.add(key)
                received_at = dt.datetime.now(dt.UTC).isoformat()
                self._messages.append({"to": to, "text": text, "key": key,
                                       "received_at": received_at})
            return True

    def newest_first(self, to: str = "") -> list[dict]:
        with self._lock:
            return [message for message in reversed(self._messages)
                    if not to or message["to"] == to]

    def clear(self) -> None:
        with self._lock:
            self._messages.clear()
            self._keys.clear()


class SandboxServer(ThreadingHTTPServer):
    # A "timeout" answer sleeps in its thread; it must not hold up shutting down.
    daemon_threads = True

    def __init__(self, address, people_file: str | Path, sms_fail_first: int = 0,
                 sim: SimService | None = None):
        super().__init__(address, SandboxHandler)
        self.people_file = str(people_file)
        self.sms = SmsInbox(sms_fail_first)
        # Keys come from the development CA in settings.DEV_CA_DIR, the one the portal
        # trusts in DEBUG, unless a test hands in its own service.
        self.sim = sim or SimService(self.people_file)
        self.vneid = VneidSandbox(self.people_file)  # its signing key is made here


class BadRequest(Exception):
    pass


class SandboxHandler(BaseHTTPRequestHandler):
    server: SandboxServer
    # An answer larger than the write buffer leaves in several writes: without TCP_NODELAY
    # the last waits for the client's delayed ACK (up to 40 ms) and every caller looks slow.
    disable_nagle_algorithm = True
    # Keep-alive, as a real gateway or registry answers: a caller (the SMS worker) reuses its
    # connection instead of paying a connect, an accept and a new server thread per call,
    # which would make the stand-in the thing measured.
    protocol_version = "HTTP/1.1"
    # A kept-alive connection nobody uses any more frees its thread after this long.
    timeout = 120
    # Head and body buffered and sent in one write (flushed in _send): the caller wakes once.
    wbufsize = 64 * 1024

    def parse_request(self) -> bool:
        self._body_read = False
        return super().parse_request()

    def end_headers(self) -> None:
        # A body left unread (a 404, a refusal before reading) would be taken for the next
        # request on the connection: close it instead.
        if not self.close_connection and self._body_unread():
            self.send_header("Connection", "close")
        super().end_headers()

    def _body_unread(self) -> bool:
        if "Transfer-Encoding" in self.headers:  # a chunked body is never read here
            return True
        if self._body_read:
            return False
        try:
            return int(self.headers.get("Content-Length") or 0) != 0
        except ValueError:
            return True

    def log_request(self, code="-", size="-") -> None:
        """Refusals and failures only: a line per accepted call would be a disk write on
        every SMS the bench sends (and thousands of lines nobody reads)."""
        if isinstance(code, int) and code >= 400:
            super().log_request(code, size)

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/health":
            return self._json({"status": "ok"})
        if url.path == "/sms/messages":
            return self._json(self.server.sms.newest_first(_query(url.query, "to")))
        if url.path == "/sim/pending":
            return self._sim_pending(_query(url.query, "phone"))
        if url.path == "/sim/phone":
            return self._phone_page(_query(url.query, "number"), _query(url.query, "result"))
        if url.path == "/ca/crl":
            return self._send(HTTPStatus.OK, crl_der(_ca_dir()), "application/pkix-crl")
        if url.path.startswith(VNEID_PREFIX + "/"):
            return self._answer(self.server.vneid.get(url.path, url.query, self.headers,
                                                      self._base()))
        return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def do_DELETE(self):
        if self.path == "/sms/messages":
            self.server.sms.clear()
            return self._json({"status": "cleared"})
        return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

    def do_POST(self):
        if self.path == "/ca/ocsp":  # a DER body, not JSON
            return self._ocsp(self._read_body())
        if self.path.startswith(VNEID_PREFIX + "/"):  # forms, as OpenID Connect posts them
            try:
                body = self._read_body()
            except BadRequest as error:
                return self._json({"error": str(error)}, HTTPStatus.BAD_REQUEST)
            return self._answer(self.server.vneid.post(self.path, body, self.headers,
                                                       self._base()))
        routes = {
            "/carrier/check": self._carrier_check,
            "/bhxh/lookup": self._bhxh_lookup,
            "/vnpost/lookup": self._vnpost_lookup,
            "/population/numbers": self._population_numbers,
            "/sms/send": self._sms_send,
            "/sim/start": self._sim_start,
            "/sim/poll": self._sim_poll,
            "/sim/approve": self._sim_approve,
            "/sim/refuse": self._sim_refuse,
            "/sim/phone/approve": self._phone_approve,
            "/sim/phone/refuse": self._phone_refuse,
            "/ca/outage": self._ca_outage,
        }
        route = routes.get(self.path)
        if route is None:
            return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
        try:
            route(self._form() if self.path.startswith("/sim/phone/") else self._body())
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

    def _population_numbers(self, body: dict) -> None:
        answer = population_answer(_text_field(body, "id_number"), self.server.people_file)
        if isinstance(answer, str):
            return self._misbehave(answer)
        return self._json({"numbers": sorted(answer)})

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

    # The development CA's revocation services -------------------------------------------

    def _ocsp(self, request: bytes) -> None:
        if Outage.ocsp_down:
            return self._json({"error": "responder down"}, HTTPStatus.SERVICE_UNAVAILABLE)
        self._send(HTTPStatus.OK, ocsp_answer(request, _ca_dir()), "application/ocsp-response")

    def _ca_outage(self, body: dict) -> None:
        """Test API: {"ocsp_down": true} makes the responder answer 503 until undone."""
        Outage.ocsp_down = bool(body.get("ocsp_down"))
        self._json({"ocsp_down": Outage.ocsp_down})

    # The mobile signature service (SIM ký số) ------------------------------------------

    def _sim_start(self, body: dict) -> None:
        text = body.get("display_text")
        if not (isinstance(text, str) and 0 < len(text) <= SIM_DISPLAY_TEXT_MAX):
            raise BadRequest(f"display_text: 1 to {SIM_DISPLAY_TEXT_MAX} characters")
        phone, digest = _text_field(body, "phone"), _digest_field(body)
        self._json({"session_id": self.server.sim.start(phone, digest, text)})

    def _sim_poll(self, body: dict) -> None:
        wait = body.get("wait_seconds", 0)
        # json.loads reads NaN and Infinity too: they would wait for ever.
        if isinstance(wait, bool) or not isinstance(wait, int | float) or not math.isfinite(wait):
            raise BadRequest("wait_seconds: a number")
        wait = min(max(wait, 0), SIM_MAX_WAIT_SECONDS)
        self._json(_result_json(self.server.sim.poll(_text_field(body, "session_id"), wait)))

    def _sim_approve(self, body: dict) -> None:
        pin = body.get("pin")
        if not isinstance(pin, str):
            raise BadRequest('expected {"session_id": "…", "pin": "…"}')
        error = self.server.sim.approve(_text_field(body, "session_id"), pin)
        self._sim_outcome(error, SimState.OK)

    def _sim_refuse(self, body: dict) -> None:
        error = self.server.sim.refuse(_text_field(body, "session_id"))
        self._sim_outcome(error, SimState.USER_CANCELLED)

    def _sim_outcome(self, error: str | None, state: SimState) -> None:
        if error is None:
            return self._json({"state": state.value})
        status = HTTPStatus.FORBIDDEN if error == "wrong_pin" else HTTPStatus.CONFLICT
        return self._json({"error": error}, status)

    def _sim_pending(self, phone: str) -> None:
        if phone_to_e164(phone) is None:
            return self._json({"error": "expected ?phone=+84…"}, HTTPStatus.BAD_REQUEST)
        pending = [{**item, "created": item["created"].isoformat()}
                   for item in self.server.sim.pending(phone)]
        return self._json({"pending": pending})

    def _phone_page(self, number: str, notice: str) -> None:
        phone = phone_to_e164(number)
        pending = self.server.sim.pending(phone) if phone else []
        page = phone_page_html(number, phone, pending, PHONE_SAYS.get(notice, ""))
        self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")

    def _phone_approve(self, form: dict) -> None:
        error = self.server.sim.approve(form.get("session_id", ""), form.get("pin", ""))
        self._phone_back(form, error or "approved")

    def _phone_refuse(self, form: dict) -> None:
        self._phone_back(form, self.server.sim.refuse(form.get("session_id", "")) or "refused")

    def _phone_back(self, form: dict, notice: str) -> None:
        # Post, then redirect: reloading the page does not send the PIN again.
        query = urlencode({"number": form.get("number", ""), "result": notice})
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", f"/sim/phone?{query}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, answer: Answer) -> None:
        """Send what the VNeID stand-in answered (sandbox/vneid.py)."""
        time.sleep(answer.delay)
        if answer.location:
            self.send_response(answer.status)
            self.send_header("Location", answer.location)
            self.send_header("Content-Length", "0")
            return self.end_headers()
        return self._send(HTTPStatus(answer.status), answer.body, answer.content_type)

    def _base(self) -> str:
        """This server as its caller named it: the issuer its ID tokens name."""
        host, port = self.server.server_address[:2]
        return "http://" + self.headers.get("Host", f"{host}:{port}")

    def _form(self) -> dict:
        raw = self._read_body().decode("utf-8", errors="replace")
        return {key: values[0] for key, values in parse_qs(raw).items()}

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            raise BadRequest("body too large")
        self._body_read = True
        return self.rfile.read(length)

    def _body(self) -> dict:
        try:
            body = json.loads(self._read_body() or b"null")
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
            self.wfile.flush()
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


def _query(query: str, name: str) -> str:
    return parse_qs(query).get(name, [""])[0]


def _digest_field(body: dict) -> bytes:
    try:
        digest = base64.b64decode(body.get("digest") or "", validate=True)
    except (binascii.Error, TypeError) as error:
        raise BadRequest("digest: the base64 of a SHA-256 hash") from error
    if len(digest) != DIGEST_BYTES:
        raise BadRequest("digest: the base64 of a SHA-256 hash")
    return digest


def _result_json(result: SimResult) -> dict:
    answer = {"state": result.state.value}
    if result.state == SimState.OK:
        answer.update(signature=base64.b64encode(result.signature).decode("ascii"),
                      certificate=base64.b64encode(result.certificate_der).decode("ascii"),
                      algorithm=result.algorithm)
    return answer


def phone_page_html(number: str, phone: str | None, pending: list[dict], notice: str) -> str:
    """The simulated phone ("Điện thoại mô phỏng"): what the phone's screen would show."""
    esc = html.escape
    parts = [
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Điện thoại mô phỏng</title></head><body><main>",
        "<h1>Điện thoại mô phỏng</h1>",
        "<p>Trang này thay cho điện thoại của người dùng trong môi trường thử nghiệm: yêu cầu "
        f"ký số gửi đến SIM ký số của số máy hiện ở đây. Mã PIN của mọi SIM mẫu: {SIM_PIN}.</p>",
        f'<p role="status">{esc(notice)}</p>' if notice else "",
        '<form method="get" action="/sim/phone"><label for="number">Số điện thoại</label> '
        f'<input id="number" name="number" type="tel" value="{esc(number)}"> '
        '<button type="submit">Xem yêu cầu</button></form>',
    ]
    if number and not phone:
        parts.append("<p>Số điện thoại không hợp lệ.</p>")
    if phone:
        parts.append(f"<h2>Yêu cầu ký số đang chờ ({esc(phone_national(phone))})</h2>")
        parts.extend(_phone_request_html(item, phone, i) for i, item in enumerate(pending))
        parts.append("" if pending else "<p>Không có yêu cầu nào đang chờ.</p>")
    parts.append("</main></body></html>")
    return "".join(parts)


def _phone_request_html(item: dict, phone: str, index: int) -> str:
    esc = html.escape
    hidden = (f'<input type="hidden" name="session_id" value="{esc(item["session_id"])}">'
              f'<input type="hidden" name="number" value="{esc(phone_national(phone))}">')
    return (
        f'<section><h3>{esc(item["text"])}</h3>'
        f'<p>Mã kiểm tra: <strong style="font-size:2em">{item["code"]}</strong></p>'
        f'<form method="post" action="/sim/phone/approve">{hidden}'
        f'<label for="pin-{index}">Mã PIN của SIM</label> '
        f'<input id="pin-{index}" name="pin" type="password" inputmode="numeric" '
        'autocomplete="off"> <button type="submit">Xác nhận</button></form>'
        f'<form method="post" action="/sim/phone/refuse">{hidden}'
        '<button type="submit">Từ chối</button></form></section>'
    )


def _person_json(record: PersonRecord) -> dict:
    return {
        "id_number": record.id_number,
        "full_name": record.full_name,
        "birth_date": record.birth_date.isoformat(),
    }


def serve(host: str, port: int, people_file: str | Path, sms_fail_first: int = 0) -> None:
    with SandboxServer((host, port), people_file, sms_fail_first) as server:
        server.serve_forever()


def _ca_dir() -> Path:
    from django.conf import settings

    return Path(settings.DEV_CA_DIR)
