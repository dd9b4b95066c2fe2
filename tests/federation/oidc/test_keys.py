"""The signing keys: read strictly at start-up, made once in development."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.exceptions import ImproperlyConfigured

from federation.keys import inactive_keys, key_new_pem, signing_key


def test_it_makes_a_development_key_once(tmp_path):
    where = tmp_path / "oidc" / "signing-key.pem"
    first = signing_key("", debug=True, dev_file=where)
    assert signing_key("", debug=True, dev_file=where) == first
    assert "PRIVATE KEY" in first


def test_it_refuses_to_start_without_a_key_in_production(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="OIDC_RSA_PRIVATE_KEY must be set"):
        signing_key("", debug=False, dev_file=tmp_path / "key.pem")
    assert not (tmp_path / "key.pem").exists()


def test_it_takes_a_key_given_on_one_line():
    pem = key_new_pem()
    assert signing_key(pem.replace("\n", "\\n"), debug=False, dev_file=None) == pem


@pytest.mark.parametrize("key", [
    rsa.generate_private_key(public_exponent=65537, key_size=1024),
    ec.generate_private_key(ec.SECP256R1()),
])
def test_it_refuses_a_weak_or_other_key(key):
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    with pytest.raises(ImproperlyConfigured, match="RSA key of 2048 bits"):
        signing_key(pem, debug=False, dev_file=None)
    with pytest.raises(ImproperlyConfigured):
        signing_key("not a key", debug=False, dev_file=None)


def test_it_reads_retired_keys_one_after_another():
    old, older = key_new_pem(), key_new_pem()
    assert inactive_keys(old + older) == [old, older]
    assert inactive_keys("") == []
