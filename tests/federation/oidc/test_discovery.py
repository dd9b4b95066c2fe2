"""What a province's integrator reads before writing a line: discovery and the keys."""

import pytest
from jwcrypto import jwk

from federation.keys import key_new_pem

ORIGIN = "https://dichvucong.example.vn"


def test_it_describes_the_provider(client, settings):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER, "OIDC_ISS_ENDPOINT": ORIGIN}
    found = client.get("/.well-known/openid-configuration", HTTP_HOST="localhost")
    assert found["Access-Control-Allow-Origin"] == "*"
    found = found.json()
    assert found["issuer"] == ORIGIN, "from the settings, never the Host header"
    assert found["authorization_endpoint"] == ORIGIN + "/oidc/authorize/"
    assert found["token_endpoint"] == ORIGIN + "/oidc/token/"
    assert found["userinfo_endpoint"] == ORIGIN + "/oidc/userinfo/"
    assert found["jwks_uri"] == ORIGIN + "/oidc/jwks/"
    assert found["end_session_endpoint"] == ORIGIN + "/oidc/logout/"
    assert found["revocation_endpoint"] == ORIGIN + "/oidc/revoke/"
    assert found["response_types_supported"] == ["code"]
    assert found["code_challenge_methods_supported"] == ["S256"]
    assert found["subject_types_supported"] == ["pairwise"]
    assert found["id_token_signing_alg_values_supported"] == ["RS256"]
    assert found["acr_values_supported"] == ["urn:dichvucong:loa:2", "urn:dichvucong:loa:3"]
    assert found["scopes_supported"] == ["openid", "profile", "id_number", "phone", "email"]
    assert {"sub", "acr", "amr", "name", "birthdate", "id_number", "tax_code",
            "phone_number", "email"} <= set(found["claims_supported"])
    assert found["request_uri_parameter_supported"] is False


@pytest.mark.django_db
def test_it_publishes_the_active_key_and_the_retired_ones(client, settings):
    retired = key_new_pem()
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER,
                                "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [retired]}
    keys = client.get("/oidc/jwks/").json()["keys"]
    active = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
    old = jwk.JWK.from_pem(retired.encode())
    assert [key["kid"] for key in keys] == [active.thumbprint(), old.thumbprint()]
    assert all(key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
               and "d" not in key for key in keys), "public halves only"
