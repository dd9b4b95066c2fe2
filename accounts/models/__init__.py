import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.identity import text_fold

# An agency account's login name: this and the civil servant's ID number.
AGENCY_LOGIN_PREFIX = "CQ"


class AccountManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, username, password=None, **fields):
        account = self.model(username=username, **fields)
        account.set_password(password)
        account.save(using=self._db)
        return account

    def get_by_natural_key(self, username):
        """The account logged in to as `username`: its login name, or the person's other
        ID number (the CMND beside a CCCD, or the reverse)."""
        found = self.filter(username=username).first()
        return found if found is not None else self.get(other_id_number=username)

    def create_superuser(self, username, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        fields.setdefault("full_name", username)
        return self.create_user(username, password, **fields)


class Account(AbstractBaseUser, PermissionsMixin):
    """One citizen or business. The login name is the ID number (CMND/CCCD) or the MST."""

    class Type(models.TextChoices):
        CITIZEN = "citizen", _("Công dân")
        BUSINESS = "business", _("Doanh nghiệp")
        # A civil servant's account for their agency, made with a certificate of the
        # government's CA; its login name is "CQ" and the servant's ID number.
        AGENCY = "agency", _("Cơ quan nhà nước")

    class Level(models.IntegerChoices):
        MEDIUM = 2, _("Mức độ 2 (IAL2)")
        HIGH = 3, _("Mức độ 3 (IAL3)")

    class Method(models.TextChoices):
        MOBILE = "mobile", _("Thuê bao di động")
        BHXH = "bhxh", _("Bảo hiểm xã hội")
        VNPOST = "vnpost", _("Bưu điện Việt Nam")
        USB = "usb", _("USB ký số")
        SIM = "sim", _("SIM ký số")
        COUNTER = "counter", _("Tại quầy một cửa")
        ADMIN = "admin", _("Quản trị tạo")
        VNEID = "vneid", _("Tài khoản định danh điện tử VNeID")

    username = models.CharField(_("Tên đăng nhập"), max_length=20, unique=True)
    # The person's other ID number, when the population database names one: the 9-digit
    # CMND beside the 12-digit CCCD that replaced it (or the reverse). One person, one
    # account: either number finds it, and it logs in with either.
    other_id_number = models.CharField(_("Số CMT/CCCD khác"), max_length=20, blank=True,
                                       default="", db_default="")
    account_type = models.CharField(
        _("Loại tài khoản"), max_length=10, choices=Type, default=Type.CITIZEN
    )
    full_name = models.CharField(_("Họ tên"), max_length=150)
    # The agency an agency account acts for, as its certificate names it (O).
    organization = models.CharField(_("Cơ quan"), max_length=200, blank=True, default="",
                                    db_default="")
    # The name in lower case without diacritics, for searches (a trigram index on
    # PostgreSQL). Kept by save(); bulk writes must fill it themselves.
    name_folded = models.CharField(max_length=150, blank=True, editable=False)
    birth_date = models.DateField(_("Ngày sinh"), null=True, blank=True)
    phone = models.CharField(_("Số điện thoại"), max_length=16, blank=True)
    email = models.EmailField(_("Email"), blank=True)
    assurance_level = models.PositiveSmallIntegerField(
        _("Mức độ xác minh"), choices=Level, default=Level.MEDIUM
    )
    registration_method = models.CharField(
        _("Phương thức đăng ký"), max_length=10, choices=Method, default=Method.ADMIN
    )
    verified_by = models.CharField(_("Xác minh bởi"), max_length=100, blank=True)
    terms_version = models.CharField(_("Phiên bản điều khoản"), max_length=20, blank=True)
    terms_accepted_at = models.DateTimeField(_("Đồng ý điều khoản lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        "self", verbose_name=_("Người tạo"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    is_active = models.BooleanField(_("Đang hoạt động"), default=True)
    # The second factor a login asks for first (a device's persistent id): the one the
    # person chose last, at a login or on "Bảo mật tài khoản". Empty: the SMS code.
    default_factor = models.CharField(max_length=80, blank=True, editable=False, default="",
                                      db_default="")  # rows written by older code too
    # Set when someone else chose the password (a counter clerk's SMS password).
    must_change_password = models.BooleanField(_("Phải đổi mật khẩu"), default=False)
    is_staff = models.BooleanField(_("Vào trang quản trị Django"), default=False)

    objects = AccountManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        indexes = [
            models.Index(fields=["phone"], name="account_phone"),
            models.Index(fields=["created_at"], name="account_created"),  # statistics
        ]
        constraints = [
            models.UniqueConstraint(fields=["other_id_number"], name="account_other_id",
                                    condition=~models.Q(other_id_number="")),
        ]

    def __str__(self):
        return self.username

    def save(self, *args, **kwargs):
        self.name_folded = text_fold(self.full_name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "full_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_folded"}
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name


class VerificationCode(models.Model):
    """A one-time code sent by SMS. Only its keyed hash is kept; see accounts.codes."""

    purpose = models.CharField(max_length=20)
    phone = models.CharField(max_length=16)
    digest = models.CharField(max_length=64)
    # Random, binds the digest to this row (rows written before it were bound to their id).
    nonce = models.CharField(max_length=32, blank=True, default="", db_default="")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    failures = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    sms = models.OneToOneField(
        "OutgoingSms", null=True, blank=True, on_delete=models.SET_NULL, related_name="code"
    )

    class Meta:
        # Every send first reads the phone's latest code for the purpose (the cooldown):
        # without it, a scan of every code of the last hour.
        indexes = [models.Index(fields=["phone", "purpose", "-created_at"],
                                name="code_phone_purpose_created")]

    def __str__(self):
        return f"code {self.pk} ({self.purpose})"


class OutgoingSms(models.Model):
    """An SMS waiting for the worker. Its text is sealed until sent, then erased."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        SENT = "sent"
        FAILED = "failed"
        DROPPED = "dropped"  # never meant to go (accounts.otp, `quiet`)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone = models.CharField(max_length=16)
    template = models.CharField(max_length=100)
    sealed_context = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"sms {self.pk} ({self.status})"


class OutboxMessage(models.Model):
    """What the development `outbox` SMS backend "sent": shown at /dev/sms/ with DEBUG on."""

    phone = models.CharField(max_length=16)
    text = models.TextField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"outbox {self.pk}"


class RateBucket(models.Model):
    """A counter of events for one hashed key in one fixed window."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_bucket_unique")
        ]

    def __str__(self):
        return f"bucket {self.window_start:%Y-%m-%d %H:%M}"


class SignatureRequest(models.Model):
    """One attempt to sign in or register with a signature (USB token or SIM).

    It holds the challenge, the browser that may use it, and, once checked, what the
    signature proved: the account to log in to, or the identity to register. Being a row
    of its own, two attempts in two tabs never overwrite each other, and the outcome
    outlives a lost answer or a rotated session (accounts/signature_requests.py).
    """

    class Purpose(models.TextChoices):
        LOGIN = "login"
        REGISTER = "register"

    class State(models.TextChoices):
        PENDING = "pending"  # waiting for the signature
        DONE = "done"  # the signature was checked: `account` or `identity` is set
        FAILED = "failed"  # refused or ended: `message` says why
        USED = "used"  # the registration it proved has been made

    token = models.CharField(max_length=43, unique=True)
    browser = models.CharField(max_length=64)  # SHA-256 of the browser's binding secret
    method = models.CharField(max_length=10)  # Account.Method.USB or SIM
    purpose = models.CharField(max_length=10, choices=Purpose)
    account_type = models.CharField(max_length=10, blank=True)
    nonce = models.CharField(max_length=44)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    next_url = models.CharField(max_length=200, blank=True)
    restart_url = models.CharField(max_length=200, blank=True)
    # SIM only: the service's session, the code both screens show, the phone (E.164),
    # and until when one poll of the service holds the request (across processes).
    sim_session = models.CharField(max_length=200, blank=True)
    code = models.CharField(max_length=4, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    polling_until = models.DateTimeField(null=True, blank=True)
    # The outcome.
    account = models.ForeignKey(Account, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="+")
    identity = models.JSONField(null=True, blank=True)
    message = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["browser"], name="signreq_browser"),
                   models.Index(fields=["expires_at"], name="signreq_expires")]

    def __str__(self):
        return f"signature request {self.pk} ({self.method}, {self.state})"


