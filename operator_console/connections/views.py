"""The record of calls to outside systems, for top administrators: whether the carriers,
BHXH, Vietnam Post, the SMS gateway, the SIM signature service, the CAs and VNeID answer,
how fast, and since when they fail. It holds no personal data."""

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from operator_console.access import top_admin_required
from operator_console.connections.forms import DEFAULT_DAYS, ConnectionSearchForm
from operator_console.connections.selectors import connections_search
from operator_console.paging import page_get, query_without_page
from portal.calls import SYSTEMS

PAGE_SIZE = 50


@top_admin_required
def connections(request):
    form = (ConnectionSearchForm(request.GET) if request.GET
            else ConnectionSearchForm.first_opened(timezone.localdate()))
    page = None
    if not form.is_bound or form.is_valid():
        found = connections_search(**form.filters())
        page = page_get(request, found, PAGE_SIZE)
        for call in page.object_list:
            call.system_label = SYSTEMS.get(call.system, call.system)
    return render(request, "operator_console/connections.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "title": _("Nhật ký kết nối hệ thống ngoài"),
        "keep_days": settings.OUTBOUND_CALLS_KEEP_DAYS, "default_days": DEFAULT_DAYS,
    })
