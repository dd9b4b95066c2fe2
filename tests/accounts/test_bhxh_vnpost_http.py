"""The real BHXH and Vietnam Post adapters, over HTTP, against the running sandbox server."""

import contextlib
import datetime as dt
import json
import time

import pytest
import requests

from accounts.registries.base import PersonRecord, RegistryUnavailable
from accounts.registries.http import HttpBhxhRegistry, HttpVnpostRegistry
from tests.fixtures_sandbox import free_port
from tests.local_http import answering

# Sample people from sandbox/people.json.
AN = PersonRecord("001090012345", "Nguyễn Văn An", dt.date(1990, 3, 15))
AN_BHXH_CODE = "0101012345"
LAM_VAN_DANH = PersonRecord("083094901235", "Lam Van Danh", dt.date(1994, 3, 27))


@pytest.fixture
def bhxh(sandbox_server):
    return HttpBhxhRegistry(url=sandbox_server + "/bhxh/lookup", timeout=1.0)


@pytest.fixture
def vnpost(sandbox_server):
    return HttpVnpostRegistry(url=sandbox_server + "/vnpost/lookup", timeout=1.0)


def reason_for(lookup, key: str) -> str:
    with pytest.raises(RegistryUnavailable) as failure:
        lookup(key)
    return failure.value.reason


@pytest.mark.parametrize("code", [AN_BHXH_CODE, AN.id_number])
def test_bhxh_returns_the_insured_person_by_code_or_by_the_id_in_its_place(bhxh, code):
    assert bhxh.insured_lookup(code) == AN


def test_bhxh_returns_the_id_number_it_holds(bhxh):
    # Triệu Văn Hải: the ID BHXH holds is not the one on his card.
    assert bhxh.insured_lookup("0127345679").id_number == "010079345600"


@pytest.mark.parametrize("code", ["0199999999", "046186012346"])
def test_bhxh_says_not_found_for_an_unknown_code(bhxh, code):
    assert bhxh.insured_lookup(code) is None


def test_vnpost_returns_the_customer_as_it_holds_them(vnpost):
    assert vnpost.customer_lookup(AN.id_number) == AN
    assert vnpost.customer_lookup(LAM_VAN_DANH.id_number) == LAM_VAN_DANH


def test_vnpost_says_not_found_for_someone_it_has_not_identified(vnpost):
    assert vnpost.customer_lookup("048078123456") is None


@pytest.mark.parametrize(
    ("name", "key", "reason"),
    [
        ("bhxh", "0125123457", "error"),  # Mạc Văn Giang
        ("bhxh", "0130678904", "bad_answer"),  # Khúc Văn Phong
        ("vnpost", "030076678904", "error"),  # Khúc Văn Phong
        ("vnpost", "030200123457", "bad_answer"),  # Mạc Văn Giang
    ],
)
def test_it_reports_a_registry_that_fails_or_answers_nonsense(bhxh, vnpost, name, key, reason):
    lookup = bhxh.insured_lookup if name == "bhxh" else vnpost.customer_lookup
    assert reason_for(lookup, key) == reason


@pytest.mark.parametrize(
    ("name", "key"), [("bhxh", "0123901235"), ("vnpost", "019183567803")]
)
def test_it_gives_up_after_its_timeout_instead_of_holding_the_page(bhxh, vnpost, name, key):
    lookup = bhxh.insured_lookup if name == "bhxh" else vnpost.customer_lookup
    started = time.monotonic()
    assert reason_for(lookup, key) == "timeout"
    assert time.monotonic() - started < 5


def test_it_reports_an_unreachable_registry():
    closed = f"http://127.0.0.1:{free_port()}"
    bhxh = HttpBhxhRegistry(url=closed + "/bhxh/lookup", timeout=1)
    vnpost = HttpVnpostRegistry(url=closed + "/vnpost/lookup", timeout=1)
    assert reason_for(bhxh.insured_lookup, AN_BHXH_CODE) == "unreachable"
    assert reason_for(vnpost.customer_lookup, AN.id_number) == "unreachable"


def test_it_logs_the_reason_but_no_personal_data(bhxh, vnpost, caplog):
    reason_for(bhxh.insured_lookup, "0125123457")
    reason_for(vnpost.customer_lookup, "030076678904")
    assert "bhxh registry unavailable: error" in caplog.text
    assert "vnpost registry unavailable: error" in caplog.text
    for detail in ("0125123457", "030200123457", "030076678904", "Khúc Văn Phong"):
        assert detail not in caplog.text


# --- The sandbox's side of the protocol, as docs/sandbox-api.md gives it ----------------

def test_the_sandbox_answers_in_the_documented_shape(sandbox_server):
    answer = requests.post(sandbox_server + "/bhxh/lookup", json={"code": AN_BHXH_CODE}, timeout=5)
    assert answer.json() == {"found": True, "person": {
        "id_number": "001090012345", "full_name": "Nguyễn Văn An", "birth_date": "1990-03-15"}}
    answer = requests.post(sandbox_server + "/vnpost/lookup", json={"id_number": "048078123456"},
                           timeout=5)
    assert (answer.status_code, answer.json()) == (200, {"found": False})


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/bhxh/lookup", {}),
        ("/bhxh/lookup", {"code": 101012345}),
        ("/bhxh/lookup", {"code": ""}),
        ("/bhxh/lookup", {"id_number": AN.id_number}),
        ("/vnpost/lookup", {"code": AN_BHXH_CODE}),
        ("/vnpost/lookup", {"id_number": None}),
        ("/vnpost/lookup", ["001090012345"]),
    ],
)
def test_the_sandbox_refuses_a_malformed_request(sandbox_server, path, body):
    answer = requests.post(sandbox_server + path, json=body, timeout=5)
    assert answer.status_code == 400 and "error" in answer.json()


def test_the_sandbox_refuses_a_body_that_is_not_json(sandbox_server):
    answer = requests.post(sandbox_server + "/bhxh/lookup", data=b"code=0101012345", timeout=5)
    assert answer.status_code == 400


# --- Answers the sandbox never gives, from a registry that says something else ---------

@pytest.fixture
def answering_with():
    """answering_with(status, data) -> URL of a server that answers every POST so."""
    with contextlib.ExitStack() as servers:
        yield lambda status, data: servers.enter_context(
            answering(status, json.dumps(data).encode())) + "/lookup"


@pytest.mark.parametrize(
    "data",
    [
        [],
        {},
        {"found": "yes"},
        {"found": True},
        {"found": True, "person": None},
        {"found": True, "person": {"id_number": "001090012345"}},
        {"found": True, "person": {"id_number": "001090012345",
                                   "full_name": "Nguyễn Văn An", "birth_date": "15/03/1990"}},
    ],
)
def test_it_reports_an_answer_not_in_the_documented_shape(answering_with, data):
    url = answering_with(200, data)
    assert reason_for(HttpBhxhRegistry(url, 1).insured_lookup, AN_BHXH_CODE) == "bad_answer"
    assert reason_for(HttpVnpostRegistry(url, 1).customer_lookup, AN.id_number) == "bad_answer"


@pytest.mark.parametrize("status", [400, 404, 503])
def test_it_reports_any_failing_status_as_an_error(answering_with, status):
    url = answering_with(status, {"found": False})
    assert reason_for(HttpBhxhRegistry(url, 1).insured_lookup, AN_BHXH_CODE) == "error"
