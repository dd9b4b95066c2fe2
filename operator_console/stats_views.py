"""The statistics page ("Xem dữ liệu thống kê") for administrators.

Every administrator sees the accounts created at the counters of the units they
administer; a province's top administrator also sees the portal-wide registrations, which
belong to no unit (an online registration has no counter).
"""

import datetime as dt
from dataclasses import dataclass

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.forms import DATE_FORMAT
from operator_console import charts
from operator_console.access import admin_required
from operator_console.forms import ConsoleDateField
from operator_console.scope import admin_scope, is_top_admin
from operator_console.stats import (
    MAX_DAYS,
    Breakdown,
    counter_creations_by_day,
    counter_creations_by_unit,
    default_period,
    registrations_by_day,
    registrations_by_level,
)

DATE_INVALID = gettext_lazy("Ngày phải có dạng dd/mm/yyyy.")


def _date_field(label) -> forms.DateField:
    return ConsoleDateField(
        label=label, required=False, input_formats=[DATE_FORMAT],
        error_messages={"invalid": DATE_INVALID},
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy",
                                                          "inputmode": "numeric"}),
    )


class PeriodForm(forms.Form):
    """A period of whole days; a missing end is today, a missing start 30 days before it."""

    date_from = _date_field(gettext_lazy("Từ ngày"))
    date_to = _date_field(gettext_lazy("Đến ngày"))

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
                self.add_error("date_to", _("“Đến ngày” phải sau hoặc bằng “Từ ngày”."))
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


def counter_figures(scope: set[int], start: dt.date, end: dt.date) -> list[charts.Figure]:
    by_unit = counter_creations_by_unit(scope, start, end)
    by_day = counter_creations_by_day(scope, start, end)
    days, series = [day for day, _n in by_day], [(_("Số tài khoản"), [n for _d, n in by_day])]
    return [
        charts.Figure(
            _("Theo đơn vị"),
            charts.unit_chart(by_unit, label=charts.unit_summary(by_unit, start, end))
            if by_unit else None,
            charts.unit_table(by_unit, caption=_("Số tài khoản tạo tại quầy theo đơn vị"))),
        charts.Figure(
            _("Theo ngày"),
            charts.day_chart(days, series, label=charts.day_summary(
                _("số tài khoản tạo tại quầy mỗi ngày"), days, series)),
            charts.day_table(days, series, caption=_("Số tài khoản tạo tại quầy mỗi ngày"))),
    ]


def _breakdown_figure(title: str, subject: str, breakdown: Breakdown, *, wide: bool,
                      width: int) -> charts.Figure:
    days, series = breakdown.days, breakdown.series
    chart = charts.day_chart(days, series, width=width,
                             label=charts.day_summary(subject, days, series))
    caption = subject[:1].upper() + subject[1:]
    return charts.Figure(title, chart, charts.day_table(days, series, caption=caption), wide)


def portal_figures(start: dt.date, end: dt.date) -> list[charts.Figure]:
    return [
        _breakdown_figure(_("Theo phương thức đăng ký"),
                          _("số tài khoản đăng ký mỗi ngày theo phương thức"),
                          registrations_by_day(start, end), wide=True, width=800),
        _breakdown_figure(_("Theo mức độ xác minh"),
                          _("số tài khoản đăng ký mỗi ngày theo mức độ xác minh"),
                          registrations_by_level(start, end), wide=False, width=480),
    ]


@dataclass(frozen=True)
class Section:
    title: str
    note: str
    figures: list[charts.Figure]
    notice: bool = False  # the note is a warning about what the numbers cover


def stats_sections(account, start: dt.date, end: dt.date) -> list[Section]:
    """The counter figures for every administrator, the portal's for top ones only."""
    sections = [Section(
        _("Tài khoản tạo tại quầy"),
        _("Tại các cơ quan, đơn vị bạn quản trị và các đơn vị trực thuộc."),
        counter_figures(admin_scope(account), start, end))]
    if is_top_admin(account):
        sections.append(Section(
            _("Đăng ký tài khoản trên toàn Cổng"),
            _("Số liệu toàn quốc: đăng ký trực tuyến không gắn với đơn vị nào."),
            portal_figures(start, end), notice=True))
    return sections


@admin_required
def stats(request):
    form = PeriodForm(request.GET or None, today=default_period()[1])
    period = form.period()
    context = {"form": form, "period": period}
    if period:
        context["days"] = (period[1] - period[0]).days + 1
        context["sections"] = stats_sections(request.user, *period)
    return render(request, "operator_console/stats.html", context)

