"""The audit log: administrators read the entries of the units they administer, on the
page and as CSV; nobody edits an entry, not even through the ORM."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from operator_console.models import Administrator, AuditEntry
from operator_console.services import audit_record
from tests.operator_console.conftest import person

LOG = "/quan-tri/nhat-ky/"
CSV = "/quan-tri/nhat-ky/tai-xuong.csv"


def local(*when) -> time_machine.travel:
    return time_machine.travel(timezone.make_aware(dt.datetime(*when)), tick=False)


@pytest.fixture
def top_admin(units):
    """Quang: the province's top administrator (Hưng Yên)."""
    account = person("033080000101", "Trần Văn Quang", "+84912345301")
    Administrator.objects.create(account=account, unit=units["P33"], level="province")
    return account


@pytest.fixture
def unit_admin(units):
    """Hồng: administrator of the ward of Phố Hiến, hence of its counter."""
    account = person("033182000102", "Ngô Thị Hồng", "+84912345302")
    Administrator.objects.create(account=account, unit=units["X11953"], level="unit")
    return account


@pytest.fixture
def entries(units, clerk, other_clerk, wrong_unit_clerk, top_admin):
    """Hà creates at Phố Hiến, Lan looks up at Sơn Nam, Quang grants at the Department of
    Justice just after local midnight (still the 10th in UTC); one lookup has no unit."""
    with local(2026, 5, 9, 8, 0):
        audit_record(actor=clerk, action=AuditEntry.Action.CREATE, unit=units["S-X11953"],
                     detail="033095012345", ip="10.0.0.1")
    with local(2026, 5, 10, 23, 30):
        audit_record(actor=other_clerk, action=AuditEntry.Action.LOOKUP,
                     unit=units["S-X11983"], detail="001190000111", ip="10.0.0.2")
        audit_record(actor=other_clerk, action=AuditEntry.Action.LOOKUP, unit=None,
                     detail="001190000999", ip="10.0.0.2")
    with local(2026, 5, 11, 0, 30):
        audit_record(actor=top_admin, action=AuditEntry.Action.GRANT,
                     unit=units["S-P33-STP"], target=wrong_unit_clerk,
                     detail="033087001235: Quyền tạo tài khoản công dân", ip="10.0.0.3")


def page_of(client, **filters) -> str:
    return client.get(LOG, filters).content.decode()


def csv_of(response) -> tuple[str, list[list[str]]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    return text, list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LOG, CSV])
def test_it_sends_anonymous_people_to_the_portal_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/dang-nhap/?next=")


@pytest.mark.parametrize("url", [LOG, CSV])
def test_it_refuses_a_non_administrator(client, clerk, entries, url):
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 403
    assert "không phải tài khoản quản trị" in response.content.decode()


def test_it_shows_a_unit_admin_their_units_subtree_only(client, unit_admin, entries):
    client.force_login(unit_admin)
    page = page_of(client)
    assert "Tìm thấy 1 kết quả" in page
    assert "033095012345" in page and "Phạm Thị Thúy Hà" in page
    assert "09/05/2026 08:00:00" in page and "10.0.0.1" in page
    assert "001190000111" not in page and "033087001235" not in page
    assert "Sơn Nam" not in page and "Sở Tư pháp" not in page  # nor offered as a unit


def test_it_shows_the_top_admin_the_whole_province_newest_first(client, top_admin, entries):
    client.force_login(top_admin)
    page = page_of(client)
    assert "Tìm thấy 3 kết quả" in page
    assert page.index("033087001235") < page.index("001190000111") < page.index("033095012345")
    assert "001190000999" not in page  # no unit: in nobody's scope
    assert "Cấp quyền" in page and "Tra cứu CMND/CCCD" in page


def test_it_filters_by_actor_action_target_and_unit(client, top_admin, entries, units):
    client.force_login(top_admin)
    assert "Tìm thấy 1 kết quả" in page_of(client, actor="PHAM thi thuy ha")
    assert "Tìm thấy 1 kết quả" in page_of(client, actor="Quang")
    page = page_of(client, action="lookup")
    assert "Tìm thấy 1 kết quả" in page and "001190000111" in page
    page = page_of(client, target="0011 9000")
    assert "Tìm thấy 1 kết quả" in page and "001190000111" in page
    page = page_of(client, unit=units["S-X11953"].pk)
    assert "Tìm thấy 1 kết quả" in page and "033095012345" in page
    assert "Tìm thấy 0 kết quả" in page_of(client, actor="Quang", action="create")


def test_it_filters_by_whole_local_days(client, top_admin, entries):
    client.force_login(top_admin)
    page = page_of(client, date_from="11/05/2026", date_to="11/05/2026")
    assert "Tìm thấy 1 kết quả" in page and "033087001235" in page
    page = page_of(client, date_from="10/05/2026", date_to="10/05/2026")
    assert "Tìm thấy 1 kết quả" in page and "001190000111" in page
    assert "Tìm thấy 2 kết quả" in page_of(client, date_to="10/05/2026")


