"""The data rows of a job's file, read through its mapping, in batches; what the check
and the run share. A repeated email is judged here: the first row with it counts."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import batched, islice

from django.utils.translation import gettext as _

from ...talents.validation import custom_fields_by_key
from ..headers import TargetField
from ..models import ImportJob
from ..reading import Cell, Row, Table
from ..rows import BadRow, GoodRow, RowReader
from ..values import clean_text
from .upload import targets_of

# Rows per transaction: large enough that per-statement costs vanish, small enough that a
# retried batch or the memory of one stays small.
BATCH_ROWS = 1000


@dataclass
class Batch:
    """Consecutive data rows: `start` is the number of data rows before them."""

    start: int
    size: int
    good: list[GoodRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    repeated: list[BadRow] = field(default_factory=list)
    # Emails first seen in this batch; added to the stream's once the batch is done.
    emails: dict[str, int] = field(default_factory=dict)


class RowStream:
    """Reads `job`'s rows in batches. `seen` maps each email (lower case) to the row that
    brought it first; `accept(batch)` adds a batch's emails once it is written (a batch
    that is retried must not find its own rows already seen)."""

    def __init__(self, job: ImportJob, table: Table) -> None:
        self.job = job
        self.table = table
        self.reader = RowReader(
            job.headers,
            targets_of(job),
            default_country=job.default_country,
            source_label=job.source_label,
            custom_fields=custom_fields_by_key(),
        )
        self.seen: dict[str, int] = {}
        targets = targets_of(job)
        self.email_column = next(
            i for i, target in enumerate(targets) if target.field == TargetField.EMAIL
        )

    def data_rows(self) -> Iterator[Row]:
        return (row for row in self.table.rows(self.job.sheet) if row.number > self.job.header_row)

    def batches(self, skip: int = 0) -> Iterator[Batch]:
        """Batches after the first `skip` data rows, whose emails count as seen (a resumed
        run knows which rows came first without reading them through the mapping)."""
        rows = self.data_rows()
        for row in islice(rows, skip):
            email = clean_text(self._cell(row, self.email_column)).lower()
            if email:
                self.seen.setdefault(email, row.number)
        start = skip
        for chunk in batched(rows, BATCH_ROWS):
            yield self.read(start, chunk)
            start += len(chunk)

    def read(self, start: int, rows: tuple[Row, ...]) -> Batch:
        batch = Batch(start, len(rows))
        for row in rows:
            result = self.reader.read(row)
            if isinstance(result, BadRow):
                batch.bad.append(result)
                continue
            email = result.fields["email"].lower()
            first = self.seen.get(email) or batch.emails.get(email)
            if first is not None:
                batch.repeated.append(
                    BadRow(
                        row.number,
                        self.reader.header_of.get(TargetField.EMAIL, ""),
                        _("Repeats row %(row)d (same email address).") % {"row": first},
                        [clean_text(cell) for cell in row.cells],
                    )
                )
                continue
            batch.emails[email] = row.number
            batch.good.append(result)
        return batch

    def accept(self, batch: Batch) -> None:
        self.seen.update(batch.emails)

    @staticmethod
    def _cell(row: Row, index: int) -> Cell:
        return row.cells[index] if index < len(row.cells) else None
