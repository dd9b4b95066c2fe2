"""Which factors an account has, which one a login asks for first, and their names."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from accounts.identity import phone_masked_login
from accounts.models import AppDevice, BackupCodeDevice, PasskeyDevice, SmsDevice

# In the order a person reads them; backup codes last, as the way out.
KINDS = {"sms": SmsDevice, "app": AppDevice, "passkey": PasskeyDevice,
         "backup": BackupCodeDevice}
LABELS = {
    "sms": _("Mã OTP qua tin nhắn SMS"),
    "app": _("Ứng dụng xác thực"),
    "passkey": _("Khóa truy cập (passkey)"),
    "backup": _("Mã dự phòng"),
}


def factors_of(account, *, kinds=tuple(KINDS)) -> list[Device]:
    """The account's working factors, in the order of KINDS, then oldest first."""
    sms_device_for(account)
    devices = []
    for kind in kinds:
        query = KINDS[kind].objects.filter(user=account, confirmed=True)
        devices += list(query.order_by("created_at", "id"))
    if "backup" in kinds:
        devices = [device for device in devices if device.kind != "backup"
                   or device.codes.filter(used_at__isnull=True).exists()]
    return devices


def factor_default(account) -> Device | None:
    """The factor a login asks for first: the one chosen last if it still works, else the
    SMS code, else the first one (backup codes only when nothing else is left)."""
    chosen = factor_find(account, account.default_factor)
    if chosen is not None and not factor_is_way_out(chosen):
        return chosen
    sms = sms_device_for(account)
    if sms is not None and sms.confirmed:
        return sms
    devices = factors_of(account)
    return devices[0] if devices else None


def factor_find(account, persistent_id: str) -> Device | None:
    """The account's working factor with this persistent id, or None."""
    if not persistent_id:
        return None
    device = Device.from_persistent_id(persistent_id)
    if device is None or device.user_id != account.pk or not device.confirmed:
        return None
    if type(device) not in KINDS.values():
        return None  # another model's device: otp_totp's own, seen only as AppDevice here
    device.user = account  # the account at hand: not read again
    return device


def factor_of_account(account_id: int, persistent_id: str) -> Device | None:
    """factor_find for the active account `account_id`, read with it in one query (as
    `device.user`); None when the factor or the account is gone or disabled."""
    if not persistent_id:
        return None
    try:
        label, pk = persistent_id.rsplit("/", 1)
        model, pk = apps.get_model(label), int(pk)
    except (ValueError, LookupError):
        return None
    if model not in KINDS.values():
        return None
    return (model.objects.select_related("user")
            .filter(pk=pk, user_id=account_id, user__is_active=True, confirmed=True).first())


def sms_device_for(account) -> SmsDevice | None:
    """The account's SMS factor, made when first needed for an account with a phone.
    A removed one stays as a row, unconfirmed, so it is not made again."""
    if not account.phone:
        return None
    device, _created = SmsDevice.objects.get_or_create(  # dated: the phone was proved then
        user=account, defaults={"name": "SMS", "created_at": account.created_at})
    device.user = account  # the account at hand: not read again
    return device


def factor_is_way_out(device) -> bool:
    """Backup codes: for when the usual factor is lost, never the one asked first."""
    return device.kind == "backup"


def factor_label(device) -> str:
    return str(LABELS[device.kind])


def factor_detail(device) -> str:
    """What tells two factors apart on a page: the masked phone, a passkey's name."""
    if device.kind == "sms":
        return phone_masked_login(device.user.phone)
    if device.kind == "passkey":
        return device.name
    if device.kind == "backup":
        left = device.codes.filter(used_at__isnull=True).count()
        return _("còn %(left)d mã chưa dùng") % {"left": left}
    return ""
