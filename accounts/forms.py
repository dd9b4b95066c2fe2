import base64
import binascii
import datetime as dt
import re
import unicodedata

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.captcha_keys import captcha_key_new, captcha_take
from accounts.identity import (
    digits_normalize,
    id_number_is_valid,
    id_number_normalize,
    phone_to_e164,
    text_fold,
)
from accounts.passwords import RULE

DATE_FORMAT = "%d/%m/%Y"
NAME_MAX = 150  # Account.full_name and name_folded
BHXH_CODE_RE = re.compile(r"^\d{10}$", re.ASCII)


class PortalCaptchaInput(CaptchaTextInput):
    """The library's widget with a signed key (accounts/captcha_keys.py): drawing a form
    page stores nothing."""

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        self._key = captcha_key_new()
        self._value = [self._key, ""]
        self.id_ = self.build_attrs(attrs).get("id", None)


class PortalCaptchaField(CaptchaField):
    """The picture's text, typed in any case, with spaces or full-width letters."""

    def __init__(self, **kwargs):
        super().__init__(
            widget=PortalCaptchaInput(),
            label=_("Nhập mã xác thực"),
            error_messages={
                "invalid": _("Mã xác thực không đúng, vui lòng nhập lại mã trong ảnh mới."),
                "required": _("Bạn phải nhập mã xác thực."),
            },
            **kwargs,
        )

    def clean(self, value):
        """The library's checks in one statement (accounts/captcha_keys.py): the picture
        is used up whether the answer is right or not, so each picture gets one guess."""
        if isinstance(value, list) and len(value) > 1 and isinstance(value[1], str):
            value = [value[0], re.sub(r"\s", "", unicodedata.normalize("NFKC", value[1])),
                     *value[2:]]
        forms.MultiValueField.clean(self, value)  # "required", as CaptchaField checks it
        hashkey, response = value[0], (value[1] or "").strip().lower()
        answer = captcha_take(hashkey)
        if captcha_settings.CAPTCHA_TEST_MODE and response == "passed":
            return value
        if answer is None or answer != response:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class DigitsField(forms.CharField):
    """A number typed with spaces, dots or full-width digits: checked as its digits."""

    def to_python(self, value):
        return digits_normalize(super().to_python(value))


class IdNumberField(DigitsField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Tên đăng nhập (Số CMT/CCCD)"))
        kwargs.setdefault("error_messages", {"required": _("Bạn phải nhập CMT/CCCD.")})
        super().__init__(max_length=20, **kwargs)
        self.widget.attrs.update(inputmode="numeric", autocomplete="username",
                                 placeholder=_("Nhập số CMT/CCCD"))

    def clean(self, value):
        number = super().clean(value)
        if not id_number_is_valid(number):
            raise forms.ValidationError(
                _("Số CMT/CCCD không hợp lệ: CMT gồm 9 chữ số, CCCD gồm 12 chữ số.")
            )
        return number


class PhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Số điện thoại"))
        kwargs.setdefault("error_messages", {"required": _("Bạn phải nhập số điện thoại.")})
        super().__init__(max_length=20, **kwargs)
        self.widget.input_type = "tel"
        self.widget.attrs.update(inputmode="tel", autocomplete="tel-national",
                                 placeholder=_("Nhập số điện thoại"))

    def clean(self, value):
        phone = phone_to_e164(super().clean(value))
        if not phone:
            raise forms.ValidationError(
                _("Số điện thoại không hợp lệ: nhập số di động Việt Nam gồm 10 chữ số, "
                  "ví dụ 0912345678.")
            )
        return phone


class BirthDateField(forms.DateField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Ngày sinh (dd/mm/yyyy)"),
            input_formats=[DATE_FORMAT],
            error_messages={
                "required": _("Bạn phải nhập ngày sinh."),
                "invalid": _("Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 05/09/1990."),
            },
            widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy",
                                                              "autocomplete": "bday"}),
            **kwargs,
        )

    def clean(self, value):
        birth = super().clean(value)
        today = dt.date.today()
        if birth and not (dt.date(1900, 1, 1) <= birth <= today):
            raise forms.ValidationError(_("Ngày sinh không hợp lệ."))
        return birth


def full_name_clean(raw: str) -> str:
    """One space between words, NFC; a name typed all in lower or upper case is capitalised."""
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if not name:
        raise forms.ValidationError(_("Bạn phải nhập họ tên."))
    if name in (name.lower(), name.upper()):
        name = name.title()
    if len(name) > NAME_MAX or len(text_fold(name)) > NAME_MAX:  # title() and folding grow
        raise forms.ValidationError(_("Họ tên quá dài (tối đa %(n)d ký tự).") % {"n": NAME_MAX})
    return name


