"""Subjects laid out as the Vietnamese CAs write them (FIELD-NOTES), read by OID."""

from datetime import UTC, date, datetime

import pytest
from cryptography import x509
from cryptography.x509.oid import NameOID

from sandbox.dev_ca import issue_certificate, key_make, make_ca
from signing.errors import SignatureRefused
from signing.identity import identity_from_certificate

C, ST, L, ORG, OU, CN = (NameOID.COUNTRY_NAME, NameOID.STATE_OR_PROVINCE_NAME,
                       NameOID.LOCALITY_NAME, NameOID.ORGANIZATION_NAME,
                       NameOID.ORGANIZATIONAL_UNIT_NAME, NameOID.COMMON_NAME)
UID, ORG_ID = NameOID.USER_ID, NameOID.ORGANIZATION_IDENTIFIER

ISSUERS = {
    "vnpt": [(C, "VN"), (ORG, "VNPT Group"), (OU, "VNPT-CA Trust Network"),
             (CN, "VNPT Certification Authority")],
    "viettel": [(C, "VN"), (ORG, "Viettel Group"), (CN, "Viettel-CA SHA-256")],
    "fpt": [(C, "VN"), (ORG, "FPT Corporation"), (CN, "FPT Certification Authority")],
    "bkav": [(C, "VN"), (L, "Hà Nội"), (ORG, "Bkav Corporation"), (CN, "BkavCA")],
    "no-cn": [(C, "VN"), (ORG, "BkavCA Corporation")],
}


def name(pairs) -> x509.Name:
    return x509.Name([x509.NameAttribute(oid, value) for oid, value in pairs])


@pytest.fixture(scope="module")
def issuers():
    # EC keys: the layouts are what matters here, and they are quick to make.
    return {label: make_ca(name(pairs), key=key_make("ec-p256"))
            for label, pairs in ISSUERS.items()}


def identity(issuers, issuer, subject_pairs, **kwargs):
    cert = issue_certificate(issuers[issuer], name(subject_pairs), key_type="ec-p256",
                             **kwargs).certificate
    return identity_from_certificate(cert)


def test_vnpt_citizen_with_cccd(issuers):
    found = identity(issuers, "vnpt", [(C, "VN"), (ST, "HÀ NỘI"), (L, "Phường Ba Đình"),
                                       (CN, "NGUYỄN VĂN AN"), (UID, "CCCD:001090012345")])
    assert (found.kind, found.id_number, found.mst) == ("citizen", "001090012345", "")
    assert found.name == "NGUYỄN VĂN AN"
    assert found.organization == ""
    assert found.ca_name == "VNPT Certification Authority"


def test_viettel_with_several_uids_prefers_the_cccd(issuers):
    found = identity(issuers, "viettel", [
        (C, "VN"), (ST, "Hà Nội"), (CN, "Cao Văn Tuấn"),
        (UID, "CMND:012345678"), (UID, "CCCD:001084567801"), (UID, "BHXH:0117567801"),
    ])
    assert (found.kind, found.id_number) == ("citizen", "001084567801")
    assert found.ca_name == "Viettel-CA SHA-256"


def test_legacy_cmnd_alone_identifies_a_citizen(issuers):
    found = identity(issuers, "viettel", [(C, "VN"), (CN, "Lâm Văn Danh"),
                                          (UID, "HC:B1234567"), (UID, "CMND:271234567")])
    assert (found.kind, found.id_number) == ("citizen", "271234567")


def test_prefix_written_in_another_case_or_with_a_space(issuers):
    found = identity(issuers, "fpt", [(CN, "Trần Thị Bình"), (UID, "cccd: 079185004567")])
    assert found.id_number == "079185004567"
    assert found.ca_name == "FPT Certification Authority"


def test_business_with_uid_mst(issuers):
    found = identity(issuers, "vnpt", [
        (C, "VN"), (ST, "HÀ NỘI"), (ORG, "CÔNG TY TNHH PHẦN MỀM SAO MAI"),
        (CN, "CÔNG TY TNHH PHẦN MỀM SAO MAI"), (UID, "MST:0101234567"),
    ])
    assert (found.kind, found.mst, found.id_number) == ("business", "0101234567", "")
    assert found.name == "CÔNG TY TNHH PHẦN MỀM SAO MAI"
    assert found.organization == "CÔNG TY TNHH PHẦN MỀM SAO MAI"


def test_branch_in_organization_identifier_keeps_its_suffix(issuers):
    found = identity(issuers, "bkav", [
        (C, "VN"), (ORG, "CÔNG TY TNHH PHẦN MỀM SAO MAI"), (ORG_ID, "MST:0101234567-001"),
        (CN, "CHI NHÁNH CÔNG TY TNHH PHẦN MỀM SAO MAI TẠI ĐÀ NẴNG"),
    ])
    assert (found.kind, found.mst) == ("business", "0101234567-001")
    assert found.name == "CHI NHÁNH CÔNG TY TNHH PHẦN MỀM SAO MAI TẠI ĐÀ NẴNG"
    assert found.ca_name == "BkavCA"


