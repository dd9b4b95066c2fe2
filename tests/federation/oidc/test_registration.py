"""Registering a client (federation/clients.py): what a redirect URI may be, and the
writes whoever calls them."""

import pytest
from django.contrib.auth.hashers import check_password

from federation.clients import (
    ClientRefused,
    client_create,
    client_secret_reset,
    client_set_enabled,
    client_update,
    uri_check,
    uris_check,
)

BACKAN = "https://dichvucong.backan.example.vn/oidc/callback"


@pytest.mark.parametrize("uri", [
    BACKAN, "https://dichvucong.backan.example.vn:8443/cb?portal=1",
    "http://127.0.0.1:8200/callback", "http://localhost/cb", "http://[::1]:8200/cb",
])
def test_it_accepts_an_exact_absolute_address(uri):
    assert uri_check(uri) == uri


@pytest.mark.parametrize(("uri", "code"), [
    ("http://dichvucong.backan.example.vn/cb", "not_https"),
    ("http://127.0.0.1.example.vn/cb", "not_https"),
    ("ftp://dichvucong.backan.example.vn/cb", "not_https"),
    ("javascript://dichvucong.backan.example.vn/%0aalert(1)", "not_https"),
    ("https://dichvucong.backan.example.vn/cb#x", "fragment"),
    ("https://*.backan.example.vn/cb", "wildcard"),
    ("/callback", "not_absolute"),
    ("https:///callback", "not_absolute"),
    ("https://user@dichvucong.backan.example.vn/cb", "invalid"),
    ("https://dich vu.example.vn/cb", "invalid"),
    ("https://[::1/cb", "invalid"),
])
def test_it_refuses_what_cannot_match_exactly_or_safely(uri, code):
    with pytest.raises(ClientRefused) as refused:
        uri_check(uri)
    assert refused.value.code == code


def test_http_is_refused_everywhere_when_the_settings_allow_https_only(settings):
    settings.OAUTH2_PROVIDER = {**settings.OAUTH2_PROVIDER,
                                "ALLOWED_REDIRECT_URI_SCHEMES": ["https"]}
    with pytest.raises(ClientRefused):
        uri_check("http://127.0.0.1:8200/callback")


def test_it_keeps_the_order_drops_duplicates_and_caps_the_list():
    assert uris_check([" ", BACKAN, BACKAN + "2", BACKAN]) == [BACKAN, BACKAN + "2"]
    with pytest.raises(ClientRefused, match="no_redirect"):
        uris_check(["", "  "], required=True)
    with pytest.raises(ClientRefused, match="too_many"):
        uris_check([f"{BACKAN}{n}" for n in range(11)])


@pytest.mark.django_db
def test_the_writes_hash_the_secret_report_changes_and_switch():
    client, secret = client_create(display_name=" Bắc Kạn ", redirect_uris=[BACKAN],
                                   allowed_scopes=["email", "profile"])
    assert client.display_name == "Bắc Kạn" and len(client.application.client_id) >= 20
    assert client.allowed_scopes == ["openid", "profile", "email"]
    assert check_password(secret, client.application.client_secret)
    assert client_update(client=client, display_name="Bắc Kạn", redirect_uris=[BACKAN],
                         allowed_scopes=["profile", "email"]) == []
    assert client_update(client=client, logo_url="https://backan.example.vn/logo.png") == [
        "logo_url"]
    assert client_update(client=client, allowed_scopes=["phone"], refresh_allowed=True) == [
        "allowed_scopes", "refresh_allowed"]
    client.refresh_from_db()
    assert (client.allowed_scopes, client.logo_url) == (["openid", "phone"],
                                                         "https://backan.example.vn/logo.png")
    assert client_set_enabled(client=client, enabled=False)
    assert not client_set_enabled(client=client, enabled=False)
    new = client_secret_reset(client=client)
    client.application.refresh_from_db()
    assert check_password(new, client.application.client_secret)
    assert not check_password(secret, client.application.client_secret)


@pytest.mark.django_db
def test_the_writes_refuse_unknown_scopes_and_a_public_clients_secret():
    with pytest.raises(ClientRefused, match="scope_unknown"):
        client_create(display_name="X", redirect_uris=[BACKAN], allowed_scopes=["admin"])
    public, secret = client_create(display_name="X", redirect_uris=[BACKAN],
                                   confidential=False)
    assert secret == "" and public.application.client_type == "public"
    with pytest.raises(ClientRefused, match="public"):
        client_secret_reset(client=public)
