import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from federation.keys import key_new_pem
from portal.env import database_from_url, env_bool, env_secret

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "p" * 20 + "roduction-secret-with-enough-variety-0123456789!@#",
    "SCAN_ENCRYPTION_KEY": "cHJvZHVjdGlvbi1zY2FuLWtleS0zMi1ieXRlcy0hISE=",
    "ALLOWED_HOSTS": "dichvucong.example.vn",
    "PORTAL_ORIGIN": "https://dichvucong.example.vn",
    "WEBAUTHN_RP_ID": "dichvucong.example.vn",
    "SMS_BACKEND": "accounts.sms.backends.http.HttpGatewayBackend",
    "CARRIER_REGISTRY": "accounts.registries.http.HttpCarrierRegistry",
    "BHXH_REGISTRY": "accounts.registries.http.HttpBhxhRegistry",
    "VNPOST_REGISTRY": "accounts.registries.http.HttpVnpostRegistry",
    "POPULATION_REGISTRY": "accounts.registries.http.HttpPopulationRegistry",
    "SIM_SIGNATURE_SERVICE": "signing.sim.http.HttpSimSignatureService",
    "OIDC_RSA_PRIVATE_KEY": key_new_pem(),
}


def _manage(*args, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DEBUG", "PORTAL_CAPTCHA_TEST_MODE", "SECRET_KEY", "SCAN_ENCRYPTION_KEY",
                          "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return subprocess.run([sys.executable, "manage.py", *args], check=False, cwd=ROOT,
                          capture_output=True,
                          text=True, env={**clean, **env}, timeout=60)


def test_it_passes_the_deploy_check_under_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_refuses_to_start_without_a_secret_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_without_a_scan_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "SCAN_ENCRYPTION_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0 and "SCAN_ENCRYPTION_KEY must be set" in result.stderr


def test_it_refuses_to_start_without_an_id_token_key_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "OIDC_RSA_PRIVATE_KEY"}
    result = _manage("check", **env)
    assert result.returncode != 0 and "OIDC_RSA_PRIVATE_KEY must be set" in result.stderr


def test_it_refuses_to_start_without_a_passkey_domain_when_debug_is_off():
    env = {k: v for k, v in PRODUCTION.items() if k != "WEBAUTHN_RP_ID"}
    result = _manage("check", **env)
    assert result.returncode != 0 and "WEBAUTHN_RP_ID must be set" in result.stderr


def test_the_deploy_check_warns_of_a_passkey_domain_the_portal_is_not_on():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     **{**PRODUCTION, "WEBAUTHN_RP_ID": "example.vn"})
    assert result.returncode == 0, "a parent domain is accepted: " + result.stderr
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     **{**PRODUCTION, "WEBAUTHN_RP_ID": "dichvucong.example.com"})
    assert result.returncode != 0 and "accounts.W001" in result.stderr


@pytest.mark.parametrize("name,stand_in", [
    ("SMS_BACKEND", "accounts.sms.backends.outbox.OutboxBackend"),
    ("CARRIER_REGISTRY", "sandbox.registries.SandboxCarrierRegistry"),
    ("BHXH_REGISTRY", "sandbox.registries.SandboxBhxhRegistry"),
    ("SIM_SIGNATURE_SERVICE", "sandbox.registries.SandboxSimSignatureService"),
    ("POPULATION_REGISTRY", "sandbox.registries.SandboxPopulationRegistry"),
    ("SIGNING_REVOCATION_FETCHER", "sandbox.ca_service.SandboxRevocationFetcher"),
])
def test_it_refuses_a_stand_in_when_debug_is_off(name, stand_in):
    result = _manage("check", **{**PRODUCTION, name: stand_in})
    assert result.returncode != 0 and "is a stand-in" in result.stderr
    allowed = _manage("check", **{**PRODUCTION, name: stand_in, "SANDBOX_BACKENDS_ALLOWED": "1"})
    assert allowed.returncode == 0, allowed.stderr


def test_it_refuses_captcha_test_mode_when_debug_is_off():
    result = _manage("check", PORTAL_CAPTCHA_TEST_MODE="1", **PRODUCTION)
    assert result.returncode != 0 and "PORTAL_CAPTCHA_TEST_MODE is refused" in result.stderr


DEV_PAGES = ["/dev/sms/", "/dev/dien-thoai/", "/dev/dien-thoai/?so=0912345001", "/dev/"]
PROBE = f"""
import sys
from django.test import Client
from django.urls import Resolver404, resolve
browser = Client(HTTP_HOST="dichvucong.example.vn")
for path in {DEV_PAGES!r}:
    try:
        resolve(path.split("?")[0])
        routed = "routed"
    except Resolver404:
        routed = "absent"
    print(path, routed, browser.get(path, secure=True).status_code,
          browser.post(path, {{"session_id": "x", "action": "refuse"}}, secure=True).status_code)
print("sandbox views loaded:", "sandbox.views" in sys.modules)
"""


def test_the_development_pages_are_not_routed_in_production():
    result = _manage("shell", "-c", PROBE, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    for path in DEV_PAGES:
        assert f"{path} absent 404 404" in result.stdout, result.stdout
    assert "sandbox views loaded: False" in result.stdout


def test_it_refuses_development_pages_when_debug_is_off():
    result = _manage("check", DEV_PAGES="1", **PRODUCTION)
    assert result.returncode != 0 and "DEV_PAGES is refused" in result.stderr


def test_a_configured_crl_that_is_missing_stops_the_start(tmp_path):
    env = {**PRODUCTION, "SIGNING_CRLS": str(tmp_path / "vnpt-ca.crl")}
    check = _manage("check", **env)
    assert check.returncode != 0 and "signing.E001" in check.stderr and "vnpt-ca.crl" in (
        check.stderr)
    clean = {k: v for k, v in os.environ.items()
             if k not in ("DEBUG", "SECRET_KEY", "PORTAL_CAPTCHA_TEST_MODE")}
    web = subprocess.run([sys.executable, "-c", "import portal.wsgi"], cwd=ROOT, text=True,
                         capture_output=True, env={**clean, **env}, timeout=60)
    assert web.returncode != 0 and "trust files: CRL" in web.stderr
    (tmp_path / "vnpt-ca.crl").write_bytes(b"<html>not found</html>")  # unreadable as a CRL
    assert _manage("check", **env).returncode != 0


def test_it_reads_booleans_strictly(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG")


def test_it_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    (tmp_path / "secret").write_text("from-file\n")
    monkeypatch.setenv("MY_SECRET_FILE", str(tmp_path / "secret"))
    assert env_secret("MY_SECRET", debug=False, dev_default="") == "from-file"


def test_it_reads_a_database_url(tmp_path):
    db = database_from_url("postgres://u:p%40ss@db.local:6543/portal", sqlite_path=tmp_path,
                           conn_max_age=600)
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "portal", "u", "p@ss", "db.local", "6543")
    assert db["CONN_MAX_AGE"] == 600
    assert "sqlite3" in database_from_url("", sqlite_path=tmp_path / "x", conn_max_age=0)["ENGINE"]
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x/y", sqlite_path=tmp_path, conn_max_age=0)
