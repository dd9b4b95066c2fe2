from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identity import text_fold
from operator_console import rights


class Unit(models.Model):
    """An administrative unit (province, commune) or a service unit attached to one."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Tỉnh, thành phố")
        COMMUNE = "commune", _("Xã, phường, đặc khu")
        SERVICE = "service", _("Cơ quan, đơn vị")

    code = models.CharField(_("Mã"), max_length=40, unique=True)
    name = models.CharField(_("Tên"), max_length=200)
    kind = models.CharField(_("Loại"), max_length=10, choices=Kind)
    parent = models.ForeignKey(
        "self", verbose_name=_("Thuộc"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """A portal account working in a unit (a clerk at a counter, an administrator…)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "unit"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.account} @ {self.unit}"


class Administrator(models.Model):
    """An appointment to administer a unit and every unit under it.

    A province's top administrator ("Quản trị cấp cao của tỉnh") is made only by the
    `create_top_admin` command; they appoint the administrators of units in the province.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Quản trị cấp cao của tỉnh")
        UNIT = "unit", _("Quản trị đơn vị")

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="administrations"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="administrators")
    level = models.CharField(max_length=10, choices=Level)
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    appointed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "unit"], name="administrator_unique")
        ]

    def __str__(self):
        return f"{self.account} admin of {self.unit}"


class Grant(models.Model):
    """A right from the catalogue held by an account in one unit: a clerk of two counters
    creates accounts only in the one where the right was granted."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="grants")
    right = models.CharField(max_length=40, choices=rights.CHOICES)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "unit", "right"], name="grant_unique")
        ]

    def __str__(self):
        return f"{self.account}: {self.right} @ {self.unit_id}"


class CounterRecord(models.Model):
    """How an account was created at a counter: by which clerk, in which unit, on what."""

    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True,
        related_name="counter_record",
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The clerk's name when the account was made, and folded for the search: the record
    # stays under it after the clerk has left the unit or changed name. Kept by save().
    clerk_name = models.CharField(max_length=150, default="", db_default="", blank=True)
    clerk_name_folded = models.CharField(max_length=150, default="", db_default="", blank=True,
                                         editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    # The scan of both sides of the ID card: an encrypted file outside the web's reach.
    scan_name = models.CharField(max_length=80)
    scan_type = models.CharField(max_length=10)
    # Why the clerk went on although the ID number and the birth date disagree.
    mismatch_reason = models.CharField(max_length=300, blank=True)
    # The citizen's folded name again, so that a name search reads only the clerk's units
    # (index counter_unit_name) instead of every account in the country. Kept by save().
    name_folded = models.CharField(max_length=150, blank=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "created_at"], name="counter_unit_created"),
            # Newest first across many units (a province centre's list), stopped at a page.
            models.Index(fields=["created_at", "account"], name="counter_created"),
            models.Index(fields=["unit", "name_folded", "account"], name="counter_unit_name"),
            models.Index(fields=["unit", "clerk_name_folded", "account"],
                         name="counter_unit_clerk"),
        ]

    def __str__(self):
        return f"counter {self.account_id}"

    def save(self, *args, **kwargs):
        self.name_folded = self.account.name_folded
        self.clerk_name = self.clerk_name or self.clerk.full_name
        self.clerk_name_folded = text_fold(self.clerk_name)
        super().save(*args, **kwargs)


class AuditEntry(models.Model):
    """One line of the audit trail. Written once; the application never edits it."""

    class Action(models.TextChoices):
        LOOKUP = "lookup", _("Tra cứu CMND/CCCD")
        CREATE = "create", _("Tạo tài khoản công dân")
        SCAN_VIEW = "scan_view", _("Xem bản quét CMND/CCCD")
        PASSWORD_RESEND = "password_resend", _("Gửi lại mật khẩu")
        GRANT = "grant", _("Cấp quyền")
        REVOKE = "revoke", _("Thu hồi quyền")
        APPOINT = "appoint", _("Bổ nhiệm quản trị")
        DISMISS = "dismiss", _("Thôi quản trị")
        MEMBER_ADD = "member_add", _("Thêm người dùng vào đơn vị")
        MEMBER_REMOVE = "member_remove", _("Đưa người dùng khỏi đơn vị")
        CLIENT_CREATE = "client_create", _("Đăng ký cổng kết nối")
        CLIENT_UPDATE = "client_update", _("Sửa cổng kết nối")
        CLIENT_ENABLE = "client_enable", _("Bật cổng kết nối")
        CLIENT_DISABLE = "client_disable", _("Tắt cổng kết nối")
        CLIENT_SECRET = "client_secret", _("Cấp lại khóa bí mật của cổng kết nối")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # None: a command run on the server (create_top_admin); `detail` says by whom.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(max_length=20, choices=Action)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    # An account named in the trail cannot be deleted (it is deactivated instead): the
    # trail keeps who was acted on.
    target = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    detail = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"
