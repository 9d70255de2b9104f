"""Running an import: in batches of one transaction each, resumable from the last one
committed (reliability matrix rows 4-8).

The rows come as the check read them (spool.py). A worker claims the job with a lease,
renewed by every batch. On PostgreSQL it writes two batches at a time (see WRITERS); they
commit in the file's order. Each batch checks, under the job's row lock before it
commits, that the cursor is where this worker left it: a worker that lost its lease (it
stalled, another took over) stops instead of writing twice. A worker that dies leaves
the lease to run out; the reaper (`due_jobs`, every minute) enqueues the job again and
the next run skips the committed batches. A lost database connection is retried with
backoff; the batch it interrupted rolled back, so it is simply written again.
"""

import datetime
import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from typing import Any

from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ...accounts.models import User
from ...bulk_insert import insert_rows, lock_keys, writes_beside
from ...checkpoints import Checkpoints, checkpoints_beside
from ...privacy import services as privacy
from ...privacy.models import AuditEntry, ConsentRecord, Purpose
from ...talents.models import CustomField, PoolMembership, Tag, Talent, TalentTag
from ...talents.services.bulk_intake import (
    Arrival,
    BulkResult,
    Channel,
    ExistingTalents,
    intake_talents,
)
from ...talents.services.catalog import get_or_create_tag
from ..models import ImportedTalent, ImportJob, RejectedRow
from ..rows import column_headers
from ..values import clean_text
from .garbage import paused_collection
from .rowstream import Batch, batch_rows, joined
from .spool import SpoolMissing, discard_upload, spooled_chunks
from .undo import delete_created_tags
from .upload import targets_of

logger = logging.getLogger(__name__)

LEASE = datetime.timedelta(minutes=2)
# Seconds to wait before each new try of a batch whose connection broke (a database
# restart takes a few seconds); then the job waits for the reaper.
RETRY_DELAYS = (1, 2, 4, 8, 16)
MAX_ATTEMPTS = 5
# Batches written at the same time on PostgreSQL, each by a thread with a connection of
# its own: while the database writes or commits one, the worker builds the next. A run of
# 100,000 rows takes a fifth less (docs/benchmarks.md); three are no faster on two cores.
# SQLite writes one transaction at a time.
WRITERS = 2
# From this many talents created or updated, a finished run on PostgreSQL brings the
# planner's statistics of the tables the talent list filters by up to date. Until
# autovacuum does (within minutes, or never for a tenth of a table), the list of a 100,000-
# row import's talents, or of its pool, said "about 10,001" for 78,000 and read the whole
# pool for each page, and an undo did too (docs/benchmarks.md). Below it the list counts
# exactly anyway (SEARCH_EXACT_COUNT_LIMIT).
ANALYZE_FROM = 10_000


class LostLease(Exception):
    """Another worker has the job now, or it was cancelled or finished meanwhile."""


def stop_refusal(preview: dict[str, Any], invalid: str) -> str:
    """Why the import may not start with `invalid` ("stop at the first invalid row"),
    or "": the check found invalid rows, so it would stop halfway."""
    count = preview.get("invalid", 0)
    if invalid != ImportJob.Invalid.STOP or not count:
        return ""
    return ngettext(
        "The file has %(count)s invalid row, so “stop” would stop the import there. Fix it "
        "in the file and upload it again, or skip it.",
        "The file has %(count)s invalid rows, so “stop” would stop the import at the first "
        "of them. Fix them in the file and upload it again, or skip them.",
        count,
    ) % {"count": number_format(count, force_grouping=True)}


