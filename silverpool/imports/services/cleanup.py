"""Personal data an import keeps only for a while: uploads nobody imported go after a
week (files of finished imports go when they finish, see run._finish), and the rows an
import rejected, with their cells, a month after it finished."""

import datetime

from django.utils import timezone

from ..models import ImportJob, RejectedRow
from .spool import discard_upload
from .upload import MAPPABLE

ABANDONED_AFTER = datetime.timedelta(days=7)
REJECTED_ROWS_KEPT = datetime.timedelta(days=30)


def delete_abandoned_uploads() -> int:
    """Delete jobs never started for a week, with their files; how many."""
    old = ImportJob.objects.filter(
        state__in=MAPPABLE, created_at__lt=timezone.now() - ABANDONED_AFTER
    )
    count = 0
    for job in old:
        discard_upload(job)
        job.delete()
        count += 1
    return count


def delete_old_rejected_rows() -> int:
    """Delete the rejected rows of imports finished over a month ago; how many."""
    old = RejectedRow.objects.filter(job__finished_at__lt=timezone.now() - REJECTED_ROWS_KEPT)
    count, _by_model = old.delete()
    return count
