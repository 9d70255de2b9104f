"""insert_rows, reserve_ids and update_rows write what the ORM would read back, on both
databases, also with the rows going in beside the caller (writes_beside); lock_keys holds
what the inserted rows refer to, where PostgreSQL does not check them."""

import datetime
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, OperationalError, connection, connections, transaction

from silverpool.accounts.models import User
from silverpool.bulk_insert import (
    execute_later,
    insert_rows,
    lock_keys,
    reserve_ids,
    update_rows,
    writes_beside,
)
from silverpool.imports.models import ImportedTalent, ImportJob
from silverpool.privacy.models import LegalBasis
from silverpool.talents.models import Note, Pool, PoolMembership, Talent
from tests.talents.factories import make_pool, make_talent

BERLIN = ZoneInfo("Europe/Berlin")


# Each write in place, and beside the caller as an import writes (SQLite; nothing on
# PostgreSQL).
WAYS = pytest.mark.parametrize("around", [nullcontext, writes_beside], ids=["here", "beside"])


@WAYS
def test_rows_read_back_as_written_with_their_reserved_ids(
    db: None, rita: User, around: Callable[[], AbstractContextManager[None]]
) -> None:
    talent = make_talent()
    summer = datetime.datetime(2026, 7, 1, 9, 30, 15, 250_000, tzinfo=BERLIN)
    winter = datetime.datetime(2026, 1, 5, 23, 59, tzinfo=datetime.UTC)
    fields = ["id", "talent_id", "author_id", "text", "visible_to_talent"]
    fields += ["created_at", "updated_at"]

    with transaction.atomic(), around():
        ids = reserve_ids(Note, 3)
        insert_rows(
            Note,
            fields,
            [
                (ids[0], talent.pk, rita.pk, "Gespräch: „sehr gut“", True, summer, summer),
                (ids[1], talent.pk, None, "second", False, winter, summer),
                (ids[2], talent.pk, rita.pk, "third", False, summer, winter),
            ],
        )
        later = Note.objects.create(talent=talent, text="by the ORM")

    notes = {note.pk: note for note in Note.objects.filter(talent=talent)}
    assert later.pk > max(ids)
    assert (notes[ids[0]].text, notes[ids[0]].author, notes[ids[0]].visible_to_talent) == (
        "Gespräch: „sehr gut“",
        rita,
        True,
    )
    assert notes[ids[1]].author is None
    # Every moment as written, whichever zone it came in and however often it repeats.
    assert [(notes[pk].created_at, notes[pk].updated_at) for pk in ids] == [
        (summer, summer),
        (winter, summer),
        (summer, winter),
    ]


@WAYS
def test_json_values_read_back_as_written(
    db: None, rita: User, around: Callable[[], AbstractContextManager[None]]
) -> None:
    changed, created = make_talent(), make_talent()
    changes = {
        "city": ["Köln", "Berlin"],
        "remote": [False, True],
        "salary_amount": [0, None],
        # Beyond 64 bits, which the fast encoder refuses: written all the same.
        "custom_values": [{}, {"personalnummer": 2**70, "notiz": "ab 1.3. – „sofort“"}],
    }
    job, now = make_job(rita), changed.created_at

    with transaction.atomic(), around():
        insert_rows(
            ImportedTalent,
            ("job_id", "talent_id", "row_number", "created", "changes")
            + ("added_pools", "added_tags", "added_notes", "created_at"),
            [
                (job.pk, changed.pk, 7, False, changes, [3], [], [1, 2], now),
                (job.pk, created.pk, 8, True, {}, [], [], [], now),
            ],
        )

    values = ("changes", "added_pools", "added_tags", "added_notes")
    assert list(ImportedTalent.objects.order_by("row_number").values_list(*values)) == [
        (changes, [3], [], [1, 2]),
        ({}, [], [], []),
    ]
    # The database reads the stored JSON too.
    assert ImportedTalent.objects.filter(changes__city__0="Köln").count() == 1


def test_update_rows_sets_each_rows_own_fields(db: None) -> None:
    anna, ben = make_talent(city="Köln"), make_talent(city="Bonn")

    with transaction.atomic():
        update_rows(
            Talent,
            [
                (anna.pk, {"salary_amount": Decimal("65000.00"), "city": "Berlin"}),
                (ben.pk, {"available_from": datetime.date(2027, 3, 1)}),
            ],
        )

    anna.refresh_from_db()
    ben.refresh_from_db()
    assert (anna.salary_amount, anna.city, anna.available_from) == (Decimal(65000), "Berlin", None)
    assert (ben.salary_amount, ben.city, ben.available_from) == (
        None,
        "Bonn",
        datetime.date(2027, 3, 1),
    )


