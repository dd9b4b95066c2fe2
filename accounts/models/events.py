"""What happened to an account, for its holder's "Lịch sử hoạt động".

Rows are only ever added: on PostgreSQL a trigger refuses to change one, to delete one
younger than `KEPT_DAYS` or to empty the table (migration 0013), so a person who got in
cannot wipe their tracks; housekeeping deletes what is older. `detail` says how (a login's
method and factor, a factor's kind), never a code, a password, a phone or an ID number:
accounts/activity.py lets only a few named keys in.
"""

from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Account
from accounts.models.factors import AppDevice, BackupCodeDevice, PasskeyDevice, SmsDevice

KEPT_DAYS = 90  # the trigger's SQL names the same number

# A login as the page tells it: by its method and, after a password, its second factor.
LOGIN_TEXTS = {
    ("password", "sms"): _("Đăng nhập bằng mật khẩu và mã OTP qua SMS"),
    ("password", "app"): _("Đăng nhập bằng mật khẩu và ứng dụng xác thực"),
    ("password", "passkey"): _("Đăng nhập bằng mật khẩu và khóa truy cập"),
    ("password", "backup"): _("Đăng nhập bằng mật khẩu và mã dự phòng"),
    ("usb", ""): _("Đăng nhập bằng USB ký số"),
    ("sim", ""): _("Đăng nhập bằng SIM ký số"),
    # The login page's button says the same words; English tells a past login otherwise.
    ("vneid", ""): pgettext_lazy("activity", "Đăng nhập bằng tài khoản định danh điện tử VNeID"),
}
FAILED_TEXTS = {"password": _("Nhập sai mật khẩu"),
                "code": _("Nhập sai mã xác thực khi đăng nhập")}
# The factor's own name (its model's), for "Thêm phương thức xác thực: …".
FACTORS = {device.kind: device for device in (SmsDevice, AppDevice, PasskeyDevice,
                                               BackupCodeDevice)}


class AccountEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Đăng nhập")
        LOGIN_FAILED = "login_failed", _("Đăng nhập không thành công")
        PASSWORD_CHANGED = "password_changed", _("Đổi mật khẩu")
        PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu bằng “Quên mật khẩu?”")
        PHONE_CHANGED = "phone_changed", _("Đổi số điện thoại")
        EMAIL_CHANGED = "email_changed", _("Đổi email")
        FACTOR_ADDED = "factor_added", _("Thêm phương thức xác thực")
        FACTOR_REMOVED = "factor_removed", _("Gỡ phương thức xác thực")
        BACKUP_CODES_REGENERATED = "backup_codes_regenerated", _("Tạo lại mã dự phòng")
        BACKUP_CODE_USED = "backup_code_used", _("Dùng một mã dự phòng")
        LOGOUT_OTHER = "logout_other", _("Đăng xuất thiết bị khác")
        COUNTER_CREATED = "counter_created", _("Cán bộ một cửa tạo tài khoản")
        COUNTER_PASSWORD_ISSUED = "counter_password_issued", _("Cán bộ một cửa cấp lại "
                                                               "mật khẩu")
        # Other portals that sign people in with this account (federation/).
        CLIENT_CONSENT = "client_consent", _("Đồng ý chia sẻ thông tin với cổng")
        CLIENT_WITHDRAWN = "client_withdrawn", _("Rút lại đồng ý chia sẻ thông tin với cổng")
        CLIENT_SIGNIN = "client_signin", _("Đăng nhập vào cổng")

    # An account with events is deactivated, not deleted: the trigger would refuse to
    # delete its recent events, so Django refuses first, on every database alike.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="events",
                                db_index=False)  # the index below starts with it
    kind = models.CharField(max_length=32, choices=Kind)
    at = models.DateTimeField(default=timezone.now, db_index=True)  # the purge's cut
    device = models.CharField(max_length=80, blank=True)  # "Chrome · Android"
    address = models.CharField(max_length=64, blank=True)  # "203.0.113.*"
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["account", "-at"], name="account_event_recent")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.kind} of account {self.account_id}"

    @property
    def summary(self) -> str:
        """What happened, as the holder reads it."""
        detail = self.detail or {}
        if self.kind == self.Kind.LOGIN:
            found = LOGIN_TEXTS.get((detail.get("method", ""), detail.get("factor", "")))
        elif self.kind == self.Kind.LOGIN_FAILED:
            found = FAILED_TEXTS.get(detail.get("step", ""))
        else:
            found = self._summary_with_detail(detail)
        return str(found or self.get_kind_display())

    def _summary_with_detail(self, detail: dict) -> str:
        factor = FACTORS.get(detail.get("factor", ""))
        if factor and self.kind in (self.Kind.FACTOR_ADDED, self.Kind.FACTOR_REMOVED):
            return _("%(what)s: %(factor)s") % {
                "what": self.get_kind_display(), "factor": capfirst(factor._meta.verbose_name)}
        if self.kind == self.Kind.LOGOUT_OTHER and detail.get("count"):
            return _("Đăng xuất khỏi %(n)d thiết bị khác") % {"n": detail["count"]}
        if detail.get("client"):  # the portal's name, as its consent page gave it
            return _("%(what)s: %(client)s") % {"what": self.get_kind_display(),
                                                "client": detail["client"]}
        if detail.get("unit"):
            return _("%(what)s tại %(unit)s") % {"what": self.get_kind_display(),
                                                  "unit": detail["unit"]}
        return ""
