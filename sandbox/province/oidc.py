"""The province's side of "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia": an OpenID
Connect relying party written the way docs/federation.md tells an integrator to write one.

Authlib builds the protocol's pieces (the authorization request with PKCE S256, the token
request, the ID token's claim checks); joserfc checks the signature against the portal's
published keys; `requests` carries the calls, each with a time-out and no redirect
followed. The portal is known by its issuer URL only.
"""

import secrets
import time
from collections.abc import Callable

import requests
from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

LOA_2 = "urn:dichvucong:loa:2"
LOA_3 = "urn:dichvucong:loa:3"
SCOPE = "openid profile id_number phone email"
# The portal's discovery document and keys are kept this long (its guide: up to an hour);
# a token naming a key the kept set lacks fetches the set again (a rotation).
KEEP_SECONDS = 3600
LEEWAY_SECONDS = 60  # clock skew between the portal and this site
PENDING_SECONDS = 15 * 60  # a login's state, nonce and verifier, kept for its way back
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
             "end_session_endpoint")
TECHNICAL_CLAIMS = ("iss", "aud", "azp", "exp", "iat", "nonce", "at_hash", "jti")


class SignInFailed(Exception):
    """What came back logs nobody in; `code` (safe to log) picks the sentence shown."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class Portal:
    """Cổng Dịch vụ công quốc gia as this site's identity provider."""

    def __init__(self, *, issuer: str, client_id: str, client_secret: str, base_url: str,
                 timeout: float = 5.0):
        self.issuer = issuer.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uri = base_url + "/callback"
        self.post_logout_uri = base_url + "/"
        self.timeout = timeout
        self._kept: dict[str, tuple[float, object]] = {}

    def login_begin(self, *, level: int = 2) -> tuple[str, dict]:
        """Where to send the browser, and what to keep until it comes back (this login
        only): a random state, nonce and PKCE verifier."""
        pending = {"state": generate_token(32), "nonce": generate_token(32),
                   "verifier": generate_token(64), "level": level, "at": time.time()}
        extra = {"acr_values": LOA_3} if level >= 3 else {}
        url = prepare_grant_uri(
            self._metadata()["authorization_endpoint"], self.client_id, "code",
            redirect_uri=self.redirect_uri, scope=SCOPE, state=pending["state"],
            nonce=pending["nonce"], code_challenge_method="S256",
            code_challenge=create_s256_code_challenge(pending["verifier"]), **extra)
        return url, pending

    def login_finish(self, query: dict, pending: dict | None) -> dict:
        """The person the browser brought back (`query` of the callback), for the login
        `pending` began: {"claims": the ID token's and userinfo's, "id_token": …}."""
        tokens = self._tokens(self._code(query, pending), pending["verifier"])
        claims = self._checked(tokens, nonce=pending["nonce"])
        userinfo = self._json("GET", self._metadata()["userinfo_endpoint"], headers={
            "Authorization": f"Bearer {tokens['access_token']}"})
        if userinfo.get("sub") != claims["sub"]:  # OpenID Connect Core 5.3.2
            raise SignInFailed("token")
        person = {**userinfo, **claims}
        return {"claims": {name: value for name, value in person.items()
                           if name not in TECHNICAL_CLAIMS},
                "id_token": tokens["id_token"]}

    def _code(self, query: dict, pending: dict | None) -> str:
        """The code of an answer to `pending`, checked before it is spent: this browser's
        state, in time, from this issuer (RFC 9207: not another provider's answer)."""
        state = query.get("state", "")
        if pending is None or not secrets.compare_digest(state, pending["state"]):
            raise SignInFailed("state")
        if time.time() - pending["at"] > PENDING_SECONDS or query.get("iss") != self.issuer:
            raise SignInFailed("state")
        if "error" in query:
            raise SignInFailed("denied" if query["error"] == "access_denied" else "error")
        if not query.get("code"):
            raise SignInFailed("state")
        return query["code"]

    def logout_url(self, *, id_token: str, state: str) -> str:
        """The portal's RP-initiated logout, back to this site's home page."""
        return add_params_to_uri(self._metadata()["end_session_endpoint"], [
            ("id_token_hint", id_token), ("post_logout_redirect_uri", self.post_logout_uri),
            ("state", state)])

    def _tokens(self, code: str, verifier: str) -> dict:
        """The code for tokens, once: a code is single use, so never retried."""
        body = prepare_token_request("authorization_code", code=code,
                                     redirect_uri=self.redirect_uri, code_verifier=verifier)
        answer = self._call("POST", self._metadata()["token_endpoint"], data=body,
                            auth=(self.client_id, self.client_secret), headers={
                                "Content-Type": "application/x-www-form-urlencoded"})
        if answer.status_code == 400:  # invalid_grant: a code past its minute, or used
            raise SignInFailed("expired")
        tokens = _object(answer)
        if str(tokens.get("token_type", "")).lower() != "bearer" or not all(
                isinstance(tokens.get(name), str) for name in ("access_token", "id_token")):
            raise SignInFailed("unavailable")
        return tokens

    def _checked(self, tokens: dict, *, nonce: str) -> dict:
        """The ID token's claims: RS256 by a key of the portal's, then iss, aud, exp, iat,
        nonce and at_hash (OpenID Connect Core 3.1.3.7)."""
        try:
            try:
                token = jwt.decode(tokens["id_token"], self._keys(), algorithms=["RS256"])
            except InvalidKeyIdError:
                token = jwt.decode(tokens["id_token"], self._keys(fresh=True),
                                   algorithms=["RS256"])
            claims = CodeIDToken(
                token.claims, token.header,
                {"iss": {"essential": True, "value": self.issuer},
                 "aud": {"essential": True, "value": self.client_id}},
                {"nonce": nonce, "client_id": self.client_id,
                 "access_token": tokens["access_token"]})
            claims.validate(leeway=LEEWAY_SECONDS)
        except (JoseError, ValueError) as error:
            raise SignInFailed("token") from error
        return dict(claims)

    def _metadata(self) -> dict:
        def fetch() -> dict:
            found = self._json("GET", self.issuer + "/.well-known/openid-configuration")
            if found.get("issuer") != self.issuer or not all(  # Discovery 4.3
                    isinstance(found.get(name), str) for name in ENDPOINTS):
                raise SignInFailed("unavailable")
            return found

        return self._kept_or("metadata", fetch)

    def _keys(self, fresh: bool = False) -> KeySet:
        if fresh:
            self._kept.pop("keys", None)
        def fetch() -> KeySet:
            try:
                return KeySet.import_key_set(self._json("GET", self._metadata()["jwks_uri"]))
            except (JoseError, KeyError, TypeError, ValueError) as error:
                raise SignInFailed("unavailable") from error

        return self._kept_or("keys", fetch)

    def _kept_or(self, name: str, fetch: Callable[[], object]):
        kept = self._kept.get(name)
        if kept is None or time.monotonic() - kept[0] > KEEP_SECONDS:
            kept = (time.monotonic(), fetch())
            self._kept[name] = kept
        return kept[1]

    def _json(self, method: str, url: str, **kwargs) -> dict:
        return _object(self._call(method, url, **kwargs))

    def _call(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return requests.request(method, url, timeout=self.timeout, allow_redirects=False,
                                    **kwargs)
        except requests.RequestException as error:
            raise SignInFailed("unavailable") from error


def _object(answer: requests.Response) -> dict:
    """The JSON object of a 200 answer; SignInFailed("unavailable") for anything else."""
    try:
        found = answer.json() if answer.status_code == 200 else None
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise SignInFailed("unavailable")
    return found
