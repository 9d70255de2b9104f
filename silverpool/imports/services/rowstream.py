"""The data rows of a job's file, read through its mapping, in chunks: what the check
reads and spools (spool.py), and the run joins into batches of one transaction each. A
repeated email is judged here: the first row with it counts.

A workbook, and a large text file, is opened in a separate process (see
silverpool/imports/apart.py), which hands its raw rows over: the workbook, which calamine
holds whole, is never in the worker's memory, that process's memory is limited, and it
parses while the worker reads the rows.
"""

import logging
import math
import multiprocessing
import queue
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from ...talents.models import CustomField
from ...talents.services import find_by_emails
from ...talents.validation import custom_fields_by_key
from .. import apart
from ..apart import PhoneHint, ReadSpec
from ..headers import TargetField
from ..models import ImportJob
from ..reading import Row, UnreadableFile, is_workbook
from ..reading.errors import NOT_OPENED
from ..rows import BadRow, GoodRow, RowReader
from ..values import clean_text, country_names
from .upload import targets_of

logger = logging.getLogger(__name__)

# Rows per transaction of the run: large enough that per-statement costs vanish and that
# each index page a commit writes holds several new rows (SQLite writes every page a
# transaction touched to its log: 6,000 rows import a fifth faster than 2,000 at 100,000
# rows, PostgreSQL gains too), small enough that a retried batch or the memory of one
# stays small.
BATCH_ROWS = 6000
# On SQLite twice as many: it writes one batch at a time, and each commit writes every page
# the batch touched to its log, many of which the next batch touches again. A 100k-row
# import takes about a tenth less time, the worker's peak during the run 240 MB instead of
# 192 MB, below the check's (docs/benchmarks.md); 18,000 rows would reach 287 MB.
SQLITE_BATCH_ROWS = 12_000
# Rows the check reads, checks and spools at a time (the run joins them into batches):
# what the check holds at once, and the reading process may be READ_AHEAD of them ahead.
# Batches are whole chunks: small ones let a small file's batches be of equal size (see
# batch_rows); the check and a 100,000-row run take as long as with 2,000.
CHUNK_ROWS = 1000
# Text files from this size on are read in a separate process too, which parses them while
# the check looks up the emails; smaller ones are not worth starting an interpreter for.
# Workbooks always are (see reading.is_workbook).
READ_APART_FROM_BYTES = 1_000_000
# Chunks the reading process may be ahead of the check (memory: a few MB each).
READ_AHEAD = 3


