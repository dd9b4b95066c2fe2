"""A SIM login served by two web processes (gunicorn, as in production) that share only
PostgreSQL: the waiting page's polls alternate between them, then one of them dies, and
the login completes on the other. The SIM service is the sandbox server over HTTP, so
both processes poll the same request."""

import datetime as dt
import threading

import pytest
import requests

from accounts.models import Account, SignatureRequest

TUAN_SIM, TUAN_E164, TUAN_ID = "0912345017", "+84912345017", "001084567801"


@pytest.fixture
def two_portals(database_url, sandbox_server, live_portal):
    env = {"DATABASE_URL": database_url,
           "SIM_SIGNATURE_SERVICE": "signing.sim.http.HttpSimSignatureService",
           "SIM_SIGNATURE_URL": sandbox_server + "/sim"}
    return live_portal("portal-a", **env), live_portal("portal-b", **env)


class Browser:
    """One person's browser: one cookie jar, whichever process answers."""

    def __init__(self):
        self.http = requests.Session()

    def post(self, url: str, data: dict | None = None):
        token = self.http.cookies.get("csrftoken")
        return self.http.post(url, data=data or {}, headers={"X-CSRFToken": token},
                              allow_redirects=False, timeout=30)

    def start(self, portal: str) -> str:
        assert self.http.get(portal + "/dang-nhap/sim-ky-so/", timeout=15).status_code == 200
        response = self.post(portal + "/dang-nhap/sim-ky-so/", {"phone": TUAN_SIM,
                             "csrfmiddlewaretoken": self.http.cookies["csrftoken"]})
        assert response.status_code == 302, response.text[-2000:]
        return response.headers["Location"]

    def poll(self, portal: str, waiting: str) -> dict:
        response = self.post(portal + waiting + "trang-thai/")
        assert response.status_code == 200, response.text[-2000:]
        return response.json()


def approve_on_phone(sandbox_server: str) -> None:
    pending = requests.get(sandbox_server + "/sim/pending", params={"phone": TUAN_E164},
                           timeout=5).json()["pending"]
    answer = requests.post(sandbox_server + "/sim/approve",
                           json={"session_id": pending[0]["session_id"], "pin": "1234"},
                           timeout=10)
    assert answer.ok, answer.text


@pytest.fixture
def tuan(transactional_db):
    return Account.objects.create(
        username=TUAN_ID, full_name="Cao Văn Tuấn", birth_date=dt.date(1984, 1, 21),
        phone=TUAN_E164, assurance_level=2, registration_method="mobile")


@pytest.mark.timeout(90)
def test_polls_alternate_between_two_processes_and_one_of_them_dies(
    two_portals, sandbox_server, processes, tuan
):
    portal_a, portal_b = two_portals
    browser = Browser()
    waiting = browser.start(portal_a)
    for portal in (portal_b, portal_a, portal_b):
        assert browser.poll(portal, waiting) == {"state": "running"}

    # Both at the same moment (two tabs, two processes): one asks the service, the other
    # finds the request held and answers at once; neither errs.
    answers = []
    threads = [threading.Thread(target=lambda p=p: answers.append(browser.poll(p, waiting)))
               for p in (portal_a, portal_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [{"state": "running"}] * 2

    approve_on_phone(sandbox_server)
    done = browser.poll(portal_a, waiting)
    assert done["state"] == "done"
    assert browser.poll(portal_b, waiting) == done, "the other process knows the outcome"
    assert SignatureRequest.objects.get().state == "done"

    # Process A dies before the browser follows the answer: B completes the login.
    processes.stop_one("portal-a")
    response = browser.http.get(portal_b + done["next"], allow_redirects=False, timeout=15)
    assert response.headers["Location"] == "/trang-ca-nhan/"
    profile = browser.http.get(portal_b + "/trang-ca-nhan/", timeout=15)
    assert profile.status_code == 200 and "Cao Văn Tuấn" in profile.text
