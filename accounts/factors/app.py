"""What the enrolment page of an authenticator app shows: its secret, as a QR code and as
text, only while the app is unconfirmed."""

from base64 import b32encode

import segno
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import AppDevice


def app_pending(account, device_id) -> AppDevice | None:
    """The account's app waiting for its first code; None once confirmed (its secret is
    then never shown again) or gone."""
    return AppDevice.objects.filter(pk=device_id, user=account, confirmed=False).first()


def app_secret_text(device: AppDevice) -> str:
    """The secret in base32, in groups of four, as an app's manual entry takes it."""
    text = b32encode(device.bin_key).decode()
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


def app_qr_svg(device: AppDevice) -> str:
    # segno writes the SVG itself from the otpauth:// URL: no typed text reaches it.
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, title=_("Mã QR"))
    return mark_safe(svg)  # noqa: S308
