"""Certificate + signature checks per second, as every signature login makes them
(signing.validation.signature_verify), against the same evidence checked with raw
`cryptography` calls in the same process:

- "library": what the library itself offers, with nothing of the portal around it: its
  path validation (`cryptography.x509.verification`, the portal's extension policy) and
  the signature's verify. The goal's baseline: what the portal adds must cost little.
- "signatures only": the three RSA verifications of the evidence (the chain's two
  certificate signatures and the signature), no path validation: a floor, for reference.

    python -m bench.signatures [--seconds 3]

The chain is the development CA's shape (RSA-2048 root, intermediate, citizen
certificate) with 1,000 revoked serials in the intermediate's CRL. Prints JSON.
"""

import argparse
import json
import statistics
import time

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.verification import Criticality, ExtensionPolicy, PolicyBuilder, Store

from sandbox.dev_ca import (
    citizen_subject,
    issue_certificate,
    make_ca,
    make_crl,
    signature_make,
)
from signing.challenge import signed_message
from signing.validation import TrustConfig, signature_verify


def evidence() -> dict:
    root = make_ca("Bench Root CA")
    intermediate = make_ca("Bench Intermediate CA", parent=root)
    leaf = issue_certificate(intermediate, citizen_subject("Nguyễn Văn An", "001090012345"))
    message = signed_message("https://dichvucong.example.vn", "bench-nonce-0123456789")
    return {
        "certificate_der": leaf.certificate.public_bytes(Encoding.DER),
        "intermediates_der": [intermediate.certificate.public_bytes(Encoding.DER)],
        "signature": signature_make(leaf.key, message, "RS256"),
        "message": message,
        "trust": TrustConfig(roots=[root.certificate],
                             crls=[make_crl(intermediate, range(10_000, 11_000))]),
    }


def portal_check(item: dict) -> None:
    signature_verify(algorithm="RS256", **item)


def library_check(item: dict) -> None:
    leaf = x509.load_der_x509_certificate(item["certificate_der"])
    intermediates = [x509.load_der_x509_certificate(der) for der in item["intermediates_der"]]
    ee_policy = ExtensionPolicy.webpki_defaults_ee().may_be_present(
        x509.SubjectAlternativeName, Criticality.AGNOSTIC, None)
    verifier = (PolicyBuilder().store(Store(item["trust"].roots))
                .extension_policies(ca_policy=ExtensionPolicy.webpki_defaults_ca(),
                                    ee_policy=ee_policy)
                .build_client_verifier())
    verifier.verify(leaf, intermediates)
    leaf.public_key().verify(item["signature"], item["message"], padding.PKCS1v15(),
                             hashes.SHA256())


def signatures_only(item: dict) -> None:
    leaf = x509.load_der_x509_certificate(item["certificate_der"])
    intermediate = x509.load_der_x509_certificate(item["intermediates_der"][0])
    root = item["trust"].roots[0]
    for cert, issuer in ((leaf, intermediate), (intermediate, root)):
        issuer.public_key().verify(cert.signature, cert.tbs_certificate_bytes,
                                   padding.PKCS1v15(), cert.signature_hash_algorithm)
    leaf.public_key().verify(item["signature"], item["message"], padding.PKCS1v15(),
                             hashes.SHA256())


def per_second(check, item: dict, seconds: float) -> float:
    check(item)
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        check(item)
        done += 1
    return done / (time.perf_counter() - started)


def interleaved(checks: dict, item: dict, seconds: float, rounds: int = 6) -> dict:
    """Each check's rate, the median of `rounds` short turns taken in alternation, so that
    a noisy second of the machine falls on all of them alike."""
    rates: dict[str, list[float]] = {name: [] for name in checks}
    for _ in range(rounds):
        for name, check in checks.items():
            rates[name].append(per_second(check, item, seconds / rounds))
    return {name: statistics.median(values) for name, values in rates.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    item = evidence()
    print(json.dumps(interleaved({"signatures_rate": signatures_only,
                                  "library_rate": library_check,
                                  "portal_rate": portal_check}, item, args.seconds)))


if __name__ == "__main__":
    main()
