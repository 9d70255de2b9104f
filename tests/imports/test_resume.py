"""Reliability of a running import (reliability matrix rows 5-8): a worker killed after
some batches is resumed by the reaper without duplicates; a database error mid-batch is
retried; a worker that lost its lease stops; the same file twice, or a double click, is
one import.

The kill test runs the import in a real process and SIGKILLs it while it is writing a
batch. That process must see the test's database: PostgreSQL's test database it opens
by name; SQLite's in-memory test database is copied to a file, which the test then uses
as well (see `shared_database`).
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection
from django.db.models import Count
from django.db.models.functions import Lower
from django.utils import timezone

from silverpool.accounts.models import User
from silverpool.imports import services, tasks
from silverpool.imports.models import ImportedTalent, ImportJob, RejectedRow
from silverpool.imports.services import run
from silverpool.imports.tasks import resume_imports
from silverpool.privacy.models import AuditEntry, LegalBasis
from silverpool.talents.models import (
    CustomField,
    DuplicateFlag,
    Event,
    Note,
    PoolMembership,
    Talent,
    TalentTag,
)
from silverpool.talents.services.bulk_intake import Arrival, intake_talents

from ..talents.factories import make_pool, make_tag, make_talent
from .batches import batches_of
from .workbooks import (
    checked,
    first_talent,
    imported,
    people,
    person,
    started,
    uploaded,
    xlsx,
)

transactional = pytest.mark.django_db(transaction=True)

# The worker process: imports the job in the batches its check spooled and, once HANG_AFTER
# batches have committed, hangs inside the next one (its rows written, not committed) until
# killed.
WORKER = """
import os, sys, time
import django

django.setup()
from silverpool.imports.services import rowstream, run

rowstream.BATCH_ROWS = rowstream.SQLITE_BATCH_ROWS = int(os.environ["BATCH_ROWS"])
write_batch = run.intake_talents
written = 0


def write_then_hang(arrivals, channel, **options):
    global written
    result = write_batch(arrivals, channel, **options)
    written += 1
    if written > int(os.environ["HANG_AFTER"]):
        print("hanging", flush=True)
        time.sleep(600)
    return result


if __name__ == "__main__":
    run.intake_talents = write_then_hang
    run.run_import(int(sys.argv[1]))
"""
# A check's worker: has the file opened in a reading process beside it, reads it in
# chunks of BATCH_ROWS, and hangs once HANG_AFTER chunks are spooled, until killed.
CHECK_WORKER = """
import os, sys, time
import django

django.setup()
from silverpool.imports.services import check, rowstream, spool

rowstream.BATCH_ROWS = rowstream.SQLITE_BATCH_ROWS = int(os.environ["BATCH_ROWS"])
rowstream.READ_APART_FROM_BYTES = 0
add_batch = spool.SpoolWriter.add
spooled = 0


def add_then_hang(self, batch):
    global spooled
    add_batch(self, batch)
    spooled += 1
    if spooled == int(os.environ["HANG_AFTER"]):
        print("hanging", flush=True)
        time.sleep(600)


if __name__ == "__main__":
    spool.SpoolWriter.add = add_then_hang
    check.check_file(int(sys.argv[1]))
"""
BATCH = 10


@pytest.fixture
def shared_database(transactional_db: None, tmp_path: Path) -> Iterator[str]:
    """The URL of the test database for another process; on SQLite this process switches
    to the same file."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user, password = settings_dict["USER"], settings_dict["PASSWORD"]
        credentials = f"{user}:{password}@" if password else f"{user}@"
        yield (
            f"postgres://{credentials}{settings_dict['HOST']}:{settings_dict['PORT']}/"
            f"{settings_dict['NAME']}"
        )
        return
    memory = settings_dict["NAME"]
    path = tmp_path / "silverpool.sqlite3"
    connection.ensure_connection()
    # Holds the shared in-memory database while Django's connection points at the file.
    keeper = sqlite3.connect(memory, uri=True)
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    settings_dict["NAME"] = str(path)
    connection.close()  # really closes now: the name is a file's
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        settings_dict["NAME"] = memory
        connection.ensure_connection()
        keeper.close()