def test_it_shows_the_errors_of_invalid_filters(client, top_admin, entries):
    client.force_login(top_admin)
    assert "Ngày phải có dạng dd/mm/yyyy." in page_of(client, date_from="2026-05-10")
    assert "“Đến ngày” phải sau" in page_of(client, date_from="11/05/2026",
                                             date_to="10/05/2026")
    assert "Hành động không hợp lệ." in page_of(client, action="delete")
    page = page_of(client, target="abc")
    assert "Số CMND/CCCD chỉ gồm chữ số." in page and "033095012345" not in page


def test_it_refuses_a_unit_outside_the_scope(client, unit_admin, entries, units):
    client.force_login(unit_admin)
    page = page_of(client, unit=units["S-X11983"].pk)
    assert "Đơn vị không hợp lệ." in page and "001190000111" not in page
    response = client.get(CSV, {"unit": units["S-X11983"].pk})
    assert response.status_code == 400
    assert "Bộ lọc không hợp lệ" in response.content.decode()


def test_it_says_when_nothing_matches(client, top_admin, entries):
    client.force_login(top_admin)
    page = page_of(client, actor="khong ai")
    assert "Tìm thấy 0 kết quả" in page
    assert "Không có nhật ký thỏa mãn các tiêu chí trên" in page


def test_it_pages_by_fifty_keeping_the_filters(client, unit_admin, clerk, units):
    for n in range(51):
        audit_record(actor=clerk, action=AuditEntry.Action.LOOKUP, unit=units["S-X11953"],
                     detail=f"0330950{n:05d}", ip="10.0.0.1")
    client.force_login(unit_admin)
    page = page_of(client, action="lookup")
    assert "Tìm thấy 51 kết quả" in page and "Trang 1/2" in page
    assert "?action=lookup&amp;trang=2" in page
    assert page.count("<td class=\"text-nowrap\">") == 50
    page = page_of(client, action="lookup", trang=2)
    assert page.count("<td class=\"text-nowrap\">") == 1 and "033095000000" in page


def test_it_links_the_csv_with_the_same_filters(client, top_admin, entries):
    client.force_login(top_admin)
    page = page_of(client, action="lookup", trang=1)
    assert 'href="/quan-tri/nhat-ky/tai-xuong.csv?action=lookup"' in page
    assert "Tải CSV" in page


def test_it_exports_the_scoped_entries_as_csv_for_excel(client, unit_admin, entries):
    client.force_login(unit_admin)
    response = client.get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    day = timezone.localdate().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="nhat-ky-{day}.csv"'
    text, rows = csv_of(response)
    assert text.startswith("\ufeff")
    assert rows == [
        ["Thời gian", "Người thực hiện", "Hành động", "Đối tượng", "Đơn vị", "Địa chỉ IP"],
        ["09/05/2026 08:00:00", "Phạm Thị Thúy Hà (033185001234)", "Tạo tài khoản công dân",
         "033095012345", "Bộ phận một cửa phường Phố Hiến", "10.0.0.1"],
    ]


def test_it_exports_with_the_filters(client, top_admin, entries):
    client.force_login(top_admin)
    _, rows = csv_of(client.get(CSV, {"action": "lookup"}))
    assert [row[3] for row in rows[1:]] == ["001190000111"]


def test_it_neutralises_formulas_in_the_csv(client, unit_admin, clerk, units):
    dangerous = ['=HYPERLINK("http://x.example","y")', "+1+2", "-1+2", "@SUM(A1)", "\t=1",
                 "\r=1"]
    for detail in dangerous:
        audit_record(actor=clerk, action=AuditEntry.Action.LOOKUP, unit=units["S-X11953"],
                     detail=detail, ip="10.0.0.1")
    client.force_login(unit_admin)
    _, rows = csv_of(client.get(CSV))
    assert sorted(row[3] for row in rows[1:]) == sorted("'" + text for text in dangerous)


postgres_only = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the trigger exists on PostgreSQL only")


@postgres_only
def test_the_database_refuses_to_update_or_delete_an_entry(entries):
    entry = AuditEntry.objects.filter(unit__isnull=False).first()
    entry.detail = "000000000000"
    attempts = [
        entry.save,
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(detail="000000000000"),
        entry.delete,
        lambda: AuditEntry.objects.all().delete(),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert AuditEntry.objects.count() == 4
    assert not AuditEntry.objects.filter(detail="000000000000").exists()



@postgres_only
def test_the_applications_role_can_neither_change_nor_empty_the_trail(entries):
    """As a role like the application's in production (no superuser), even one granted
    every privilege on the table: no UPDATE, no DELETE, no TRUNCATE. (Created here and
    gone with the test's transaction.)"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("CREATE ROLE dvc_portal_probe NOSUPERUSER NOLOGIN")
        cursor.execute("GRANT ALL ON operator_console_auditentry TO dvc_portal_probe")
        cursor.execute("SET LOCAL ROLE dvc_portal_probe")
        for statement in ("UPDATE operator_console_auditentry SET detail = ''",
                          "DELETE FROM operator_console_auditentry",
                          "TRUNCATE operator_console_auditentry"):
            with pytest.raises(DatabaseError) as refused, transaction.atomic():
                cursor.execute(statement)
            assert "audit" in str(refused.value)
        cursor.execute("SELECT count(*) FROM operator_console_auditentry")
        assert cursor.fetchone()[0] == 4
        transaction.set_rollback(True)
