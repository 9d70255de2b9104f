"""Inserting many rows without building a model instance per row: COPY on PostgreSQL,
a temporary table and one INSERT … SELECT on SQLite.

Imports write tens of thousands of talents, events, legal bases and links per minute;
`bulk_create` spends most of that time turning values into SQL parameters one field at a
time (about 70 % of an import batch, measured). Here each column's conversion is chosen
once and the rows go to the database as plain tuples. Values must already be what the
model field holds (validated by the caller): no defaults, no `pre_save`, no signals.

Foreign keys: the rows may refer only to rows their transaction inserted and to rows it
holds with `lock_keys`. That is what PostgreSQL's check of each key value would hold
(a key-share lock on the row referred to), so PostgreSQL skips the check for these rows
where the database role may (see `_checks_off`): one query per key value at the commit,
about a dozen per imported talent, took a third of the database's time in an import
(docs/benchmarks.md). SQLite checks them as always.
"""

import datetime
import functools
import json
import threading
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import IntegrityError, connection, models
from django.db.backends.sqlite3.base import SQLiteCursorWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import F

from .lookups import AnyOf

type Convert = Callable[[Any], Any]
# Statements with their parameters, in Django's style (%s).
type Statements = list[tuple[str, Sequence[Any]]]


def _converter(field: models.Field[Any, Any]) -> Convert | None:
    """How a value of `field` goes to the database, or None when it goes as it is."""
    if isinstance(field, models.JSONField):
        return _json
    if connection.vendor == "postgresql":
        if isinstance(field, models.DateField):  # and DateTimeField
            # As text for COPY: psycopg formats a datetime at about 2.5 µs and a date at
            # 1 µs, and a new talent's rows hold about twelve; ISO text carries the time
            # zone. A batch's rows share a few moments: each converted once.
            return functools.lru_cache(maxsize=64)(_isoformat)
        return None
    # SQLite stores these as text in the format Django reads back.
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        # A batch's rows share a few moments (when it was written): each converted once.
        return functools.lru_cache(maxsize=64)(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        return lambda value: ops.adapt_decimalfield_value(
            value, field.max_digits, field.decimal_places
        )
    return None


def _isoformat(value: datetime.date) -> str:
    return value.isoformat()


def _json(value: Any) -> str:
    # Most JSON values of an import's rows are empty (an undo record's lists, a new
    # talent's skills or custom values): fifteen times cheaper than dumping them.
    if value == []:
        return "[]"
    if value == {}:
        return "{}"
    # orjson: a tenth of json.dumps's time for an event's data or a skills list, about
    # 4 % of a 10,000-row import (docs/benchmarks.md). It refuses integers beyond 64 bits,
    # which JSON and json.dumps allow.
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value)


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert `rows`, each a tuple of values for `fields` (model field names, a foreign
    key by its `_id` attribute name). None is NULL. Runs in the caller's transaction, which
    inserted or holds (`lock_keys`) every row the rows refer to."""
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]  # a name or an attname
    columns = [str(field.column) for field in model_fields]  # type: ignore[union-attr]
    converters = [
        (index, convert)
        for index, field in enumerate(model_fields)
        if (convert := _converter(field)) is not None  # type: ignore[arg-type]
    ]

    def prepared() -> Iterable[Sequence[Any]]:
        for row in rows:
            if converters:
                values = list(row)
                for index, convert in converters:
                    if values[index] is not None:
                        values[index] = convert(values[index])
                yield values
            else:
                yield row

    # Table and column names come from the model and are quoted: no user input.
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column_list = ", ".join(quote(column) for column in columns)
    if connection.vendor != "postgresql":
        _write(_Staged(table, column_list, len(columns), list(prepared())))
        return
    # wrap_database_errors: psycopg's own errors from COPY become Django's (IntegrityError,
    # OperationalError), which the import's retries know.
    with connection.cursor() as cursor, connection.wrap_database_errors:
        checking = _checks_off(cursor)
        sql = f"COPY {table} ({column_list}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for values in prepared():
                copy.write_row(values)
        if checking is not None:
            cursor.execute("SELECT set_config('session_replication_role', %s, true)", [checking])


def execute_later(sql: str, params: Sequence[Any] = ()) -> None:
    """Run a statement that writes and returns nothing: inside `writes_beside` after the
    writes before it, beside the caller; elsewhere at once."""
    _write(_Statement(sql, params))


@dataclass
class _Statement:
    """A statement that writes, with its parameters."""

    sql: str
    params: Sequence[Any]

    def statements(self, cursor: CursorWrapper | SQLiteCursorWrapper, place: int) -> Statements:
        return [(self.sql, self.params)]


@dataclass
class _Staged:
    """SQLite: rows for `table`, converted when queued, which go into a temporary table
    without indexes first (a few µs a row, the interpreter's lock held), then into `table`
    in one statement, which does the work of its indexes and checks, most of an insert's,
    without that lock."""

    table: str
    column_list: str
    width: int
    values: list[Any]

    def statements(self, cursor: CursorWrapper | SQLiteCursorWrapper, place: int) -> Statements:
        """Put the rows in the temporary table for the `place`-th write of a queue; the
        statements that move them on."""
        name = f"silverpool_staged_{self.width}_{place}"
        names = ", ".join(f"c{index}" for index in range(self.width))
        # Untyped columns keep each value as it comes; the table's own types apply at the
        # move.
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name} ({names})")
        # Empty unless a failed move left rows behind outside a transaction.
        cursor.execute(f"DELETE FROM temp.{name}")  # noqa: S608
        marks = ", ".join(["%s"] * self.width)
        cursor.executemany(f"INSERT INTO temp.{name} VALUES ({marks})", self.values)  # noqa: S608
        return [
            (f"INSERT INTO {self.table} ({self.column_list}) SELECT {names} FROM temp.{name}", ()),  # noqa: S608
            (f"DELETE FROM temp.{name}", ()),  # noqa: S608
        ]


def _write(write: _Statement | _Staged) -> None:
    """Queue `write` inside writes_beside; elsewhere run it now."""
    beside: _Beside | None = getattr(_local, "beside", None)
    if beside is not None:
        beside.add(write)
        return
    with connection.cursor() as cursor:
        for sql, params in write.statements(cursor, 0):
            cursor.execute(sql, params)


_local = threading.local()


class _Beside:
    """Writes queued on this thread's SQLite connection and run, in order, by a thread of
    their own (see writes_beside)."""

    def __init__(self) -> None:
        self.raw = connection.connection
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="sqlite-beside")
        self.running: Future[None] | None = None
        self.queued: list[_Statement | _Staged] = []

    def add(self, write: _Statement | _Staged) -> None:
        """Queue `write`; if the thread is idle, it starts on what is queued."""
        self.queued.append(write)
        if self.running is None or self.running.done():
            self.start()

    def start(self) -> None:
        """Stage the queued rows (the connection is this thread's while it does) and hand
        the statements to the thread."""
        self.wait()
        cursor = self.raw.cursor(factory=SQLiteCursorWrapper)
        try:
            with connection.wrap_database_errors:
                statements = [
                    statement
                    for place, write in enumerate(self.queued)
                    for statement in write.statements(cursor, place)
                ]
        finally:
            cursor.close()
        self.queued = []
        self.running = self.pool.submit(self._run, statements)

    def _run(self, statements: Statements) -> None:
        cursor = self.raw.cursor(factory=SQLiteCursorWrapper)
        try:
            for sql, params in statements:
                cursor.execute(sql, params)
        finally:
            cursor.close()

    def finish(self) -> None:
        """Run what is queued and wait for it: the connection is the caller's then."""
        if self.queued:
            self.start()
        self.wait()

    def wait(self) -> None:
        running, self.running = self.running, None
        if running is not None:
            with connection.wrap_database_errors:
                running.result()


@contextmanager
def writes_beside() -> Iterator[None]:
    """SQLite: inside, `insert_rows` and `execute_later` queue their writes, and a thread
    runs them in order on the connection while this one goes on (most of an insert's work,
    its indexes', is done there without the interpreter's lock, on the other core). Any
    other statement on the connection runs after all of them (SQLite runs one at a time on
    a connection), and so does the end of the block. Writes are added to the thread's work
    whenever it is idle: between two reads the caller builds and queues without waiting.
    In a transaction: a failed write fails the next statement, and a failed block drops
    what is still queued and waits for what runs before the transaction rolls back.
    PostgreSQL: nothing (imports write batches side by side)."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    beside = _Beside()

    def after_writes(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        beside.finish()
        return execute(sql, params, many, context)

    _local.beside = beside
    try:
        with connection.execute_wrapper(after_writes):
            yield
            beside.finish()
    finally:
        _local.beside = None
        beside.pool.shutdown()  # waits for a write still running


def _checks_off(cursor: CursorWrapper) -> str | None:
    """PostgreSQL: turn the foreign key checks of the rows inserted next off, for this
    transaction, if the role may; the setting to put back afterwards, or None if it may
    not (they are checked then). In the replica role the triggers that check foreign
    keys do not fire, nor would any other (Silverpool has none on PostgreSQL, which a
    test keeps so; pg_restore loads data the same way). A superuser may; another role
    once granted `GRANT SET ON PARAMETER session_replication_role TO …` (README)."""
    cursor.execute(
        "SELECT current_setting('session_replication_role'), "
        "set_config('session_replication_role', 'replica', true) "
        "WHERE has_parameter_privilege('session_replication_role', 'SET')"
    )
    found = cursor.fetchone()
    return found[0] if found else None


def lock_keys(model: type[models.Model], ids: Collection[int | None]) -> None:
    """Hold the rows of `model` with these primary keys (None left out) until the
    transaction ends, as the check of a foreign key to them would: nobody deletes one or
    changes its key meanwhile, others may still update them (a key-share lock; SQLite's
    transaction holds the whole database). IntegrityError if one is gone."""
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return
    query = model._base_manager.filter(AnyOf(F("pk"), wanted)).values_list("pk").query
    sql, params = query.get_compiler(connection=connection).as_sql()
    if connection.vendor == "postgresql":
        sql += " FOR KEY SHARE"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        missing = wanted - {row[0] for row in cursor.fetchall()}
    if missing:
        raise IntegrityError(f"{model._meta.db_table}: no row with id {sorted(missing)}")


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for rows that `insert_rows` writes with their id. The
    caller must be in a transaction; on SQLite it holds the write lock (Silverpool's
    transactions begin IMMEDIATE), so nobody else takes the same ids meanwhile."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence looked up once: in the SELECT list it would be looked up per id
            # (a tenth of a millisecond each, 2 % of an import's time in the database).
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # AUTOINCREMENT tables never reuse an id: start above the highest ever handed out.
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {quoted}")  # noqa: S608
        highest = max(found[0] if found else 0, cursor.fetchone()[0])
    return list(range(highest + 1, highest + 1 + count))


def update_rows(model: type[models.Model], changes: Iterable[tuple[int, dict[str, Any]]]) -> None:
    """Set fields of rows by primary key: `changes` holds (pk, {field name: value}).

    Rows changing the same fields share one statement run with executemany (pipelined on
    PostgreSQL); `bulk_update` instead builds a CASE WHEN per row and field, which cost
    most of an import batch that updates a few hundred talents."""
    meta = model._meta
    quote = connection.ops.quote_name
    groups: dict[tuple[str, ...], list[list[Any]]] = defaultdict(list)
    for pk, values in changes:
        names = tuple(sorted(values))
        row = [
            meta.get_field(name).get_db_prep_save(values[name], connection)  # type: ignore[union-attr]
            for name in names
        ]
        groups[names].append([*row, pk])
    with connection.cursor() as cursor:
        for names, rows in groups.items():
            assignments = ", ".join(
                f"{quote(str(meta.get_field(name).column))} = %s"  # type: ignore[union-attr]
                for name in names
            )
            # Names come from the model and are quoted: no user input.
            sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE id = %s"  # noqa: S608
            cursor.executemany(sql, rows)
