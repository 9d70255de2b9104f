"""SQLite's log copied into the database file beside a writer (silverpool/checkpoints.py),
on a database file of the test's own: the tests' database is in memory (SQLite) or not
SQLite at all, and there the copies do nothing."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import ConnectionHandler

from silverpool.checkpoints import Checkpoints, checkpoints_beside

PAGES = 2_000  # of 4 KiB: twice what makes a commit copy the log by itself


@pytest.fixture
def database(tmp_path: Path, django_db_blocker: Any) -> Iterator[BaseDatabaseWrapper]:
    """A connection to a database file in WAL mode, as Silverpool's own (settings); not
    the tests' database, which pytest-django guards."""
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "silverpool.sqlite3"),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
            }
        }
    )
    database = handler["default"]
    with django_db_blocker.unblock():
        with database.cursor() as cursor:
            cursor.execute("CREATE TABLE document (content BLOB)")
        yield database
        database.close()


def write(database: BaseDatabaseWrapper) -> None:
    """About PAGES pages in one transaction (autocommit)."""
    with database.cursor() as cursor:
        cursor.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %s) "
            "INSERT INTO document SELECT randomblob(4000) FROM n",
            [PAGES],
        )


def value(database: BaseDatabaseWrapper, sql: str) -> int:
    with database.cursor() as cursor:
        cursor.execute(sql)
        return int(cursor.fetchone()[0])


def test_commits_leave_the_copy_to_the_thread_and_the_log_starts_over(
    database: BaseDatabaseWrapper,
) -> None:
    file = Path(database.settings_dict["NAME"])
    log = Path(f"{file}-wal")
    with checkpoints_beside(database) as checkpoints:
        assert value(database, "PRAGMA wal_autocheckpoint") == 0
        write(database)
        # Committed, in the log only: the commit did not copy it.
        assert file.stat().st_size < 1_000_000
        assert value(database, "SELECT count(*) FROM document") == PAGES

        checkpoints.start()
        checkpoints.wait()
        assert file.stat().st_size > PAGES * 4000
        first = log.stat().st_size

        # Copied whole before the next write: the log starts over instead of growing.
        write(database)
        assert log.stat().st_size <= first * 1.1
    # As before: a commit copies the log once it holds 1,000 pages.
    assert value(database, "PRAGMA wal_autocheckpoint") == 1000
    checkpoints.wait()  # the last copy, started on the way out
    assert file.stat().st_size > 2 * PAGES * 4000


def test_without_a_database_file_in_wal_mode_nothing_is_copied(db: None) -> None:
    with checkpoints_beside(connection) as checkpoints:
        checkpoints.start()
        checkpoints.wait()
    assert checkpoints.path is None
    assert checkpoints.running is None


def test_a_copy_that_fails_is_logged_and_the_writer_goes_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    checkpoints = Checkpoints(str(tmp_path / "gone" / "silverpool.sqlite3"))

    checkpoints.start()
    checkpoints.wait()

    assert "copying the log of" in caplog.text
