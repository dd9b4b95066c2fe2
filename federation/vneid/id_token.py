"""Checking an ID token, as Authlib's own OpenID Connect client does (its
`OpenIDMixin.parse_id_token`): the signature with joserfc, the JOSE library Authlib now
builds on, against the provider's published keys; then the claims with Authlib's
`CodeIDToken` (OpenID Connect Core 3.1.3.7): `iss` is the issuer, `aud` (and `azp`) this
client, `exp` and `iat` present and current, `nonce` the one this login sent, `at_hash`
the access token's."""

import logging

from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

log = logging.getLogger(__name__)

# The provider signs with RSA; nothing else (HS256 with a public key, "none") is taken.
ALGORITHMS = ["RS256"]
# Clock skew between the provider and us, in seconds.
LEEWAY_SECONDS = 60


class TokenInvalid(Exception):
    """The ID token fails a check; the message names which (for the log, not for people)."""


class KeyUnknown(TokenInvalid):
    """The token names a key the set lacks: the provider may have rotated its keys."""


def id_token_claims(id_token: str, *, keys: KeySet, issuer: str, client_id: str, nonce: str,
                    access_token: str, now: int | None = None) -> dict:
    """The ID token's claims once every check has passed; TokenInvalid otherwise."""
    try:
        token = jwt.decode(id_token, keys, registry=JWSRegistry(
            algorithms=ALGORITHMS, strict_check_header=False))
    except InvalidKeyIdError as error:
        raise KeyUnknown("kid") from error
    except (JoseError, ValueError) as error:
        raise TokenInvalid(getattr(error, "error", "decode")) from error
    options = {"iss": {"essential": True, "value": issuer},
               "aud": {"essential": True, "value": client_id}}
    params = {"nonce": nonce, "client_id": client_id, "access_token": access_token}
    claims = CodeIDToken(token.claims, token.header, options, params)
    try:
        claims.validate(now=now, leeway=LEEWAY_SECONDS)
    except JoseError as error:
        raise TokenInvalid(f"{error.error} {getattr(error, 'claim', '')}".strip()) from error
    return dict(claims)


def key_set(jwks) -> KeySet:
    """The provider's published keys; ValueError when they are no key set."""
    try:
        return KeySet.import_key_set(jwks)
    except (JoseError, KeyError, TypeError, AttributeError) as error:
        raise ValueError("not a key set") from error
