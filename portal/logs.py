"""What a log line carries: the correlation id of its request or task
(portal/correlation.py), and never a run of nine or more digits, masked whatever wrote it
(an ID number, a phone, a tax code). JSON lines in production (LOG_FORMAT=json, the
default with DEBUG off, through python-json-logger), plain text in development.

The portal writes no name, birth date, code or password into a message; the masking is
the net under a message written without care, or an exception's text. The same filter
and formatters are put on the Celery worker's handlers once Celery has set them up.
"""

import logging
import re

from celery.signals import after_setup_logger, after_setup_task_logger
from django.conf import settings
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from portal.correlation import correlation_id

# Nine or more digits standing on their own: not inside an id of letters and digits (a
# task's or a request's hex id may hold such a run, and must stay whole).
DIGIT_RUN = re.compile(r"(?<![\w-])\d{9,}(?![\w-])")
MASK = "[hidden]"
PLAIN = "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"
FIELDS = "%(asctime)s %(levelname)s %(name)s %(correlation_id)s %(message)s"


class Context(logging.Filter):
    """Gives every record the id of the request or task it was written in ("-": none)."""

    def filter(self, record):
        record.correlation_id = correlation_id() or "-"
        return True


class _Masked:
    def format(self, record):
        return DIGIT_RUN.sub(MASK, super().format(record))


class PlainFormatter(_Masked, logging.Formatter):
    def __init__(self, fmt=PLAIN, *args, **kwargs):
        super().__init__(fmt, *args, **kwargs)


class JsonFormatter(_Masked, _JsonFormatter):
    def __init__(self, fmt=FIELDS, *args, **kwargs):
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level",
                                            "name": "logger"})
        super().__init__(fmt, *args, **kwargs)


def formatter() -> logging.Formatter:
    return JsonFormatter() if settings.LOG_FORMAT == "json" else PlainFormatter()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _worker_handlers(logger=None, **kwargs) -> None:
    """The worker's handlers, as Celery made them, given the portal's filter and format."""
    for handler in logger.handlers if logger is not None else ():
        handler.addFilter(Context())
        handler.setFormatter(formatter())
