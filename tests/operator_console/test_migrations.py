"""Migrations of the console that change data: on a database that holds some."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_rights_granted_before_units_are_held_in_each_unit_of_their_holder():
    """0005: a right without a unit becomes that right in every unit its holder works in;
    and 0006 gives the counter records made before it their clerk's name."""
    before = [("operator_console", "0004_counter_search_indexes")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Account, Unit = old.get_model("accounts", "Account"), old.get_model("operator_console", "Unit")
    Membership = old.get_model("operator_console", "Membership")
    Grant = old.get_model("operator_console", "Grant")
    CounterRecord = old.get_model("operator_console", "CounterRecord")
    clerk = Account.objects.create(username="033185001234", full_name="Phạm Thị Thúy Hà",
                                   password="!")
    idle = Account.objects.create(username="033185001299", full_name="Không Đơn Vị",
                                  password="!")
    citizen = Account.objects.create(username="033095012345", full_name="Hoàng Văn Nam",
                                     password="!")
    counters = [Unit.objects.create(code=f"S-{n}", name=f"Bộ phận một cửa {n}", kind="service")
                for n in (1, 2)]
    for unit in counters:
        Membership.objects.create(account=clerk, unit=unit)
    Grant.objects.create(account=clerk, right="create_citizen")
    Grant.objects.create(account=idle, right="create_citizen")
    CounterRecord.objects.create(account=citizen, unit=counters[0], clerk=clerk,
                                 scan_name="0" * 32 + ".bin", scan_type="pdf")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from operator_console.models import CounterRecord as Record
    from operator_console.models import Grant as Now

    held = set(Now.objects.values_list("account__username", "unit__code", "right"))
    assert held == {("033185001234", "S-1", "create_citizen"),
                    ("033185001234", "S-2", "create_citizen")}
    record = Record.objects.get()
    assert (record.clerk_name, record.clerk_name_folded) == ("Phạm Thị Thúy Hà",
                                                           "pham thi thuy ha")


@pytest.mark.django_db(transaction=True)
def test_top_administrators_appointed_before_0008_hold_the_clients_right():
    """0008: every top administrator gets "Quản lý cổng kết nối đăng nhập (OIDC)" in their
    province, audited as the server's grant; a unit administrator does not."""
    before = [("operator_console", "0007_audit_no_truncate")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    Account, Unit = old.get_model("accounts", "Account"), old.get_model("operator_console", "Unit")
    Administrator = old.get_model("operator_console", "Administrator")
    province = Unit.objects.create(code="P33", name="Tỉnh Hưng Yên", kind="province")
    ward = Unit.objects.create(code="X1", name="Phường Phố Hiến", kind="commune", parent=province)
    for username, unit, level in (("033180000001", province, "province"),
                                  ("033180000002", ward, "unit")):
        account = Account.objects.create(username=username, full_name="Quản Trị", password="!")
        Administrator.objects.create(account=account, unit=unit, level=level)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from operator_console.models import AuditEntry, Grant

    assert set(Grant.objects.values_list("account__username", "unit__code", "right")) == {
        ("033180000001", "P33", "oidc_clients")}
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.unit.code) == ("grant", None, "P33")
    assert entry.detail.startswith("033180000001: Quản lý cổng kết nối đăng nhập (OIDC)")
