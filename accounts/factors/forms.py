from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from accounts.forms import DigitsField


def _code_field(*, label, digits: int, wrong, typed: int, css: str) -> DigitsField:
    """`digits` ASCII digits, typed in up to `typed` characters (spaces or a hyphen
    between groups are dropped before the check)."""
    return DigitsField(
        label=label, error_messages={"required": _("Bạn phải nhập mã xác thực.")},
        validators=[RegexValidator(rf"^[0-9]{{{digits}}}$", message=wrong)],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "class": css, "maxlength": str(typed)}),
    )


class AppCodeForm(forms.Form):
    code = _code_field(label=_("Nhập mã 6 chữ số đang hiện trên ứng dụng xác thực"), digits=6,
                       wrong=_("Mã trên ứng dụng xác thực gồm 6 chữ số."), typed=7,
                       css="otp-input")


class BackupCodeForm(forms.Form):
    code = _code_field(label=_("Nhập một mã dự phòng (10 chữ số)"), digits=10,
                       wrong=_("Mã dự phòng gồm 10 chữ số, ví dụ 12345-67890."), typed=11,
                       css="font-monospace fs-5")


CODE_FORMS = {"app": AppCodeForm, "backup": BackupCodeForm}


class _AnswerInput(forms.HiddenInput):
    """An answer holds for one challenge only: a page that asks again starts empty."""

    def format_value(self, value):
        return None


class PasskeyAnswerForm(forms.Form):
    """What static/js/passkey.js posts: the browser's answer as JSON, in a hidden field. A
    missing or oversized answer is said above the form: a hidden field shows no error."""

    CREDENTIAL_MAX = 64 * 1024  # an answer is a few kilobytes
    credential = forms.CharField(widget=_AnswerInput, required=False, strip=False)

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("credential", "")
        if not self.errors and not 0 < len(answer) <= self.CREDENTIAL_MAX:
            raise ValidationError(_("Trình duyệt chưa gửi xác nhận của khóa truy cập. Vui "
                                    "lòng thử lại và làm theo hướng dẫn trên màn hình."))
        return cleaned


class PasskeyEnrolForm(PasskeyAnswerForm):
    name = forms.CharField(
        label=_("Tên gợi nhớ"), max_length=64,
        help_text=_("Để bạn nhận ra khóa này trong danh sách, ví dụ “Điện thoại của tôi”."),
        error_messages={"required": _("Bạn phải đặt tên gợi nhớ cho khóa truy cập.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    field_order = ["name", "credential"]
