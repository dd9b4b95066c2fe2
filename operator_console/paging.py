"""The console's lists: filters travel in the query string, the page number as ?trang=
(templates/operator_console/_pagination.html builds the links)."""

from django.core.paginator import Page, Paginator

PAGE_PARAM = "trang"


def page_get(request, items, size: int) -> Page:
    """The page of `items` the query string asks for (the first one for anything else)."""
    return Paginator(items, size).get_page(request.GET.get(PAGE_PARAM))


def query_without_page(request) -> str:
    """The list's filters, urlencoded, for the links to its other pages."""
    query = request.GET.copy()
    query.pop(PAGE_PARAM, None)
    return query.urlencode()
