"""Every browser walk also checks the log: no line written while a person walked a flow
(the live server's, its tasks', the test's own) names a sample person, as the portal
writes lines in production (portal/logs.py)."""

import datetime as dt
import logging

import pytest

from portal.logs import Context, PlainFormatter


class _Kept(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self.addFilter(Context())
        self.setFormatter(PlainFormatter())

    def emit(self, record):
        self.lines.append(self.format(record))


def personal_values() -> set[str]:
    from sandbox.people import people

    values = set()
    for person in people():
        born = dt.date.fromisoformat(person["birth_date"])
        values |= {person["id_number"], person["phone"], "0" + person["phone"][3:],
                   person["full_name"], born.isoformat(), born.strftime("%d/%m/%Y")}
    return values


@pytest.fixture(autouse=True)
def log_names_no_one():
    kept = _Kept()
    root = logging.getLogger()
    root.addHandler(kept)
    yield
    root.removeHandler(kept)
    values = personal_values()
    hits = [(value, line) for line in kept.lines for value in values if value in line]
    assert not hits, f"personal data in the log: {hits[:5]}"
