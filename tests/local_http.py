"""Small HTTP servers in the test process, for what an outside system may do that the
sandbox server never does: answer nonsense, a chosen status, or nothing at all."""

import contextlib
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@contextlib.contextmanager
def serving(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve `handler` on a free local port; yield the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def answering(status: int, body: bytes, seen: list | None = None):
    """A server answering every GET and POST with `status` and `body`; the headers of each
    request are appended to `seen`."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.do_GET()

        def do_GET(self):
            if seen is not None:
                seen.append(dict(self.headers))
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass  # keep the test output quiet

    return serving(Handler)


def scripted(holder: dict):
    """A server answering JSON as `holder["fake"]` says: `fake.answer(path)` gives the
    status and the body, and each request's (path, headers, body) goes to `fake.requests`.
    Through the holder, a server kept for a module serves each test's own fake."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            fake = holder["fake"]
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            fake.requests.append((self.path, dict(self.headers), body))
            status, answer = fake.answer(self.path)
            payload = json.dumps(answer).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_POST = do_GET

        def log_message(self, *args):
            pass

    return serving(Handler)


@contextlib.contextmanager
def silent() -> Iterator[str]:
    """A port that accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
