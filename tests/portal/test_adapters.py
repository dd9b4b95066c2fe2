"""Every outside system's adapter comes from one loader, portal.adapters.adapter: built
once from its settings block, built again when that setting changes."""

import os
import subprocess
import sys

import pytest
from django.test import override_settings

from accounts import revocation
from accounts.flows.sim import sim_service
from accounts.registries import registries_reset, registry
from accounts.sms import sms_backend
from federation.vneid.base import vneid_provider
from portal.adapters import adapter
from tests.portal.test_settings import PRODUCTION, ROOT

# (setting, alias, the contract its adapter keeps)
ADAPTERS = [
    ("SMS_BACKENDS", "default", "accounts.sms.backends.base.SmsBackend"),
    ("REGISTRIES", "carrier", "accounts.registries.base.CarrierRegistry"),
    ("REGISTRIES", "bhxh", "accounts.registries.base.BhxhRegistry"),
    ("REGISTRIES", "population", "accounts.registries.base.PopulationRegistry"),
    ("REGISTRIES", "vnpost", "accounts.registries.base.VnpostRegistry"),
    ("SIM_SIGNATURE_SERVICE", None, "signing.sim.base.SimSignatureService"),
    ("SIGNING_REVOCATION_FETCHER", None, "signing.fetch.RevocationFetcher"),
    ("VNEID_PROVIDER", None, "federation.vneid.base.EidProvider"),
]
PROBE = f"""
from django.conf import settings
from django.utils.module_loading import import_string
from portal.adapters import adapter
for setting, alias, contract in {ADAPTERS!r}:
    built = adapter(setting, alias)
    print(setting, alias, type(built).__name__, isinstance(built, import_string(contract)))
"""
# What development runs on with nothing set, and what production sets.
DEVELOPMENT_CLASSES = ["OutboxBackend", "SandboxCarrierRegistry", "SandboxBhxhRegistry",
                       "SandboxPopulationRegistry", "SandboxVnpostRegistry",
                       "SandboxSimSignatureService", "SandboxRevocationFetcher",
                       "OidcEidProvider"]
PRODUCTION_CLASSES = ["HttpGatewayBackend", "HttpCarrierRegistry", "HttpBhxhRegistry",
                      "HttpPopulationRegistry", "HttpVnpostRegistry",
                      "HttpSimSignatureService", "HttpRevocationFetcher", "OidcEidProvider"]
ADAPTER_VARIABLES = {"SMS_BACKEND", "CARRIER_REGISTRY", "BHXH_REGISTRY", "VNPOST_REGISTRY",
                     "POPULATION_REGISTRY", "SIM_SIGNATURE_SERVICE",
                     "SIGNING_REVOCATION_FETCHER", "DEBUG", "SECRET_KEY",
                     "PORTAL_CAPTCHA_TEST_MODE", "SANDBOX_BACKENDS_ALLOWED", "VNEID_PROVIDER",
                     "VNEID_ISSUER"}


@pytest.mark.parametrize("env,classes", [
    ({"DEBUG": "1"}, DEVELOPMENT_CLASSES), (PRODUCTION, PRODUCTION_CLASSES),
], ids=["development", "production"])
def test_every_adapter_setting_loads_an_adapter_of_its_contract(env, classes):
    clean = {k: v for k, v in os.environ.items() if k not in ADAPTER_VARIABLES}
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", PROBE],
                            cwd=ROOT, capture_output=True, text=True, env={**clean, **env},
                            timeout=60)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines == [f"{setting} {alias} {name} True"
                     for (setting, alias, _), name in zip(ADAPTERS, classes, strict=True)]


def test_the_accessors_are_the_one_loader():
    assert registry("carrier") is adapter("REGISTRIES", "carrier")
    assert sms_backend() is adapter("SMS_BACKENDS", "default")
    assert sim_service() is adapter("SIM_SIGNATURE_SERVICE")
    assert revocation.fetcher() is adapter("SIGNING_REVOCATION_FETCHER")
    assert vneid_provider() is adapter("VNEID_PROVIDER")


def test_an_adapter_is_built_once_and_again_when_its_setting_changes(settings):
    first = adapter("SIM_SIGNATURE_SERVICE")
    assert adapter("SIM_SIGNATURE_SERVICE") is first
    other = {"BACKEND": "signing.sim.http.HttpSimSignatureService",
             "OPTIONS": {"url": "http://sim.example.vn", "timeout": 2.0}}
    with override_settings(SIM_SIGNATURE_SERVICE=other):
        assert adapter("SIM_SIGNATURE_SERVICE").url == "http://sim.example.vn"
    assert type(adapter("SIM_SIGNATURE_SERVICE")) is type(first)
    settings.REGISTRIES = {**settings.REGISTRIES, "carrier": {
        "BACKEND": "accounts.registries.http.HttpCarrierRegistry",
        "OPTIONS": {"url": "http://carrier.example.vn", "timeout": 1.0}}}
    assert registry("carrier").url == "http://carrier.example.vn"


def test_a_setting_edited_in_place_takes_effect_after_the_reset(settings):
    settings.REGISTRIES = dict(settings.REGISTRIES)  # a copy, given back after the test
    carrier = registry("carrier")
    settings.REGISTRIES["carrier"] = {"BACKEND": "accounts.registries.http.HttpCarrierRegistry",
                                      "OPTIONS": {"url": "http://carrier.example.vn"}}
    assert registry("carrier") is carrier  # no signal for an edit in place
    registries_reset()
    assert registry("carrier").url == "http://carrier.example.vn"