class RevocationList(models.Model):
    """A CA's certificate revocation list as last read from one source (a configured file
    or a distribution point), kept for every web process (accounts/revocation.py)."""

    source = models.CharField(max_length=500, unique=True)  # a URL or a file path
    issuer = models.CharField(max_length=64)  # SHA-256 of the issuer name's DER
    der = models.BinaryField()
    this_update = models.DateTimeField()
    next_update = models.DateTimeField()
    fetched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["issuer", "-next_update"], name="crl_issuer_next")]

    def __str__(self):
        return f"crl {self.source}"


class AccountSession(models.Model):
    """A login of the account on a device, for "Phiên đăng nhập": which session it is, on
    what (a coarse description of the browser and system) and from where (the address with
    its last part hidden). The session store holds the login itself; a row whose session
    has ended is stale and no longer shown."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="logins")
    session_key = models.CharField(max_length=64, unique=True)
    device = models.CharField(max_length=80)
    address = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"login of account {self.account_id} on {self.device or 'an unknown device'}"


# What happened to an account, for "Lịch sử hoạt động" (accounts/models/events.py).
from accounts.models.events import AccountEvent  # noqa: E402, F401

# Second factors live in their own module; importing them here registers them with the app.
from accounts.models.factors import (  # noqa: E402, F401
    AppDevice,
    BackupCode,
    BackupCodeDevice,
    PasskeyDevice,
    SmsDevice,
)

# Email waiting to go, and the development outbox (accounts/models/mail.py).
from accounts.models.mail import OutboxMail, OutgoingMail  # noqa: E402, F401


class CaptchaUsed(models.Model):
    """A picture code's key once its one guess was made (accounts/captcha_keys.py); kept
    until an hour after the key expires, then purged by housekeeping."""

    nonce = models.CharField(max_length=16, primary_key=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"picture code used, key expiring {self.expires_at:%Y-%m-%d %H:%M}"
