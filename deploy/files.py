"""What a running shape keeps in its state directory: secrets made once and kept (a new
SECRET_KEY would log everyone out; a new scan key would lose the scans), a self-signed TLS
certificate for the proxy, and the proxy's configuration."""

import base64
import datetime as dt
import ipaddress
import os
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from deploy.shape import Shape
from federation.keys import key_new_pem

SECRETS = {
    "secret_key": lambda: secrets.token_urlsafe(50),
    "scan_key": lambda: base64.b64encode(secrets.token_bytes(32)).decode(),
    "oidc_key.pem": key_new_pem,
}


def files_ensure(shape: Shape) -> None:
    for folder in ("secrets", "tls", "run", "log", "scans"):
        (shape.state / folder).mkdir(parents=True, exist_ok=True, mode=0o700)
    for name, make in SECRETS.items():
        _private(shape.state / "secrets" / name, make)
    tls = shape.state / "tls"
    if not (tls / "cert.pem").exists():
        key = ec.generate_private_key(ec.SECP256R1())
        _private(tls / "key.pem", lambda: key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()).decode(), replace=True)
        (tls / "cert.pem").write_bytes(_certificate(key, shape.host)
                                       .public_bytes(serialization.Encoding.PEM))
    (shape.state / "run" / "nginx.conf").write_text(shape.nginx_conf())


def secret(shape: Shape, name: str) -> str:
    return (shape.state / "secrets" / name).read_text().strip()


def _private(path: Path, make, replace: bool = False) -> None:
    """Written once, readable by this user only."""
    if path.exists() and not replace:
        return
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as file:
        file.write(make())


def _certificate(key, host: str) -> x509.Certificate:
    """Self-signed, for `host` and 127.0.0.1: a browser warns once; tests trust the file."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = dt.datetime.now(dt.UTC)
    names = [x509.DNSName(host), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
    return (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
