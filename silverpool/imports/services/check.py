"""The check before an import (the preview): the whole file read through the mapping,
no talent written. It counts new talents, updates of existing ones, repeated and invalid
rows, keeps the first rows as they will be imported and the first problems, and spools
the rows it read for the run (see spool.py)."""

import datetime
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple, cast

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ...talents.models import Tag
from ...talents.services import find_by_emails
from ...talents.services.bulk_intake import visible_ids
from ...talents.services.events import jsonable
from ...talents.services.intake import HIDDEN_TALENT
from ..headers import TargetField
from ..models import ImportJob
from ..reading import UnreadableFile
from ..rows import BadRow, GoodRow, column_headers
from ..values import clean_text
from . import rowstream
from .garbage import paused_collection
from .spool import SpoolWriter
from .upload import save_suggestion, targets_of

PREVIEW_ROWS = 10
# Longer than a check of the largest file allowed takes (a million rows: about 4 minutes).
CHECK_LEASE = datetime.timedelta(minutes=15)
PREVIEW_PROBLEMS = 200
# Seconds between two writes of the check's progress (the page asks every second).
PROGRESS_EVERY = 1.0
# SQLite's page cache while checking, in KiB (see _small_page_cache).
CHECK_PAGE_CACHE_KIB = 4096


class CheckReport(NamedTuple):
    """How far a running check has come: rows read, about how many it reads in all (0: not
    known), and the seconds it took so far."""

    checked: int
    expected: int
    seconds: float


def expected_rows(job: ImportJob) -> int:
    """About how many data rows the check reads: those below the header up to the sheet's
    last row (read at the upload), blank ones included; 0 if not known."""
    return max(job.last_row - job.header_row, 0)


def check_report(job: ImportJob) -> CheckReport | None:
    """What the job's running check last reported (see _check), None before its first
    report. Never past its end: the estimate counts blank rows, the check does not."""
    checked = job.preview.get("checked")
    if checked is None:
        return None
    expected = expected_rows(job)
    return CheckReport(checked, max(expected, checked) if expected else 0, job.preview["seconds"])


def problem(row: BadRow) -> dict[str, object]:
    return {"row": row.number, "column": row.column, "reason": row.reason}


@transaction.atomic
def request_check(job: ImportJob, *, enqueue: bool = True) -> bool:
    """Save the job's mapping and check the file with it in the background (with
    `enqueue=False` the caller runs check_file itself: the command). False, and nothing
    saved, once the import has started (from another tab, say)."""
    from ..tasks import check_import  # the tasks module imports these services

    if not save_suggestion(job, state=ImportJob.State.CHECKING):
        return False
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() + CHECK_LEASE)
    if enqueue:
        transaction.on_commit(lambda: check_import.enqueue(job.pk))
    return True


def due_checks() -> list[int]:
    """Checks not done within their lease (a lost task, a worker that died): run again.
    A second run of a check that is still going is harmless, only one result is kept."""
    now = timezone.now()
    due = ImportJob.objects.filter(state=ImportJob.State.CHECKING, lease_until__lt=now)
    ids = list(due.values_list("pk", flat=True))
    ImportJob.objects.filter(pk__in=ids).update(lease_until=now + CHECK_LEASE)
    return ids


def check_file(job_id: int, *, on_chunk: Callable[[int], None] | None = None) -> None:
    """Check the job's file if it is waiting for its check. `on_chunk` gets the number of
    rows read after each chunk (the command's progress bar)."""
    job = ImportJob.objects.select_related("uploaded_by").get(pk=job_id)
    if job.state != ImportJob.State.CHECKING:
        return
    language = job.uploaded_by.language if job.uploaded_by else translation.get_language()
    spool = SpoolWriter(job)
    try:
        with translation.override(language), _small_page_cache():
            try:
                preview = _check(job, spool, on_chunk)
            except UnreadableFile as error:
                preview = {"error": str(error)}
        _keep(job, preview, spool)
    finally:
        spool.discard()  # unless kept
    # The objects that outlived the young collections of the check (see _check) leave the
    # collector owing a full one, which would fall on whatever this worker runs next: in
    # the run it took 0.07-0.13 s of a 10,000-row import's 1.1 s (docs/benchmarks.md).
    # Here the preview is saved already and nobody waits for it.
    gc.collect()


@contextmanager
def _small_page_cache() -> Iterator[None]:
    """On SQLite, a small page cache while checking instead of the run's (settings): the
    check looks each known email's talent up once, so a large cache only holds pages it
    will not read again, at the moment the reading process beside it holds the workbook
    (17 MB less at the check's peak of memory for 100,000 rows, measured; no slower)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        size = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = -{CHECK_PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {size}")


def _this_check(job: ImportJob) -> QuerySet[ImportJob]:
    """The job, if this check is still the one it waits for. The mapping may have changed
    while this ran: then a newer check is on its way, and this one's rows and progress
    must not replace (or later be replaced by) the newer check's."""
    return ImportJob.objects.filter(
        pk=job.pk,
        state=ImportJob.State.CHECKING,
        sheet=job.sheet,
        encoding=job.encoding,
        header_row=job.header_row,
        mapping=job.mapping,
        default_country=job.default_country,
    )


