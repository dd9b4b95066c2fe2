"""Whether a certificate presented to log in or register has been revoked, as of now.

First the CA's OCSP responder, when the certificate names one (its answer verified:
signing/revocation.py). Without a usable answer, the CA's revocation list: the lists live
in the database (RevocationList), read from the configured files and fetched from the
distribution points the certificates name; a periodic task fetches them all again
(`revocation_refresh`, Celery beat), and a check that finds no current list for the
issuer fetches it at once. A list past its nextUpdate (plus the configured grace) is not
relied on; with neither an answer nor a current list, the certificate is refused
("revocation_unknown"), never accepted.
"""

import hashlib
import logging
import time
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.utils import timezone

from accounts.models import RevocationList
from portal.adapters import adapter, adapters_reset
from signing.fetch import RevocationUnavailable
from signing.revocation import (
    Revocation,
    RevocationUnusable,
    crl_covers_all,
    crl_current,
    crl_parse,
    crl_signed_by,
    crl_urls,
    ocsp_request,
    ocsp_status,
    ocsp_urls,
)

log = logging.getLogger(__name__)
# A distribution point that just failed is not asked again by the same process sooner.
RETRY_AFTER_SECONDS = 60
_failed_at: dict[str, float] = {}
_parsed: dict[tuple, tuple] = {}


def revocation_check(cert: x509.Certificate, issuer: x509.Certificate,
                     now: datetime) -> Revocation:
    """GOOD, REVOKED, UNKNOWN (the CA's responder does not know it) or UNCHECKABLE."""
    for url in ocsp_urls(cert)[:1]:
        try:
            return ocsp_status(fetcher().ocsp(url, ocsp_request(cert, issuer)), cert, issuer,
                               now)
        except (RevocationUnavailable, RevocationUnusable) as failure:
            log.warning("OCSP answer not usable (%s): the CRL decides", failure.reason)
    lists = _current_lists(issuer, now)
    if not lists:
        _sources_read([*_configured_files(), *crl_urls(cert)], [*_known_cas(), issuer],
                      only_untried=True)
        lists = _current_lists(issuer, now)
    if not lists:
        return Revocation.UNCHECKABLE
    return Revocation.REVOKED if any(cert.serial_number in serials for serials in lists) else (
        Revocation.GOOD)


def revocation_refresh() -> dict:
    """Read every list again: the configured files and addresses, and every address a
    certificate has named. Returns how many were read and how many failed."""
    known = RevocationList.objects.filter(source__startswith="http").values_list(
        "source", flat=True)
    sources = [*_configured_files(), *settings.SIGNING_TRUST.get("CRL_URLS", []), *known]
    return _sources_read(list(dict.fromkeys(sources)), _known_cas())


def revocation_forget() -> None:
    """Forget what this process has read and tried (tests that write a new CA)."""
    _failed_at.clear()
    _parsed.clear()
    adapters_reset("SIGNING_REVOCATION_FETCHER")
    _certificates_in.cache_clear()


def grace() -> timedelta:
    return timedelta(seconds=settings.SIGNING_TRUST.get("CRL_GRACE_SECONDS", 0))


def fetcher():
    return adapter("SIGNING_REVOCATION_FETCHER")


def _configured_files() -> list[str]:
    return list(settings.SIGNING_TRUST.get("CRLS", []))


def _known_cas() -> list[x509.Certificate]:
    """The configured CA certificates: the only ones whose lists are kept."""
    config = settings.SIGNING_TRUST
    paths = (*config.get("ROOTS", []), *config.get("GOVERNMENT_ROOTS", []),
             *config.get("INTERMEDIATES", []))
    return list(_certificates_in(tuple(paths)))


@cache
def _certificates_in(paths: tuple) -> tuple[x509.Certificate, ...]:
    return tuple(cert for path in paths if Path(path).exists()
                 for cert in x509.load_pem_x509_certificates(Path(path).read_bytes()))


def _sources_read(sources: list[str], issuers: list[x509.Certificate],
                  only_untried: bool = False) -> dict:
    read = failed = 0
    for source in sources:
        if only_untried and time.monotonic() - _failed_at.get(source, -1e9) < RETRY_AFTER_SECONDS:
            continue
        try:
            data = (fetcher().crl(source) if source.startswith(("http://", "https://"))
                    else Path(source).read_bytes())
            _store(source, crl_parse(data)[0], issuers)
            read += 1
        except (RevocationUnavailable, OSError, ValueError) as failure:
            log.warning("CRL not read from %s: %s", source, type(failure).__name__)
            _failed_at[source] = time.monotonic()
            failed += 1
    return {"read": read, "failed": failed}


def _store(source: str, crl: x509.CertificateRevocationList,
           issuers: list[x509.Certificate]) -> None:
    """Keep the list read from `source`, if a known CA signed it, it covers all of that
    CA's certificates, and it is not older than the one kept (a list replayed from before
    a revocation must not undo it); ValueError otherwise."""
    if crl.next_update_utc is None:
        raise ValueError("a CRL without nextUpdate")
    if not any(crl_signed_by(crl, issuer) for issuer in issuers):
        raise ValueError("a CRL no known CA signed")
    if not crl_covers_all(crl, source):
        raise ValueError("a delta or partitioned CRL")
    kept = RevocationList.objects.filter(source=source).values_list("this_update",
                                                                     flat=True).first()
    if kept is not None and kept > crl.last_update_utc:
        raise ValueError("a CRL older than the one kept")
    RevocationList.objects.update_or_create(source=source, defaults={
        "issuer": _name_key(crl.issuer), "der": crl.public_bytes(Encoding.DER),
        "this_update": crl.last_update_utc, "next_update": crl.next_update_utc,
        "fetched_at": timezone.now(),
    })


def _current_lists(issuer: x509.Certificate, now: datetime) -> list[frozenset]:
    """The revoked serials of each current list that `issuer` signed."""
    rows = RevocationList.objects.filter(
        issuer=_name_key(issuer.subject), next_update__gte=now - grace(),
    ).values_list("pk", "fetched_at")
    found = []
    for pk, fetched_at in rows:
        crl, serials, signers = _parsed_list(pk, fetched_at)
        if (crl is not None and _signed_by(crl, signers, issuer)
                and crl_current(crl, now, grace())):
            found.append(serials)
    return found


def _signed_by(crl: x509.CertificateRevocationList, signers: dict,
               issuer: x509.Certificate) -> bool:
    """Whether `issuer` signed `crl`, verified once per list and issuer: `signers` is kept
    with the parsed list, so a list fetched anew is verified anew. Verifying a CRL of
    thousands of entries at every check cost more than the rest of the check."""
    if issuer not in signers:  # a certificate hashes and compares by its DER
        signers[issuer] = crl_signed_by(crl, issuer)
    return signers[issuer]


def _parsed_list(pk: int, fetched_at) -> tuple:
    """A stored list parsed once per process (and again once it is fetched anew), with
    its revoked serials and the issuers found to have signed it (or not)."""
    key = (pk, fetched_at)
    if key not in _parsed:
        for older in [k for k in _parsed if k[0] == pk]:
            del _parsed[older]
        der = RevocationList.objects.filter(pk=pk).values_list("der", flat=True).first()
        try:
            crl = x509.load_der_x509_crl(bytes(der)) if der is not None else None
        except ValueError:
            crl = None
        _parsed[key] = (crl, frozenset(entry.serial_number for entry in crl or ()), {})
    return _parsed[key]


def _name_key(name: x509.Name) -> str:
    return hashlib.sha256(name.public_bytes()).hexdigest()

