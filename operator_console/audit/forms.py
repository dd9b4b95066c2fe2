"""The audit trail's filters."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.identity import id_number_normalize
from operator_console.forms import FilterForm, date_filter_field, unit_filter_field
from operator_console.models import AuditEntry


class AuditSearchForm(FilterForm):
    """The log's filters; the units offered are those the administrator administers."""

    actor = forms.CharField(label=gettext_lazy("Người thực hiện"), required=False,
                            max_length=150)
    action = forms.ChoiceField(
        label=gettext_lazy("Hành động"), required=False,
        choices=[("", gettext_lazy("-- Tất cả --")), *AuditEntry.Action.choices],
        error_messages={"invalid_choice": gettext_lazy("Hành động không hợp lệ.")},
    )
    target = forms.CharField(label=gettext_lazy("Đối tượng (CMND/CCCD)"), required=False,
                             max_length=20)
    unit = unit_filter_field(gettext_lazy("Đơn vị"), gettext_lazy("-- Tất cả --"))
    date_from = date_filter_field(gettext_lazy("Từ ngày"))
    date_to = date_filter_field(gettext_lazy("Đến ngày"))

    placeholders = {
        "actor": gettext_lazy("Nhập tên người thực hiện"),
        "target": gettext_lazy("Nhập số CMND/CCCD"),
        "date_from": "dd/mm/yyyy", "date_to": "dd/mm/yyyy",
    }

    def clean_target(self):
        number = id_number_normalize(self.cleaned_data["target"])
        if number and not number.isdecimal():
            raise forms.ValidationError(_("Số CMND/CCCD chỉ gồm chữ số."))
        return number

    def filters(self) -> dict:
        data = self.cleaned_data
        return {
            "actor_name": data["actor"], "action": data["action"], "target": data["target"],
            "unit_id": data["unit"].pk if data["unit"] else None,
            "date_from": data["date_from"], "date_to": data["date_to"],
        }
