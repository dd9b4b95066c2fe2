"""Administration's form: a person and a unit, to add as staff or to appoint."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import IdNumberField
from accounts.models import Account
from operator_console.forms import UnitChoiceField


class PersonInUnitForm(forms.Form):
    """An existing portal account, found by ID number, and a unit in the actor's scope."""

    id_number = IdNumberField(label=_("Số CMND/CCCD"))
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=None, empty_label=_("-- Chọn đơn vị --"),
                           error_messages={"required": _("Bạn phải chọn đơn vị."),
                                           "invalid_choice": _("Đơn vị không hợp lệ.")})

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["id_number"].widget.attrs.update(placeholder=_("Nhập số CMND/CCCD"),
                                                     autocomplete="off")

    def clean_id_number(self):
        number = self.cleaned_data["id_number"]
        self.account = Account.objects.filter(username=number, is_active=True).first()
        if self.account is None:
            raise forms.ValidationError(_(
                "Không có tài khoản nào với số CMND/CCCD này. Người dùng cần đăng ký tài khoản "
                "trên Cổng Dịch vụ công quốc gia trước."))
        return number
