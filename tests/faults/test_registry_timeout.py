"""The carrier registry times out under a live portal, over real HTTP: the page answers
after the adapter's own timeout with a way to retry, nothing is stored, and the same
session registers as soon as the registry answers."""

import pytest
import requests

from accounts.models import Account, OutgoingSms, VerificationCode
from tests.accounts.conftest import AN, CAPTCHA, QUYNH_TIMEOUT
from tests.faults.conftest import post_form

REGISTRY_TIMEOUT = 2.0  # seconds; the sandbox holds Quỳnh's answer for 30


@pytest.mark.timeout(60)
def test_it_offers_a_retry_when_the_carrier_times_out(database_url, live_portal, sandbox_server):
    url = live_portal(
        DATABASE_URL=database_url,
        CARRIER_REGISTRY="accounts.registries.http.HttpCarrierRegistry",
        CARRIER_REGISTRY_URL=sandbox_server + "/carrier/check",
        CARRIER_REGISTRY_TIMEOUT=str(REGISTRY_TIMEOUT),
    )
    session = requests.Session()
    for attempt in ("first", "retry"):
        response, seconds = post_form(session, url + "/dang-ky/mobile/",
                                      {**QUYNH_TIMEOUT, **CAPTCHA})
        assert response.status_code == 200, (attempt, response.text[-3000:])
        assert REGISTRY_TIMEOUT <= seconds < REGISTRY_TIMEOUT + 3, (attempt, seconds)
        assert "không phản hồi" in response.text and "thử lại" in response.text
        assert 'value="027191234560"' in response.text, "what they typed stays in the form"
        assert not Account.objects.exists() and not VerificationCode.objects.exists()
        assert not OutgoingSms.objects.exists()

    response, _ = post_form(session, url + "/dang-ky/mobile/", {**AN, **CAPTCHA})
    assert (response.status_code, response.headers.get("Location")) == (
        302, "/dang-ky/xac-thuc-otp/"), "nothing left behind blocks the next try"
    assert VerificationCode.objects.count() == 1 and not Account.objects.exists()
