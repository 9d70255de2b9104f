"""Every row an import writes refers to a row that exists, on both databases, and nobody
deletes what a batch's rows refer to while it is written. PostgreSQL does not check the
keys of an import batch's rows one by one (bulk_insert): the batch holds the rows they
refer to instead.

Transactional: on PostgreSQL the batches are written by threads of their own."""

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, connections, transaction

from silverpool.accounts.models import User
from silverpool.imports.models import ImportJob
from silverpool.imports.services import run
from silverpool.privacy.models import ConsentRecord
from silverpool.talents.models import DuplicateFlag, Event, Note, Status, Talent
from silverpool.talents.services.bulk_intake import Arrival, intake_talents

from ..talents.factories import make_pool, make_tag, make_talent
from .batches import batches_of
from .workbooks import first_talent, imported, person, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def dangling_references() -> list[str]:
    """Every foreign key value of the database that refers to no row."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_key_check")
            return [f"{table} row {rowid} -> {parent}" for table, rowid, parent, _ in cursor]
        cursor.execute(
            "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, "
            "pa.attname FROM pg_constraint c "
            "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
            "JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1] "
            "WHERE c.contype = 'f' AND cardinality(c.conkey) = 1"
        )
        keys = cursor.fetchall()
        found = []
        for table, column, parent, key in keys:
            # Names from the catalog, not from input.
            cursor.execute(
                f'SELECT DISTINCT t."{column}" FROM {table} t WHERE t."{column}" IS NOT NULL '  # noqa: S608
                f'AND NOT EXISTS (SELECT 1 FROM {parent} p WHERE p."{key}" = t."{column}")'
            )
            found += [f"{table}.{column} = {value}" for (value,) in cursor.fetchall()]
        return found


def test_an_import_writing_every_kind_of_row_leaves_no_reference_dangling(
    tmp_path: Path, rita: User, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, 3)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
            assert cursor.fetchone() == (True,), "the tests' role should skip the checks"
    anna = make_talent(
        alice, first_name="Anna", last_name="Alt", email="anna@example.com", phone="+4915112345678"
    )
    twin = {"first_name": "Anna", "last_name": "Alt", "phone": "+49 151 12345678"}
    rows = [
        person(1, **twin),  # a likely duplicate of Anna
        person(2, note="Kennt Kotlin"),
        person(3, first_name="ANNA", last_name="Alt", email="Anna@Example.com", note="Neu"),
        person(2, first_name="Nochmal"),  # repeats row 2
        person(4, email="kaputt"),
        person(5, **twin),  # a duplicate of Anna and of talent 1, a batch later
        person(6, city="Köln"),
    ]
    pool, tag = make_pool("Backend"), make_tag("Runner-up")

    job = imported(
        xlsx(tmp_path / "t.xlsx", rows),
        alice,
        existing="overwrite",
        pools=[pool],
        tags=[tag],
        owner=rita,
        consent=ImportJob.Consent.RECORDED,
        consent_note="Einwilligung per Telefon, 26.11.2026",
    )

    job.refresh_from_db()
    assert (job.state, job.created_count, job.updated_count) == (ImportJob.State.DONE, 4, 1)
    assert (job.repeated_count, job.rejected_count) == (1, 1)
    assert dangling_references() == []
    # What the references point at is what the import wrote.
    talents = Talent.objects.filter(pools=pool, tags=tag, owner=rita)
    assert talents.count() == 5
    assert Note.objects.filter(author=alice).count() == 2
    assert DuplicateFlag.objects.count() == 3
    assert Event.objects.filter(talent=anna, kind=Event.Kind.DUPLICATE_FLAGGED).count() == 2
    assert ConsentRecord.objects.filter(recorded_by=alice).count() == 5
    assert job.talents.count() == 5


def deleted_elsewhere(table: str, pk: int) -> str:
    """Try to delete a row from another connection, waiting a moment for its lock: what
    PostgreSQL says."""
    said: list[str] = []

    def delete() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '300ms'")
                cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])  # noqa: S608
                transaction.set_rollback(True)
            said.append("deleted")
        except DatabaseError as error:
            said.append(str(error))
        finally:
            connections.close_all()

    thread = threading.Thread(target=delete)
    thread.start()
    thread.join()
    return said[0]


def test_a_batch_holds_the_rows_its_rows_refer_to_until_it_commits(
    tmp_path: Path, rita: User, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What PostgreSQL's checks of the keys would hold, the batch holds itself: nobody
    deletes the uploader, the owner, the status, a pool, a tag, the job, a known talent
    or a likely duplicate found in the database while the batch refers to them."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writing transaction holds the whole database")
    batches_of(monkeypatch, 2)
    anna = make_talent(
        alice, first_name="Anna", last_name="Alt", email="anna@example.com", phone="+4915112345678"
    )
    known = make_talent(alice, email="talent2@example.com")
    pool, tag = make_pool("Backend"), make_tag("Runner-up")
    status = Status.objects.get(is_default=True)
    held: dict[str, str] = {}

    def write_and_look(arrivals: Sequence[Arrival], *args: Any, **options: Any) -> Any:
        result = intake_talents(arrivals, *args, **options)
        if first_talent(arrivals) == 1:  # the batch is written, not yet committed
            job_id = ImportJob.objects.get().pk
            for name, table, pk in [
                ("uploader", "accounts_user", alice.pk),
                ("owner", "accounts_user", rita.pk),
                ("status", "talents_status", status.pk),
                ("pool", "talents_pool", pool.pk),
                ("tag", "talents_tag", tag.pk),
                ("job", "imports_importjob", job_id),
                ("known talent", "talents_talent", known.pk),
                ("likely duplicate", "talents_talent", anna.pk),
            ]:
                held[name] = deleted_elsewhere(table, pk)
        return result

    monkeypatch.setattr(run, "intake_talents", write_and_look)
    twin = {"first_name": "Anna", "last_name": "Alt", "phone": "+49 151 12345678"}
    rows = [person(1, **twin), person(2, city="Köln"), person(3)]

    job = imported(xlsx(tmp_path / "t.xlsx", rows), alice, pools=[pool], tags=[tag], owner=rita)

    assert held.keys() == {
        "uploader",
        "owner",
        "status",
        "pool",
        "tag",
        "job",
        "known talent",
        "likely duplicate",
    }
    assert all("lock timeout" in said for said in held.values()), held
    job.refresh_from_db()
    assert (job.state, job.created_count, job.updated_count) == (ImportJob.State.DONE, 2, 1)
    assert dangling_references() == []
