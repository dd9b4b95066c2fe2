"""The filters of the outside calls' record."""

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy

from operator_console.forms import date_box_field, period_checked
from portal.calls import SYSTEMS
from portal.models import OutboundCall

FAILED = "failed"  # every outcome but "ok"
ALL = ("", gettext_lazy("-- Tất cả --"))
DEFAULT_DAYS = 7  # shown when the page is first opened: a week, not 90 days of calls
CORRELATION_RE = re.compile(r"[A-Za-z0-9_-]{8,64}", re.ASCII)


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
    correlation_id = forms.CharField(
        label=gettext_lazy("Mã theo dõi"), required=False, max_length=64,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("X-Request-ID của yêu cầu"),
                                      "autocomplete": "off", "spellcheck": "false"}),
    )
    date_from = date_box_field(gettext_lazy("Từ ngày"))
    date_to = date_box_field(gettext_lazy("Đến ngày"))

    @classmethod
    def first_opened(cls, today: dt.date) -> "ConnectionSearchForm":
        """The unbound form of a first visit, its period the last DEFAULT_DAYS days."""
        return cls(initial={"date_from": today - dt.timedelta(days=DEFAULT_DAYS - 1)})

    def clean_correlation_id(self):
        value = self.cleaned_data["correlation_id"].strip()
        if value and not CORRELATION_RE.fullmatch(value):
            raise forms.ValidationError(gettext_lazy(
                "Mã theo dõi gồm 8 đến 64 chữ cái không dấu, chữ số, “-” hoặc “_”."))
        return value

    def clean(self):
        return period_checked(self, super().clean())

    def filters(self) -> dict:
        if not self.is_bound:
            return {"date_from": self.initial["date_from"]}
        data = self.cleaned_data
        failed = data["outcome"] == FAILED
        return {"system": data["system"], "outcome": "" if failed else data["outcome"],
                "failed": failed, "correlation_id": data["correlation_id"],
                "date_from": data["date_from"], "date_to": data["date_to"]}
