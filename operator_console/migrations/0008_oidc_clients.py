from django.db import migrations, models

RIGHT = "oidc_clients"
LABEL = "Quản lý cổng kết nối đăng nhập (OIDC)"


def grant_top_admins(apps, schema_editor):
    """The top administrators appointed before this right existed hold it, as
    create_top_admin now gives it, and the trail says so as it says the command's grants."""
    Administrator = apps.get_model("operator_console", "Administrator")
    Grant = apps.get_model("operator_console", "Grant")
    AuditEntry = apps.get_model("operator_console", "AuditEntry")
    for top in Administrator.objects.filter(level="province").select_related("account"):
        _grant, created = Grant.objects.get_or_create(account_id=top.account_id,
                                                      unit_id=top.unit_id, right=RIGHT)
        if created:
            AuditEntry.objects.create(
                action="grant", unit_id=top.unit_id, target_id=top.account_id,
                detail=f"{top.account.username}: {LABEL} (migration 0008)")


class Migration(migrations.Migration):

    dependencies = [
        ("operator_console", "0007_audit_no_truncate"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="action",
            field=models.CharField(choices=[
                ("lookup", "Tra cứu CMND/CCCD"), ("create", "Tạo tài khoản công dân"),
                ("scan_view", "Xem bản quét CMND/CCCD"), ("password_resend", "Gửi lại mật khẩu"),
                ("grant", "Cấp quyền"), ("revoke", "Thu hồi quyền"),
                ("appoint", "Bổ nhiệm quản trị"), ("dismiss", "Thôi quản trị"),
                ("member_add", "Thêm người dùng vào đơn vị"),
                ("member_remove", "Đưa người dùng khỏi đơn vị"),
                ("client_create", "Đăng ký cổng kết nối"), ("client_update", "Sửa cổng kết nối"),
                ("client_enable", "Bật cổng kết nối"), ("client_disable", "Tắt cổng kết nối"),
                ("client_secret", "Cấp lại khóa bí mật của cổng kết nối"),
            ], max_length=20),
        ),
        migrations.AlterField(
            model_name="grant",
            name="right",
            field=models.CharField(choices=[
                ("support_requests", "Quản lý yêu cầu hỗ trợ"),
                ("surveys", "Xử lý phiếu khảo sát"),
                ("add_user", "Quyền cho thêm mới người dùng"),
                ("payment_stats", "Xem dữ liệu thống kê về Payment Platform"),
                ("create_citizen", "Quyền tạo tài khoản công dân"),
                ("institution_map", "Xem bản đồ thực thi thể chế"),
                (RIGHT, LABEL),
                ("service_files", "Xem thông tin hồ sơ dịch vụ công"),
            ], max_length=40),
        ),
        migrations.RunPython(grant_top_admins, migrations.RunPython.noop),
    ]
