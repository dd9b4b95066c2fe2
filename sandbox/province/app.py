"""The province's site as a WSGI application: a handful of pages, each a short function of
(site, request) returning a Response; `serve` runs it on wsgiref, a thread per request."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIServer, make_server

from sandbox.province.oidc import LOA_3, Portal, SignInFailed
from sandbox.province.pages import claim_rows, level_text, message_of, render
from sandbox.province.sessions import Sessions, cookie_header, pending_keep, pending_take

STYLESHEET = (Path(__file__).resolve().parent / "static" / "province.css").read_bytes()
# Where a login of each level leads back to: fixed here, never taken from a request.
LANDING = {2: "/thong-tin", 3: "/dich-vu-muc-do-3"}
SECURITY_HEADERS = [
    ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("Cache-Control", "no-store"),  # pages name the person
]
STATUS = {200: "200 OK", 303: "303 See Other", 404: "404 Not Found",
          405: "405 Method Not Allowed"}


@dataclass
class Request:
    method: str
    path: str
    query: dict
    session_id: str
    session: dict
    renew: bool = False  # a sign-in or sign-out: the session gets a new id


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: list = field(default_factory=list)


def redirect(location: str) -> Response:
    return Response(303, headers=[("Location", location)])


def page(template: str, request: Request, status: int = 200, **context) -> Response:
    """A page, with the message a redirect left for it (shown once)."""
    code = request.session.pop("message", "")
    return Response(status, render(template, person=request.session.get("person"),
                                   message=message_of(code) if code else None,
                                   current=request.path, **context))


class ProvinceSite:
    def __init__(self, portal: Portal, sessions: Sessions | None = None):
        self.portal = portal
        self.sessions = sessions or Sessions()

    def __call__(self, environ, start_response):
        session_id, session = self.sessions.load(environ.get("HTTP_COOKIE", ""))
        request = Request(environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/"),
                          dict(parse_qsl(environ.get("QUERY_STRING", ""))), session_id, session)
        response = self.answer(request)
        headers = [("Content-Type", response.content_type), *SECURITY_HEADERS,
                   *response.headers]
        if request.session or request.session_id:
            new_id = self.sessions.save(request.session_id, request.session,
                                        renew=request.renew)
            if new_id != session_id:
                headers.append(("Set-Cookie", cookie_header(new_id)))
        start_response(STATUS[response.status], headers)
        return [response.body]

    def answer(self, request: Request) -> Response:
        if request.path == "/static/province.css":
            return Response(body=STYLESHEET, content_type="text/css; charset=utf-8")
        route = ROUTES.get(request.path)
        if route is None:
            return page("not_found.html", request, status=404)
        method, view = route
        if request.method != method:
            return Response(405, headers=[("Allow", method)])
        return view(self, request)


def home(site: ProvinceSite, request: Request) -> Response:
    # Back from the portal's logout: its `state` says this browser asked for it.
    asked = request.session.pop("logout_state", "")
    if asked and secrets.compare_digest(request.query.get("state", ""), asked):
        request.session["message"] = "signed_out"
    return page("home.html", request)


def login(site: ProvinceSite, request: Request) -> Response:
    level = 3 if request.query.get("muc-do") == "3" else 2
    try:
        url, pending = site.portal.login_begin(level=level)
    except SignInFailed as failed:
        request.session["message"] = failed.code
        return redirect(_after_failure(level))
    pending_keep(request.session, pending)
    return redirect(url)


def callback(site: ProvinceSite, request: Request) -> Response:
    pending = pending_take(request.session, request.query.get("state", ""))
    level = pending["level"] if pending else 2
    try:
        signed_in = site.portal.login_finish(request.query, pending)
    except SignInFailed as failed:
        # Turned back at level 3: a level-2 account, or consent refused at the step-up.
        refused_level = failed.code == "denied" and level == 3
        request.session["message"] = "level" if refused_level else failed.code
        return redirect(_after_failure(level))
    request.session["person"] = signed_in["claims"]
    request.session["id_token"] = signed_in["id_token"]
    request.renew = True
    return redirect(LANDING[level])


def _after_failure(level: int) -> str:
    """A failed level-3 login says so on the service page; any other, on the home page."""
    return LANDING[3] if level == 3 else "/"


def claims(site: ProvinceSite, request: Request) -> Response:
    person = request.session.get("person")
    if not person:
        return redirect("/")
    return page("claims.html", request, rows=claim_rows(person), amr=" ".join(
        person.get("amr") or []))


def service(site: ProvinceSite, request: Request) -> Response:
    person = request.session.get("person") or {}
    return page("service.html", request, level3=person.get("acr") == LOA_3,
                level=level_text(person) if person else "")


def logout(site: ProvinceSite, request: Request) -> Response:
    """Signed out here at once, then sent to the portal's logout (with the ID token, so
    the portal logs the same person out without asking), which sends them back home."""
    id_token = request.session.get("id_token", "")
    request.session.clear()
    request.renew = True
    if not id_token:
        return redirect("/")
    state = secrets.token_urlsafe(16)
    try:
        url = site.portal.logout_url(id_token=id_token, state=state)
    except SignInFailed:
        request.session["message"] = "unavailable"
        return redirect("/")
    request.session["logout_state"] = state
    return redirect(url)


ROUTES: dict[str, tuple[str, Callable]] = {
    "/": ("GET", home),
    "/dang-nhap": ("GET", login),
    "/callback": ("GET", callback),
    "/thong-tin": ("GET", claims),
    "/dich-vu-muc-do-3": ("GET", service),
    "/dang-xuat": ("POST", logout),
}


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a request waiting on the portal does not hold up stopping


def serve(site: ProvinceSite, host: str, port: int) -> None:
    with make_server(host, port, site, server_class=_Server) as server:
        server.serve_forever()
