"""The list of accounts created at the clerk's counters and its filters."""

import datetime as dt

import pytest
from django.utils import timezone

from operator_console.models import CounterRecord, Membership
from tests.operator_console.conftest import person

LIST = "/quan-tri/tao-tai-khoan-cong-dan/"


@pytest.fixture
def records(units, clerk, other_clerk):
    """Three accounts at Phố Hiến (Hà's counter), one at Sơn Nam (Lan's, who also works
    at Phố Hiến)."""
    Membership.objects.create(account=other_clerk, unit=units["S-X11953"])
    made = [
        ("001190000201", "Nguyễn Văn An", "+84912345201", "S-X11953", clerk, (2026, 3, 1)),
        ("001190000202", "Đặng Thị Ánh Tuyết", "+84912345202", "S-X11953", clerk, (2026, 5, 9)),
        ("001190000203", "Nguyễn Văn Anh", "+84912345203", "S-X11953", other_clerk,
         (2026, 6, 30)),
        ("001190000204", "Nguyễn Văn An", "+84912345204", "S-X11983", other_clerk,
         (2026, 5, 9)),
    ]
    for username, name, phone, unit, by, day in made:
        CounterRecord.objects.create(
            account=person(username, name, phone), unit=units[unit], clerk=by,
            scan_name="0" * 32 + ".bin", scan_type="pdf",
            created_at=timezone.make_aware(dt.datetime(*day, 10, 0)),
        )


def found(client, **filters) -> str:
    page = client.get(LIST, filters).content.decode()
    return page


def test_it_lists_only_the_clerks_units_newest_first(client, clerk, records):
    client.force_login(clerk)
    page = found(client)
    assert "Tìm thấy 3 kết quả" in page
    assert page.index("001190000203") < page.index("001190000202") < page.index("001190000201")
    assert "001190000204" not in page


def test_it_finds_names_without_diacritics_or_case(client, clerk, records):
    client.force_login(clerk)
    assert "Tìm thấy 2 kết quả" in found(client, name="NGUYEN van an")
    assert "Tìm thấy 1 kết quả" in found(client, name="anh tuyet")
    assert "Tìm thấy 1 kết quả" in found(client, name="Đặng")


def test_it_finds_by_phone_in_any_spelling_and_by_id(client, clerk, records):
    client.force_login(clerk)
    assert "001190000202" in found(client, phone="0912 345 202")
    assert "Tìm thấy 1 kết quả" in found(client, id_number="001190000203")
    assert "Số điện thoại không hợp lệ" in found(client, phone="12ab")


def test_it_filters_by_clerk_unit_and_dates(client, clerk, records, units):
    client.force_login(clerk)
    assert "Tìm thấy 1 kết quả" in found(client, clerk="vu thi lan")
    assert "Tìm thấy 3 kết quả" in found(client, unit=units["S-X11953"].pk)
    page = found(client, date_from="09/05/2026", date_to="09/05/2026")
    assert "Tìm thấy 1 kết quả" in page and "001190000202" in page
    assert "“Đến ngày” phải sau" in found(client, date_from="10/05/2026", date_to="09/05/2026")


def test_it_refuses_a_unit_that_is_not_the_clerks(client, clerk, records, units):
    client.force_login(clerk)
    page = found(client, unit=units["S-X11983"].pk)
    assert "Đơn vị không hợp lệ." in page and "001190000204" not in page


def test_it_says_when_nothing_matches(client, clerk, records):
    client.force_login(clerk)
    page = found(client, name="khong ai")
    assert "Tìm thấy 0 kết quả" in page
    assert "Không tìm thấy tài khoản thỏa mãn các tiêu chí trên" in page


def test_it_pages_twenty_at_a_time(client, clerk, units):
    for n in range(23):
        CounterRecord.objects.create(
            account=person(f"0011900003{n:02d}", f"Công Dân {n}", f"+849123453{n:02d}"),
            unit=units["S-X11953"], clerk=clerk, scan_name="0" * 32 + ".bin", scan_type="pdf")
    client.force_login(clerk)
    first = found(client, name="cong dan")
    assert "Tìm thấy 23 kết quả" in first and "Trang 1/2" in first
    second = found(client, name="cong dan", trang=2)
    assert "Trang 2/2" in second and second.count("<tr>") == 1 + 3


def test_it_finds_the_work_of_a_clerk_who_has_left_under_their_name_then(
    client, clerk, other_clerk, records, units
):
    """Lan leaves Phố Hiến and changes her name: what she created there stays findable,
    and listed, under the name she had."""
    Membership.objects.filter(account=other_clerk, unit=units["S-X11953"]).delete()
    other_clerk.full_name = "Vũ Lan Chi"
    other_clerk.save()
    client.force_login(clerk)
    page = found(client, clerk="vu thi lan")
    assert "Tìm thấy 1 kết quả" in page and "001190000203" in page
    assert "Vũ Thị Lan" in page and "Vũ Lan Chi" not in page
    assert "Tìm thấy 0 kết quả" in found(client, clerk="Lan Chi") or (
        "Không tìm thấy" in found(client, clerk="Lan Chi"))