def test_etsi_style_organization_identifier(issuers):
    found = identity(issuers, "fpt", [(ORG, "CÔNG TY CỔ PHẦN AN PHÁT"),
                                      (ORG_ID, "VN:MST-0312345678"),
                                      (CN, "CÔNG TY CỔ PHẦN AN PHÁT")])
    assert (found.kind, found.mst) == ("business", "0312345678")


def test_a_personal_id_beside_the_mst_makes_it_a_business(issuers):
    # A company's certificate naming its legal representative is still the company's.
    found = identity(issuers, "viettel", [(ORG, "CÔNG TY TNHH SAO MAI"), (CN, "Nguyễn Văn An"),
                                          (UID, "CCCD:001090012345"), (UID, "MST:0101234567")])
    assert (found.kind, found.mst, found.id_number) == ("business", "0101234567", "")
    assert found.organization == "CÔNG TY TNHH SAO MAI"


def test_a_sole_traders_personal_certificate_with_an_mst_is_a_person(issuers):
    # A personal certificate that also names the holder's own tax code (a sole trader):
    # no organisation fields, so it is the person's.
    found = identity(issuers, "vnpt", [(C, "VN"), (ST, "HÀ NỘI"), (CN, "NGUYỄN VĂN AN"),
                                       (UID, "CCCD:001090012345"), (UID, "MST:8012345678")])
    assert (found.kind, found.id_number, found.mst) == ("citizen", "001090012345", "")


def test_a_household_business_owners_certificate_is_a_person(issuers):
    # Since July 2025 an individual's tax code is their ID number; the household business
    # has no legal personality: the certificate opens its owner's citizen account.
    found = identity(issuers, "viettel", [(CN, "HỘ KINH DOANH NGUYỄN VĂN AN"),
                                          (UID, "MST:001090012345"),
                                          (UID, "CCCD:001090012345")])
    assert (found.kind, found.id_number) == ("citizen", "001090012345")


def test_an_employees_certificate_naming_the_employer_without_its_mst_is_a_person(issuers):
    found = identity(issuers, "fpt", [(ORG, "CÔNG TY CỔ PHẦN AN PHÁT"), (OU, "Phòng Kế toán"),
                                      (CN, "Trần Thị Bình"), (UID, "CCCD:079185004567")])
    assert (found.kind, found.id_number, found.mst) == ("citizen", "079185004567", "")


def test_an_mst_with_no_personal_id_is_an_organisation_without_an_o(issuers):
    found = identity(issuers, "bkav", [(C, "VN"), (CN, "CÔNG TY TNHH PHẦN MỀM SAO MAI"),
                                       (UID, "MST:0101234567")])
    assert (found.kind, found.mst, found.id_number) == ("business", "0101234567", "")


def test_ca_name_falls_back_to_the_issuer_organization(issuers):
    found = identity(issuers, "no-cn", [(CN, "Nguyễn Văn An"), (UID, "CCCD:001090012345")])
    assert found.ca_name == "BkavCA Corporation"


def test_dates_in_vietnam_time_and_serial_in_hex(issuers):
    # 17:30 UTC is 00:30 the next day in Vietnam: the day a Vietnamese CA prints.
    found = identity(issuers, "vnpt", [(CN, "Nguyễn Văn An"), (UID, "CCCD:001090012345")],
                     not_before=datetime(2025, 1, 1, 17, 30, tzinfo=UTC),
                     not_after=datetime(2028, 1, 1, 16, 59, tzinfo=UTC))
    assert (found.valid_from, found.valid_to) == (date(2025, 1, 2), date(2028, 1, 1))
    assert len(found.serial) % 2 == 0
    assert int(found.serial, 16) > 0 and found.serial == found.serial.upper()


@pytest.mark.parametrize("subject", [
    pytest.param([(C, "VN"), (CN, "Nguyễn Văn An")], id="cn-only"),
    pytest.param([(CN, "Nguyễn Văn An"), (UID, "HC:B1234567"), (UID, "BHXH:0117567801")],
                 id="passport-and-bhxh-only"),
    pytest.param([(CN, "Nguyễn Văn An"), (UID, "CCCD:00109001")], id="cccd-too-short"),
    pytest.param([(ORG, "CÔNG TY SAO MAI"), (UID, "MST:12345")], id="mst-malformed"),
    # An ID written into the CN is not read: identities come from the UID attribute only.
    pytest.param([(CN, "Nguyễn Văn An CCCD:001090012345")], id="id-only-in-cn"),
])
def test_no_identity(issuers, subject):
    with pytest.raises(SignatureRefused) as refused:
        identity(issuers, "vnpt", subject)
    assert refused.value.code == "no_identity"
