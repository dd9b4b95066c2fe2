"""SoftHSM2 tokens and the signing agent, run as a subprocess the way a citizen runs it.

The test process never loads the PKCS#11 library itself: SoftHSM reads `SOFTHSM2_CONF`
only when loaded, and python-pkcs11 keeps the library for the life of the process, so
each token configuration gets its own agent process.
"""

import contextlib
import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from sandbox.softhsm import Identity, provision, write_conf
from tests.fixtures_sandbox import free_port

ROOT = Path(__file__).resolve().parent.parent
SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TEST_ORIGIN = "http://portal.test:8000"
TEST_PIN = "123456"
TEST_SO_PIN = "12345678"
START_WITHIN_SECONDS = 15


def make_identity(common_name: str, kind: str = "rsa", days: int = 365):
    """A self-signed certificate and its key (`kind` "rsa" = RSA-2048, "ec" = P-256)."""
    if kind == "rsa":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    return certificate, key


def _write_pem_pair(directory: Path, index: int, certificate, key) -> Identity:
    cert_path = directory / f"cert-{index}.pem"
    key_path = directory / f"key-{index}.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))
    common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    return Identity(cert_path, key_path, common_name)


class SoftHsmTokens:
    """Factory: `tokens(pairs, label=, pin=)` → conf path of a fresh token holding `pairs`
    ((certificate, key) objects from `cryptography`); `tokens.empty()` → conf with no token.
    """

    def __init__(self, tmp_path_factory):
        self._tmp = tmp_path_factory

    def __call__(self, pairs=(), label: str = "DVC-TEST", pin: str = TEST_PIN,
                 so_pin: str = TEST_SO_PIN) -> Path:
        directory = self._tmp.mktemp("softhsm")
        identities = [_write_pem_pair(directory, i, c, k) for i, (c, k) in enumerate(pairs)]
        return provision(directory, label, pin, so_pin, identities)

    def empty(self) -> Path:
        return write_conf(self._tmp.mktemp("softhsm-empty"))


def _wait_ready(url: str, origin: str, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_WITHIN_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url + "/status", headers={"Origin": origin}, timeout=1).ok:
                return
        time.sleep(0.1)
    log = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
    pytest.fail(f"the signing agent did not answer at {url}:\n{log}")


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_agent(conf: Path, origin: str = TEST_ORIGIN, label: str | None = None,
                  log_path: Path | None = None):
    """Start `python -m signing.agent` on a free port for `conf`; yield its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "SOFTHSM2_CONF": str(conf), "SIGNING_AGENT_PORT": str(port),
           "SIGNING_AGENT_ORIGIN": origin, "PKCS11_MODULE": SOFTHSM_MODULE}
    env.pop("PKCS11_TOKEN_LABEL", None)
    if label is not None:
        env["PKCS11_TOKEN_LABEL"] = label
    log_path = log_path or Path(conf).parent / f"agent-{port}.log"
    # Output goes to a file: an unread pipe would fill up and stall the agent.
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "signing.agent"], cwd=ROOT,
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_ready(url, origin, process, log_path)
        yield url
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def softhsm_token(tmp_path_factory):
    """Factory for SoftHSM2 tokens; see `SoftHsmTokens`."""
    if not os.path.exists(SOFTHSM_MODULE):
        pytest.skip("SoftHSM2 is not installed (apt-get install softhsm2)")
    return SoftHsmTokens(tmp_path_factory)


@pytest.fixture(scope="module")
def signing_agent():
    """Factory: `signing_agent(conf, origin=TEST_ORIGIN, label=None)` → base URL of a
    running agent; every agent started is stopped when the module's tests are done."""
    with contextlib.ExitStack() as stack:
        yield lambda conf, origin=TEST_ORIGIN, label=None: stack.enter_context(
            running_agent(conf, origin, label)
        )


# --- The portal trusting a development CA -----------------------------------------------
def trust_dev_ca(settings, folder: Path) -> None:
    """The portal trusting the development CAs written in `folder` (the public one and
    the government's), whose revocation services answer for it (DEV_CA_DIR)."""
    from accounts.signatures import trust_reset

    settings.DEV_CA_DIR = folder
    settings.SIGNING_TRUST = {
        "ROOTS": [str(folder / "root.pem")],
        "GOVERNMENT_ROOTS": [str(folder / "gov-root.pem")],
        "INTERMEDIATES": [str(folder / "intermediate.pem"), str(folder / "gov-intermediate.pem")],
        "CRLS": [str(folder / "crl.pem"), str(folder / "gov-crl.pem")],
    }
    trust_reset()


@pytest.fixture(scope="module")
def dev_ca_files(tmp_path_factory):
    """A development CA written once for the module: (folder, DevCA)."""
    from sandbox.dev_ca import dev_ca_ensure

    folder = tmp_path_factory.mktemp("dev-ca")
    return folder, dev_ca_ensure(folder)[0]


@pytest.fixture
def trusted_dev_ca(dev_ca_files, settings):
    """The module's development CA, trusted for one test; yields the DevCA to sign with."""
    from accounts.signatures import trust_reset

    trust_dev_ca(settings, dev_ca_files[0])
    yield dev_ca_files[1]
    trust_reset()


def usb_signed(client, issued, page: str, algorithm: str = "RS256", origin: str = "",
               query: str = "") -> dict:
    """What a USB sign `page` (with `query`) posts after the agent signed its fresh
    challenge with `issued` (the test client stands for the browser)."""
    import base64

    from django.conf import settings as django_settings

    from sandbox.dev_ca import signature_make
    from signing.challenge import signed_message

    challenge = client.post(page + "thu-thach/" + query).json()
    message = signed_message(origin or django_settings.PORTAL_ORIGIN, challenge["nonce"])
    return {"request": challenge["request"], "algorithm": algorithm,
            "certificate": base64.b64encode(issued.der).decode(),
            "signature": base64.b64encode(signature_make(issued.key, message,
                                                         algorithm)).decode()}


def usb_sign(client, issued, page: str, **options):
    """Sign on `page` as a person does: the challenge, the agent's signature, the post."""
    return client.post(page, usb_signed(client, issued, page, **options))
