"""The statistics page ("Xem dữ liệu thống kê") for administrators: a period, then the
sections of operator_console.stats.figures this administrator may see."""

from django.shortcuts import render

from operator_console.access import admin_required
from operator_console.stats.figures import stats_sections
from operator_console.stats.forms import PeriodForm
from operator_console.stats.selectors import default_period


@admin_required
def stats(request):
    form = PeriodForm(request.GET or None, today=default_period()[1])
    period = form.period()
    context = {"form": form, "period": period}
    if period:
        context["days"] = (period[1] - period[0]).days + 1
        context["sections"] = stats_sections(request.user, *period)
    return render(request, "operator_console/stats.html", context)
