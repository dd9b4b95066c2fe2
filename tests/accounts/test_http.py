from django.test import RequestFactory

from accounts.http import client_ip


def _request(forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)


def test_it_uses_the_peer_address_without_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("198.51.100.9")) == "10.0.0.2"


def test_it_takes_the_address_our_proxy_saw_not_what_the_client_wrote(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("1.2.3.4, 203.0.113.7")) == "203.0.113.7"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("1.2.3.4, 203.0.113.7, 10.0.0.5")) == "203.0.113.7"


def test_it_falls_back_to_the_peer_when_the_header_is_short(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("203.0.113.7")) == "10.0.0.2"
