import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# Events are only added. A row is never changed; it is deleted only once older than 90
# days (models.events.KEPT_DAYS), which is what housekeeping does. The purge compares with
# the database's clock too (accounts/activity.py), so both agree on which rows are old.
# TRUNCATE is no row event: its own trigger refuses it to every role but a superuser's,
# as for the console's audit trail (operator_console 0007).
FREEZE = """
CREATE OR REPLACE FUNCTION accounts_event_frozen() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND OLD.at < statement_timestamp() - interval '90 days' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'account events cannot be changed, nor deleted before 90 days';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_event_frozen BEFORE UPDATE OR DELETE
  ON accounts_accountevent FOR EACH ROW EXECUTE FUNCTION accounts_event_frozen();
CREATE OR REPLACE FUNCTION accounts_event_no_truncate() RETURNS trigger AS $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    RETURN NULL;
  END IF;
  RAISE EXCEPTION 'account events cannot be truncated';
END $$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_event_no_truncate BEFORE TRUNCATE
  ON accounts_accountevent FOR EACH STATEMENT EXECUTE FUNCTION accounts_event_no_truncate();
"""
THAW = """
DROP TRIGGER IF EXISTS accounts_event_no_truncate ON accounts_accountevent;
DROP FUNCTION IF EXISTS accounts_event_no_truncate();
DROP TRIGGER IF EXISTS accounts_event_frozen ON accounts_accountevent;
DROP FUNCTION IF EXISTS accounts_event_frozen();
"""


def freeze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FREEZE)


def thaw(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(THAW)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0012_factors"),
    ]

    operations = [
        migrations.CreateModel(
            name="AccountEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                           serialize=False, verbose_name="ID")),
                ("kind", models.CharField(choices=[
                    ("login", "Đăng nhập"),
                    ("login_failed", "Đăng nhập không thành công"),
                    ("password_changed", "Đổi mật khẩu"),
                    ("password_reset", "Đặt lại mật khẩu bằng “Quên mật khẩu?”"),
                    ("phone_changed", "Đổi số điện thoại"),
                    ("email_changed", "Đổi email"),
                    ("factor_added", "Thêm phương thức xác thực"),
                    ("factor_removed", "Gỡ phương thức xác thực"),
                    ("backup_codes_regenerated", "Tạo lại mã dự phòng"),
                    ("backup_code_used", "Dùng một mã dự phòng"),
                    ("logout_other", "Đăng xuất thiết bị khác"),
                    ("counter_created", "Cán bộ một cửa tạo tài khoản"),
                    ("counter_password_issued", "Cán bộ một cửa cấp lại mật khẩu"),
                ], max_length=32)),
                ("at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ("device", models.CharField(blank=True, max_length=80)),
                ("address", models.CharField(blank=True, max_length=64)),
                ("detail", models.JSONField(blank=True, default=dict)),
                ("account", models.ForeignKey(db_index=False,
                                              on_delete=django.db.models.deletion.PROTECT,
                                              related_name="events",
                                              to=settings.AUTH_USER_MODEL)),
            ],
            options={
                "ordering": ["-at", "-id"],
                "indexes": [models.Index(fields=["account", "-at"],
                                         name="account_event_recent")],
            },
        ),
        migrations.RunPython(freeze, thaw),
    ]
