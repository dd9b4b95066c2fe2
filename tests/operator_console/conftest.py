import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Account
from accounts.sms.backends import locmem
from operator_console.models import Administrator, Grant, Membership, Unit
from operator_console.rights import ADD_USER, CREATE_CITIZEN, RIGHTS
from operator_console.units import units_load, units_sample_rows
from tests.accounts.conftest import fresh_login, population_down, xuan  # noqa: F401
from tests.pdfs import scan_pdf

PDF = scan_pdf()
# A walk-in citizen with no account yet (born 1995: the CCCD's digits 4-6 read "095").
WALK_IN = {"id_number": "033095012345", "full_name": "Hoàng Văn Nam",
           "birth_date": "12/05/1995", "phone": "0912345111", "email": "nam@example.vn"}


@pytest.fixture(autouse=True)
def sms_outbox():
    locmem.outbox.clear()
    yield locmem.outbox
    locmem.outbox.clear()


@pytest.fixture(autouse=True)
def scan_storage(settings, tmp_path):
    settings.SCAN_STORAGE_ROOT = tmp_path / "scans"
    return settings.SCAN_STORAGE_ROOT


@pytest.fixture
def units(db):
    units_load(units_sample_rows())
    return {unit.code: unit for unit in Unit.objects.all()}


def person(username: str, name: str, phone: str, *, units=(), rights=(),
           rights_in=None) -> Account:
    """An account working in `units`, holding `rights` in each (or only in `rights_in`)."""
    account = Account(username=username, full_name=name, phone=phone,
                      birth_date=dt.date(1985, 6, 12), assurance_level=3)
    account.set_password("ThuNghiem#11")
    account.save()
    for unit in units:
        Membership.objects.create(account=account, unit=unit)
    for unit in units if rights_in is None else rights_in:
        for right in rights:
            Grant.objects.create(account=account, unit=unit, right=right)
    return account


@pytest.fixture
def clerk(units):
    """Hà: the right, at the counter of Phố Hiến."""
    return person("033185001234", "Phạm Thị Thúy Hà", "+84912345101",
                  units=[units["S-X11953"]], rights=[CREATE_CITIZEN])


@pytest.fixture
def other_clerk(units):
    """Lan: the right, at the counter of Sơn Nam."""
    return person("033190001236", "Vũ Thị Lan", "+84912345103",
                  units=[units["S-X11983"]], rights=[CREATE_CITIZEN])


@pytest.fixture
def wrong_unit_clerk(units):
    """Hậu: the right, but his only unit is a department, not a counter."""
    return person("033087001235", "Đinh Văn Hậu", "+84912345102",
                  units=[units["S-P33-STP"]], rights=[CREATE_CITIZEN])


@pytest.fixture
def no_right_clerk(units):
    """Bình: at the counter of Phố Hiến, but without the right."""
    return person("033188001237", "Lê Văn Bình", "+84912345104", units=[units["S-X11953"]])


@pytest.fixture
def citizen(db):
    return person("001084567801", "Cao Văn Tuấn", "+84912345017")


def scan_file(data: bytes = PDF, name: str = "CCCD.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def details_post(client, **changes):
    data = {**WALK_IN, "unit": Unit.objects.get(code="S-X11953").pk, "scan": scan_file(),
            "for_id": WALK_IN["id_number"]}
    data.update(changes)
    return client.post("/quan-tri/tao-tai-khoan-cong-dan/them-moi/thong-tin/",
                       {k: v for k, v in data.items() if v is not None})


def start_creation(client, id_number: str = WALK_IN["id_number"]):
    return client.post("/quan-tri/tao-tai-khoan-cong-dan/them-moi/", {"id_number": id_number})


@pytest.fixture
def top(units):
    """Thảo: top administrator of Hưng Yên, holding every right."""
    account = person("033180000001", "Lê Thu Thảo", "+84912345301",
                     units=[units["P33"]], rights=list(RIGHTS))
    Administrator.objects.create(account=account, unit=units["P33"], level="province")
    return account


@pytest.fixture
def ward_admin(units):
    """Quang: administrator of the commune Phố Hiến, with two rights only."""
    account = person("033180000002", "Trịnh Minh Quang", "+84912345302",
                     units=[units["X11953"]], rights=[ADD_USER, CREATE_CITIZEN])
    Administrator.objects.create(account=account, unit=units["X11953"], level="unit")
    return account


