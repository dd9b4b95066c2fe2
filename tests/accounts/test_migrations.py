"""Migration 0002 folds the names of accounts that existed before it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_it_fills_the_folded_name_of_existing_accounts():
    executor = MigrationExecutor(connection)
    executor.migrate([("accounts", "0001_initial"), ("operator_console", None)])
    old = executor.loader.project_state([("accounts", "0001_initial")]).apps
    old.get_model("accounts", "Account").objects.create(
        username="001090012345", full_name="Nguyễn Văn Đức", password="!")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    from accounts.models import Account

    assert Account.objects.get(username="001090012345").name_folded == "nguyen van duc"
