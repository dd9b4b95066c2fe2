"""What VNeID's claims say about the person, read strictly: an answer that does not say it
plainly is no answer (the adapter calls it "bad_answer")."""

import datetime as dt
import re

from accounts.identity import phone_to_e164
from federation.vneid.base import EidIdentity

# The level is read from the signed ID token's `acr`, never from userinfo alone: it decides
# the account's assurance level here.
LEVELS_BY_ACR = {"urn:vneid:level:1": 1, "urn:vneid:level:2": 2}
PERSONAL_ID_RE = re.compile(r"\d{12}")
NAME_MAX = 150  # Account.full_name


def identity_read(id_token: dict, userinfo: dict) -> EidIdentity:
    """The person from the checked ID token and the userinfo answer; ValueError, KeyError or
    TypeError when either does not say it plainly."""
    if userinfo["sub"] != id_token["sub"]:  # OpenID Connect Core 5.3.2: not this person's
        raise ValueError("userinfo is about another subject")
    id_number = userinfo["personal_identification_number"]
    if not (isinstance(id_number, str) and PERSONAL_ID_RE.fullmatch(id_number)):
        raise ValueError("no 12-digit personal identification number")
    name = " ".join("".join(ch for ch in userinfo["name"] if ch.isprintable()).split())
    if not name or len(name) > NAME_MAX:
        raise ValueError("no usable name")
    return EidIdentity(
        subject=id_token["sub"], id_number=id_number, full_name=name,
        birth_date=dt.date.fromisoformat(userinfo["birthdate"]),
        level=LEVELS_BY_ACR[id_token["acr"]],
        phone=phone_to_e164(userinfo.get("phone_number") or "") or "",
    )
