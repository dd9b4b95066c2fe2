"""VNeID over OpenID Connect: the real adapter of `settings.VNEID_PROVIDER`.

Authlib builds the protocol's pieces (the authorization request, the token request, the
ID token's claim checks: federation/vneid/id_token.py); every call to the provider goes
through portal.outbound, the portal's one HTTP client (bounded waits, no redirects, no
cookies, one `EidUnavailable` whatever fails), not through Authlib's own session.

The discovery document and the keys are kept for KEEP_SECONDS; a token naming a key the
kept set lacks fetches the set once more (the provider rotated its keys).
"""

import functools
import json
import logging
import time
from collections.abc import Callable

from authlib.oauth2.rfc6749.parameters import prepare_grant_uri, prepare_token_request
from joserfc.jwk import KeySet

from federation.vneid.base import (
    SYSTEM,
    EidIdentity,
    EidProvider,
    EidRefused,
    EidUnavailable,
)
from federation.vneid.claims import identity_read
from federation.vneid.id_token import KeyUnknown, TokenInvalid, id_token_claims, key_set
from portal import outbound

log = logging.getLogger(__name__)

KEEP_SECONDS = 3600
ENDPOINTS = ("authorization_endpoint", "token_endpoint", "jwks_uri", "userinfo_endpoint")


class OidcEidProvider(EidProvider):
    """The portal as VNeID's client `client_id`: code flow, PKCE S256, client_secret_basic."""

    def __init__(self, *, issuer: str, client_id: str, client_secret: str = "",
                 timeout: float = 5.0, scope: str = "openid profile phone"):
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self.timeout = float(timeout)
        self.scope = scope
        self._kept: dict[str, tuple[float, object]] = {}

    def authorization_url(self, *, redirect_uri: str, state: str, nonce: str,
                          code_challenge: str) -> str:
        return prepare_grant_uri(
            self._metadata()["authorization_endpoint"], self.client_id, "code",
            redirect_uri=redirect_uri, scope=self.scope, state=state, nonce=nonce,
            code_challenge=code_challenge, code_challenge_method="S256")

    def identity_fetch(self, *, code: str, redirect_uri: str, code_verifier: str,
                       nonce: str) -> EidIdentity:
        metadata = self._metadata()
        tokens = self._tokens(metadata["token_endpoint"], code=code, redirect_uri=redirect_uri,
                              code_verifier=code_verifier)
        claims = self._checked(tokens, nonce=nonce)
        userinfo = self._json("GET", metadata["userinfo_endpoint"], _object, headers={
            "Authorization": f"Bearer {tokens['access_token']}"})
        try:
            return identity_read(claims, userinfo)
        except (KeyError, TypeError, ValueError) as error:
            log.warning("VNeID identity unreadable: %s", type(error).__name__)
            raise outbound.unavailable(EidUnavailable, "bad_answer", system=SYSTEM) from None

    def _tokens(self, url: str, **grant) -> dict:
        """The token answer. A code is single use: never sent twice (retry=False); one the
        provider refuses (expired, used) means this login must start again."""
        body = prepare_token_request("authorization_code", **grant)
        try:
            return self._json("POST", url, _token_answer, retry=False, data=body,
                              auth=(self.client_id, self.client_secret), headers={
                                  "Content-Type": "application/x-www-form-urlencoded"})
        except EidUnavailable as down:
            if down.status == 400:  # invalid_grant
                raise EidRefused("state") from None
            raise

    def _checked(self, tokens: dict, *, nonce: str) -> dict:
        check = functools.partial(id_token_claims, tokens["id_token"], issuer=self.issuer,
                                  client_id=self.client_id, nonce=nonce,
                                  access_token=tokens["access_token"])
        try:
            try:
                return check(keys=self._keys())
            except KeyUnknown:
                return check(keys=self._keys(fresh=True))
        except TokenInvalid as invalid:
            log.warning("VNeID ID token refused: %s", invalid)
            raise EidRefused("token") from None

    def _metadata(self) -> dict:
        return self._kept_or(
            "metadata", lambda: self._json(
                "GET", self.issuer + "/.well-known/openid-configuration",
                functools.partial(_discovery, issuer=self.issuer)))

    def _keys(self, fresh: bool = False) -> KeySet:
        if fresh:
            self._kept.pop("keys", None)
        return self._kept_or("keys", lambda: self._json(
            "GET", self._metadata()["jwks_uri"], key_set))

    def _kept_or(self, name: str, fetch: Callable[[], object]):
        kept = self._kept.get(name)
        if kept is None or time.monotonic() - kept[0] > KEEP_SECONDS:
            kept = (time.monotonic(), fetch())
            self._kept[name] = kept
        return kept[1]

    def _json(self, method: str, url: str, read: Callable, **kwargs):
        """`read(decoded JSON answer)`; anything it cannot read is "bad_answer" (and so
        recorded: outbound.request reads it)."""

        def decoded(body: bytes):
            try:
                return read(json.loads(body))
            except (KeyError, TypeError, ValueError) as error:
                raise outbound.unavailable(EidUnavailable, "bad_answer",
                                           system=SYSTEM) from error

        return outbound.request(method, url, system=SYSTEM, kind=EidUnavailable,
                                timeout=self.timeout, read=decoded, **kwargs)


def _object(answer) -> dict:
    if not isinstance(answer, dict):
        raise TypeError("not a JSON object")
    return answer


def _discovery(answer, *, issuer: str) -> dict:
    """OpenID Connect Discovery 4.3: the document must name the issuer it was fetched for."""
    if _object(answer).get("issuer") != issuer:
        raise ValueError("the document names another issuer")
    if not all(isinstance(answer.get(name), str) for name in ENDPOINTS):
        raise ValueError("an endpoint is missing")
    return answer


def _token_answer(answer) -> dict:
    token_type = _object(answer).get("token_type")
    if not (isinstance(token_type, str) and token_type.lower() == "bearer"):
        raise ValueError("not a bearer token")
    if not (isinstance(answer["access_token"], str) and isinstance(answer["id_token"], str)):
        raise TypeError("no access token or ID token")
    return answer