@transaction.atomic
def _keep(job: ImportJob, preview: dict[str, object], spool: SpoolWriter) -> None:
    current = _this_check(job).select_for_update()
    if not current.exists():
        return
    if "error" not in preview:
        spool.keep()
    current.update(
        state=ImportJob.State.MAPPING if "error" in preview else ImportJob.State.READY,
        preview=preview,
        total_rows=preview.get("rows", 0),
        lease_until=None,
    )


def _check(
    job: ImportJob, spool: SpoolWriter, on_chunk: Callable[[int], None] | None = None
) -> dict[str, object]:
    counts = {"rows": 0, "new": 0, "existing": 0, "repeated": 0, "invalid": 0}
    first: list[dict[str, object]] = []
    problems: list[dict[str, object]] = []
    tags: dict[str, str] = {}  # the file's tag names by their lower case: the first spelling
    started = reported = time.monotonic()
    email_header = column_headers(job.headers, targets_of(job)).get(TargetField.EMAIL, "")
    # An invalid row leaves cycles (see garbage.py): the young ones collected after each
    # chunk, before they pile up, instead of the collector's scans of every object.
    with paused_collection(every=rowstream.CHUNK_ROWS, generation=1) as collect:
        for chunk in rowstream.read_chunks(job):
            collect(chunk.size)
            spool.add(chunk)
            counts["rows"] += chunk.size
            if on_chunk is not None:
                on_chunk(counts["rows"])
            if (now := time.monotonic()) - reported >= PROGRESS_EVERY:
                # The preview so far, for the page's progress bar (see check_report).
                progress = {"checked": counts["rows"], "seconds": now - started}
                _this_check(job).update(preview=progress)
                reported = now
            emails = [row.fields["email"].lower() for row in chunk.good]
            known = {
                email.lower(): pk for email, pk in find_by_emails(emails).values_list("email", "pk")
            }
            # Talents the uploader may not see, which the run refuses to update (see
            # intake_talents): invalid rows here as there.
            hidden_ids = set(known.values()) - visible_ids(job.uploaded_by, list(known.values()))
            hidden = [
                row for row in chunk.good if known.get(row.fields["email"].lower()) in hidden_ids
            ]
            counts["invalid"] += len(chunk.bad) + len(hidden)
            counts["repeated"] += len(chunk.repeated)
            counts["existing"] += len(known) - len(hidden)
            counts["new"] += len(emails) - len(known)
            refused = {row.number for row in hidden}
            shown = [row for row in chunk.good if row.number not in refused]
            for row in shown:
                for name in row.tags:
                    tags.setdefault(name.lower(), name)
            for row in shown[: PREVIEW_ROWS - len(first)]:
                first.append(
                    {
                        "row": row.number,
                        "exists": row.fields["email"].lower() in known,
                        "fields": {key: jsonable(value) for key, value in row.fields.items()},
                        "note": row.note,
                        **({"tags": list(row.tags)} if row.tags else {}),
                    }
                )
            hidden_rows = [_hidden_row(row, email_header) for row in hidden]
            for bad in sorted(chunk.bad + chunk.repeated + hidden_rows, key=lambda r: r.number):
                if len(problems) < PREVIEW_PROBLEMS:
                    problems.append(problem(bad))
    if not counts["rows"]:
        # Nothing to import: more likely a wrong header row or sheet than an empty list.
        raise UnreadableFile(
            _("Below the header (row %(row)s) there is no row to import.") % {"row": job.header_row}
        )
    return {**counts, "first": first, "problems": problems, **_file_tags(tags, first)}


def _file_tags(tags: dict[str, str], first: list[dict[str, object]]) -> dict[str, list[str]]:
    """The tag names the file's rows give, and those of them this team has no tag of yet
    (made when the import starts). A tag the team has is named as it is spelt there, here
    and in the `first` rows ("Java" for the file's "java"), as the talents will show it."""
    if not tags:
        return {}
    # A team has tens or hundreds of tags: compared here, in any case, as get_or_create_tag
    # finds them.
    existing = {name.lower(): name for name in Tag.objects.values_list("name", flat=True)}
    for shown in first:
        if "tags" in shown:
            names = cast(list[str], shown["tags"])
            shown["tags"] = [existing.get(name.lower(), name) for name in names]
    return {
        "tags": sorted((existing.get(key, name) for key, name in tags.items()), key=str.lower),
        "new_tags": sorted(
            (name for key, name in tags.items() if key not in existing), key=str.lower
        ),
    }


def _hidden_row(row: GoodRow, email_header: str) -> BadRow:
    return BadRow(row.number, email_header, str(HIDDEN_TALENT), [clean_text(c) for c in row.cells])
