"""Batches written at the same time (run.WRITERS, PostgreSQL): the import holds what it
holds when they are written one after the other (SQLite, and these same tests there).

Transactional: the writers' connections must see what the test wrote."""

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from silverpool.accounts.models import User
from silverpool.imports import services
from silverpool.imports.models import ImportJob
from silverpool.imports.services import rowstream, run
from silverpool.talents.models import DuplicateFlag, Event, Talent
from silverpool.talents.services.bulk_intake import Arrival, intake_talents

from ..talents.factories import make_pool, make_talent
from .batches import batches_of
from .workbooks import checked, first_talent, imported, people, person, uploaded, xlsx

pytestmark = pytest.mark.django_db(transaction=True)

BATCH = 2


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    batches_of(monkeypatch, BATCH)
    monkeypatch.setattr(run, "RETRY_DELAYS", (0, 0, 0, 0, 0))


def expected_writers() -> int:
    return run.WRITERS if connection.vendor == "postgresql" else 1


class Writing:
    """Counts the batches being written at the same moment; each waits a little inside,
    so that a second writer, if there is one, gets there meanwhile. Locks held longer
    than a few seconds fail the batch instead of waiting for ever (a deadlock between a
    batch's row locks and the wait for the batch before it would otherwise hang)."""

    def __init__(self) -> None:
        self.now = self.most = 0
        self.lock = threading.Lock()

    def __call__(self, arrivals: Sequence[Arrival], *args: Any, **options: Any) -> Any:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
        with self.lock:
            self.now += 1
            self.most = max(self.most, self.now)
        try:
            time.sleep(0.2)
            return intake_talents(arrivals, *args, **options)
        finally:
            with self.lock:
                self.now -= 1


