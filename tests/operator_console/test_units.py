import io

import pytest
from django.core.management import call_command

from operator_console.models import Unit
from operator_console.selectors import unit_is_counter
from operator_console.units import admin_units_read, units_load, units_sample_rows

pytestmark = pytest.mark.django_db

PROVINCES, COMMUNES = 34, 3321


@pytest.fixture(scope="module")
def country():
    return admin_units_read()


def names(*codes):
    return [Unit.objects.get(code=code).name for code in codes]


def test_it_reads_the_2025_structure(country):
    assert len(country) == COMMUNES
    assert len({row["province_code"] for row in country}) == PROVINCES
    assert {"province_code": "33", "province": "Tỉnh Hưng Yên", "ward_code": "11953",
            "ward": "Phường Phố Hiến"} in country


def test_it_loads_the_whole_country(country):
    counts = units_load(country)

    assert counts == {"provinces": PROVINCES, "communes": COMMUNES,
                      "services": PROVINCES + COMMUNES, "created": 2 * (PROVINCES + COMMUNES),
                      "updated": 0, "unchanged": 0}
    assert Unit.objects.count() == 2 * (PROVINCES + COMMUNES)
    provinces = Unit.objects.filter(kind=Unit.Kind.PROVINCE)
    communes = Unit.objects.filter(kind=Unit.Kind.COMMUNE)
    services = Unit.objects.filter(kind=Unit.Kind.SERVICE)
    assert provinces.count() == PROVINCES and not provinces.exclude(parent=None).exists()
    assert communes.count() == COMMUNES
    assert not communes.exclude(parent__kind=Unit.Kind.PROVINCE).exists()
    assert services.count() == PROVINCES + COMMUNES
    assert all(unit_is_counter(unit) for unit in services)
    assert services.filter(parent__kind=Unit.Kind.PROVINCE).count() == PROVINCES
    assert services.filter(parent__kind=Unit.Kind.COMMUNE).count() == COMMUNES
    for unit in services.select_related("parent"):
        assert unit.code == "S-" + unit.parent.code
    assert Unit.objects.get(code="X11953").parent.code == "P33"
    assert names("P01", "S-P01", "S-P33", "S-X11953", "S-X31078") == [
        "Thành phố Hà Nội",
        "Trung tâm Phục vụ hành chính công thành phố Hà Nội",
        "Trung tâm Phục vụ hành chính công tỉnh Hưng Yên",
        "Bộ phận một cửa phường Phố Hiến",
        "Bộ phận một cửa đặc khu Phú Quốc",
    ]
    # The dataset types this ward "Xã"; the name (and the resolution) say "Phường".
    assert names("S-X10543") == ["Bộ phận một cửa phường Việt Hòa"]


def test_it_runs_again_without_duplicating_and_restores_names(country):
    units_load(country)
    Unit.objects.filter(code="P33").update(name="Hưng Yên (cũ)")
    Unit.objects.filter(code="S-X11953").update(name="Một cửa Phố Hiến")
    Unit.objects.filter(code="X11983").update(parent=Unit.objects.get(code="P01"))
    someone_elses = Unit.objects.create(code="S-P33-STP", name="Sở Tư pháp tỉnh Hưng Yên",
                                        kind=Unit.Kind.SERVICE,
                                        parent=Unit.objects.get(code="P33"))

    counts = units_load(country)

    assert (counts["created"], counts["updated"]) == (0, 3)
    assert counts["unchanged"] == 2 * (PROVINCES + COMMUNES) - 3
    assert names("P33", "S-X11953") == ["Tỉnh Hưng Yên", "Bộ phận một cửa phường Phố Hiến"]
    assert Unit.objects.get(code="X11983").parent.code == "P33"
    assert Unit.objects.filter(pk=someone_elses.pk).exists(), "never deletes"
    assert Unit.objects.count() == 2 * (PROVINCES + COMMUNES) + 1


def test_it_loads_without_counters(country):
    counts = units_load(country, with_services=False)

    assert counts["created"] == PROVINCES + COMMUNES
    assert not Unit.objects.filter(kind=Unit.Kind.SERVICE).exists()


def test_it_loads_the_sample():
    counts = units_load(units_sample_rows())

    assert counts == {"provinces": 1, "communes": 4, "services": 1 + 4 + 1, "created": 11,
                      "updated": 0, "unchanged": 0}
    assert names("P33", "X11953", "X11983") == [
        "Tỉnh Hưng Yên", "Phường Phố Hiến", "Phường Sơn Nam"
    ]
    assert Unit.objects.filter(kind=Unit.Kind.COMMUNE, parent__code="P33").count() == 4
    counters = Unit.objects.filter(kind=Unit.Kind.SERVICE).exclude(code="S-P33-STP")
    assert counters.count() == 5 and all(unit_is_counter(unit) for unit in counters)
    assert names("S-P33", "S-X11983") == [
        "Trung tâm Phục vụ hành chính công tỉnh Hưng Yên", "Bộ phận một cửa phường Sơn Nam"
    ]
    department = Unit.objects.get(code="S-P33-STP")
    assert (department.name, department.kind, department.parent.code) == (
        "Sở Tư pháp tỉnh Hưng Yên", Unit.Kind.SERVICE, "P33"
    )
    assert not unit_is_counter(department)
    assert units_load(units_sample_rows())["unchanged"] == 11


def test_it_refuses_a_service_without_its_parent():
    with pytest.raises(ValueError, match="P99"):
        units_load([{"kind": "service", "code": "S-P99-X", "name": "Sở X",
                     "parent_code": "P99"}])
    assert not Unit.objects.exists()


def test_it_refuses_a_unit_described_twice_differently():
    row = {"province_code": "33", "province": "Tỉnh Hưng Yên", "ward_code": "11953",
           "ward": "Phường Phố Hiến"}
    with pytest.raises(ValueError, match="X11953"):
        units_load([row, {**row, "ward": "Phường Hiến Nam"}])


def test_it_prints_the_counts_in_one_line():
    out = io.StringIO()
    call_command("load_units", "--sample", stdout=out)
    call_command("load_units", "--sample", stdout=out)

    assert out.getvalue().splitlines() == [
        "Units: 1 provinces, 4 communes, 6 service units; 11 created, 0 updated, 0 unchanged.",
        "Units: 1 provinces, 4 communes, 6 service units; 0 created, 0 updated, 11 unchanged.",
    ]


def test_the_command_loads_the_whole_country():
    out = io.StringIO()
    call_command("load_units", stdout=out)

    assert out.getvalue() == (
        "Units: 34 provinces, 3321 communes, 3355 service units;"
        " 6710 created, 0 updated, 0 unchanged.\n"
    )
