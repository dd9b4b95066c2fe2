"""The agent's HTTP API (docs/signing.md): loopback only, one origin, JSON in and out."""

import base64
import binascii
import hashlib
import json
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from signing.agent import __version__
from signing.agent.token import TokenAccess, TokenError

AGENT_NAME = "dvc-signing-agent"
PROTOCOL_VERSION = "1"
HOST = "127.0.0.1"
MAX_BODY = 8192
NONCE_BYTES = 32

STATUS = {
    "no_token": HTTPStatus.CONFLICT,
    "wrong_pin": HTTPStatus.UNAUTHORIZED,
    "pin_locked": HTTPStatus.LOCKED,
    "no_certificate": HTTPStatus.NOT_FOUND,
    "bad_request": HTTPStatus.BAD_REQUEST,
    "origin_refused": HTTPStatus.FORBIDDEN,
    "not_found": HTTPStatus.NOT_FOUND,
    "agent_error": HTTPStatus.INTERNAL_SERVER_ERROR,
}
MESSAGES = {
    "no_token": "Không tìm thấy USB ký số. Hãy cắm USB ký số và cài đặt trình điều khiển "
                "(driver) của nhà cung cấp chữ ký số.",
    "wrong_pin": "Mã PIN không đúng.",
    "pin_locked": "Mã PIN của USB ký số đã bị khóa. Hãy liên hệ nhà cung cấp chữ ký số "
                  "để mở khóa.",
    "no_certificate": "Không tìm thấy chứng thư số dùng được trên USB ký số.",
    "bad_request": "Yêu cầu ký không hợp lệ.",
    "origin_refused": "Công cụ ký điện tử chỉ phục vụ Cổng Dịch vụ công quốc gia.",
    "not_found": "Không có chức năng này.",
    "agent_error": "Công cụ ký điện tử gặp lỗi. Hãy rút USB ký số, cắm lại và thử lại.",
}


def signed_message(origin: str, nonce: str) -> bytes:
    """SHA-256(origin, UTF-8) ‖ SHA-256(nonce, ASCII): 64 bytes, as docs/signing.md."""
    return hashlib.sha256(origin.encode("utf-8")).digest() + hashlib.sha256(
        nonce.encode("ascii")
    ).digest()


class BadRequest(Exception):
    pass


def _nonce(value) -> str:
    """The portal's nonce: standard base64 of 32 bytes, so the agent signs nothing else."""
    if not isinstance(value, str) or not value.isascii():
        raise BadRequest("nonce")
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error:
        raise BadRequest("nonce") from None
    if len(raw) != NONCE_BYTES:
        raise BadRequest("nonce")
    return value


def _certificate_id(value) -> bytes:
    if not isinstance(value, str) or not value or len(value) > 256:
        raise BadRequest("certificate_id")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise BadRequest("certificate_id") from None


def parse_sign_request(body: bytes) -> tuple[bytes, str, str]:
    """(CKA_ID, PIN, nonce) from the JSON body, or BadRequest."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BadRequest("json") from None
    if not isinstance(data, dict):
        raise BadRequest("json")
    pin = data.get("pin")
    if not isinstance(pin, str) or not pin or len(pin) > 256:
        raise BadRequest("pin")
    return _certificate_id(data.get("certificate_id")), pin, _nonce(data.get("nonce"))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class AgentHandler(BaseHTTPRequestHandler):
    server_version = f"{AGENT_NAME}/{PROTOCOL_VERSION}"
    server: "AgentServer"

    # --- requests

    def do_OPTIONS(self):
        if not self._origin_allowed(required=True):
            return self._refuse()
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors_headers()
        self.send_header("Access-Control-Allow-Methods", "GET, POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Access-Control-Max-Age", "600")
        # Chrome's Private Network Access: a public page may reach loopback only if we agree.
        if self.headers.get("Access-Control-Request-Private-Network", "").lower() == "true":
            self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        route = urlsplit(self.path).path
        # /status is also what a person checks by hand, without an Origin header.
        if not self._origin_allowed(required=route != "/status"):
            return self._refuse()
        if route == "/status":
            return self._reply(HTTPStatus.OK, {
                "agent": AGENT_NAME, "version": PROTOCOL_VERSION,
                "agent_version": __version__, "token": self.server.tokens.present(),
            })
        if route == "/certificates":
            return self._answer(self._certificates)
        return self._error("not_found")

    def do_POST(self):
        if not self._origin_allowed(required=True):
            return self._refuse()
        if urlsplit(self.path).path == "/sign":
            return self._answer(self._sign)
        return self._error("not_found")

    # --- endpoints

    def _certificates(self) -> dict:
        listed = self.server.tokens.certificates()
        return {"certificates": [{**c, "certificate": _b64(c["certificate"])} for c in listed]}

    def _sign(self) -> dict:
        ckaid, pin, nonce = parse_sign_request(self._body())
        # The origin is the browser's Origin header, already checked to be the portal's.
        message = signed_message(self.headers["Origin"], nonce)
        signature = self.server.tokens.sign(ckaid, pin, message)
        return {
            "signature": _b64(signature.value),
            "algorithm": signature.algorithm,
            "certificate": _b64(signature.certificate),
        }

    # --- plumbing

    def _answer(self, endpoint) -> None:
        try:
            return self._reply(HTTPStatus.OK, endpoint())
        except BadRequest:
            return self._error("bad_request")
        except TokenError as error:
            return self._error(error.code, error.tries_left)
        except Exception as error:  # whatever broke, the page still needs a JSON answer
            print(f"agent error: {error!r}", file=sys.stderr)
            return self._error("agent_error")

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise BadRequest("length") from None
        if not 0 < length <= MAX_BODY:
            raise BadRequest("length")
        return self.rfile.read(length)

    def _origin_allowed(self, required: bool) -> bool:
        # A Host other than our loopback name means DNS rebinding: a foreign page reaching
        # us under its own name, where browsers send no Origin for simple requests.
        port = self.server.server_address[1]
        if self.headers.get("Host") not in (f"{HOST}:{port}", f"localhost:{port}"):
            return False
        origin = self.headers.get("Origin")
        if origin is None:
            return not required
        return origin == self.server.origin

    def _cors_headers(self) -> None:
        if self.headers.get("Origin") == self.server.origin:
            self.send_header("Access-Control-Allow-Origin", self.server.origin)
        self.send_header("Vary", "Origin")

    def _refuse(self) -> None:
        self._reply(HTTPStatus.FORBIDDEN, self._error_body("origin_refused"), cors=False)

    def _error(self, code: str, tries_left: int | None = None) -> None:
        self._reply(STATUS[code], self._error_body(code, tries_left))

    @staticmethod
    def _error_body(code: str, tries_left: int | None = None) -> dict:
        body = {"error": code, "message": MESSAGES[code]}
        if tries_left is not None:
            body["tries_left"] = tries_left
            body["message"] = f"Mã PIN không đúng. Còn {tries_left} lần thử trước khi bị khóa."
        return body

    def _reply(self, status: HTTPStatus, body: dict, cors: bool = True) -> None:
        payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        if cors:
            self._cors_headers()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(payload)


class AgentServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, origin: str, tokens: TokenAccess):
        self.origin = origin.rstrip("/")
        self.tokens = tokens
        # Loopback only, whatever the configuration: the API is for this machine's browser.
        super().__init__((HOST, port), AgentHandler)
