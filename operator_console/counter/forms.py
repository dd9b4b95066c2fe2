"""The counter's forms: the look-up, the citizen's data, the citizen's code, the list's
filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import BirthDateField, CodeForm, IdNumberField, PhoneField, full_name_clean
from accounts.identity import cccd_matches_birth, id_number_normalize, phone_to_e164
from operator_console.forms import (
    FilterForm,
    UnitChoiceField,
    date_filter_field,
    unit_filter_field,
)

MISMATCH = _(
    "Năm sinh không khớp với số CCCD (chữ số thứ 4 đến 6 của CCCD cho biết thế kỷ và năm "
    "sinh). Hãy đối chiếu lại thẻ; nếu thẻ ghi đúng như đã nhập, ghi lý do vào ô "
    "“Lý do vẫn tạo tài khoản” rồi bấm lại."
)


OTHER_TAB = _(
    "Trang này thuộc một lần tạo tài khoản khác: số CMND/CCCD đã được tra cứu lại (có thể ở "
    "một thẻ trình duyệt khác). Vui lòng kiểm tra lại thông tin dưới đây rồi bấm lại."
)


class ConfirmForm(CodeForm):
    """The code, and the ID this page was opened for (see CitizenForm.for_id)."""

    for_id = forms.CharField(widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, id_number: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.id_number = id_number
        self.initial["for_id"] = id_number

    def clean_for_id(self):
        if self.cleaned_data["for_id"] != self.id_number:
            raise forms.ValidationError(OTHER_TAB)
        return self.id_number


class LookupForm(forms.Form):
    id_number = IdNumberField(label=_("Số CMND/CCCD"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["id_number"].widget.attrs.update(placeholder=_("Nhập số CMND/CCCD"),
                                                     autocomplete="off")


class CitizenForm(forms.Form):
    """The citizen's data as on the ID card, the scan of it, and the clerk's unit."""

    full_name = forms.CharField(
        label=_("Họ và tên"), max_length=150,
        error_messages={"required": _("Bạn phải nhập họ và tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    birth_date = BirthDateField()
    phone = PhoneField(help_text=_("Số điện thoại của chính công dân (chủ thuê bao)."))
    email = forms.EmailField(
        max_length=254,
        label=_("Email"), required=False, error_messages={"invalid": _("Email không hợp lệ.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    scan = forms.FileField(
        label=_("Đính kèm CCCD/CMND"),
        error_messages={"required": _("Bạn phải đính kèm bản quét 2 mặt CCCD/CMND.")},
        help_text=_("Đề nghị đính kèm 1 file định dạng file doc, docx, pdf gồm 2 mặt "
                    "CCCD/CMND, dung lượng không vượt quá 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".doc,.docx,.pdf"}),
    )
    unit = UnitChoiceField(
        label=_("Đơn vị"), queryset=None, empty_label=_("-- Chọn đơn vị --"),
        error_messages={"required": _("Bạn phải chọn đơn vị."),
                        "invalid_choice": _("Đơn vị không hợp lệ.")},
    )
    # The ID this page was opened for: a page left open in another tab must not pour one
    # citizen's data onto the ID looked up since.
    for_id = forms.CharField(widget=forms.HiddenInput, max_length=20)
    mismatch_reason = forms.CharField(
        label=_("Lý do vẫn tạo tài khoản"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, id_number: str, units, has_scan: bool, clerk_phone: str = "",
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.id_number = id_number
        self.clerk_phone = clerk_phone
        self.initial["for_id"] = id_number
        self.fields["scan"].required = not has_scan  # one kept from an earlier try will do
        self.fields["unit"].queryset = units
        self.fields["birth_date"].label = _("Ngày sinh")
        self.fields["birth_date"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].widget.attrs["autocomplete"] = "off"
        self.mismatch = False

    def clean_full_name(self):
        return full_name_clean(self.cleaned_data["full_name"])

    def clean_for_id(self):
        if self.cleaned_data["for_id"] != self.id_number:
            raise forms.ValidationError(OTHER_TAB)
        return self.id_number

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        if phone and phone == self.clerk_phone:
            raise forms.ValidationError(_(
                "Đây là số điện thoại của cán bộ đang thao tác. Hãy nhập số điện thoại của chính "
                "công dân: mã OTP và mật khẩu đăng nhập sẽ gửi tới số này."))
        return phone

    def clean(self):
        data = super().clean()
        birth = data.get("birth_date")
        if birth and not cccd_matches_birth(self.id_number, birth):
            self.mismatch = True
            if not data.get("mismatch_reason", "").strip():
                self.add_error("birth_date", MISMATCH)
        return data


class SearchForm(FilterForm):
    """The list's filters."""

    name = forms.CharField(label=_("Tên công dân"), required=False, max_length=150)
    phone = forms.CharField(label=_("Số điện thoại"), required=False, max_length=20)
    id_number = forms.CharField(label=_("CMND/CCCD"), required=False, max_length=20)
    clerk = forms.CharField(label=_("Cán bộ tạo"), required=False, max_length=150)
    unit = unit_filter_field(_("Đơn vị tạo"), _("-- Đơn vị chọn --"))
    date_from = date_filter_field(_("Từ ngày"))
    date_to = date_filter_field(_("Đến ngày"))

    placeholders = {
        "name": _("Nhập tên công dân"), "phone": _("Nhập số điện thoại"),
        "id_number": _("Nhập số CMND/CCCD"), "clerk": _("Nhập tên cán bộ tạo"),
        "date_from": "dd/mm/yyyy", "date_to": "dd/mm/yyyy",
    }

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        if not raw:
            return ""
        phone = phone_to_e164(raw)
        if not phone:
            raise forms.ValidationError(_("Số điện thoại không hợp lệ."))
        return phone

    def clean_id_number(self):
        return id_number_normalize(self.cleaned_data["id_number"])

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"], "phone": data["phone"], "id_number": data["id_number"],
            "clerk_name": data["clerk"], "unit_id": data["unit"].pk if data["unit"] else None,
            "date_from": data["date_from"], "date_to": data["date_to"],
        }
