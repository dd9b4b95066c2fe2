"""`make bench`'s own parts, so that the bench still runs when the portal changes; its
figures are never checked here (a test does not fail on a timing)."""

import asyncio
import datetime as dt
import importlib
from concurrent.futures import ThreadPoolExecutor

from django.utils.module_loading import import_string

from accounts.identity import id_number_is_valid, phone_to_e164
from accounts.registries.base import CarrierQuery, CarrierVerdict
from bench import argon2id, signatures
from bench import settings as bench_settings
from bench.client import Client, _parse
from bench.people import PASSWORD, login_person, registrant
from bench.report import BARE, Results, table
from sandbox.people import carrier_answer


def test_the_made_up_people_are_valid_and_known_to_the_carrier(tmp_path):
    import json

    people = [registrant(number) for number in (0, 1, 39_999)]
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"people": people}), encoding="utf-8")
    for person in people:
        assert id_number_is_valid(person["id_number"])
        assert phone_to_e164("0" + person["phone"][3:]) == person["phone"]
        query = CarrierQuery(phone=person["phone"], id_number=person["id_number"],
                             full_name=person["full_name"], birth_date=dt.date(1990, 1, 1))
        assert carrier_answer(query, path) == CarrierVerdict.MATCH
    assert id_number_is_valid(login_person(3_999)["username"])
    assert len({person["id_number"] for person in people}) == 3


def test_the_signature_checks_compared_accept_the_same_evidence():
    item = signatures.evidence()
    for check in (signatures.portal_check, signatures.library_check,
                  signatures.signatures_only):
        check(item)
    assert signatures.per_second(signatures.portal_check, item, 0.05) > 0


def test_the_client_reads_status_headers_and_every_cookie():
    raw = (b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:8000/dang-ky/xac-thuc-otp/\r\n"
           b"Set-Cookie: csrftoken=abc; Path=/\r\nSet-Cookie: sessionid=xyz; HttpOnly\r\n"
           b"\r\nbody")
    response = _parse(raw, 0.01)
    assert (response.status, response.location, response.body) == (
        302, "/dang-ky/xac-thuc-otp/", b"body")
    client = Client("127.0.0.1", 8000)
    client._keep_cookies(response)
    assert client.cookies == {"csrftoken": "abc", "sessionid": "xyz"}


def test_the_client_talks_to_a_real_server(sandbox_server):
    host, port = sandbox_server.removeprefix("http://").split(":")
    # A thread of its own: the browser tests may have left an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        response = pool.submit(asyncio.run, Client(host, int(port)).get("/health")).result()
    assert response.status == 200 and b"ok" in response.body


def test_the_table_gives_each_figure_its_baseline_ratio_and_goal():
    results = Results(cores=2, web_workers=4)
    page = {"rate": 300.0, "failed": 0, "failures": [], "steps": {}}
    whole = {"failed": 0, "failures": [], "steps": {"whole login": {"p95": 300.0}}}
    for login_rate, bare in ((60.0, 1000.0), (70.0, 900.0)):
        results.add("hash", {"seconds": 0.025, "cores": 2})
        results.add("login", {"rate": login_rate, "failed": 0, "failures": [],
                              "steps": {"POST password": {"p95": 90.0}}})
        results.add("login_person", {**whole, "rate": 56.0})
        results.add("peer_login", {**whole, "rate": 48.0})
        results.add("pages", {BARE: {**page, "rate": bare}, "home": page})
        results.add("signatures", {"portal_rate": 900.0, "library_rate": 1000.0,
                                   "signatures_rate": 2000.0})
    results.repeats["register"] = [{"rate": 12.0, "failed": 1, "steps": {},
                                    "failures": ["Refused: 500"]}]
    text = table(results)
    login = next(line for line in text.splitlines() if line.startswith("password step"))
    assert "32.5 /s" in login and "40.0" in login and "0.81" in login
    assert login.rstrip().endswith("(the POST alone, for reference)"), "no goal of its own"
    person = next(line for line in text.splitlines() if line.startswith("password step as"))
    assert "28.0 /s" in person and " 0.70 " in person and person.endswith("yes")
    peer = next(line for line in text.splitlines() if line.startswith("django-allauth"))
    assert "24.0 /s" in peer and " 0.60 " in peer
    versus = next(line for line in text.splitlines() if "÷ the peer" in line)
    assert " 1.17 " in versus and versus.endswith("yes")
    home = next(line for line in text.splitlines() if "public page: home" in line)
    assert "0.32" in home and home.endswith("NO")
    assert "register, repeat 1: 1 failed, e.g. Refused: 500" in text
    signature = next(line for line in text.splitlines() if line.startswith("certificate"))
    assert "0.90" in signature and signature.endswith("yes")


def test_the_peer_hashes_with_the_portals_argon2id(monkeypatch):
    """The peer's settings, read here without allauth (only the peer's own environment has
    it), name a hasher at the portal's parameters: the portal's hasher checks the peer's
    hash and would not rehash it."""
    monkeypatch.setenv("SECRET_KEY", "bench-test")
    peer_settings = importlib.import_module("bench.peer.settings")
    peer = import_string(peer_settings.PASSWORD_HASHERS[0])()
    portal = import_string(bench_settings.PASSWORD_HASHERS[0])()
    assert argon2id.differences(type(portal)) == [] == argon2id.differences(type(peer))
    encoded = peer.encode(PASSWORD, peer.salt())
    assert portal.verify(PASSWORD, encoded) and not portal.must_update(encoded)