class MobileRegistrationForm(forms.Form):
    id_number = IdNumberField()
    full_name = forms.CharField(
        label=_("Họ tên"), max_length=150,
        error_messages={"required": _("Bạn phải nhập họ tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "placeholder": _("Nhập họ tên")}),
    )
    birth_date = BirthDateField()
    phone = PhoneField()
    email = forms.EmailField(
        max_length=254,
        label=_("Email"), required=False,
        error_messages={"invalid": _("Email không hợp lệ.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email",
                                       "placeholder": _("Nhập email của bạn")}),
    )
    captcha = PortalCaptchaField()

    def clean_full_name(self):
        return full_name_clean(self.cleaned_data["full_name"])


class BhxhCodeField(forms.CharField):
    """10 digits; since 1 August 2025 the 12-digit personal ID may stand in its place."""

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Mã bảo hiểm xã hội"), max_length=20,
            error_messages={"required": _("Bạn phải nhập mã bảo hiểm xã hội.")},
            widget=forms.TextInput(attrs={"inputmode": "numeric",
                                          "placeholder": _("Nhập mã bảo hiểm xã hội")}),
            **kwargs,
        )

    def clean(self, value):
        code = id_number_normalize(super().clean(value))
        if not (BHXH_CODE_RE.match(code) or (len(code) == 12 and id_number_is_valid(code))):
            raise forms.ValidationError(
                _("Mã bảo hiểm xã hội gồm 10 chữ số (in trên thẻ BHXH); bạn cũng có thể nhập "
                  "số CCCD 12 chữ số thay cho mã này.")
            )
        return code


class BhxhRegistrationForm(MobileRegistrationForm):
    bhxh_code = BhxhCodeField()
    field_order = ["id_number", "bhxh_code", "full_name", "birth_date", "phone", "email",
                   "captcha"]


class CodeForm(forms.Form):
    code = DigitsField(
        label=_("Nhập mã OTP"), max_length=6, min_length=6,
        error_messages={
            "required": _("Bạn phải nhập mã OTP."),
            "min_length": _("Mã OTP gồm 6 chữ số."),
            "max_length": _("Mã OTP gồm 6 chữ số."),
        },
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]{6}",
            "class": "otp-input", "maxlength": "6",
        }),
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not (code.isascii() and code.isdigit()):
            raise forms.ValidationError(_("Mã OTP gồm 6 chữ số."))
        return code


class NewPasswordForm(forms.Form):
    """The password step of registration and reset: the seed's rule plus Django's checks."""

    password1 = forms.CharField(
        label=_("Nhập mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Bạn phải nhập mật khẩu.")},
    )
    password2 = forms.CharField(
        label=_("Xác nhận mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Bạn phải nhập lại mật khẩu.")},
    )
    rule = _(RULE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Mật khẩu xác nhận không khớp."))
        elif first:
            try:
                password_validation.validate_password(first, self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(forms.Form):
    username = IdNumberField(label=_("Tên đăng nhập"))
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Bạn phải nhập mật khẩu.")},
    )
    captcha = PortalCaptchaField()


class ResetRequestForm(forms.Form):
    username = IdNumberField(label=_("Tên đăng nhập (Số CMT/CCCD)"))
    phone = PhoneField(label=_("Số điện thoại đã đăng ký"))
    captcha = PortalCaptchaField()


class ChangePasswordForm(NewPasswordForm):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Bạn phải nhập mật khẩu hiện tại.")},
    )
    field_order = ["old_password", "password1", "password2"]

    def clean_old_password(self):
        old = self.cleaned_data["old_password"]
        if not self.user.check_password(old):
            raise forms.ValidationError(_("Mật khẩu hiện tại không đúng."))
        return old

    def clean(self):
        data = super().clean()
        if data.get("old_password") and data.get("old_password") == data.get("password1"):
            self.add_error("password1", _("Mật khẩu mới phải khác mật khẩu hiện tại."))
        return data


class SignedChallengeForm(forms.Form):
    """What the page posts after the agent signed: never the PIN. The certificate and the
    signature arrive in base64 and leave `cleaned_data` as bytes."""

    request = forms.CharField(widget=forms.HiddenInput, max_length=64)
    certificate = forms.CharField(widget=forms.HiddenInput, max_length=20000)
    signature = forms.CharField(widget=forms.HiddenInput, max_length=2000)
    algorithm = forms.CharField(widget=forms.HiddenInput, max_length=10)

    def clean_certificate(self) -> bytes:
        return _base64_bytes(self.cleaned_data["certificate"])

    def clean_signature(self) -> bytes:
        return _base64_bytes(self.cleaned_data["signature"])


def _base64_bytes(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise forms.ValidationError("base64", code="invalid") from None


class SignerDetailsForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label=_("Email"), required=False,
        error_messages={"invalid": _("Email không hợp lệ."),
                        "required": _("Doanh nghiệp phải nhập email.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email",
                                       "placeholder": _("Nhập email của bạn")}),
    )
    captcha = PortalCaptchaField()

    def __init__(self, *args, email_required: bool = False, agency: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = email_required or agency
        if agency:
            self.fields["email"].error_messages["required"] = _(
                "Tài khoản cơ quan nhà nước phải có email của cơ quan.")
