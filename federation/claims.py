"""What a portal learns about a person: the subject, the level of the login, the claims.

- `sub` is pairwise: a keyed digest of the client's sector and the account, so one account
  has one stable subject per client and two provinces cannot match people by it. The key
  derives from the deployment's SECRET_KEY (accounts/crypto.py): rotating that key changes
  every subject, which every client would see as new people.
- `acr`: LOA_3 only for a signature (USB token or SIM) of a level-3 account; every other
  login is LOA_2. `amr` says how (RFC 8176 values), `auth_time` when.
"""

from accounts.crypto import keyed_digest
from accounts.models import AGENCY_LOGIN_PREFIX, Account
from federation.scopes import scopes_known

LOA_2 = "urn:dichvucong:loa:2"
LOA_3 = "urn:dichvucong:loa:3"
LEVELS = {LOA_2: 2, LOA_3: 3}
SIGNATURES = ("usb", "sim")
# RFC 8176 by (method, second factor). A passkey may be synced between devices: a
# software-held key (swk) is all we can vouch for. VNeID's own login is its own business.
AMR = {
    ("password", "sms"): ["pwd", "sms", "mfa"],
    ("password", "app"): ["pwd", "otp", "mfa"],
    ("password", "backup"): ["pwd", "otp", "mfa"],
    ("password", "passkey"): ["pwd", "swk", "mfa"],
    ("usb", ""): ["sc", "hwk", "pin", "mfa"],
    ("sim", ""): ["hwk", "pin", "mfa"],
}


def subject_of(account: Account, sector: str) -> str:
    return keyed_digest("oidc-sub", f"{sector}\n{account.pk}")


def login_level(account: Account, how: dict) -> str:
    """The acr of a login made `how` (accounts.fresh.login_how) by `account`."""
    signed = how.get("method") in SIGNATURES
    return LOA_3 if signed and account.assurance_level >= Account.Level.HIGH else LOA_2


def login_context(account: Account, how: dict) -> dict:
    """acr, amr and auth_time of a login, as a sign-in keeps them (federation.SignIn)."""
    return {"acr": login_level(account, how),
            "amr": AMR.get((how.get("method", ""), how.get("factor") or ""), []),
            "auth_time": int(how["at"])}


def level_wanted(acr_values: str) -> int:
    """The lowest level among the acr values a client asks (any one of them will do);
    0 when it names none of ours."""
    levels = [LEVELS[value] for value in acr_values.split() if value in LEVELS]
    return min(levels, default=0)


def claims_of(account: Account, scopes, *, sector: str) -> dict:
    """The claims the scopes give, beside `sub`; an empty value is left out."""
    claims = {"sub": subject_of(account, sector)}
    granted = set(scopes_known(scopes))
    business = account.account_type == Account.Type.BUSINESS
    if "profile" in granted:
        claims["name"] = account.full_name
        if account.birth_date and not business:
            claims["birthdate"] = account.birth_date.isoformat()
    if "id_number" in granted:
        if business:
            claims["tax_code"] = account.username
        elif account.account_type == Account.Type.AGENCY:  # the civil servant's own number
            claims["id_number"] = account.username.removeprefix(AGENCY_LOGIN_PREFIX)
        else:
            claims["id_number"] = account.username
    # A phone reaches an account only through a code sent to it (registration, the
    # counter, "Đổi số điện thoại").
    if "phone" in granted and account.phone:
        claims.update(phone_number=account.phone, phone_number_verified=True)
    if "email" in granted and account.email:
        claims["email"] = account.email
    return claims
