import django.db.models.deletion
from django.db import migrations, models


def spread(apps, schema_editor):
    """A right held before it had a unit is held in every unit its holder works in: no
    one loses a right they could use, and each can now be revoked unit by unit. (A right
    of someone who works in no unit could be used nowhere: it goes.)"""
    Grant = apps.get_model("operator_console", "Grant")
    Membership = apps.get_model("operator_console", "Membership")
    for grant in Grant.objects.filter(unit__isnull=True):
        units = Membership.objects.filter(account_id=grant.account_id).values_list(
            "unit_id", flat=True)
        for unit_id in units:
            Grant.objects.get_or_create(account_id=grant.account_id, unit_id=unit_id,
                                        right=grant.right,
                                        defaults={"granted_by_id": grant.granted_by_id,
                                                  "granted_at": grant.granted_at})
        grant.delete()
    if schema_editor.connection.vendor == "postgresql":
        # The rows' foreign keys are checked at commit; the ALTER TABLE below, in the same
        # transaction, would meet those pending checks and fail: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("operator_console", "0004_counter_search_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="grant", name="grant_unique"),
        migrations.AddField(
            model_name="grant",
            name="unit",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="grants", to="operator_console.unit"),
        ),
        migrations.RunPython(spread, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="grant",
            name="unit",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                    related_name="grants", to="operator_console.unit"),
        ),
        migrations.AddConstraint(
            model_name="grant",
            constraint=models.UniqueConstraint(fields=("account", "unit", "right"),
                                               name="grant_unique"),
        ),
    ]
