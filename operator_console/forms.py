"""Form pieces the console's parts share: a unit chooser, a filter's dates, a list's filters.

Each part's own forms live in its `forms` module (counter/forms.py, …)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import DATE_FORMAT

DATE_INVALID = _("Ngày phải có dạng dd/mm/yyyy.")
END_BEFORE_START = _("“Đến ngày” phải sau hoặc bằng “Từ ngày”.")


class ConsoleDateField(forms.DateField):
    """A filter's date: dd/mm/yyyy, within years a record can have (1900 to 2100)."""

    def clean(self, value):
        day = super().clean(value)
        if day and not 1900 <= day.year <= 2100:
            raise forms.ValidationError(_("Ngày phải trong khoảng năm 1900 đến 2100."))
        return day


def date_filter_field(label, **options) -> ConsoleDateField:
    """An optional date typed dd/mm/yyyy."""
    return ConsoleDateField(label=label, required=False, input_formats=[DATE_FORMAT],
                            error_messages={"invalid": DATE_INVALID}, **options)


def date_box_field(label) -> ConsoleDateField:
    """An optional date typed dd/mm/yyyy in a box that says so and opens a phone's digit
    keyboard, showing its initial value the same way."""
    return date_filter_field(label, widget=forms.DateInput(
        format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name


def unit_filter_field(label, empty_label) -> UnitChoiceField:
    """An optional unit, one of those FilterForm is given."""
    return UnitChoiceField(label=label, queryset=None, required=False, empty_label=empty_label,
                           error_messages={"invalid_choice": _("Đơn vị không hợp lệ.")})


def period_checked(form: forms.Form, data: dict) -> dict:
    """`data` of a form whose period runs from `date_from` to `date_to`: an end before the
    start is the end's error."""
    start, end = data.get("date_from"), data.get("date_to")
    if start and end and start > end:
        form.add_error("date_to", END_BEFORE_START)
    return data


class FilterForm(forms.Form):
    """A list's filters, every one optional, all sent by GET: among them `unit`, one of
    `units` (no other is accepted), and a period from `date_from` to `date_to`."""

    placeholders: dict = {}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for name, text in self.placeholders.items():
            self.fields[name].widget.attrs["placeholder"] = text

    def clean(self):
        return period_checked(self, super().clean())
