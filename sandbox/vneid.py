"""The sandbox VNeID: an OpenID Connect provider for the sample people with a "vneid" record.

Served by the sandbox HTTP server under /vneid/ (sandbox/server.py): discovery, an
authorization page where the tester picks a sample person and agrees or refuses, a token
endpoint (authorization code with PKCE S256, the client's secret by HTTP Basic or in the
body), its keys (an RSA key made when the server starts) and userinfo. ID tokens are RS256.

A person's "vneid" record: {"level": 1|2, "id_number": their personal ID when it is not
the person's own (a CMND holder's CCCD), "behaviour": "refused" (their app refuses to
share, whatever the tester presses) | "timeout" (the token endpoint never answers in
time) | "nonsense" (it answers something that is not JSON)}.
The portal never imports this module: it knows the provider by its URL only.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

from joserfc import jwt
from joserfc.jwk import RSAKey

from sandbox.people import people
from sandbox.vneid_page import authorize_page, error_page

PREFIX = "/vneid"
# The one client registered here: the portal. settings.VNEID_PROVIDER names the same pair
# in development.
CLIENT_ID = "dichvucong"
CLIENT_SECRET = "vneid-sandbox-secret"
CODE_SECONDS = 120
TOKEN_SECONDS = 300
SLOW_ANSWER_SECONDS = 30  # longer than any time-out of the portal's
ACR = {1: "urn:vneid:level:1", 2: "urn:vneid:level:2"}


@dataclass
class Answer:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    location: str = ""
    delay: float = 0.0  # seconds the answer waits before it leaves


def _json(data, status: int = 200) -> Answer:
    return Answer(status, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class VneidSandbox:
    def __init__(self, people_file: str):
        self.people_file = people_file
        self.key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"},
                                       auto_kid=True)
        self._lock = threading.Lock()
        self._requests: dict[str, dict] = {}  # shown authorization pages, by their id
        self._codes: dict[str, dict] = {}
        self._tokens: dict[str, dict] = {}

    # Reading ---------------------------------------------------------------------------

    def get(self, path: str, query: str, headers, base: str) -> Answer:
        issuer = base + PREFIX
        if path == PREFIX + "/.well-known/openid-configuration":
            return _json(self.discovery(issuer))
        if path == PREFIX + "/jwks":
            return _json({"keys": [self.key.as_dict(private=False)]})
        if path == PREFIX + "/authorize":
            return self._authorize_page({k: v[0] for k, v in parse_qs(query).items()})
        if path == PREFIX + "/userinfo":
            return self._userinfo(headers.get("Authorization", ""))
        return _json({"error": "not found"}, 404)

    def discovery(self, issuer: str) -> dict:
        return {
            "issuer": issuer,
            "authorization_endpoint": issuer + "/authorize",
            "token_endpoint": issuer + "/token",
            "jwks_uri": issuer + "/jwks",
            "userinfo_endpoint": issuer + "/userinfo",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic",
                                                      "client_secret_post"],
            "scopes_supported": ["openid", "profile", "phone"],
            "acr_values_supported": list(ACR.values()),
            "claims_supported": ["sub", "name", "birthdate", "phone_number",
                                 "personal_identification_number", "acr"],
        }

    def _authorize_page(self, params: dict) -> Answer:
        problem = _request_problem(params)
        if problem:
            return Answer(400, error_page(problem), "text/html; charset=utf-8")
        request_id = secrets.token_urlsafe(16)
        with self._lock:
            self._requests[request_id] = {**params, "at": time.time()}
        page = authorize_page(request_id, _vneid_people(self.people_file))
        return Answer(200, page, "text/html; charset=utf-8")

    def _userinfo(self, authorization: str) -> Answer:
        scheme, _, token = authorization.partition(" ")
        with self._lock:
            grant = self._tokens.get(token) if scheme.lower() == "bearer" else None
        if grant is None or grant["expires"] < time.time():
            return _json({"error": "invalid_token"}, 401)
        return _json(grant["userinfo"])

    # Deciding and exchanging -----------------------------------------------------------

    def post(self, path: str, body: bytes, headers, base: str) -> Answer:
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if path == PREFIX + "/authorize":
            return self._decide(form)
        if path == PREFIX + "/token":
            return self._token(form, headers.get("Authorization", ""), base + PREFIX)
        return _json({"error": "not found"}, 404)

    def _decide(self, form: dict) -> Answer:
        with self._lock:
            request = self._requests.pop(form.get("request_id", ""), None)
        if request is None:
            page = error_page("Yêu cầu đã được xử lý hoặc không tồn tại.")
            return Answer(400, page, "text/html; charset=utf-8")
        person = _vneid_person(self.people_file, form.get("person", ""))
        refused = (form.get("decision") != "allow" or person is None
                   or person["vneid"].get("behaviour") == "refused")
        if refused:
            return _back(request, error="access_denied")
        code = secrets.token_urlsafe(24)
        with self._lock:
            self._codes[code] = {"request": request, "person": person,
                                 "expires": time.time() + CODE_SECONDS}
        return _back(request, code=code)

    def _token(self, form: dict, authorization: str, issuer: str) -> Answer:
        client_id, secret = _client(form, authorization)
        if client_id != CLIENT_ID or not secrets.compare_digest(secret, CLIENT_SECRET):
            return _json({"error": "invalid_client"}, 401)
        with self._lock:
            grant = self._codes.pop(form.get("code", ""), None)  # single use
        if grant is None or not _grant_matches(grant, form):
            return _json({"error": "invalid_grant"}, 400)
        behaviour = grant["person"]["vneid"].get("behaviour")
        if behaviour == "timeout":
            return Answer(504, b'{"error": "too late"}', delay=SLOW_ANSWER_SECONDS)
        if behaviour == "nonsense":
            return Answer(200, b"<html>not json</html>", "text/html")
        return _json(self._tokens_issue(grant, issuer))

    def _tokens_issue(self, grant: dict, issuer: str) -> dict:
        person, request = grant["person"], grant["request"]
        record = person["vneid"]
        id_number = record.get("id_number", person["id_number"])
        subject = hashlib.sha256(f"{CLIENT_ID}:{id_number}".encode()).hexdigest()[:32]
        access_token = secrets.token_urlsafe(32)
        now = int(time.time())
        with self._lock:
            self._tokens[access_token] = {"expires": now + TOKEN_SECONDS, "userinfo": {
                "sub": subject, "personal_identification_number": id_number,
                "name": person["full_name"], "birthdate": person["birth_date"],
                "phone_number": person["phone"], "phone_number_verified": True}}
        claims = {
            "iss": issuer, "sub": subject, "aud": CLIENT_ID, "iat": now,
            "exp": now + TOKEN_SECONDS, "auth_time": now, "nonce": request["nonce"],
            "acr": ACR[record["level"]],
            "at_hash": _b64url(hashlib.sha256(access_token.encode()).digest()[:16]),
        }
        id_token = jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, self.key)
        return {"access_token": access_token, "token_type": "Bearer",
                "expires_in": TOKEN_SECONDS, "id_token": id_token}


def _request_problem(params: dict) -> str:
    """What is wrong with an authorization request, or ""."""
    if params.get("client_id") != CLIENT_ID:
        return "client_id không được đăng ký với VNeID thử nghiệm."
    if params.get("response_type") != "code":
        return "response_type phải là code."
    if "openid" not in params.get("scope", "").split():
        return "scope phải có openid."
    if not params.get("redirect_uri", "").startswith(("http://", "https://")):
        return "redirect_uri không hợp lệ."
    if params.get("code_challenge_method") != "S256" or len(
            params.get("code_challenge", "")) != 43:
        return "Cần PKCE: code_challenge với code_challenge_method S256."
    if not (params.get("state") and params.get("nonce")):
        return "Cần state và nonce."
    return ""


def _back(request: dict, **outcome) -> Answer:
    """Back to the client's redirect URI with the outcome and its state."""
    uri = request["redirect_uri"]
    query = urlencode({**outcome, "state": request["state"]})
    return Answer(303, location=uri + ("&" if "?" in uri else "?") + query)


def _client(form: dict, authorization: str) -> tuple[str, str]:
    scheme, _, encoded = authorization.partition(" ")
    if scheme.lower() == "basic":
        try:
            client_id, _, secret = base64.b64decode(encoded).decode("latin-1").partition(":")
        except ValueError:
            return "", ""
        return client_id, secret
    return form.get("client_id", ""), form.get("client_secret", "")


def _grant_matches(grant: dict, form: dict) -> bool:
    """The code is alive, for this redirect URI, and the verifier answers its challenge."""
    request = grant["request"]
    verifier = form.get("code_verifier", "")
    challenge = _b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
    return (grant["expires"] >= time.time() and form.get("grant_type") == "authorization_code"
            and form.get("redirect_uri") == request["redirect_uri"]
            and 43 <= len(verifier) <= 128
            and secrets.compare_digest(challenge, request["code_challenge"]))


def _vneid_people(path: str) -> list[dict]:
    return [person for person in people(path) if person.get("vneid")]


def _vneid_person(path: str, id_number: str) -> dict | None:
    return next((p for p in _vneid_people(path) if p["id_number"] == id_number), None)
