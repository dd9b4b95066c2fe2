"""A registration that VNeID vouches for: no registry is asked who the person is.

What the e-ID does not give is asked for: a phone, because a password login here needs a
second factor (the SMS code first) and "Quên mật khẩu?" an ID and a phone (the phone is
taken from VNeID when it has one: VNeID registered it as the person's own; another
number passes the carrier's "chính chủ" check as a new phone on an account does), proved
by an OTP; then a password. The steps after "identity" are the registration's own: its
OTP screen and its password form.
"""

from accounts.flows.ial2 import vouch_by_carrier
from accounts.flows.vouching import IdentityRefused
from accounts.models import Account
from accounts.otp import otp_send
from accounts.ratelimit import rate_consume
from accounts.registries import RegistryUnavailable
from accounts.services import citizen_register
from federation.vneid.base import LEVELS, EidRefused

VERIFIED_BY = "Bộ Công an (VNeID)"
OTP_PURPOSE = "register"


def vneid_phone_submit(flow, *, phone: str, ip: str) -> None:
    """Check the phone, send its OTP and move to the "otp" step; EidRefused, SendRefused
    or RateLimited otherwise."""
    identity = flow.data["identity"]
    if phone != identity["phone"]:
        rate_consume(("registry_per_ip", ip))
        try:
            vouch_by_carrier({"phone": phone, "id_number": identity["id_number"],
                              "full_name": identity["full_name"],
                              "birth_date": identity["birth_date"]})
        except IdentityRefused as refusal:
            raise EidRefused(refusal.code) from None
        except RegistryUnavailable:
            raise EidRefused("carrier_down") from None
    code_id = otp_send(purpose=OTP_PURPOSE, phone=phone, ip=ip)
    flow.advance("otp", phone=phone, code_id=code_id)


def vneid_register_finish(flow, *, password: str) -> Account:
    """The account, at the level VNeID's level maps to (AccountExists if the person has
    one by now)."""
    data = flow.data
    identity = data["identity"]
    account = citizen_register(
        person={"id_number": identity["id_number"], "other_id_number": data["other_id_number"],
                "full_name": identity["full_name"], "birth_date": identity["birth_date"],
                "phone": data["phone"]},
        password=password, method=Account.Method.VNEID, level=LEVELS[identity["level"]],
        verified_by=VERIFIED_BY,
    )
    flow.clear()
    return account


def vneid_person_stub(flow) -> Account:
    """An unsaved account with the person's data, for the password-similarity check."""
    identity = flow.data["identity"]
    return Account(username=identity["id_number"], full_name=identity["full_name"])
