"""Vietnamese identity numbers and phone numbers: shape rules, normalisation, masking.

CCCD (12 digits): 3-digit province code, a century/gender digit, 2 digits of the birth
year, 6 random digits; no check digit. CMND (9 digits): legacy, no check digit.
"""

import datetime as dt
import re
import unicodedata

import phonenumbers

CCCD_RE = re.compile(r"^\d{12}$", re.ASCII)
CMND_RE = re.compile(r"^\d{9}$", re.ASCII)
# The 63 province codes of birth registration used on CCCD cards (not renumbered in 2025).
PROVINCE_CODES = frozenset(
    "001 002 004 006 008 010 011 012 014 015 017 019 020 022 024 025 026 027 030 031 033 "
    "034 035 036 037 038 040 042 044 045 046 048 049 051 052 054 056 058 060 062 064 066 "
    "067 068 070 072 074 075 077 079 080 082 083 084 086 087 089 091 092 093 094 095 096".split()
)
# Mobile shape when phonenumbers does not know a block: 0 + 3,5,7,8,9 + 8 digits.
MOBILE_FALLBACK_RE = re.compile(r"^0[35789]\d{8}$", re.ASCII)


def digits_normalize(raw: str) -> str:
    """A number as a person may type it, reduced to what they meant: full-width digits
    (some phone keyboards) and other compatibility forms folded by NFKC, then spaces of
    any kind, dots and hyphens between the groups dropped. Digits of other scripts stay
    as they are, and the shape checks refuse them."""
    return re.sub(r"[\s.\-]", "", unicodedata.normalize("NFKC", raw or ""))


def id_number_normalize(raw: str) -> str:
    return digits_normalize(raw)


def id_number_is_valid(number: str) -> bool:
    if CMND_RE.match(number):
        return True
    return bool(CCCD_RE.match(number)) and number[:3] in PROVINCE_CODES


def cccd_matches_birth(number: str, birth: dt.date) -> bool:
    """Whether the century/gender digit and year digits agree with the date of birth.

    A mismatch is only a warning: old cards with an irregular structure exist.
    """
    if not CCCD_RE.match(number):
        return True
    century_digit = int(number[3])
    century = 1900 + 100 * (century_digit // 2)
    return century + int(number[4:6]) == birth.year


def phone_to_e164(raw: str) -> str | None:
    """+84… for a Vietnamese mobile number in any common spelling, None if it is not one."""
    digits = digits_normalize(raw).replace("(", "").replace(")", "")
    try:
        parsed = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException:
        return None
    national = "0" + str(parsed.national_number)
    if parsed.country_code != 84:
        return None
    if phonenumbers.number_type(parsed) == phonenumbers.PhoneNumberType.MOBILE:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if MOBILE_FALLBACK_RE.match(national):
        return "+84" + national[1:]
    return None


def phone_national(e164: str) -> str:
    return "0" + e164[3:] if e164.startswith("+84") else e164


def phone_masked(e164: str) -> str:
    """082****088, as the registration screen of the seeds shows a number."""
    national = phone_national(e164)
    return national[:3] + "*" * (len(national) - 6) + national[-3:]


def phone_masked_login(e164: str) -> str:
    """0828xxx088, as the login screen of the seeds shows a number."""
    national = phone_national(e164)
    return national[:4] + "x" * (len(national) - 7) + national[-3:]


def text_fold(text: str) -> str:
    """Lower case without diacritics, one space between words: "Đỗ  Thị Ánh" -> "do thi anh".

    Searches compare folded text, so "nguyen van a" finds "Nguyễn Văn A".
    """
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())