@transaction.atomic
def start_import(
    job: ImportJob, *, enqueue: bool = True, decide: Callable[[], None] | None = None
) -> bool:
    """Queue a checked job; False if it is not waiting to start (a second click on
    "Import"). `decide` saves the decisions first, under the job's lock, so that a second
    click waits for the first and then finds the import started. With `enqueue=False` the
    caller runs it (the command)."""
    from ..tasks import run_import  # the tasks module imports these services

    ready = ImportJob.objects.select_for_update().filter(pk=job.pk, state=ImportJob.State.READY)
    if not ready.exists():
        return False
    if decide is not None:
        decide()
        job.refresh_from_db()
    if stop_refusal(job.preview, job.invalid):
        return False
    # The mapping page's example rows are not shown again (see ImportJob.sample).
    queued = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.READY).update(
        state=ImportJob.State.QUEUED, lease_until=timezone.now() + LEASE, sample=[]
    )
    if queued and enqueue:
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    return bool(queued)


def cancel_import(job: ImportJob) -> None:
    """Stop a queued or running import after the batch it is writing; what was written
    stays and can be undone."""
    cancelled = ImportJob.objects.filter(
        pk=job.pk, state=ImportJob.State.QUEUED, started_at=None
    ).update(state=ImportJob.State.CANCELLED, finished_at=timezone.now())
    if cancelled:
        # No worker has it (a claim needs QUEUED): the upload goes, as after a run, and so
        # do the tags typed in for it.
        discard_upload(job)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        delete_created_tags(job, actor=None)
    # A started job (running, or waiting to be resumed) stops at its next batch, which
    # finishes it as a run does (audit entry, consent requests for what it created).
    ImportJob.objects.filter(
        pk=job.pk, state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]
    ).update(cancel_requested=True)


def cancel_here(job: ImportJob) -> None:
    """The process running the job stops it now (Ctrl+C in the command; the batch being
    written rolled back): finished as cancelled, so that it can be undone at once."""
    _finish(job, ImportJob.State.CANCELLED)


def due_jobs() -> list[int]:
    """Jobs whose worker is gone (lease ran out) or whose task never ran; they wait for a
    worker again (QUEUED, which the next run claims) and their lease is renewed so that
    the next minute does not enqueue them again."""
    now = timezone.now()
    due = ImportJob.objects.filter(
        state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING], lease_until__lt=now
    )
    ids = list(due.values_list("pk", flat=True))
    ImportJob.objects.filter(pk__in=ids, lease_until__lt=now).update(
        state=ImportJob.State.QUEUED, lease_until=now + LEASE
    )
    return ids


