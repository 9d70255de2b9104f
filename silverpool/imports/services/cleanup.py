"""Personal data an import keeps only for a while: uploads nobody imported go when their
uploader discards them, or after a week (files of finished imports go when they finish,
see run._finish), and the rows an import rejected, with their cells, a month after it
finished."""

import datetime

from django.db import transaction
from django.utils import timezone

from ..models import ImportJob, RejectedRow
from .spool import discard_upload
from .upload import MAPPABLE

ABANDONED_AFTER = datetime.timedelta(days=7)
REJECTED_ROWS_KEPT = datetime.timedelta(days=30)


def discard_job(job: ImportJob) -> bool:
    """Delete a job that has not started, with its upload and its checked rows (personal
    data both): the wrong file, or one not to be imported after all. False, and nothing
    deleted, once it has started."""
    with transaction.atomic():
        waiting = ImportJob.objects.select_for_update().filter(pk=job.pk, state__in=MAPPABLE)
        if not waiting.exists():
            return False
        job.delete()
    # The files once the job is gone: a check still running finds no job to keep its rows
    # for (check._keep), and throws them away.
    discard_upload(job)
    return True


def delete_abandoned_uploads() -> int:
    """Delete jobs never started for a week, with their files; how many."""
    old = ImportJob.objects.filter(
        state__in=MAPPABLE, created_at__lt=timezone.now() - ABANDONED_AFTER
    )
    return sum(discard_job(job) for job in old)


def delete_old_rejected_rows() -> int:
    """Delete the rejected rows of imports finished over a month ago; how many."""
    old = RejectedRow.objects.filter(job__finished_at__lt=timezone.now() - REJECTED_ROWS_KEPT)
    count, _by_model = old.delete()
    return count
