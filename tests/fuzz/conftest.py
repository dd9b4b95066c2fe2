"""What the fuzz tests share: the answer check, per-example isolation, the personas.

Two kinds of test live here. Most run in the test's transaction and roll every example
back to a savepoint (`example()`), so each example starts from the same rows. Those that
send an SMS cannot: `sms_queue` refuses to run inside a transaction, so they are marked
`django_db(transaction=True)` and tidy up what an example made themselves.
"""

import base64
import contextlib
import re

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.test import Client
from django.utils.http import urlencode
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from accounts.signatures import trust_reset
from accounts.sms.backends import locmem
from operator_console.models import Unit
from operator_console.rights import CREATE_CITIZEN
from operator_console.units import units_load, units_sample_rows
from sandbox.dev_ca import dev_ca_ensure, signature_make
from signing.challenge import signed_message
from tests.operator_console.conftest import (  # noqa: F401  (fixtures)
    fresh_login,
    person,
    top,
    ward_admin,
)

# Examples per test, sized so that the whole fuzz suite stays under 90 s.
FEW, SOME, MANY = 15, 30, 200


def fuzz(max_examples: int, *, shrink: bool = True):
    """The settings of every fuzz test: no deadline (a request may hit argon2), no example
    database left in the working tree, and pytest fixtures shared by the examples.

    `shrink=False` for the long walks: shrinking one of them outlasts pytest's timeout,
    and the failing example is shown unshrunk instead.
    """
    phases = tuple(Phase) if shrink else tuple(p for p in Phase if p is not Phase.shrink)
    return hypothesis_settings(
        max_examples=max_examples, deadline=None, database=None, print_blob=True,
        phases=phases,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )


def answered(response, what: str = ""):
    """Fail on any 5xx and on a page that shows a traceback; return the response.

    An exception inside a view already fails the test (the client re-raises it); this
    catches a 5xx the portal returns itself.
    """
    body = (b"".join(response.streaming_content) if response.streaming
            else response.content)
    assert response.status_code < 500, f"{response.status_code} for {what}"
    assert b"Traceback (most recent call last)" not in body, f"traceback shown for {what}"
    return response


def alerts(response) -> list[str]:
    """The texts of the page's alerts and field errors, to explain a failed assumption."""
    page = response.content.decode("utf-8", "replace")
    found = re.findall(r'class="(?:alert|invalid-feedback)[^"]*"[^>]*>(.*?)</', page, re.S)
    return [" ".join(text.split()) for text in found]


def query_string(data: dict) -> str:
    return urlencode(data, doseq=True)


def sent(value):
    """What Django reads for a field sent as `value`: the last of a list."""
    return value[-1] if isinstance(value, list) and value else value


@contextlib.contextmanager
def example():
    """One hypothesis example, rolled back at the end whatever happened."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def new_client() -> Client:
    return Client(raise_request_exception=True)


@pytest.fixture(autouse=True)
def open_limits(settings):
    """Caps and cooldowns out of the way, so every example reaches past the rate limits
    to the code behind them (the limits themselves have their own tests)."""
    limits = dict(settings.PORTAL_LIMITS)
    for name, rules in limits.items():
        if isinstance(rules, list):
            limits[name] = ["100000/1h"]
    limits["code_resend_after_seconds"] = 0
    settings.PORTAL_LIMITS = limits


@pytest.fixture(autouse=True)
def sms_outbox():
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture(autouse=True)
def scan_storage(settings, tmp_path):
    settings.SCAN_STORAGE_ROOT = tmp_path / "scans"
    return settings.SCAN_STORAGE_ROOT


@pytest.fixture
def units(db):
    units_load(units_sample_rows())
    return {unit.code: unit for unit in Unit.objects.all()}


@pytest.fixture
def clerk(units):
    """Hà: may create citizens' accounts, at the counter of Phố Hiến."""
    return person("033185001234", "Phạm Thị Thúy Hà", "+84912345101",
                  units=[units["S-X11953"]], rights=[CREATE_CITIZEN])


@pytest.fixture
def other_clerk(units):
    """Lan: the same right, at the counter of Sơn Nam (outside Quang's commune)."""
    return person("033190001236", "Vũ Thị Lan", "+84912345103",
                  units=[units["S-X11983"]], rights=[CREATE_CITIZEN])


@pytest.fixture
def no_right_clerk(units):
    return person("033188001237", "Lê Văn Bình", "+84912345104", units=[units["S-X11953"]])


@pytest.fixture
def citizen(db):
    """Tuấn, who has an account; his password is not among the fuzzed ones."""
    account = person("001084567801", "Cao Văn Tuấn", "+84912345017")
    account.set_password(CITIZEN_PASSWORD)
    account.save()
    return account


CITIZEN_PASSWORD = "Fuzz-không-đoán#2026"




# --- Signatures ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def dev_ca(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz-dev-ca")
    built, _made = dev_ca_ensure(folder)
    return folder, built


@pytest.fixture
def trust(dev_ca, settings):
    """The development CA trusted; yields it, to sign with its keys."""
    folder, built = dev_ca
    settings.DEV_CA_DIR = folder  # its revocation services answer for it
    settings.SIGNING_TRUST = {"ROOTS": [str(folder / "root.pem")],
                              "INTERMEDIATES": [str(folder / "intermediate.pem")],
                              "CRLS": [str(folder / "crl.pem")]}
    trust_reset()
    yield built
    trust_reset()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


USB_LOGIN = "/dang-nhap/usb-ky-so/"


def challenge_for(client, page: str = USB_LOGIN) -> dict:
    """A fresh signature request of `page` (a USB sign page): its nonce and token."""
    return answered(client.post(page + "thu-thach/"), "challenge").json()


def signed(client, settings, issued, algorithm: str, page: str = USB_LOGIN) -> dict:
    """The fields `page` posts after the agent signed this client's fresh challenge."""
    challenge = challenge_for(client, page)
    message = signed_message(settings.PORTAL_ORIGIN, challenge["nonce"])
    return {"request": challenge["request"], "certificate": b64(issued.der),
            "signature": b64(signature_make(issued.key, message, algorithm)),
            "algorithm": algorithm}


def algorithm_of(issued) -> str:
    return "ES256" if isinstance(issued.key, ec.EllipticCurvePrivateKey) else "RS256"
