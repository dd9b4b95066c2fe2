"""Who a certificate names, read from the subject by OID (FIELD-NOTES: Vietnamese CAs put
the ID in UID with a prefix, and some put the tax code in organizationIdentifier)."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID

from signing.errors import SignatureRefused
from signing.kept import KeptPerObject

# Dates are shown to Vietnamese users and CAs issue at local midnight: read them in
# Vietnam's time, or a certificate issued at 00:00 (UTC+7) would show the day before.
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# A tax code: 10 digits, 10 + "-" + 3 for a dependent unit, or since July 2025 an
# individual's 12-digit ID.
MST_RE = re.compile(r"\d{10}(?:-\d{3})?|\d{12}", re.ASCII)
CCCD_RE = re.compile(r"\d{12}", re.ASCII)
# The 9-digit card, and the 12-digit CMND issued 2012-2016 before the CCCD.
CMND_RE = re.compile(r"\d{9}|\d{12}", re.ASCII)


@dataclass(frozen=True)
class CertificateIdentity:
    kind: str  # "citizen" | "business"
    id_number: str  # CCCD or CMND digits; "" for a business
    mst: str  # tax code, with a branch suffix when present; "" for a citizen
    name: str  # subject CN
    organization: str  # subject O, may be ""
    ca_name: str  # issuer CN, else issuer O
    valid_from: date
    valid_to: date
    serial: str  # upper-case hex, as CAs print it
    # SHA-256 of the root the chain was anchored in (hex): which CA family vouches for it.
    root: str = ""

    @property
    def is_business(self) -> bool:
        return self.kind == "business"


def identity_from_certificate(cert: x509.Certificate, issuer: x509.Certificate | None = None,
                              root: x509.Certificate | None = None) -> CertificateIdentity:
    """The citizen or business `cert` names; SignatureRefused("no_identity") if neither.

    The kind comes from the subject's shape (docs/signing.md, "Who a certificate names"):
    an organisation's certificate has a tax code (MST) and organisation fields (O, or the
    MST in organizationIdentifier), or a tax code and no personal ID at all; a personal
    certificate has a personal ID (CCCD/CMND) and no organisation fields, whatever MST it
    also carries (a sole trader's, a household business's).

    `issuer`, the certificate that signed `cert` once the chain is checked, lets the CA's
    name be read once per CA rather than at every login: a handful of CAs issue every
    certificate, and `cryptography` builds a name anew, in Python, each time it is read.
    """
    subject = _attributes(cert.subject)
    uids = subject.get(NameOID.USER_ID, [])
    organization_ids = subject.get(NameOID.ORGANIZATION_IDENTIFIER, [])
    mst, personal_id = _mst(uids, organization_ids), _personal_id(uids)
    organization = _first(subject, NameOID.ORGANIZATION_NAME)
    organisational = bool(organization or _mst([], organization_ids))
    business = bool(mst) and (organisational or not personal_id)
    if not business and not personal_id:
        raise SignatureRefused("no_identity")
    return CertificateIdentity(
        kind="business" if business else "citizen",
        id_number="" if business else personal_id,
        mst=mst if business else "",
        name=_name_of(subject),
        organization=organization,
        ca_name=_ca_name(issuer) if issuer is not None else _name_of(_attributes(cert.issuer)),
        valid_from=_local_date(cert.not_valid_before_utc),
        valid_to=_local_date(cert.not_valid_after_utc),
        serial=_serial_hex(cert.serial_number),
        root=_root_fingerprint(root) if root is not None else "",
    )


def root_fingerprint(root: x509.Certificate) -> str:
    return root.fingerprint(hashes.SHA256()).hex()


def _issuer_name(issuer: x509.Certificate) -> str:
    return _name_of(_attributes(issuer.subject))


# The same few CAs' certificates come with every check: their name and fingerprint are
# read once (the root's SHA-256 fingerprint, worked out at each login, was a fifth of
# reading the identity).
_ca_name = KeptPerObject(_issuer_name)
_root_fingerprint = KeptPerObject(root_fingerprint)


def _attributes(name: x509.Name) -> dict[x509.ObjectIdentifier, list[str]]:
    """The name's text values by OID, in their order, read in one pass: each
    `get_attributes_for_oid` walks the whole name again, in Python."""
    found: dict[x509.ObjectIdentifier, list[str]] = {}
    for attribute in name:
        if isinstance(attribute.value, str):
            found.setdefault(attribute.oid, []).append(attribute.value.strip())
    return found


def _name_of(attributes: dict) -> str:
    """The CN, else the O."""
    return _first(attributes, NameOID.COMMON_NAME) or _first(attributes,
                                                             NameOID.ORGANIZATION_NAME)


def _first(attributes: dict, oid: x509.ObjectIdentifier) -> str:
    values = attributes.get(oid)
    return values[0] if values else ""


def _after_prefix(values: list[str], prefix: str) -> list[str]:
    """The values written `PREFIX:value` (prefix in any case, spaces tolerated)."""
    found = []
    for value in values:
        head, colon, rest = value.partition(":")
        if colon and head.strip().upper() == prefix:
            found.append(rest.strip())
    return found


def _matching(candidates: list[str], pattern: re.Pattern) -> str:
    return next((value for value in candidates if pattern.fullmatch(value)), "")


def _mst(uids: list[str], organization_ids: list[str]) -> str:
    # organizationIdentifier is seen both as "MST:0101234567" and, in the ETSI style,
    # as "VN:MST-0101234567".
    etsi = [value[len("VN:MST-"):] for value in organization_ids
            if value.upper().startswith("VN:MST-")]
    candidates = _after_prefix(uids, "MST") + _after_prefix(organization_ids, "MST") + etsi
    return _matching(candidates, MST_RE)


def _personal_id(uids: list[str]) -> str:
    # The CCCD is the current number; a CMND beside it is the legacy one.
    return _matching(_after_prefix(uids, "CCCD"), CCCD_RE) or _matching(
        _after_prefix(uids, "CMND"), CMND_RE
    )


def _local_date(moment: datetime) -> date:
    return moment.astimezone(VIETNAM).date()


def _serial_hex(serial: int) -> str:
    return serial.to_bytes((serial.bit_length() + 7) // 8 or 1, "big").hex().upper()
