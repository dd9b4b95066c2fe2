"""The sandbox VNeID (sandbox/vneid.py), as any OpenID Connect client sees it over HTTP, and
the sample people it knows (sandbox/people.json)."""

import base64
import hashlib
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import KeySet

from accounts.identity import id_number_is_valid
from sandbox.people import people

CLIENT = ("dichvucong", "vneid-sandbox-secret")
VERIFIER = "v" * 64
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(
    b"=").decode()
TUAN = "001084567801"


def authorize_params(**changes) -> dict:
    return {"response_type": "code", "client_id": CLIENT[0], "scope": "openid profile phone",
            "redirect_uri": "http://portal.test/cb", "state": "st-1", "nonce": "n-1",
            "code_challenge": CHALLENGE, "code_challenge_method": "S256", **changes}


def code_for(base: str, person: str = TUAN, **changes) -> str:
    page = requests.get(base + "/vneid/authorize", params=authorize_params(**changes),
                        timeout=5)
    request_id = re.search(r'name="request_id" value="([^"]+)"', page.text).group(1)
    back = requests.post(base + "/vneid/authorize", allow_redirects=False, timeout=5,
                         data={"request_id": request_id, "person": person,
                               "decision": "allow"})
    query = parse_qs(urlsplit(back.headers["Location"]).query)
    assert query["state"] == ["st-1"]
    return query["code"][0]


def token(base: str, code: str, auth=CLIENT, **changes) -> requests.Response:
    form = {"grant_type": "authorization_code", "code": code,
            "redirect_uri": "http://portal.test/cb", "code_verifier": VERIFIER, **changes}
    return requests.post(base + "/vneid/token", data=form, auth=auth, timeout=5)


def test_it_publishes_its_discovery_document_and_keys(sandbox_server):
    document = requests.get(sandbox_server + "/vneid/.well-known/openid-configuration",
                            timeout=5).json()
    assert document["issuer"] == sandbox_server + "/vneid"
    assert document["code_challenge_methods_supported"] == ["S256"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = requests.get(document["jwks_uri"], timeout=5).json()["keys"]
    assert keys and all("d" not in key for key in keys), "public halves only"


def test_its_page_lists_its_people_with_agree_and_refuse(sandbox_server):
    page = requests.get(sandbox_server + "/vneid/authorize", params=authorize_params(),
                        timeout=5).text
    assert "Cao Văn Tuấn" in page and "Mức 2" in page and "Mức 1" in page
    assert ">Đồng ý<" in page and ">Từ chối<" in page
    assert "Nguyễn Văn An" not in page, "only people with a VNeID record"


@pytest.mark.parametrize("changes", [
    {"code_challenge_method": "plain"}, {"code_challenge": ""}, {"client_id": "other"},
    {"scope": "profile"}, {"nonce": ""}, {"response_type": "token"},
])
def test_its_page_refuses_a_request_without_what_it_needs(sandbox_server, changes):
    answer = requests.get(sandbox_server + "/vneid/authorize",
                          params=authorize_params(**changes), timeout=5)
    assert answer.status_code == 400 and "Yêu cầu không hợp lệ" in answer.text


def test_refusing_sends_access_denied_back(sandbox_server):
    page = requests.get(sandbox_server + "/vneid/authorize", params=authorize_params(),
                        timeout=5).text
    request_id = re.search(r'name="request_id" value="([^"]+)"', page).group(1)
    back = requests.post(sandbox_server + "/vneid/authorize", allow_redirects=False,
                         data={"request_id": request_id, "decision": "deny"}, timeout=5)
    assert back.headers["Location"] == "http://portal.test/cb?" + urlencode(
        {"error": "access_denied", "state": "st-1"})


def test_it_signs_an_id_token_and_answers_userinfo(sandbox_server):
    answer = token(sandbox_server, code_for(sandbox_server)).json()
    keys = KeySet.import_key_set(requests.get(sandbox_server + "/vneid/jwks", timeout=5).json())
    claims = jwt.decode(answer["id_token"], keys, algorithms=["RS256"]).claims
    assert claims["iss"] == sandbox_server + "/vneid" and claims["aud"] == CLIENT[0]
    assert claims["nonce"] == "n-1" and claims["acr"] == "urn:vneid:level:2"
    info = requests.get(sandbox_server + "/vneid/userinfo", timeout=5, headers={
        "Authorization": "Bearer " + answer["access_token"]}).json()
    assert info["sub"] == claims["sub"] and info["personal_identification_number"] == TUAN
    assert (info["name"], info["birthdate"]) == ("Cao Văn Tuấn", "1984-01-21")


@pytest.mark.parametrize("changes,auth,error", [
    ({"code_verifier": "w" * 64}, CLIENT, "invalid_grant"),
    ({"redirect_uri": "http://elsewhere.test/cb"}, CLIENT, "invalid_grant"),
    ({}, ("dichvucong", "wrong"), "invalid_client"),
], ids=["wrong verifier", "another redirect URI", "wrong secret"])
def test_its_token_endpoint_refuses_a_wrong_exchange(sandbox_server, changes, auth, error):
    answer = token(sandbox_server, code_for(sandbox_server), auth=auth, **changes)
    assert answer.status_code in (400, 401) and answer.json()["error"] == error


def test_a_code_is_used_once(sandbox_server):
    code = code_for(sandbox_server)
    assert token(sandbox_server, code).status_code == 200
    assert token(sandbox_server, code).json()["error"] == "invalid_grant"


def test_userinfo_needs_a_token_it_issued(sandbox_server):
    answer = requests.get(sandbox_server + "/vneid/userinfo", timeout=5,
                          headers={"Authorization": "Bearer made-up"})
    assert answer.status_code == 401


def test_the_sample_people_cover_every_vneid_case():
    records = {person["id_number"]: person["vneid"] for person in people()
               if person.get("vneid")}
    assert {record["level"] for record in records.values()} == {1, 2}
    assert {record.get("behaviour") for record in records.values()} == {
        None, "refused", "timeout", "nonsense"}
    assert all(id_number_is_valid(record.get("id_number", number))
               and len(record.get("id_number", number)) == 12
               for number, record in records.items())
    holders = {person["id_number"] for person in people() if person["account"]}
    assert TUAN in holders and records[TUAN] == {"level": 2}
    plain = [n for n, r in records.items() if "behaviour" not in r and n not in holders]
    assert {records[n]["level"] for n in plain} == {1, 2}, "one without an account per level"
