"""The in-process BHXH and Vietnam Post sandboxes answer each sample person as people.json says."""

import datetime as dt
import time

import pytest

from accounts.registries import registries_reset, registry
from accounts.registries.base import PersonRecord, RegistryUnavailable
from sandbox.registries import SandboxBhxhRegistry, SandboxVnpostRegistry

AN = PersonRecord("001090012345", "Nguyễn Văn An", dt.date(1990, 3, 15))
AN_BHXH_CODE = "0101012345"
UNKNOWN_CODE = "0199999999"
UNKNOWN_ID = "001099999999"


@pytest.fixture
def bhxh():
    # Options are those of the HTTP adapter: the sandbox must accept and ignore them.
    return SandboxBhxhRegistry(url="http://127.0.0.1:1/bhxh/lookup", timeout=1.0)


@pytest.fixture
def vnpost():
    return SandboxVnpostRegistry(url="http://127.0.0.1:1/vnpost/lookup", timeout=1.0)


def typed(id_number: str, full_name: str, birth: str) -> dict:
    """What a sample person types on the form, as PersonRecord.matches takes it."""
    return {"id_number": id_number, "full_name": full_name,
            "birth_date": dt.date.fromisoformat(birth)}


def test_the_settings_blocks_build_the_sandboxes_with_the_http_options(settings):
    settings.REGISTRIES = {
        name: {**settings.REGISTRIES[name], "BACKEND": f"sandbox.registries.{backend}"}
        for name, backend in (("bhxh", "SandboxBhxhRegistry"), ("vnpost", "SandboxVnpostRegistry"))
    }
    registries_reset()
    try:
        assert registry("bhxh").insured_lookup(AN_BHXH_CODE) == AN
        assert registry("vnpost").customer_lookup(AN.id_number) == AN
    finally:
        registries_reset()


# --- BHXH ------------------------------------------------------------------------------

def test_bhxh_returns_the_insured_person_under_a_code(bhxh):
    assert bhxh.insured_lookup(AN_BHXH_CODE) == AN


def test_bhxh_takes_the_twelve_digit_id_in_place_of_the_code(bhxh):
    assert bhxh.insured_lookup("001090012345") == AN


def test_bhxh_returns_its_own_id_number_which_the_duplicate_check_uses(bhxh):
    # Triệu Văn Hải: BHXH holds his code under another ID than the one he carries.
    record = bhxh.insured_lookup("0127345679")
    assert record.id_number == "010079345600"
    assert not record.matches(**typed("010079345679", "Triệu Văn Hải", "1979-07-17"))
    assert bhxh.insured_lookup("010079345679") is None
    assert bhxh.insured_lookup("010079345600") == record


@pytest.mark.parametrize(
    ("code", "what_they_type"),
    [
        ("0129567803", typed("019183567803", "Ninh Thị Oanh", "1983-04-16")),  # no diacritics
        ("0122890124", typed("035189890124", "Quách Thị Cúc", "1989-09-29")),  # another date
    ],
)
def test_bhxh_records_that_do_not_match_what_the_person_types(bhxh, code, what_they_type):
    record = bhxh.insured_lookup(code)
    assert record is not None and not record.matches(**what_they_type)


def test_bhxh_record_matches_ignoring_case_and_spacing(bhxh):
    record = bhxh.insured_lookup(AN_BHXH_CODE)
    assert record.matches(**typed("001090012345", "  nguyễn   VĂN an ", "1990-03-15"))


@pytest.mark.parametrize("code", [UNKNOWN_CODE, UNKNOWN_ID, "046186012346", "012345678"])
def test_bhxh_knows_nobody_under_an_unknown_code(bhxh, code):
    # 046186012346 is Tôn Nữ Diệu Hiền, whom BHXH does not know; a 9-digit CMND is no code.
    assert bhxh.insured_lookup(code) is None


def test_bhxh_knows_the_person_who_already_has_an_account(bhxh):
    tuan = typed("001084567801", "Cao Văn Tuấn", "1984-01-21")
    assert bhxh.insured_lookup("0117567801").matches(**tuan)


# --- Vietnam Post ----------------------------------------------------------------------

@pytest.mark.parametrize("id_number", ["001090012345", "079185004567", "001084567801"])
def test_vnpost_returns_the_customer_it_identified(vnpost, id_number):
    record = vnpost.customer_lookup(id_number)
    assert record is not None and record.id_number == id_number


def test_vnpost_returns_the_full_record(vnpost):
    assert vnpost.customer_lookup("001090012345") == AN


@pytest.mark.parametrize(
    "what_they_type",
    [
        typed("083094901235", "Lâm Văn Danh", "1994-03-27"),  # held without diacritics
        typed("010079345679", "Triệu Văn Hải", "1979-07-17"),  # held with another date
    ],
)
def test_vnpost_records_that_do_not_match_what_the_person_types(vnpost, what_they_type):
    record = vnpost.customer_lookup(what_they_type["id_number"])
    assert record is not None and not record.matches(**what_they_type)


@pytest.mark.parametrize("id_number", [UNKNOWN_ID, "048078123456", "046186012346"])
def test_vnpost_knows_nobody_it_has_not_identified(vnpost, id_number):
    assert vnpost.customer_lookup(id_number) is None


# --- Misbehaving registries ------------------------------------------------------------

MISBEHAVING = [
    ("bhxh", "0123901235", "timeout"),  # Lâm Văn Danh, by his BHXH code
    ("bhxh", "083094901235", "timeout"),  # the same, by his ID in place of the code
    ("bhxh", "0125123457", "error"),  # Mạc Văn Giang
    ("bhxh", "030200123457", "error"),
    ("bhxh", "0130678904", "bad_answer"),  # Khúc Văn Phong
    ("bhxh", "030076678904", "bad_answer"),
    ("vnpost", "019183567803", "timeout"),  # Ninh Thị Oanh
    ("vnpost", "030076678904", "error"),  # Khúc Văn Phong
    ("vnpost", "030200123457", "bad_answer"),  # Mạc Văn Giang
]


@pytest.mark.parametrize(("name", "key", "reason"), MISBEHAVING)
def test_it_fails_like_the_real_registry_at_once(bhxh, vnpost, name, key, reason, caplog):
    lookup = bhxh.insured_lookup if name == "bhxh" else vnpost.customer_lookup
    started = time.monotonic()
    with pytest.raises(RegistryUnavailable) as failure:
        lookup(key)
    assert failure.value.reason == reason
    assert time.monotonic() - started < 1  # in-process, a "timeout" must not make tests wait
    assert f"{name} registry unavailable: {reason}" in caplog.text
    assert key not in caplog.text
