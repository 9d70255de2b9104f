"""SQLite: the log's pages copied into the database file beside a long writer, instead
of inside its commits.

In WAL mode SQLite appends each commit's pages to the log (the -wal file), and once the log
holds 1,000 pages (`wal_autocheckpoint`) the committing connection copies them into the
database file (a checkpoint) before its COMMIT returns. An import batch writes thousands of
pages, so each of its commits copied them while the worker waited: 0.15-0.2 s of a
10,000-row run of 1.2-1.3 s (docs/benchmarks.md). Inside `checkpoints_beside` the
connection's commits do not checkpoint; a thread with a connection of its own does, started
after a commit, while the writer goes on with what does not write (reading its next rows).

The writer must wait for it before its next write transaction: SQLite starts the log over
from its beginning only when a write transaction begins with all of it copied, so a log
copied beside the writer's next transactions grows by each of them (to 488 MB in a
100,000-row import, 61 MB otherwise).
"""

import logging
import sqlite3
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing, contextmanager
from functools import cache

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

logger = logging.getLogger(__name__)


@cache
def _thread() -> ThreadPoolExecutor:
    # One for the process: checkpoints of one database file run one at a time anyway.
    return ThreadPoolExecutor(1, thread_name_prefix="sqlite-checkpoint")


def _log_database(connection: BaseDatabaseWrapper) -> str | None:
    """The file of the connection's database if it is SQLite in WAL mode (not one in
    memory, as the tests' is), else None."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        if cursor.fetchone()[0] != "wal":
            return None
        cursor.execute("PRAGMA database_list")
        return next((path for _seq, name, path in cursor.fetchall() if name == "main"), None)


def _checkpoint(path: str) -> None:
    # PASSIVE: waits for nobody, copies what no reader still needs.
    try:
        with closing(sqlite3.connect(path)) as database:
            database.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:
        # The writer goes on: the next copy, or its own commits once it is done, copy the
        # log then.
        logger.warning("copying the log of %s into the database failed", path, exc_info=True)


class Checkpoints:
    """The checkpoints of one database file, in a thread (see checkpoints_beside); with no
    file, nothing."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self.running: Future[None] | None = None

    def start(self) -> None:
        """Copy the log into the database file beside the caller (after a commit), once
        the copy started before, if it still runs, is done."""
        if self.path is not None:
            self.running = _thread().submit(_checkpoint, self.path)

    def wait(self) -> None:
        """Wait for the copy started last (before a write transaction)."""
        running, self.running = self.running, None
        if running is not None:
            running.result()


@contextmanager
def checkpoints_beside(
    connection: BaseDatabaseWrapper = default_connection,
) -> Iterator[Checkpoints]:
    """Inside, the connection's commits leave the checkpoint to the Checkpoints given. At
    the end the connection checkpoints as before, and one more checkpoint starts in the
    thread without being waited for: whoever waits for the writer does not wait for it.
    Outside SQLite in WAL mode the Checkpoints do nothing."""
    path = _log_database(connection)
    checkpoints = Checkpoints(path)
    if path is None:
        yield checkpoints
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint")
        pages = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        yield checkpoints
    finally:
        # A connection opened again meanwhile (a retry after an error) has its default.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {pages}")
        checkpoints.start()