def _claim(job_id: int) -> ImportJob | None:
    now = timezone.now()
    waiting = Q(state=ImportJob.State.QUEUED) | Q(
        state=ImportJob.State.RUNNING, lease_until__lt=now
    )
    claimed = ImportJob.objects.filter(waiting, pk=job_id).update(
        state=ImportJob.State.RUNNING, lease_until=now + LEASE, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("uploaded_by", "status", "owner").get(pk=job_id)
    if job.started_at is None:
        job.started_at = now
        job.save(update_fields=["started_at"])
    return job


def run_import(job_id: int, *, on_batch: Callable[[int], None] | None = None) -> None:
    """Run (or resume) the job if it is waiting for a worker; a no-op otherwise.
    `on_batch` gets the cursor after each committed batch (the command's progress bar)."""
    job = _claim(job_id)
    if job is None:
        return
    language = job.uploaded_by.language if job.uploaded_by else translation.get_language()
    with translation.override(language):  # the messages it stores are the uploader's to read
        if job.attempts > MAX_ATTEMPTS:
            error = _("The import failed repeatedly and was stopped.")
            _finish(job, ImportJob.State.FAILED, error)
            return
        try:
            with checkpoints_beside() as checkpoints:
                _run(job, checkpoints, on_batch)
        except LostLease:
            logger.info("import %s: lease lost, another run continues", job.pk)


def _run(job: ImportJob, checkpoints: Checkpoints, on_batch: Callable[[int], None] | None) -> None:
    channel = channel_for(job)
    cursor, state = job.cursor, None
    try:
        writers = _writers()
        rows = batch_rows(job.total_rows - job.cursor, writers)
        batches = joined(spooled_chunks(job, skip=job.cursor), rows)
        with (
            paused_collection() as collect,
            closing(_written(job, batches, channel, writers, checkpoints)) as written,
        ):
            for batch, state in written:
                if state is not None:
                    break
                cursor = batch.start + batch.size
                collect(batch.size)
                if on_batch is not None:
                    on_batch(cursor)
        if state is not None:
            _finish(job, state, job.error)
            return
        if cursor != job.total_rows:  # the spool ends early: cut short on disk
            raise SpoolMissing
    except SpoolMissing:
        error = _("The checked rows of this file are gone; upload the file again.")
        _finish(job, ImportJob.State.FAILED, error)
        return
    _finish(job, ImportJob.State.DONE)


def _writers() -> int:
    """How many batches are written at once (see WRITERS). In a transaction of the
    caller's, the batches' rows are invisible to other connections: one at a time."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        return WRITERS
    return 1


def _written(
    job: ImportJob,
    batches: Iterator[Batch],
    channel: Channel,
    count: int,
    checkpoints: Checkpoints,
) -> Generator[tuple[Batch, str | None]]:
    """Write the batches, `count` at a time; each with the state to finish in if the job
    must stop there (see _write), in the file's order. Once the caller stops, or an
    exception comes, the batches still being written end before this does: after a batch
    that stopped or failed they roll back, since the cursor is not where they begin; after
    an interruption (Ctrl+C in the command) they are finished."""
    if count == 1:
        # SQLite's log is copied into the database file after each batch while the next
        # one is read from the spool (see checkpoints_beside).
        for batch in batches:
            checkpoints.wait()
            state = _write_with_retries(job, batch, channel)
            checkpoints.start()
            yield batch, state
        return
    language = translation.get_language()
    # Idle while the threads write: a database restart meanwhile would leave it broken for
    # finishing the job, a new one is not.
    connection.close()
    pending: deque[tuple[Batch, Future[str | None]]] = deque()
    earlier: threading.Event | None = None
    with ThreadPoolExecutor(count, thread_name_prefix=f"import-{job.pk}") as pool:
        for batch in batches:
            if len(pending) == count:
                done, future = pending.popleft()
                yield done, future.result()
            ended = threading.Event()
            future = pool.submit(_write_in_thread, job, batch, channel, earlier, ended, language)
            pending.append((batch, future))
            earlier = ended
        while pending:
            done, future = pending.popleft()
            yield done, future.result()


def _write_in_thread(
    job: ImportJob,
    batch: Batch,
    channel: Channel,
    earlier: threading.Event | None,
    ended: threading.Event,
    language: str,
) -> str | None:
    try:
        with translation.override(language):
            return _write_with_retries(job, batch, channel, earlier)
    finally:
        connection.close()  # this thread's own
        ended.set()


def channel_for(job: ImportJob) -> Channel:
    """What applies to the talents of the job's rows; the tags its rows name are made
    here where missing (_file_tags)."""
    user = job.uploaded_by
    consent = None
    if job.consent == ImportJob.Consent.RECORDED:
        consent = privacy.ConsentGrant(
            method=ConsentRecord.Method.IMPORT,
            language=user.language if user else "de",
            given=[Purpose.TALENT_POOL],
            note=job.consent_note,
            recorded_by=user,
        )
    return Channel(
        actor=user,
        actor_label="" if user else _("Import"),
        source_kind=Talent.SourceKind.IMPORT,
        source_label=job.source_label,
        existing=ExistingTalents(job.existing),
        status=job.status,
        owner=job.owner,
        pools=list(job.pools.all()),
        tags=list(job.tags.all()),
        named_tags=_file_tags(job),
        rejected_applicant=job.rejected_applicants,
        consent=consent,
    )


def _file_tags(job: ImportJob) -> dict[str, Tag]:
    """The tags the file's rows name (the check listed them), by their name in lower case:
    made where this team has none of that name, whatever its case, and kept as the job's
    creation, which its undo deletes if nothing else has them. A resumed run finds them."""
    tags = {}
    for name in job.preview.get("tags", []):
        tag, new = get_or_create_tag(name)
        if new:
            job.created_tags.add(tag)
        tags[name.lower()] = tag
    return tags


def _write_with_retries(
    job: ImportJob, batch: Batch, channel: Channel, earlier: threading.Event | None = None
) -> str | None:
    for delay in (*RETRY_DELAYS, None):
        try:
            return _write(job, batch, channel, earlier)
        except (OperationalError, InterfaceError, IntegrityError) as error:
            # IntegrityError: another channel added one of the emails since the lookup;
            # the next try finds it as an existing talent.
            if delay is None:
                raise
            logger.warning(
                "import %s: batch at %s failed (%s), retrying", job.pk, batch.start, error
            )
            connection.close()
            time.sleep(delay)
    return None  # unreachable: the last try returns or raises


@transaction.atomic
def _write(
    job: ImportJob, batch: Batch, channel: Channel, earlier: threading.Event | None = None
) -> str | None:
    """Write one batch and move the cursor past it; the state to finish in, if the job
    must stop here (cancelled), with nothing of the batch written. `earlier` is set once
    the batch before this one, written at the same time, has ended. "Stop at the first
    invalid row" never gets here with one: the check counted them, and start_import
    refuses it then."""
    if connection.vendor == "postgresql":
        # The cursor commits with the rows it counts, so a commit lost in a server crash
        # only means the batch is imported again on resume; not waiting for each commit's
        # flush to disk saves 40-50 ms a batch here.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    # A first look, so that a job cancelled or taken over is not written in vain; what
    # counts is the look under the job's lock at the end.
    if stop := _stop_state(ImportJob.objects.get(pk=job.pk), job, batch, ended=False):
        return stop
    custom_keys = set(CustomField.objects.values_list("key", flat=True))
    arrivals = [
        Arrival(
            r.number, _custom_fields_kept(r.fields, custom_keys), r.note, r.source_label, r.tags
        )
        for r in batch.good
    ]
    with writes_beside():
        result = intake_talents(
            arrivals,
            channel,
            before_updates=lambda result: _record_and_wait(job, batch, result, earlier),
        )
    # FOR NO KEY UPDATE: the next batch's undo records hold a key share of the job's row.
    locked = ImportJob.objects.select_for_update(no_key=True).get(pk=job.pk)
    if stop := _stop_state(locked, job, batch):
        transaction.set_rollback(True)
        return stop
    ImportJob.objects.filter(pk=job.pk).update(
        cursor=batch.start + batch.size,
        created_count=F("created_count") + len(result.created),
        updated_count=F("updated_count") + len(result.updated),
        unchanged_count=F("unchanged_count") + len(result.unchanged),
        repeated_count=F("repeated_count") + len(batch.repeated),
        rejected_count=F("rejected_count") + len(batch.bad) + len(result.refused),
        lease_until=timezone.now() + LEASE,
    )
    return None


def _record_and_wait(
    job: ImportJob, batch: Batch, result: BulkResult, earlier: threading.Event | None
) -> None:
    """What a batch writes before it updates rows that were already there (see
    intake_talents): its rejected rows and undo records; then, written beside the batch
    before it, it waits for that one to end. The foreign keys of what it wrote until then
    are checked first, while that batch may still be writing, instead of at the commit,
    which the batches reach in turn: those of the rows the ORM wrote, and all of them
    where the database role may not skip the checks of bulk_insert's rows (a third of
    PostgreSQL's time then, docs/benchmarks.md)."""
    now = timezone.now()
    rejected = [(r.number, r.column, r.reason, r.cells) for r in batch.bad + batch.repeated]
    cells = {row.number: row.cells for row in batch.good}
    header_of = column_headers(job.headers, targets_of(job))
    for key, (field_name, message) in result.refused.items():
        texts = [clean_text(cell) for cell in cells[key]]
        rejected.append((key, header_of.get(field_name, ""), message, texts))
    # Built before the first statement below, which on SQLite waits for the rows written
    # before it to go in (bulk_insert.writes_beside).
    rows = [(job.pk, *row) for row in rejected]
    undo: list[tuple[Any, ...]] = [
        (job.pk, t.pk, key, True, {}, [], [], [], now) for key, t in result.created.items()
    ] + [
        (job.pk, c.talent.pk, key, False, c.changes, c.added_pools, c.added_tags)
        + (c.added_notes, now)
        for key, c in result.updated.items()
    ]
    lock_keys(ImportJob, [job.pk])  # the talents are the batch's or locked by intake_talents
    insert_rows(RejectedRow, ("job_id", "row_number", "column", "reason", "cells"), rows)
    insert_rows(
        ImportedTalent,
        (
            "job_id",
            "talent_id",
            "row_number",
            "created",
            "changes",
            "added_pools",
            "added_tags",
            "added_notes",
            "created_at",
        ),
        undo,
    )
    if earlier is not None:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checks what is pending
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        earlier.wait()


def _stop_state(
    current: ImportJob, job: ImportJob, batch: Batch, *, ended: bool = True
) -> str | None:
    """CANCELLED if the job is to stop before `batch`; raises LostLease if another worker
    has it, or if the cursor is not at the batch's start (`ended`: the batches before it
    have ended; one of them failed or stopped)."""
    # Every claim counts an attempt: a different count means another worker claimed the
    # job since this one did, even if it has not written yet.
    if current.state != ImportJob.State.RUNNING or current.attempts != job.attempts:
        raise LostLease
    if ended and current.cursor != batch.start:
        raise LostLease
    if current.cancel_requested:
        return ImportJob.State.CANCELLED
    return None


def _custom_fields_kept(fields: dict[str, Any], keys: set[str]) -> dict[str, Any]:
    """The fields without the values of custom fields deleted since the check: deleting a
    field deletes its values from every talent, and nothing shows a value without one."""
    values = fields.get("custom_values")
    if not values or values.keys() <= keys:
        return fields
    return {**fields, "custom_values": {k: v for k, v in values.items() if k in keys}}


def _finish(job: ImportJob, state: str, error: str = "") -> None:
    _refresh_statistics(job)
    with transaction.atomic():
        finished = ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.RUNNING).update(
            state=state, error=error, finished_at=timezone.now(), lease_until=None
        )
        if not finished:
            return
        job.refresh_from_db()
        # The preview's example rows and problems quote the file; the counts stay.
        counts = {key: value for key, value in job.preview.items() if isinstance(value, int)}
        ImportJob.objects.filter(pk=job.pk).update(preview=counts)
        privacy.audit(
            actor=job.uploaded_by,
            action=AuditEntry.Action.IMPORTED,
            job=job.pk,
            state=state,
            created=job.created_count,
            updated=job.updated_count,
            rejected=job.rejected_count + job.repeated_count,
        )
        if job.consent == ImportJob.Consent.ASK_NOW and job.uploaded_by is not None:
            ask_for_consent(job, job.uploaded_by)
    # The upload holds personal data the talents and the report now hold where needed.
    # Saved by an update: saving this copy of the job would undo a state changed meanwhile.
    discard_upload(job)
    ImportJob.objects.filter(pk=job.pk).update(file="")


def _refresh_statistics(job: ImportJob) -> None:
    """PostgreSQL: ANALYZE the links of a large import's talents to it, its pools and its
    tags (0.2 s after 100,000 rows here), before the job shows as finished: its result
    page links to the list of them (see ANALYZE_FROM)."""
    if connection.vendor != "postgresql":
        return
    counts = ImportJob.objects.filter(pk=job.pk).values_list("created_count", "updated_count")
    if sum(counts.get()) < ANALYZE_FROM:
        return
    tables = (model._meta.db_table for model in (ImportedTalent, PoolMembership, TalentTag))
    with connection.cursor() as cursor:
        # Table names from the models, quoted: no user input.
        cursor.execute("ANALYZE " + ", ".join(map(connection.ops.quote_name, tables)))


def ask_for_consent(job: ImportJob, user: User) -> None:
    from ...privacy.tasks import ask_for_consent as ask_task

    ids = list(
        ImportedTalent.objects.filter(job=job, created=True).values_list("talent_id", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: ask_task.enqueue(ids, user.pk))
