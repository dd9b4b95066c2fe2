"""Inputs that hit a 5xx already reported, one predicate per bug.

The fuzz tests step around these inputs (with `assume` or a narrower strategy) so that the
suite stays green, and tests/fuzz/test_found_bugs.py reproduces each bug as a strict
xfail. When a bug is fixed its xfail turns into an XPASS failure: remove the mark there,
then the predicate here and its uses, so the fuzz covers those inputs again.
"""

import datetime as dt

from accounts.forms import DATE_FORMAT, full_name_clean
from accounts.identity import text_fold

# FUZZ-1: an email the form accepts (up to 320 characters) does not fit Account.email (254).
EMAIL_COLUMN = 254


def fuzz_2_subject_breaks_account(value: str | None) -> bool:
    """FUZZ-2: a certificate's O or CN goes into Account.full_name verbatim: NUL, more than
    150 characters, or a name that folds longer than 150 (name_folded)."""
    if not value:
        return False
    return "\x00" in value or len(value) > 150 or len(text_fold(value)) > 150


def fuzz_3_empty_post(body: dict) -> bool:
    """FUZZ-3: the counter's confirmation posted with an empty body before any code."""
    return not any(value != [] for value in body.values())


def fuzz_4_date_at_the_limits(query: dict, *fields: str) -> bool:
    """FUZZ-4: a date filter on 31/12/9999 (the day after overflows) or in January of
    year 1 (the statistics' default start, 29 days before, overflows)."""
    for name in fields:
        value = query.get(name)
        if isinstance(value, list):
            value = value[-1] if value else None
        try:
            day = dt.datetime.strptime((value or "").strip(), DATE_FORMAT).date()
        except (ValueError, TypeError):
            continue
        if day >= dt.date(9999, 12, 31) or day < dt.date(1, 2, 1):
            return True
    return False


def fuzz_5_nul_in_staff_search(query: dict) -> bool:
    """FUZZ-5: the staff list's ?q= reaches a LIKE query with a NUL in it."""
    value = query.get("q")
    values = value if isinstance(value, list) else [value]
    return bool(values) and "\x00" in (values[-1] or "")


def fuzz_6_name_grows_past_150(name: str) -> bool:
    """FUZZ-6: a counter name of at most 150 characters that title-casing (ß -> Ss) or
    folding (Hangul syllables -> jamo) makes longer than Account's 150-character columns."""
    try:
        clean = full_name_clean(name)
    except Exception:  # the form refuses it: nothing is saved
        return False
    return len(clean) > 150 or len(text_fold(clean)) > 150


def fuzz_7_non_ascii_digits(value) -> bool:
    """FUZZ-7: an ID number in Arabic-Indic (or other non-ASCII) digits passes `\\d` and
    becomes a login name nobody can type, beside the same person's ASCII one."""
    values = value if isinstance(value, list) else [value]
    text = values[-1] if values and isinstance(values[-1], str) else ""
    return any(ch.isdigit() and not ch.isascii() for ch in text)
