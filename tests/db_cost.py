"""What a request costs the database, counted: statements (every round trip, savepoints
included) and commits (each COMMIT, and each write made outside a transaction)."""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext

READ_RE = re.compile(r"^\s*SELECT\b", re.IGNORECASE)


@dataclass
class Cost:
    statements: list[str] = field(default_factory=list)
    commits: int = 0

    def __str__(self):
        return f"{len(self.statements)} statements, {self.commits} commits:\n" + "\n".join(
            statement[:120] for statement in self.statements)


@contextmanager
def db_cost():
    cost = Cost()

    def counted(execute, sql, params, many, context):
        cost.statements.append(sql)
        if not connection.in_atomic_block and not READ_RE.match(sql):
            cost.commits += 1
        return execute(sql, params, many, context)

    with CaptureQueriesContext(connection) as log, connection.execute_wrapper(counted):
        yield cost
    cost.commits += sum(query["sql"] == "COMMIT" for query in log.captured_queries)