def worker(
    database_url: str, job: ImportJob, *, hang_after: int, script_text: str = WORKER
) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "silverpool.settings",
        "PYTHONPATH": str(django_settings.BASE_DIR),
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(django_settings.MEDIA_ROOT),
        "SECRET_KEY": django_settings.SECRET_KEY,
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "HANG_AFTER": str(hang_after),
        "BATCH_ROWS": str(BATCH),
    }
    script = Path(django_settings.MEDIA_ROOT).parent / "import_worker.py"
    script.write_text(script_text)
    return subprocess.Popen(  # noqa: S603 (this interpreter, a script the test wrote)
        [sys.executable, str(script), str(job.pk)],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Any, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def kill_once_hanging(process: subprocess.Popen[str]) -> list[int]:
    """SIGKILL the worker once it says it hangs; the processes it had started then."""
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "hanging\n"
        helpers = children(process.pid)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    return helpers


def expire_lease(job: ImportJob) -> None:
    """As if LEASE had passed since the worker's last batch."""
    past = timezone.now() - datetime.timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(lease_until=past)


def assert_imported_once(job: ImportJob, emails: int, rejected: int) -> None:
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert job.cursor == job.total_rows
    assert (job.created_count, job.rejected_count + job.repeated_count) == (emails, rejected)
    assert Talent.objects.count() == emails
    twice = (
        Talent.objects.annotate(address=Lower("email"))
        .values("address")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(twice) == []
    assert ImportedTalent.objects.filter(job=job).count() == emails
    assert Event.objects.filter(kind=Event.Kind.CREATED).count() == emails
    assert LegalBasis.objects.count() == emails
    assert RejectedRow.objects.filter(job=job).count() == rejected
    assert AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTED).count() == 1
    assert not job.file


def file_of_65_rows(tmp_path: Path) -> tuple[Path, int, int]:
    """65 data rows, one invalid (in the batch the worker dies in) and one repeating a row
    of an earlier batch: 63 talents, 2 rejected."""
    rows = people(65)
    rows[33] = person(34, email="kaputt")
    rows[38] = person(3, first_name="Nochmal")
    return xlsx(tmp_path / "talente.xlsx", rows), 63, 2


@transactional
def test_a_killed_worker_is_resumed_by_the_reaper_from_the_last_committed_batch(
    shared_database: str, tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, BATCH)
    path, emails, rejected = file_of_65_rows(tmp_path)
    job = checked(uploaded(path, rita))
    services.start_import(job, enqueue=False)
    # given: three batches committed, the fourth written but not committed
    # when: the worker is killed
    helpers = kill_once_hanging(worker(shared_database, job, hang_after=3))

    # then: the rows of the three batches are there, none of the fourth; the run started
    # no other process (it reads the rows the check spooled, not the file)
    assert helpers == []
    job.refresh_from_db()
    assert (job.state, job.cursor, job.attempts) == (ImportJob.State.RUNNING, 30, 1)
    assert Talent.objects.count() == job.created_count == 3 * BATCH
    assert not ImportJob.objects.filter(pk=job.pk, lease_until__lt=timezone.now()).exists()

    # when: the lease runs out and the reaper comes by
    expire_lease(job)
    resume_imports.enqueue()

    # then: the import is complete and every talent is there once
    assert_imported_once(job, emails, rejected)
    job.refresh_from_db()
    assert job.attempts == 2
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            assert cursor.fetchall() == [("ok",)]


@transactional
def test_a_killed_check_is_run_again_by_the_reaper_and_its_reading_process_gives_up(
    shared_database: str, tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, BATCH)
    path, emails, rejected = file_of_65_rows(tmp_path)
    job = uploaded(path, rita)
    services.request_check(job, enqueue=False)
    # given: the check has spooled two batches, its reading process is further on
    # when: the check's worker is killed
    helpers = kill_once_hanging(
        worker(shared_database, job, hang_after=2, script_text=CHECK_WORKER)
    )
    assert helpers  # the reading process, its resource tracker

    # then: the reading process gives up once its check is gone
    try:
        for pid in helpers:
            wait_until(lambda pid=pid: not running(pid), timeout=15)
    finally:
        for pid in filter(running, helpers):
            os.kill(pid, signal.SIGKILL)
    job.refresh_from_db()
    assert job.state == ImportJob.State.CHECKING
    assert "rows" not in job.preview  # no result, at most the progress it reported

    # when: its lease runs out and the reaper comes by
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now())
    resume_imports.enqueue()

    # then: the file is checked whole, and imports as a file checked at once does
    job.refresh_from_db()
    assert job.state == ImportJob.State.READY
    assert (job.preview["new"], job.preview["invalid"] + job.preview["repeated"]) == (
        emails,
        rejected,
    )
    upload = Path(job.file.path)
    started(job)
    assert_imported_once(job, emails, rejected)
    # what the killed check left half-written went with the upload
    assert list(upload.parent.glob(f"{upload.name}*")) == []


