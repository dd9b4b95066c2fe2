"""The statistics page's period."""

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from operator_console.forms import END_BEFORE_START, date_box_field
from operator_console.stats.selectors import MAX_DAYS, default_period


class PeriodForm(forms.Form):
    """A period of whole days; a missing end is today, a missing start 30 days before it."""

    date_from = date_box_field(gettext_lazy("Từ ngày"))
    date_to = date_box_field(gettext_lazy("Đến ngày"))

    def __init__(self, *args, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        start, end = default_period(today)
        self.fields["date_from"].initial, self.fields["date_to"].initial = start, end

    def clean(self):
        data = super().clean()
        if "date_from" in data and "date_to" in data:
            end = data["date_to"] or self.today
            start = data["date_from"] or default_period(end)[0]
            if start > end:
                self.add_error("date_to", END_BEFORE_START)
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("date_to", _("Chỉ xem được tối đa %(days)s ngày một lần.")
                               % {"days": MAX_DAYS})
            data["date_from"], data["date_to"] = start, end
        return data

    def period(self) -> tuple[dt.date, dt.date] | None:
        """The chosen period; the default one for an empty form; None when refused."""
        if not self.is_bound:
            return default_period(self.today)
        if not self.is_valid():
            return None
        return self.cleaned_data["date_from"], self.cleaned_data["date_to"]
