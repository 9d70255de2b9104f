"""`AnyOf`: what `__in` does, with the values sent as one parameter.

`__in` with the thousands of values of an import batch makes a statement of thousands of
placeholders, which Django and psycopg build and parse value by value (73 ms for a lookup
of 2,000 emails whose query takes 14 ms). Here the list goes as one JSON text
(`json_array_elements_text` on PostgreSQL, `json_each` on SQLite), which the column's
index is still used with. (An array parameter would be quoted into the statement by
psycopg value by value in Python: 6,000 emails took 88 ms with their query instead of
66 ms, pairs of name and phone 33 ms instead of 21, docs/benchmarks.md.)

On PostgreSQL the list is unpacked in a subquery, `= ANY(ARRAY(SELECT …))`: a plain array
would have the planner estimate each of thousands of values one by one, and plan for a
long list where it is meant to read those rows by index (the talent search's pool and tag
members: 10-15 ms of planning per query, and worse plans).

Pairs of columns (`Tuple(F("name_key"), F("phone"))` with a list of pairs) go the same
way, one JSON text for all of them, and are matched as pairs: a two-column index finds
exactly the rows of those pairs (12 ms for 1,400 pairs here, against 120 ms for "name in
these names and phone in these phones", which reads every talent of a common name).
"""

from collections.abc import Collection
from typing import Any

import orjson
from django.core.exceptions import EmptyResultSet
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Lookup
from django.db.models.fields.tuple_lookups import Tuple
from django.db.models.sql.compiler import SQLCompiler

type Value = str | int


class AnyOf(Lookup):
    """Use in `filter()`: `AnyOf(F("talent_id"), ids)`, or with a Tuple of columns and
    tuples of values. Values must be str or int."""

    lookup_name = "any_of"
    prepare_rhs = False

    def __init__(self, lhs: Any, values: Collection[Value] | Collection[tuple[Value, ...]]) -> None:
        super().__init__(lhs, list(values))

    def get_db_prep_lookup(self, value: Any, connection: BaseDatabaseWrapper) -> Any:
        return "%s", [orjson.dumps(value).decode()]

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        if not self.rhs:
            raise EmptyResultSet  # as `__in` with an empty list: nothing matches
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = (*lhs_params, *rhs_params)
        # lhs is the compiled column(s), rhs the placeholder: no values in the text.
        if connection.vendor == "postgresql":
            if isinstance(self.lhs, Tuple):
                columns = zip(*self.rhs, strict=True)
                items = ", ".join(
                    f"(value->>{index})::{_sql_type(column)}"
                    for index, column in enumerate(columns)
                )
                rows = f"SELECT {items} FROM json_array_elements({rhs}::json)"  # noqa: S608
                return f"{lhs} IN ({rows})", params
            kind = _sql_type(self.rhs)
            values = f"SELECT value::{kind} FROM json_array_elements_text({rhs}::json)"  # noqa: S608
            return f"{lhs} = ANY(ARRAY({values}))", params
        if isinstance(self.lhs, Tuple):
            items = ", ".join(
                f"json_extract(value, '$[{index}]')" for index in range(len(self.lhs))
            )
            return f"{lhs} IN (SELECT {items} FROM json_each({rhs}))", params  # noqa: S608
        return f"{lhs} IN (SELECT value FROM json_each({rhs}))", params  # noqa: S608


def _sql_type(values: Collection[object]) -> str:
    """JSON gives text: say what the values are."""
    return "bigint" if all(isinstance(v, int) for v in values) else "text"