def make_job(user: User) -> ImportJob:
    return ImportJob.objects.create(uploaded_by=user, original_name="talente.xlsx", size=1)


@WAYS
def test_dates_read_back_as_written(
    db: None, around: Callable[[], AbstractContextManager[None]]
) -> None:
    talent = make_talent()
    LegalBasis.objects.filter(talent=talent).delete()
    since = datetime.datetime(2026, 12, 31, 23, 30, tzinfo=BERLIN)
    dates = [datetime.date(2027, 1, 1), datetime.date(2029, 2, 28), datetime.date(1999, 12, 31)]

    with transaction.atomic(), around():
        insert_rows(
            LegalBasis,
            ("talent_id", "state", "since", "hold_until", "consent_deadline", "due_on")
            + ("notice_due_on", "legal_hold_reason", "purposes", "reminders_sent")
            + ("link_key", "updated_at"),
            [
                (talent.pk, LegalBasis.State.AWAITING_CONSENT, since, None, *dates)
                + ("", [], [], "k" * 32, since)
            ],
        )

    basis = LegalBasis.objects.get(talent=talent)
    assert (basis.since, basis.hold_until) == (since, None)
    assert [basis.consent_deadline, basis.due_on, basis.notice_due_on] == dates


NOTE_FIELDS = ("talent_id", "author_id", "text", "visible_to_talent", "created_at", "updated_at")


def note_of(talent_id: int) -> tuple[object, ...]:
    now = datetime.datetime(2026, 11, 27, 9, tzinfo=BERLIN)
    return (talent_id, None, "Notiz", False, now, now)


