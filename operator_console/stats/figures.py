"""What the statistics page shows: sections of figures, each a chart and its table.

Every administrator sees the accounts created at the counters of the units they
administer; a province's top administrator also sees the portal-wide registrations, which
belong to no unit (an online registration has no counter).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from operator_console.scope import admin_scope, is_top_admin
from operator_console.stats import charts
from operator_console.stats.selectors import (
    Breakdown,
    counter_creations_by_day,
    counter_creations_by_unit,
    registrations_by_day,
    registrations_by_level,
)


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
