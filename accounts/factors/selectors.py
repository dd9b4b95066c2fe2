"""What "Bảo mật tài khoản" shows of an account's factors."""

from accounts.factors.registry import (
    factor_default,
    factor_detail,
    factor_label,
    factors_of,
    sms_device_for,
)
from accounts.models import BackupCodeDevice


def security_overview(account) -> dict:
    devices = factors_of(account, kinds=("sms", "app", "passkey"))
    default = factor_default(account)
    backup = BackupCodeDevice.objects.filter(user=account).first()
    sms = sms_device_for(account)
    return {
        "account": account,
        "factors": [{
            "id": device.persistent_id, "kind": device.kind, "label": factor_label(device),
            "detail": factor_detail(device), "created_at": device.created_at,
            "last_used_at": device.last_used_at,
            "default": default is not None and device.persistent_id == default.persistent_id,
            "removable": len(devices) > 1,
        } for device in devices],
        "has_app": any(device.kind == "app" for device in devices),
        "sms_off": sms is not None and not sms.confirmed,
        "backup": backup and {"left": backup.codes.filter(used_at__isnull=True).count(),
                              "created_at": backup.created_at,
                              "last_used_at": backup.last_used_at},
    }