def keys_checked_now() -> None:
    """PostgreSQL checks the foreign keys of the rows written so far (at the commit
    otherwise, which a test's transaction never reaches)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def noted_by_the_orm(talent_id: int) -> None:
    with transaction.atomic():
        Note.objects.create(talent_id=talent_id, text="by the ORM")
        keys_checked_now()


def test_rows_going_in_beside_are_there_for_the_next_statement(db: None) -> None:
    talent = make_talent()

    with transaction.atomic(), writes_beside():
        insert_rows(Note, NOTE_FIELDS, [note_of(talent.pk)] * 5_000)
        # Read while the rows may still be going in: the read waits for them.
        assert Note.objects.filter(talent=talent).count() == 5_000
        insert_rows(Note, NOTE_FIELDS, [note_of(talent.pk)] * 2)
        insert_rows(Note, NOTE_FIELDS, [note_of(talent.pk)] * 3)

    assert Note.objects.filter(talent=talent).count() == 5_005


def test_rows_that_cannot_go_in_fail_the_block_and_nothing_is_written(db: None) -> None:
    talent = make_talent()
    (pk,) = reserve_ids(Note, 1)

    # The same id twice: on SQLite the move beside the caller fails, at the block's end.
    with pytest.raises(IntegrityError), transaction.atomic(), writes_beside():
        insert_rows(Note, ("id", *NOTE_FIELDS), [(pk, *note_of(talent.pk))] * 2)

    assert not Note.objects.filter(talent=talent).exists()
    # The connection goes on, its temporary table empty.
    with transaction.atomic(), writes_beside():
        insert_rows(Note, ("id", *NOTE_FIELDS), [(pk, *note_of(talent.pk))])
    assert list(Note.objects.filter(talent=talent).values_list("pk", flat=True)) == [pk]


def test_writes_queued_while_others_go_in_follow_them_in_order(db: None) -> None:
    talent, other, pool = make_talent(), make_talent(), make_pool("Backend")
    *many, first, second = reserve_ids(Note, 20_002)
    reserved = [first, second]
    renamed = "UPDATE talents_note SET text = %s WHERE id = %s"

    with transaction.atomic(), writes_beside():
        insert_rows(Note, ("id", *NOTE_FIELDS), [(pk, *note_of(talent.pk)) for pk in many])
        # Queued while those go in: two inserts of the same width, a statement that needs
        # the second's row, and rows of another table.
        insert_rows(Note, ("id", *NOTE_FIELDS), [(reserved[0], *note_of(other.pk))])
        insert_rows(Note, ("id", *NOTE_FIELDS), [(reserved[1], *note_of(other.pk))])
        execute_later(renamed, ["Rückruf am Montag", reserved[1]])
        insert_rows(
            PoolMembership,
            ("talent_id", "pool_id", "added_by_id", "added_at"),
            [(other.pk, pool.pk, None, note_of(other.pk)[-1])],
        )
        # A read waits for all of them.
        assert Note.objects.filter(talent=other).count() == 2

    assert Note.objects.filter(talent=talent).count() == 20_000
    texts = dict(Note.objects.filter(talent=other).values_list("pk", "text"))
    assert texts == {reserved[0]: "Notiz", reserved[1]: "Rückruf am Montag"}
    assert list(PoolMembership.objects.filter(talent=other).values_list("pool", flat=True)) == [
        pool.pk
    ]


def test_a_statement_for_later_runs_at_once_outside_the_block(db: None) -> None:
    talent = make_talent(first_name="Quirin")

    execute_later("UPDATE talents_talent SET first_name = %s WHERE id = %s", ["Ida", talent.pk])

    talent.refresh_from_db()
    assert talent.first_name == "Ida"


def fail_while_rows_go_in(talent_id: int) -> None:
    with transaction.atomic(), writes_beside():
        insert_rows(Note, NOTE_FIELDS, [note_of(talent_id)] * 20_000)
        # Queued behind them, then dropped.
        insert_rows(Note, NOTE_FIELDS, [note_of(talent_id)] * 3)
        raise RuntimeError("the caller failed")


def test_a_failure_while_rows_go_in_rolls_them_back_too(db: None) -> None:
    talent = make_talent()

    # The block waits for the rows still going in before the transaction rolls back:
    # nothing of them outlives it.
    with pytest.raises(RuntimeError, match="the caller failed"):
        fail_while_rows_go_in(talent.pk)

    assert not Note.objects.filter(talent=talent).exists()


def test_lock_keys_refuses_rows_that_are_gone(db: None) -> None:
    pool = make_pool("Backend")

    gone = r"talents_pool: no row with id \[987654\]"
    with pytest.raises(IntegrityError, match=gone), transaction.atomic():
        lock_keys(Pool, [pool.pk, None, 987654])

    with transaction.atomic():
        lock_keys(Pool, [pool.pk, None])
        lock_keys(Pool, [])


@pytest.mark.django_db(transaction=True)
def test_a_locked_row_may_be_changed_by_others_but_not_deleted_until_the_commit() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writing transaction holds the whole database")
    pool = make_pool("Backend")

    def elsewhere(statement: str) -> Exception | None:
        failure: list[Exception] = []

        def run() -> None:
            try:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '300ms'")
                    cursor.execute(statement, [pool.pk])
            except OperationalError as error:
                failure.append(error)
            finally:
                connections.close_all()

        thread = threading.Thread(target=run)
        thread.start()
        thread.join()
        return failure[0] if failure else None

    rename = "UPDATE talents_pool SET name = 'Backend (alt)' WHERE id = %s"
    delete = "DELETE FROM talents_pool WHERE id = %s"
    with transaction.atomic():
        lock_keys(Pool, [pool.pk])
        assert elsewhere(rename) is None
        assert "lock timeout" in str(elsewhere(delete))

    assert elsewhere(delete) is None
    assert not Pool.objects.filter(pk=pool.pk).exists()


def test_inserted_rows_keys_are_the_callers_to_hold_where_the_role_may_skip_their_checks(
    db: None,
) -> None:
    """The contract of insert_rows: PostgreSQL (as a superuser here) does not check the
    keys of its rows, so a row referring to no talent is not caught; the rows written
    after it in the same transaction are checked again."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks every foreign key")

    with transaction.atomic():
        insert_rows(Note, NOTE_FIELDS, [note_of(987654)])
        keys_checked_now()
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('session_replication_role')")
            assert cursor.fetchone() == ("origin",)
        with pytest.raises(IntegrityError, match="987655"):
            noted_by_the_orm(987655)


def test_no_table_has_a_trigger_that_an_import_would_skip(db: None) -> None:
    """insert_rows turns off the triggers of the rows it writes on PostgreSQL to skip the
    foreign-key checks; a trigger of Silverpool's own would not fire for them either.
    One added needs `ALTER TABLE … ENABLE ALWAYS TRIGGER …`, or insert_rows changed."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's rows are written with their triggers")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger "
            "WHERE NOT tgisinternal AND tgenabled <> 'A'"
        )
        assert cursor.fetchall() == []


@contextmanager
def plain_role() -> Iterator[None]:
    """This connection as a role that may write Silverpool's tables but not turn off
    foreign key checks (as the database's owner in production, unless granted)."""
    role = f"silverpool_plain_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role}")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"SET ROLE {role}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


@pytest.mark.django_db(transaction=True)
def test_a_role_that_may_not_skip_them_has_every_key_checked() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite checks every foreign key")
    talent = make_talent()

    with plain_role():
        with pytest.raises(IntegrityError, match="987654"), transaction.atomic():
            insert_rows(Note, NOTE_FIELDS, [note_of(talent.pk), note_of(987654)])
        with transaction.atomic():
            insert_rows(Note, NOTE_FIELDS, [note_of(talent.pk)])

    assert list(Note.objects.values_list("talent_id", flat=True)) == [talent.pk]
