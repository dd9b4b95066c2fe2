"""The RSA keys that sign the ID tokens given to other portals.

Read by portal/settings.py at start-up, so this module imports nothing of Django's apps.
Production takes the active key from the environment (OIDC_RSA_PRIVATE_KEY, or a file
named by OIDC_RSA_PRIVATE_KEY_FILE) and refuses to start without one; development makes
one once into var/, so `make run` and the tests need nothing. Keys retired by a rotation
stay published in the JWKS (OIDC_RSA_PRIVATE_KEYS_INACTIVE) while tokens they signed live.
"""

import os
import re
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.exceptions import ImproperlyConfigured

PEM_BLOCK = re.compile(r"-----BEGIN [A-Z ]+-----.+?-----END [A-Z ]+-----", re.S)
MIN_BITS = 2048


def signing_key(pem: str, *, debug: bool, dev_file: Path) -> str:
    """The active key as PEM: the one given, else (development only) the one in `dev_file`."""
    if pem:
        return key_checked(pem, "OIDC_RSA_PRIVATE_KEY")
    if not debug:
        raise ImproperlyConfigured("OIDC_RSA_PRIVATE_KEY must be set when DEBUG is off")
    if not dev_file.exists():
        _dev_key_write(dev_file)
    return key_checked(dev_file.read_text(), str(dev_file))


def inactive_keys(text: str) -> list[str]:
    """The retired keys: PEM blocks one after another (`cat old-1.pem old-2.pem`)."""
    return [key_checked(block, "OIDC_RSA_PRIVATE_KEYS_INACTIVE")
            for block in PEM_BLOCK.findall(text.replace("\\n", "\n"))]


def key_checked(pem: str, name: str) -> str:
    """`pem` if it is an unencrypted RSA private key strong enough, else ImproperlyConfigured
    at start-up rather than a failure at the first sign-in."""
    pem = pem.replace("\\n", "\n").strip() + "\n"  # a one-line environment value
    try:
        key = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError):
        raise ImproperlyConfigured(f"{name} is not a PEM private key without a passphrase") \
            from None
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < MIN_BITS:
        raise ImproperlyConfigured(f"{name} must be an RSA key of {MIN_BITS} bits or more")
    return pem


def key_new_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=MIN_BITS)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _dev_key_write(path: Path) -> None:
    # The web server, the worker and the tests may start at once: each writes its key
    # aside and links it into place; the link fails for all but the first, who all then
    # read the same key.
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, aside = tempfile.mkstemp(dir=path.parent)
    with os.fdopen(handle, "w") as file:
        file.write(key_new_pem())
    try:
        os.link(aside, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(aside)
