""""Lịch sử hoạt động": what happened to the account in the days kept, newest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.activity import activity_recent
from accounts.models.events import KEPT_DAYS

PER_PAGE = 50


@login_required
def activity(request):
    # ?trang= and templates/operator_console/_pagination.html: the lists' one way to page.
    page = Paginator(activity_recent(request.user), PER_PAGE).get_page(request.GET.get("trang"))
    return render(request, "accounts/activity.html", {"page": page, "days": KEPT_DAYS})