def test_two_batches_are_written_at_once_on_postgresql_and_every_row_once(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    writing = Writing()
    monkeypatch.setattr(run, "intake_talents", writing)
    rows = [*people(4), person(2, first_name="Nochmal"), person(5, email="kaputt"), *people(5, 6)]

    job = imported(xlsx(tmp_path / "t.xlsx", rows), rita)

    assert writing.most == expected_writers()
    job.refresh_from_db()
    assert (job.state, job.cursor, job.total_rows) == (ImportJob.State.DONE, 11, 11)
    assert (job.created_count, job.repeated_count, job.rejected_count) == (9, 1, 1)
    emails = sorted(Talent.objects.values_list("email", flat=True))
    assert emails == sorted(f"talent{n}@example.com" for n in [1, 2, 3, 4, *range(6, 11)])
    assert Event.objects.filter(kind=Event.Kind.CREATED).count() == 9
    assert job.talents.count() == 9


def test_a_small_file_is_written_in_batches_of_equal_size(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten rows with batches of at most six: five and five (written side by side on
    PostgreSQL, one after the other on SQLite), not six and four."""
    monkeypatch.setattr(rowstream, "CHUNK_ROWS", 1)
    batches_of(monkeypatch, 6)
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(10)), rita))
    services.start_import(job, enqueue=False)
    commits: list[int] = []

    run.run_import(job.pk, on_batch=commits.append)

    assert commits == [5, 10]
    assert Talent.objects.count() == 10


@pytest.mark.parametrize(
    ("remaining", "writers", "rows"),
    [
        (10_000, 2, 5_000),  # two batches side by side, not 6,000 and 4,000
        (12_000, 2, 6_000),
        (15_000, 2, 3_750),  # four, two at a time
        (100_000, 2, 5_556),  # 18 of them, in nine rounds
        (10_000, 1, 5_000),
        (6_000, 1, 6_000),
        (0, 2, 1),  # a resumed run with nothing left
    ],
)
def test_batch_rows_make_the_last_batches_as_large_as_the_others(
    monkeypatch: pytest.MonkeyPatch, remaining: int, writers: int, rows: int
) -> None:
    batches_of(monkeypatch, 6_000)
    assert rowstream.batch_rows(remaining, writers) == rows


def test_likely_duplicates_in_batches_written_at_once_are_all_flagged(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second batch updates a talent that the first batch, written beside it and
    later, flags as a likely duplicate: neither waits for the other for ever, and the
    second batch finds the first batch's talent too."""
    writing = Writing()

    def first_batch_late(arrivals: Sequence[Arrival], *args: Any, **options: Any) -> Any:
        if arrivals[0].fields["email"] == "talent1@example.com":
            time.sleep(1)
        return writing(arrivals, *args, **options)

    monkeypatch.setattr(run, "intake_talents", first_batch_late)
    known = make_talent(
        rita, first_name="Anna", last_name="Alt", email="anna@example.com", phone="+4915112345678"
    )
    twin = {"first_name": "Anna", "last_name": "Alt", "phone": "+49 151 12345678"}
    rows = [
        person(1, **twin),  # batch 1: a new Anna Alt with the same phone
        person(2),
        person(3, first_name="Anna", last_name="Alt", email="anna@example.com", city="Köln"),
        person(4, **twin),  # batch 2: another one
    ]

    job = imported(xlsx(tmp_path / "t.xlsx", rows), rita, existing="overwrite")

    job.refresh_from_db()
    assert (job.state, job.created_count, job.updated_count) == (ImportJob.State.DONE, 3, 1)
    known.refresh_from_db()
    assert known.city == "Köln"
    first, second = (Talent.objects.get(email=f"talent{n}@example.com").pk for n in (1, 4))
    flagged = set(DuplicateFlag.objects.values_list("talent_id", "other_id"))
    pairs = [(known.pk, first), (known.pk, second), (first, second)]
    assert flagged == {(min(pair), max(pair)) for pair in pairs}
    assert known.events.filter(kind=Event.Kind.DUPLICATE_FLAGGED).count() == 2


def test_what_a_batch_written_beside_another_says_is_in_the_uploaders_language(
    tmp_path: Path, rita: User, alice: User
) -> None:
    rita.language = "de"
    rita.save(update_fields=["language"])
    secret = make_pool("Vorstand", is_private=True)
    make_talent(alice, email="talent3@example.com", pools=[secret])

    job = imported(xlsx(tmp_path / "t.xlsx", people(4)), rita)

    [rejected] = job.rejected_rows.all()
    assert rejected.row_number == 4
    assert rejected.reason == (
        "Es gibt bereits ein Talent mit dieser E-Mail-Adresse in einem privaten Pool, "
        "in dem Sie kein Mitglied sind."
    )


def test_a_cancel_while_the_next_batch_is_being_written_takes_that_batch_back(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = checked(uploaded(xlsx(tmp_path / "t.xlsx", people(6)), rita))
    services.start_import(job, enqueue=False)
    cancelled = threading.Event()

    def cancel_after_the_first_batch(cursor: int) -> None:
        if cursor == BATCH:
            services.cancel_import(job)
            cancelled.set()

    def write_once_cancelled(arrivals: Sequence[Arrival], *args: Any, **options: Any) -> Any:
        if first_talent(arrivals) == BATCH + 1:
            cancelled.wait()  # being written beside the first batch, on PostgreSQL
        return intake_talents(arrivals, *args, **options)

    monkeypatch.setattr(run, "intake_talents", write_once_cancelled)
    run.run_import(job.pk, on_batch=cancel_after_the_first_batch)

    job.refresh_from_db()
    assert (job.state, job.cursor, job.created_count) == (ImportJob.State.CANCELLED, BATCH, BATCH)
    assert Talent.objects.count() == BATCH
    assert job.talents.count() == BATCH


def test_connections_lost_while_batches_are_written_are_opened_again(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As if the database restarted during the second batch: every other connection is
    gone (the other writer's, and the one that finishes the job); the batches are written
    again and the job finishes."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's database is a file: nothing to restart")
    restarted = False

    def restart_during_the_second_batch(
        arrivals: Sequence[Arrival], *args: Any, **options: Any
    ) -> Any:
        nonlocal restarted
        result = intake_talents(arrivals, *args, **options)
        if first_talent(arrivals) == BATCH + 1 and not restarted:
            restarted = True
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        return result

    monkeypatch.setattr(run, "intake_talents", restart_during_the_second_batch)

    job = imported(xlsx(tmp_path / "t.xlsx", people(6)), rita)

    assert restarted
    job.refresh_from_db()
    assert (job.state, job.cursor, job.created_count) == (ImportJob.State.DONE, 6, 6)
    assert Talent.objects.count() == 6
    assert job.talents.count() == 6
