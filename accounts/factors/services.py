"""Adding, removing and preferring an account's factors; what a factor's use changes."""

import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts.activity import activity_record
from accounts.factors.registry import factor_is_way_out, factors_of, sms_device_for
from accounts.models import AppDevice, BackupCode, BackupCodeDevice
from accounts.notifications import account_notify
from portal.refusals import Refusal

BACKUP_CODES = 10
BACKUP_DIGITS = 10


class FactorKept(Refusal):
    """A factor that cannot go: "last" (nothing else would be left to log in with)."""

    texts = {
        "last": _("Không thể gỡ phương thức xác thực cuối cùng. Vui lòng thêm một phương "
                  "thức khác trước khi gỡ phương thức này."),
        "no_backup": _("Vui lòng tạo mã dự phòng trước khi tắt mã OTP qua SMS: nếu mất ứng "
                       "dụng hoặc khóa truy cập, mã dự phòng là cách để vào lại tài khoản."),
    }


def factor_used(device, *, request=None) -> None:
    """A factor just let its holder in: it is the one asked first next time, unless it
    is a backup code (a way out, not a habit: its use is told to the holder)."""
    account = device.user
    if factor_is_way_out(device):
        activity_record(account, "backup_code_used", request=request, factor="backup")
        account_notify(account, "backup_code_used")
    elif account.default_factor != device.persistent_id:
        factor_make_default(device)


def factor_make_default(device) -> None:
    account = device.user
    account.default_factor = device.persistent_id
    account.save(update_fields=["default_factor"])


def factor_added(device, *, request=None) -> None:
    """A new app or passkey works: it is asked first from now, and the holder is told."""
    factor_make_default(device)
    factor_changed(device.user, device.kind, "factor_added", request=request)


def factor_changed(account, kind: str, event: str, *, request=None) -> None:
    """A factor was added ("factor_added") or removed ("factor_removed"), or the backup
    codes made anew ("backup_codes_regenerated"): on the account's activity, and told."""
    activity_record(account, event, request=request, factor=kind)
    account_notify(account, event)


def factor_remove(device, *, request=None) -> None:
    """Remove a factor, unless it is the last one a person can log in with (backup codes
    are a way out, not a way in every day: they do not count)."""
    account = device.user
    with transaction.atomic():
        type(account).objects.select_for_update().filter(pk=account.pk).first()
        others = [other for other in factors_of(account, kinds=("sms", "app", "passkey"))
                  if other.persistent_id != device.persistent_id]
        if not factor_is_way_out(device) and not others:
            raise FactorKept("last")
        if device.kind == "sms" and not _backup_left(account):
            raise FactorKept("no_backup")  # a password reset cannot bring back a lost app
        if device.kind == "sms":  # the row stays, off, so it is not made again
            type(device).objects.filter(pk=device.pk).update(confirmed=False)
        else:
            device.delete()
        if account.default_factor == device.persistent_id:
            type(account).objects.filter(pk=account.pk).update(default_factor="")
        factor_changed(account, device.kind, "factor_removed", request=request)


def _backup_left(account) -> bool:
    return BackupCode.objects.filter(device__user=account, used_at__isnull=True).exists()


def sms_factor_restore(account, *, request=None) -> None:
    """Turn the SMS code back on for an account with a phone."""
    device = sms_device_for(account)
    if device is not None and not device.confirmed:
        type(device).objects.filter(pk=device.pk).update(confirmed=True)
        factor_changed(account, "sms", "factor_added", request=request)


def app_enrol_start(account) -> AppDevice:
    """A new authenticator app, unconfirmed until its first code is typed; an earlier
    unfinished one is dropped."""
    AppDevice.objects.filter(user=account, confirmed=False).delete()
    return AppDevice.objects.create(user=account, name=str(_("Ứng dụng xác thực")),
                                    confirmed=False)


def app_enrol_confirm(device: AppDevice, *, request=None) -> None:
    """The first right code proved the app holds the secret: the factor now works (and
    no page shows its secret again), and is asked first. Any earlier app of the account
    gives way to it."""
    with transaction.atomic():
        AppDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
        AppDevice.objects.filter(pk=device.pk).update(confirmed=True)
        factor_added(device, request=request)


def backup_codes_issue(account, *, request=None) -> list[str]:
    """Ten new backup codes in place of any old ones: their digits, to show once."""
    with transaction.atomic():
        device, _created = BackupCodeDevice.objects.get_or_create(
            user=account, defaults={"name": str(_("Mã dự phòng"))})
        device.codes.all().delete()
        raws = ["".join(secrets.choice("0123456789") for _digit in range(BACKUP_DIGITS))
                for _code in range(BACKUP_CODES)]
        BackupCode.objects.bulk_create(
            [BackupCode(device=device, digest=device.digest(raw)) for raw in raws])
        device.throttle_reset()
        factor_changed(account, "backup", "backup_codes_regenerated", request=request)
    return [f"{raw[:5]}-{raw[5:]}" for raw in raws]
