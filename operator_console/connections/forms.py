"""The filters of the outside calls' record."""

from django import forms
from django.utils.translation import gettext_lazy

from operator_console.forms import date_filter_field, period_checked
from portal.calls import SYSTEMS
from portal.models import OutboundCall

FAILED = "failed"  # every outcome but "ok"
ALL = ("", gettext_lazy("-- Tất cả --"))


class ConnectionSearchForm(forms.Form):
    system = forms.ChoiceField(
        label=gettext_lazy("Hệ thống"), required=False,
        choices=[ALL, *SYSTEMS.items()],
        error_messages={"invalid_choice": gettext_lazy("Hệ thống không hợp lệ.")},
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Kết quả"), required=False,
        choices=[ALL, (FAILED, gettext_lazy("Mọi lần không thành công")),
                 *OutboundCall.Outcome.choices],
        error_messages={"invalid_choice": gettext_lazy("Kết quả không hợp lệ.")},
    )
    date_from = date_filter_field(gettext_lazy("Từ ngày"))
    date_to = date_filter_field(gettext_lazy("Đến ngày"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_from", "date_to"):
            self.fields[name].widget.attrs["placeholder"] = "dd/mm/yyyy"

    def clean(self):
        return period_checked(self, super().clean())

    def filters(self) -> dict:
        data = self.cleaned_data
        failed = data["outcome"] == FAILED
        return {"system": data["system"], "outcome": "" if failed else data["outcome"],
                "failed": failed, "date_from": data["date_from"], "date_to": data["date_to"]}