@transactional
def test_a_database_error_mid_batch_is_retried_and_the_batch_written_once(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    batches_of(monkeypatch, BATCH)
    monkeypatch.setattr(run, "RETRY_DELAYS", (0, 0, 0, 0, 0))
    write_batch = intake_talents
    calls, failed = 0, False

    def fail_in_the_fourth_batch_once(
        arrivals: Sequence[Arrival], *args: Any, **options: Any
    ) -> Any:
        nonlocal calls, failed
        calls += 1
        result = write_batch(arrivals, *args, **options)
        if first_talent(arrivals) == 31 and not failed:
            failed = True  # its rows are written: the rollback must take them back
            raise OperationalError("server closed the connection unexpectedly")
        return result

    monkeypatch.setattr(run, "intake_talents", fail_in_the_fourth_batch_once)
    path, emails, rejected = file_of_65_rows(tmp_path)

    job = started(checked(uploaded(path, rita)))

    assert_imported_once(job, emails, rejected)
    assert calls == 8  # seven batches, the fourth twice
    assert "batch at 30 failed (server closed the connection unexpectedly)" in caplog.text


@transactional
def test_a_database_that_stays_away_leaves_the_job_to_the_reaper(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, BATCH)
    monkeypatch.setattr(run, "RETRY_DELAYS", (0, 0, 0, 0, 0))
    write_batch = intake_talents

    def gone_after_two_batches(arrivals: Sequence[Arrival], *args: Any, **options: Any) -> Any:
        result = write_batch(arrivals, *args, **options)
        if first_talent(arrivals) > 2 * BATCH:
            raise OperationalError("could not connect to server")
        return result

    monkeypatch.setattr(run, "intake_talents", gone_after_two_batches)
    path, emails, rejected = file_of_65_rows(tmp_path)
    job = checked(uploaded(path, rita))
    services.start_import(job, enqueue=False)

    with pytest.raises(OperationalError):
        run.run_import(job.pk)

    job.refresh_from_db()
    assert (job.state, job.cursor, job.created_count) == (ImportJob.State.RUNNING, 20, 20)
    assert Talent.objects.count() == 20
    resume_imports.enqueue()  # the lease has not run out: nothing happens yet
    job.refresh_from_db()
    assert (job.state, job.cursor) == (ImportJob.State.RUNNING, 20)

    monkeypatch.setattr(run, "intake_talents", write_batch)
    expire_lease(job)
    resume_imports.enqueue()

    assert_imported_once(job, emails, rejected)


@transactional
def test_a_worker_whose_job_was_claimed_by_another_stops_without_writing(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    batches_of(monkeypatch, BATCH)
    path, emails, rejected = file_of_65_rows(tmp_path)
    job = checked(uploaded(path, rita))
    services.start_import(job, enqueue=False)
    write_batch = intake_talents
    claimed = threading.Event()

    def stall_until_another_worker_claims(cursor: int) -> None:
        if cursor == BATCH:
            expire_lease(job)
            assert run._claim(job.pk) is not None  # the second worker, still reading
            claimed.set()

    def write_once_claimed(arrivals: Sequence[Arrival], *args: Any, **options: Any) -> Any:
        if first_talent(arrivals) == BATCH + 1:
            claimed.wait()  # written beside the first batch, on PostgreSQL
        return write_batch(arrivals, *args, **options)

    monkeypatch.setattr(run, "intake_talents", write_once_claimed)
    run.run_import(job.pk, on_batch=stall_until_another_worker_claims)

    job.refresh_from_db()
    assert (job.state, job.cursor, job.attempts) == (ImportJob.State.RUNNING, BATCH, 2)
    assert Talent.objects.count() == BATCH
    assert "lease lost" in caplog.text

    # The second worker died too; the reaper finishes the import.
    monkeypatch.setattr(run, "intake_talents", write_batch)
    expire_lease(job)
    resume_imports.enqueue()

    assert_imported_once(job, emails, rejected)


@transactional
def test_a_worker_that_stalled_while_another_finished_the_job_writes_nothing_more(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches_of(monkeypatch, BATCH)
    path, emails, rejected = file_of_65_rows(tmp_path)
    job = checked(uploaded(path, rita))
    services.start_import(job, enqueue=False)

    def stall_while_another_worker_imports_the_rest(cursor: int) -> None:
        if cursor == 2 * BATCH:
            expire_lease(job)
            run.run_import(job.pk)

    run.run_import(job.pk, on_batch=stall_while_another_worker_imports_the_rest)

    assert_imported_once(job, emails, rejected)


def snapshot() -> dict[str, Any]:
    """Every talent as stored (all columns, timestamps included) and what hangs off it."""
    return {
        "talents": list(Talent.objects.order_by("pk").values()),
        "counts": [
            model.objects.count()
            for model in (Event, Note, PoolMembership, TalentTag, DuplicateFlag, LegalBasis)
        ],
    }


HEADERS = [
    "Name", "E-Mail", "Mobil", "PLZ", "Ort", "Land", "Position", "Kenntnisse", "LinkedIn",
    "XING", "Gehaltswunsch", "Verfügbar ab", "Quelle", "Kündigungsfrist", "Berufsjahre",
    "Gespräch am", "Bemerkung",
]  # fmt: skip


def rich_row(number: int) -> list[Any]:
    return [
        f"Nachname{number}, Vorname{number}",
        f"Talent{number}@Example.com",
        f"0151 {12345600 + number}",
        10115,
        "Berlin",
        "Deutschland",
        "Entwicklerin",
        "Python, SQL; C/C++",
        f"linkedin.com/in/talent{number}/",
        f"https://www.xing.com/profile/talent{number}",
        "ca. 65.000 €",
        datetime.date(2027, 3, 1),
        "LinkedIn",
        "3 Monate",
        "7",
        "15.02.2027",
        f"Notiz zu {number}",
    ]


@pytest.mark.parametrize("existing", ["fill", "overwrite"])
def test_importing_the_same_file_twice_is_importing_it_once(
    tmp_path: Path, rita: User, alice: User, existing: str, db: None
) -> None:
    CustomField.objects.create(
        key="kuendigungsfrist", label_en="Notice", label_de="Kündigungsfrist"
    )
    CustomField.objects.create(
        key="berufsjahre", label_en="Years", label_de="Berufsjahre", kind=CustomField.Kind.NUMBER
    )
    CustomField.objects.create(
        key="gespraech-am", label_en="Interview", label_de="Gespräch am", kind=CustomField.Kind.DATE
    )
    make_talent(first_name="Vorname2", email="talent2@example.com", city="Hamburg")
    rows = [rich_row(n) for n in range(1, 6)] + [rich_row(3), [None, "kaputt"]]
    path = xlsx(tmp_path / "talente.xlsx", rows, HEADERS)
    options = {"existing": existing, "pools": [make_pool("Berlin")], "tags": [make_tag("Messe")]}
    first = imported(path, rita, owner=alice, **options)
    assert (first.created_count, first.updated_count) == (4, 1)
    once = snapshot()

    second = imported(path, rita, owner=alice, **options)

    assert snapshot() == once
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 5)
    assert (second.repeated_count, second.rejected_count) == (1, 1)
    assert not ImportedTalent.objects.filter(job=second).exists()


def test_a_double_click_on_import_runs_it_once(tmp_path: Path, rita: User, db: None) -> None:
    job = checked(uploaded(xlsx(tmp_path / "talente.xlsx", people(3)), rita))
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        clicks = [services.start_import(job), services.start_import(job)]

    assert clicks == [True, False]
    assert len(callbacks) == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.created_count) == (ImportJob.State.DONE, 1, 3)
    assert Talent.objects.count() == 3


class WorkerDied(Exception):
    pass


def test_cancelling_an_import_that_waits_to_be_resumed_finishes_it_at_the_next_run(
    tmp_path: Path, rita: User, monkeypatch: pytest.MonkeyPatch, db: None
) -> None:
    batches_of(monkeypatch, BATCH)
    path, _emails, _rejected = file_of_65_rows(tmp_path)
    job = checked(uploaded(path, rita))
    services.start_import(job, enqueue=False)

    def die(cursor: int) -> None:
        raise WorkerDied

    with pytest.raises(WorkerDied):
        run.run_import(job.pk, on_batch=die)
    expire_lease(job)
    assert run.due_jobs() == [job.pk]  # the reaper's part; the task it enqueues runs later
    job.refresh_from_db()
    assert job.state == ImportJob.State.QUEUED

    services.cancel_import(job)
    tasks.run_import.enqueue(job.pk)

    job.refresh_from_db()
    assert (job.state, job.cursor, job.created_count) == (ImportJob.State.CANCELLED, 10, 10)
    assert Talent.objects.count() == 10
    [entry] = AuditEntry.objects.filter(action=AuditEntry.Action.IMPORTED)
    assert entry.detail["state"] == "cancelled"
    assert not job.file
    assert services.can_undo(job)
