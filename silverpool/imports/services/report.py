"""The report of the rows not imported (rejected, or repeating another row): every row
the import did not take, with the reason and the row's cells as the file had them, so
that it can be fixed and imported again."""

from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ...accounts.models import User
from ...privacy.models import AuditEntry
from ...privacy.services import audit
from ..models import ImportJob
from ..sheets import text_cell, write_header


def write_rejected_rows(job: ImportJob, out: IO[bytes], *, user: User) -> None:
    """An xlsx of the job's rejected rows: row number, column, reason, then the file's
    own columns (so the fixed rows can be uploaded again with the same mapping). The rows
    are personal data taken out: on the audit log, like any export."""
    audit(
        actor=user,
        action=AuditEntry.Action.EXPORTED,
        what="import_rejected_rows",
        job=job.pk,
        count=job.rejected_rows.count(),
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Rows not imported"))
    headers = [_("Row"), _("Column"), _("Reason"), *job.headers]
    widths = [8, 20, 60, *(min(max(12, len(header) + 4), 40) for header in job.headers)]
    write_header(sheet, headers, widths)
    for row in job.rejected_rows.order_by("row_number", "id").iterator(chunk_size=2000):
        texts = (row.column, row.reason, *(str(cell) for cell in row.cells))
        sheet.append([row.row_number, *(text_cell(sheet, text) for text in texts)])
    workbook.save(out)
