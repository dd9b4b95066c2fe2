from django.db import migrations

# Rows cannot be changed or deleted (0002, 0003); TRUNCATE is no row event, so a trigger
# of its own refuses it too, for every role but a superuser's (which can bypass anything,
# and which Django's test runs use to empty their database). The application's role in
# production is no superuser (docs/operations.md).
NO_TRUNCATE = """
CREATE OR REPLACE FUNCTION operator_console_audit_no_truncate() RETURNS trigger AS $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'the audit trail cannot be truncated';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER operator_console_audit_no_truncate BEFORE TRUNCATE
  ON operator_console_auditentry FOR EACH STATEMENT
  EXECUTE FUNCTION operator_console_audit_no_truncate();
"""
UNDO = """
DROP TRIGGER IF EXISTS operator_console_audit_no_truncate ON operator_console_auditentry;
DROP FUNCTION IF EXISTS operator_console_audit_no_truncate();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_TRUNCATE)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(UNDO)


class Migration(migrations.Migration):

    dependencies = [
        ("operator_console", "0006_counter_clerk_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
