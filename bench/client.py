"""A small asyncio HTTP/1.0 client for the load driver: one connection per request, as
gunicorn's sync workers close each connection anyway, cookies kept per virtual person.

Written here rather than taken from locust or httpx so the driver spends its core on
sending, not on its own machinery: two cores are shared with the portal under test.
"""

import asyncio
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

COOKIE_RE = re.compile(r"^([^=;\s]+)=([^;]*)")
CSRF_INPUT_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class HttpError(Exception):
    """The server did not give an HTTP answer (refused, closed early, timed out)."""


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return urlsplit(self.headers.get("location", "")).path


@dataclass
class Client:
    """One person's browser: its cookies, and the server it talks to."""

    host: str
    port: int
    timeout: float = 30.0
    cookies: dict[str, str] = field(default_factory=dict)

    async def get(self, path: str) -> Response:
        return await self.request("GET", path)

    async def post(self, path: str, form: dict[str, str], *, csrf: bool = True) -> Response:
        if csrf:
            form = {**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
        return await self.request("POST", path, urlencode(form).encode())

    async def request(self, method: str, path: str, body: bytes = b"") -> Response:
        started = time.perf_counter()
        try:
            raw = await asyncio.wait_for(self._exchange(method, path, body), self.timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as error:
            raise HttpError(f"{method} {path}: {type(error).__name__}") from error
        response = _parse(raw, time.perf_counter() - started)
        self._keep_cookies(response)
        return response

    async def _exchange(self, method: str, path: str, body: bytes) -> bytes:
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write(self._head(method, path, body) + body)
            await writer.drain()
            return await reader.read(-1)
        finally:
            writer.close()

    def _head(self, method: str, path: str, body: bytes) -> bytes:
        lines = [f"{method} {path} HTTP/1.0", f"Host: {self.host}:{self.port}",
                 "User-Agent: portal-bench", "Accept-Language: vi"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            lines += ["Content-Type: application/x-www-form-urlencoded",
                      f"Content-Length: {len(body)}",
                      f"Origin: http://{self.host}:{self.port}",
                      f"Referer: http://{self.host}:{self.port}{path}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")

    def _keep_cookies(self, response: Response) -> None:
        for value in response.headers.get("set-cookie", "").split("\n"):
            match = COOKIE_RE.match(value.strip())
            if match:
                self.cookies[match[1]] = match[2].strip('"')


def _parse(raw: bytes, seconds: float) -> Response:
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise HttpError("no complete HTTP head in the answer")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, str] = {}
    for line in header_lines:
        name, _colon, value = line.partition(":")
        name, value = name.strip().lower(), value.strip()
        headers[name] = f"{headers[name]}\n{value}" if name in headers else value
    return Response(int(status_line.split()[1]), headers, body, seconds)


def csrf_token(response: Response) -> str:
    match = CSRF_INPUT_RE.search(response.text)
    return match[1] if match else ""
