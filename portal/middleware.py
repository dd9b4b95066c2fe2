import logging

from django.db import InterfaceError, OperationalError, connection
from django.shortcuts import render

log = logging.getLogger(__name__)


class ServiceUnavailableMiddleware:
    """The database out of reach gives a 503 page that says so, not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) and _database_down():
            log.error("database unreachable: %s", type(exception).__name__)
            return render(request, "503.html", status=503)
        return None


def _database_down() -> bool:
    """Whether the database is out of reach, as opposed to a query error (a 500)."""
    if connection.connection is None:
        # The request failed while connecting: a second try would only wait out
        # another connect timeout for the same answer.
        return True
    try:
        connection.ensure_connection()
        return not connection.is_usable()
    except (OperationalError, InterfaceError):
        return True