@dataclass
class Batch:
    """Consecutive data rows: `start` is the number of data rows before them."""

    start: int
    size: int
    good: list[GoodRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    repeated: list[BadRow] = field(default_factory=list)

    def add(self, after: "Batch") -> None:
        """Take in the rows of the batch that follows this one."""
        self.size += after.size
        self.good += after.good
        self.bad += after.bad
        self.repeated += after.repeated


def spec_of(job: ImportJob) -> ReadSpec:
    fields = [target.field for target in targets_of(job)]
    return ReadSpec(
        path=job.file.path,
        filename=job.original_name,
        sheet=job.sheet,
        encoding=job.encoding,
        header_row=job.header_row,
        headers=list(job.headers),
        mapping=[list(pair) for pair in job.mapping],
        default_country=job.default_country,
        source_label=job.source_label,
        custom_fields=[
            {"key": f.key, "label_en": f.label_en, "label_de": f.label_de}
            | {"kind": f.kind, "choices": f.choices}
            for f in custom_fields_by_key().values()
        ],
        max_rows=settings.IMPORT_MAX_ROWS,
        max_memory_mb=settings.IMPORT_READER_MAX_MB,
        chunk_rows=min(CHUNK_ROWS, BATCH_ROWS),
        phone_column=_column(fields, TargetField.PHONE),
        country_column=_column(fields, TargetField.COUNTRY),
        country_names=country_names(),
    )


def _column(fields: list[TargetField], wanted: TargetField) -> int | None:
    return fields.index(wanted) if wanted in fields else None


def read_chunks(job: ImportJob) -> Iterator[Batch]:
    """The job's rows in chunks; a workbook or a large file is read in a separate process.
    UnreadableFile (too many rows, damaged further in) is raised here."""
    spec = spec_of(job)
    if job.size < READ_APART_FROM_BYTES and not is_workbook(Path(spec.path)):
        return RowStream(spec).chunks()
    return _read_apart(spec)


def batch_rows(remaining: int, writers: int) -> int:
    """The rows a batch takes for a run of `remaining` rows written `writers` batches at a
    time: at most BATCH_ROWS (SQLITE_BATCH_ROWS on SQLite), and no more than makes the
    batches of equal size. A 10,000-row file on PostgreSQL is two batches of 5,000 written
    side by side instead of 6,000 and 4,000, whose larger one the run waited for: 7 % less
    time (docs/benchmarks.md)."""
    most = SQLITE_BATCH_ROWS if connection.vendor == "sqlite" else BATCH_ROWS
    rounds = max(1, math.ceil(remaining / (most * writers)))
    return max(1, math.ceil(remaining / (rounds * writers)))


def joined(chunks: Iterator[Batch], rows: int) -> Iterator[Batch]:
    """Batches of whole chunks, at least `rows` rows each (see batch_rows) but the last."""
    batch = None
    for chunk in chunks:
        if batch is None:
            batch = chunk
        else:
            batch.add(chunk)
        if batch.size >= rows:
            yield batch
            batch = None
    if batch is not None:
        yield batch


class RowStream:
    """Reads a job's rows in chunks. `seen` maps each email address (lower case, a cell's
    further ones too) to the row that brought it first."""

    def __init__(self, spec: ReadSpec) -> None:
        self.spec = spec
        job = ImportJob(headers=spec.headers, mapping=spec.mapping)
        targets = targets_of(job)
        self.reader = RowReader(
            spec.headers,
            targets,
            default_country=spec.default_country,
            source_label=spec.source_label,
            custom_fields={f["key"]: CustomField(**f) for f in spec.custom_fields},  # type: ignore[misc]
            known_emails=_known_emails,
        )
        self.seen: dict[str, int] = {}

    def chunks(self) -> Iterator[Batch]:
        for start, chunk in apart.chunks(self.spec):
            yield self.judge(self.read(start, chunk))

    def read(
        self, start: int, rows: tuple[Row, ...], phones: list[PhoneHint] | None = None
    ) -> Batch:
        """The rows read through the mapping: good or bad, each on its own (see judge).
        `phones` are the reading process's phone numbers of the rows (see apart.py)."""
        batch = Batch(start, len(rows))
        for index, row in enumerate(rows):
            result = self.reader.read(row, phones[index] if phones else None)
            if isinstance(result, BadRow):
                batch.bad.append(result)
            else:
                batch.good.append(result)
        return batch

    def judge(self, batch: Batch) -> Batch:
        """Move the good rows whose email an earlier row brought to `repeated`, as one of
        its further addresses or the other way round. Batches must come in the file's
        order."""
        good = []
        for row in batch.good:
            email = row.fields["email"].lower()
            first = self.seen.get(email)
            if row.further_emails:
                addresses = (email, *row.further_emails)
                if first is None:
                    first = next(filter(None, map(self.seen.get, row.further_emails)), None)
                for address in addresses:
                    self.seen.setdefault(address, first or row.number)
            if first is None:
                self.seen[email] = row.number
                good.append(row)
                continue
            batch.repeated.append(
                BadRow(
                    row.number,
                    self.reader.header_of.get(TargetField.EMAIL, ""),
                    _("Repeats row %(row)d (same email address).") % {"row": first},
                    [clean_text(cell) for cell in row.cells],
                )
            )
        batch.good = good
        return batch


def _known_emails(emails: list[str]) -> set[str]:
    """Those of `emails` (lower case) that talents have."""
    return {email.lower() for email in find_by_emails(emails).values_list("email", flat=True)}


def _read_apart(spec: ReadSpec) -> Iterator[Batch]:
    # spawn, not fork: the worker holds a database connection (and may run threads) that
    # a forked child would share.
    stream = RowStream(spec)
    context = multiprocessing.get_context("spawn")
    results = context.Queue(maxsize=READ_AHEAD)
    process = context.Process(
        target=apart.produce, args=(spec, results), name="silverpool-import-reader"
    )
    process.start()
    try:
        while True:
            try:
                item = results.get(timeout=1)
            except queue.Empty:
                if not process.is_alive():
                    # Ended without handing over the file's end: killed, most likely for
                    # the memory the workbook took. Checking again would end the same way.
                    logger.warning(
                        "the reading process of %s ended with exit code %s",
                        spec.path,
                        process.exitcode,
                    )
                    raise UnreadableFile(NOT_OPENED) from None
                continue
            if item is None:
                return
            if isinstance(item, BaseException):
                raise item
            yield stream.judge(stream.read(*item))
    finally:
        if process.is_alive():
            process.terminate()
        process.join(timeout=5)
        results.close()
