"""The rejected-rows report: every row the import did not take, with the reason and the
row's cells as the file had them, so that it can be fixed and imported again."""

from typing import IO

from django.utils.translation import gettext as _
from openpyxl import Workbook

from ...accounts.models import User
from ...privacy.models import AuditEntry
from ...privacy.services import audit
from ...privacy.services.audit import neutralise
from ..models import ImportJob


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
    sheet = workbook.create_sheet(_("Rejected rows"))
    sheet.append([_("Row"), _("Column"), _("Reason"), *(neutralise(h) for h in job.headers)])
    for row in job.rejected_rows.order_by("row_number", "id").iterator(chunk_size=2000):
        sheet.append(
            [
                row.row_number,
                neutralise(row.column),
                neutralise(row.reason),
                *(neutralise(str(cell)) for cell in row.cells),
            ]
        )
    workbook.save(out)
