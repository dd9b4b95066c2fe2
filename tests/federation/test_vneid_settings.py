"""VNeID in production: off until configured; once configured, its client's secret comes
from the environment and the provider speaks https (the sandbox's plain http is a
stand-in, refused as the others are)."""

from tests.portal.test_settings import PRODUCTION, _manage

REAL = {"VNEID_ISSUER": "https://vneid.example.vn", "VNEID_CLIENT_ID": "dichvucong"}
OFFERED = ("import sys, federation.vneid.views; from federation.vneid.base import vneid_enabled; "
           "print('offered', vneid_enabled(), 'sandbox', 'sandbox.vneid' in sys.modules)")


def test_a_production_site_offers_no_vneid_until_it_is_configured():
    result = _manage("shell", "-c", OFFERED, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "offered False sandbox False" in result.stdout


def test_a_configured_provider_needs_its_client_secret_from_the_environment():
    result = _manage("check", **PRODUCTION, **REAL)
    assert result.returncode != 0 and "VNEID_CLIENT_SECRET must be set" in result.stderr
    result = _manage("check", **PRODUCTION, **{**REAL, "VNEID_CLIENT_ID": ""},
                     VNEID_CLIENT_SECRET="from-the-vault")
    assert result.returncode != 0 and "VNEID_CLIENT_ID must be set" in result.stderr


def test_a_configured_provider_passes_the_deploy_check():
    env = {**PRODUCTION, **REAL, "VNEID_CLIENT_SECRET": "from-the-vault"}
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "offered True sandbox False" in _manage("shell", "-c", OFFERED, **env).stdout


def test_the_sandbox_provider_is_a_stand_in():
    env = {**PRODUCTION, "VNEID_ISSUER": "http://127.0.0.1:8100/vneid",
           "VNEID_CLIENT_ID": "dichvucong", "VNEID_CLIENT_SECRET": "vneid-sandbox-secret"}
    result = _manage("check", **env)
    assert result.returncode != 0 and "is not https" in result.stderr
    assert _manage("check", **env, SANDBOX_BACKENDS_ALLOWED="1").returncode == 0
