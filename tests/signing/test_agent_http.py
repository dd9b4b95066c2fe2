"""The agent's HTTP surface: one origin, loopback only, the private-network preflight and
the sign endpoint's refusals."""

import base64
import os
import socket
from urllib.parse import urlsplit

import pytest
import requests

from sandbox.softhsm import object_id
from tests.fixtures_signing import TEST_ORIGIN, TEST_PIN, make_identity

FOREIGN = "https://dichvucong.example.com.evil"
ORIGIN = {"Origin": TEST_ORIGIN}
NONCE = base64.b64encode(bytes(range(32))).decode("ascii")


@pytest.fixture(scope="module")
def identity():
    return make_identity("TRẦN THỊ BÌNH", "rsa")


@pytest.fixture(scope="module")
def agent(softhsm_token, signing_agent, identity):  # noqa: F811
    return signing_agent(softhsm_token([identity]))


@pytest.fixture(scope="module")
def certificate_id(identity) -> str:
    return object_id(identity[0]).hex()


def post_sign(agent: str, body, headers=ORIGIN) -> requests.Response:
    data = body if isinstance(body, bytes) else None
    json_body = None if data is not None else body
    return requests.post(agent + "/sign", data=data, json=json_body, headers=headers, timeout=10)


# --- origin and CORS

@pytest.mark.parametrize(("method", "path"), [
    ("GET", "/status"), ("GET", "/certificates"), ("POST", "/sign"), ("OPTIONS", "/sign"),
])
def test_foreign_origin_is_refused_without_cors(agent, method, path):
    answer = requests.request(method, agent + path, headers={"Origin": FOREIGN}, timeout=5)
    assert answer.status_code == 403
    assert "Access-Control-Allow-Origin" not in answer.headers
    if method != "OPTIONS":
        assert answer.json()["error"] == "origin_refused"


@pytest.mark.parametrize("path", ["/status", "/certificates"])
def test_portal_origin_gets_cors_for_itself_only(agent, path):
    answer = requests.get(agent + path, headers=ORIGIN, timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Access-Control-Allow-Origin"] == TEST_ORIGIN
    assert answer.headers["Vary"] == "Origin"
    assert answer.headers["Content-Type"] == "application/json; charset=utf-8"


def test_status_answers_a_person_without_origin_but_certificates_do_not(agent):
    status = requests.get(agent + "/status", timeout=5)
    assert status.status_code == 200
    assert "Access-Control-Allow-Origin" not in status.headers
    assert requests.get(agent + "/certificates", timeout=5).status_code == 403
    assert post_sign(agent, {}, headers={}).status_code == 403


def test_foreign_host_name_is_refused_against_dns_rebinding(agent):
    port = urlsplit(agent).port
    answer = requests.get(agent + "/certificates",
                          headers={**ORIGIN, "Host": f"rebind.example:{port}"}, timeout=5)
    assert answer.status_code == 403


def test_private_network_preflight_is_granted_to_the_portal(agent):
    answer = requests.options(agent + "/sign", timeout=5, headers={
        **ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
        "Access-Control-Request-Private-Network": "true",
    })
    assert answer.status_code == 204
    assert answer.headers["Access-Control-Allow-Origin"] == TEST_ORIGIN
    assert answer.headers["Access-Control-Allow-Private-Network"] == "true"
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    assert answer.headers["Access-Control-Allow-Headers"].lower() == "content-type"


def test_plain_preflight_does_not_mention_private_network(agent):
    answer = requests.options(agent + "/sign", timeout=5,
                              headers={**ORIGIN, "Access-Control-Request-Method": "POST"})
    assert answer.status_code == 204
    assert "Access-Control-Allow-Private-Network" not in answer.headers


# --- loopback only

def _other_addresses() -> list[tuple[int, str]]:
    addresses = [(socket.AF_INET, "127.0.0.2")]
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        # Routing a datagram socket sends nothing; it tells the address other hosts reach.
        try:
            probe.connect(("192.0.2.1", 9))
            addresses.append((socket.AF_INET, probe.getsockname()[0]))
        except OSError:
            pass
    if socket.has_ipv6:
        addresses.append((socket.AF_INET6, "::1"))
    return [(family, host) for family, host in addresses if host != "127.0.0.1"]


def test_listens_on_127_0_0_1_only(agent):
    port = urlsplit(agent).port
    for family, host in _other_addresses():
        with socket.socket(family, socket.SOCK_STREAM) as client:
            client.settimeout(2)
            assert client.connect_ex((host, port)) != 0, f"agent reachable on {host}"


# --- /sign refusals

@pytest.mark.parametrize("body", [
    b"{not json", b"[1, 2]", "không phải JSON".encode(), b"\xff\xfe",
])
def test_sign_refuses_a_body_that_is_not_a_json_object(agent, body):
    answer = post_sign(agent, body)
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")
    assert answer.headers["Access-Control-Allow-Origin"] == TEST_ORIGIN


@pytest.mark.parametrize("change", [
    {"pin": ""}, {"pin": 123456}, {"nonce": "abc"},
    {"nonce": base64.b64encode(os.urandom(16)).decode()}, {"nonce": None},
    {"certificate_id": "xyz"}, {"certificate_id": ""}, {"certificate_id": 7},
])
def test_sign_refuses_malformed_fields(agent, certificate_id, change):
    body = {"certificate_id": certificate_id, "pin": TEST_PIN, "nonce": NONCE, **change}
    answer = post_sign(agent, body)
    assert (answer.status_code, answer.json()["error"]) == (400, "bad_request")


def test_sign_refuses_an_oversized_body(agent, certificate_id):
    body = {"certificate_id": certificate_id, "pin": TEST_PIN, "nonce": NONCE, "x": "a" * 9000}
    assert post_sign(agent, body).status_code == 400


def test_sign_with_unknown_certificate_id_has_no_certificate(agent):
    answer = post_sign(agent, {"certificate_id": "00ff" * 10, "pin": TEST_PIN, "nonce": NONCE})
    assert (answer.status_code, answer.json()["error"]) == (404, "no_certificate")
    assert answer.json()["message"]


def test_sign_with_wrong_pin(agent, certificate_id):
    answer = post_sign(agent, {"certificate_id": certificate_id, "pin": "999999", "nonce": NONCE})
    assert (answer.status_code, answer.json()["error"]) == (401, "wrong_pin")
    assert answer.headers["Access-Control-Allow-Origin"] == TEST_ORIGIN


def test_sign_succeeds_for_the_portal(agent, certificate_id):
    answer = post_sign(agent, {"certificate_id": certificate_id, "pin": TEST_PIN, "nonce": NONCE})
    assert answer.status_code == 200, answer.text
    assert answer.json()["algorithm"] == "RS256"


def test_unknown_path_is_not_found(agent):
    answer = requests.get(agent + "/keys", headers=ORIGIN, timeout=5)
    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")
