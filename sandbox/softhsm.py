"""A SoftHSM2 token standing in for a citizen's "USB ký số", for development and tests.

Stdlib and `cryptography` only at import time, so tests can use it without Django and
without loading the PKCS#11 library into their own process: SoftHSM reads
`SOFTHSM2_CONF` once, when the library is loaded, and python-pkcs11 keeps that library
for the life of the process. The objects are therefore written by a child process
(`python -m sandbox.softhsm`, fed a JSON job on stdin) started with the right
configuration.
"""

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
CONF_NAME = "softhsm2.conf"


class ProvisionError(RuntimeError):
    """softhsm2-util or the object import failed; the message says what it printed."""


@dataclass(frozen=True)
class Identity:
    """A certificate and its private key (PEM files) to place on the token together."""

    cert_pem: Path
    key_pem: Path
    label: str


def object_id(certificate: x509.Certificate) -> bytes:
    """CKA_ID shared by the key and its certificate: SHA-1 of the public key, as OpenSC does.

    Deriving it from the key keeps it stable across re-provisioning and unique per key.
    """
    return x509.SubjectKeyIdentifier.from_public_key(certificate.public_key()).digest


def write_conf(directory: Path) -> Path:
    """Write `softhsm2.conf` keeping the tokens under `directory/tokens`; return its path."""
    directory = Path(directory).resolve()
    tokens = directory / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = directory / CONF_NAME
    conf.write_text(
        f"directories.tokendir = {tokens}\n"
        "objectstore.backend = file\n"
        "log.level = ERROR\n"
        "slots.removable = false\n",
        encoding="utf-8",
    )
    return conf


def _softhsm_util(conf: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    return subprocess.run(
        ["softhsm2-util", *args], env=env, capture_output=True, text=True, check=False
    )


def init_token(conf: Path, label: str, pin: str, so_pin: str) -> None:
    """Create the token `label`, deleting any token of that label first."""
    while _softhsm_util(conf, "--delete-token", "--token", label).returncode == 0:
        pass  # a label is not unique in SoftHSM: remove every earlier copy
    done = _softhsm_util(
        conf, "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", so_pin
    )
    if done.returncode != 0:
        raise ProvisionError(f"softhsm2-util --init-token failed: {done.stderr or done.stdout}")


def import_identities(
    conf: Path, label: str, pin: str, identities: list[Identity],
    module: str = DEFAULT_MODULE,
) -> list[str]:
    """Put each key and certificate on the token, paired by CKA_ID; return the hex ids."""
    job = {
        "module": module,
        "label": label,
        "pin": pin,
        "identities": [
            {"cert_pem": str(i.cert_pem), "key_pem": str(i.key_pem), "label": i.label}
            for i in identities
        ],
    }
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    done = subprocess.run(
        [sys.executable, "-m", "sandbox.softhsm"], input=json.dumps(job), env=env,
        cwd=PROJECT_ROOT, capture_output=True, text=True, check=False,
    )
    if done.returncode != 0:
        raise ProvisionError(f"importing into token {label!r} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def provision(
    directory: Path, label: str, pin: str, so_pin: str, identities: list[Identity],
    module: str = DEFAULT_MODULE,
) -> Path:
    """Configuration, a fresh token and its objects in one go; return the conf path."""
    conf = write_conf(directory)
    init_token(conf, label, pin, so_pin)
    import_identities(conf, label, pin, identities, module)
    return conf


def identities_from_manifest(ca_dir: Path, only: list[str] | None = None) -> list[Identity]:
    """The key and certificate pairs listed in `manage.py dev_ca`'s manifest.json."""
    ca_dir = Path(ca_dir)
    manifest = json.loads((ca_dir / "manifest.json").read_text(encoding="utf-8"))
    entries = manifest["identities"] if isinstance(manifest, dict) else manifest
    unknown = set(only or ()) - {entry["name"] for entry in entries}
    if unknown:
        raise ProvisionError(f"not in {ca_dir / 'manifest.json'}: {', '.join(sorted(unknown))}")
    return [
        Identity(ca_dir / entry["certificate"], ca_dir / entry["key"], entry["name"])
        for entry in entries if not only or entry["name"] in only
    ]


# The child process: everything below runs with the PKCS#11 library loaded.

def _load_identity(item: dict):
    certificate = x509.load_pem_x509_certificate(Path(item["cert_pem"]).read_bytes())
    key = serialization.load_pem_private_key(Path(item["key_pem"]).read_bytes(), None)
    if key.public_key().public_numbers() != certificate.public_key().public_numbers():
        raise ProvisionError(f"{item['key_pem']} is not the key of {item['cert_pem']}")
    return certificate, key


def _key_templates(key) -> tuple[dict, dict]:
    """Private and public key attributes from python-pkcs11's decoders."""
    from pkcs11.util import ec as p11_ec
    from pkcs11.util import rsa as p11_rsa

    public = key.public_key()
    if isinstance(key, rsa.RSAPrivateKey):
        private_der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        public_der = public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.PKCS1
        )
        return p11_rsa.decode_rsa_private_key(private_der), p11_rsa.decode_rsa_public_key(
            public_der
        )
    if isinstance(key, ec.EllipticCurvePrivateKey):
        # TraditionalOpenSSL is SEC1 ECPrivateKey with the curve named, which the decoder needs.
        private_der = key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        public_der = public.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return p11_ec.decode_ec_private_key(private_der), p11_ec.decode_ec_public_key(public_der)
    raise ProvisionError(f"unsupported key type {type(key).__name__}")


def _write_identity(session, certificate, key, label: str) -> str:
    from pkcs11 import Attribute
    from pkcs11.util.x509 import decode_x509_certificate

    ckaid = object_id(certificate)
    private, public = _key_templates(key)
    shared = {Attribute.TOKEN: True, Attribute.ID: ckaid, Attribute.LABEL: label}
    private.update(shared)
    private.update({
        Attribute.PRIVATE: True, Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False,
        Attribute.SIGN: True, Attribute.DECRYPT: False, Attribute.UNWRAP: False,
    })
    public.update(shared)
    public.update({Attribute.PRIVATE: False, Attribute.VERIFY: True})
    cert = decode_x509_certificate(certificate.public_bytes(serialization.Encoding.DER))
    cert.update(shared)
    cert[Attribute.PRIVATE] = False
    for template in (private, public, cert):
        session.create_object(template)
    return ckaid.hex()


def _run_job(job: dict) -> list[str]:
    import pkcs11

    token = pkcs11.lib(job["module"]).get_token(token_label=job["label"])
    identities = [(item, *_load_identity(item)) for item in job["identities"]]
    with token.open(rw=True, user_pin=job["pin"]) as session:
        return [_write_identity(session, cert, key, item["label"])
                for item, cert, key in identities]


if __name__ == "__main__":
    print(json.dumps(_run_job(json.load(sys.stdin))))
