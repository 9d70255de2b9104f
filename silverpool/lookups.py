"""`AnyOf`: what `__in` does, with the values sent as one parameter.

`__in` with the thousands of values of an import batch makes a statement of thousands of
placeholders, which Django and psycopg build and parse value by value (73 ms for a lookup
of 2,000 emails whose query takes 14 ms). Here the list goes as one array (PostgreSQL) or
one JSON text (SQLite, `json_each`); both still use the column's index.

On PostgreSQL the array is unpacked in a subquery, `= ANY(ARRAY(SELECT unnest(…)))`: a
plain array would have the planner estimate each of thousands of values one by one, and
plan for a long list where it is meant to read those rows by index (the talent search's
pool and tag members: 10-15 ms of planning per query, and worse plans).
"""

import json
from collections.abc import Collection
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.sql.compiler import SQLCompiler


class AnyOf(Lookup):
    """Use in `filter()`: `AnyOf(F("talent_id"), ids)`. Values must be str or int."""

    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs: Any, values: Collection[str | int]) -> None:
        super().__init__(lhs, list(values))

    def get_db_prep_lookup(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        if connection.vendor == "postgresql":
            return "%s", [value]
        return "%s", [json.dumps(value)]

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        if not self.rhs:
            raise EmptyResultSet  # as `__in` with an empty list: nothing matches
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = (*lhs_params, *rhs_params)
        if connection.vendor == "postgresql":
            # psycopg sends a list of str untyped: say which array it is.
            kind = "bigint" if all(isinstance(v, int) for v in self.rhs) else "text"
            return f"{lhs} = ANY(ARRAY(SELECT unnest({rhs}::{kind}[])))", params
        # lhs is the compiled column, rhs a placeholder: no values in the text.
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", params  # noqa: S608
