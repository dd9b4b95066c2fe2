import datetime as dt

import pytest

from accounts.identity import (
    cccd_matches_birth,
    id_number_is_valid,
    id_number_normalize,
    phone_masked,
    phone_masked_login,
    phone_to_e164,
)


@pytest.mark.parametrize("number", ["001090012345", "079185004567", "012345678"])
def test_it_accepts_cccd_and_cmnd(number):
    assert id_number_is_valid(number)


@pytest.mark.parametrize("number", ["", "12345", "0010900123456", "999090012345", "00109001234a"])
def test_it_refuses_malformed_numbers(number):
    assert not id_number_is_valid(number)


def test_it_strips_spaces_and_dots_from_an_id():
    assert id_number_normalize(" 001 090.012-345 ") == "001090012345"


@pytest.mark.parametrize("typed", [
    "００１０９００１２３４５",  # full-width, as some phone keyboards type
    "001\u00a0090\u00a0012\u00a0345",  # no-break spaces (pasted from a document)
    "001\u202f090\u2009012 345",  # narrow and thin spaces
    "００１ ０９０ ０１２ ３４５",
])
def test_it_reads_an_id_typed_in_any_common_way(typed):
    assert id_number_normalize(typed) == "001090012345"


def test_digits_of_other_scripts_stay_refused():
    assert not id_number_is_valid(id_number_normalize("٠٠١٠٩٠٠١٢٣٤٥"))


def test_it_checks_century_digit_against_birth_year():
    assert cccd_matches_birth("001090012345", dt.date(1990, 3, 15))
    assert cccd_matches_birth("031301234567", dt.date(2001, 1, 30))
    assert not cccd_matches_birth("001090012345", dt.date(1991, 3, 15))


@pytest.mark.parametrize("raw", ["0912345001", "+84912345001", "84 912 345 001", "091.234.5001",
                                 "０９１２３４５００１", "＋８４ ９１２ ３４５ ００１",
                                 "(+84) 912-345-001"])
def test_it_stores_phones_as_e164(raw):
    assert phone_to_e164(raw) == "+84912345001"


@pytest.mark.parametrize("raw", ["02438123456", "12345", "+14155550100", "abc"])
def test_it_refuses_what_is_not_a_vietnamese_mobile(raw):
    assert phone_to_e164(raw) is None


def test_it_masks_a_phone_as_the_seed_shows_it():
    assert phone_masked("+84828888088") == "082****088"
    assert phone_masked_login("+84979123399") == "0979xxx399"
