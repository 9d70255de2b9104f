"""Uploads nobody imported: a file of candidates left at the mapping or the preview is
personal data without a purpose; it goes after a week (files of finished imports go when
they finish, see run._finish)."""

import datetime

from django.utils import timezone

from ..models import ImportJob

ABANDONED_AFTER = datetime.timedelta(days=7)
NOT_STARTED = [ImportJob.State.MAPPING, ImportJob.State.CHECKING, ImportJob.State.READY]


def delete_abandoned_uploads() -> int:
    """Delete jobs never started for a week, with their files; how many."""
    old = ImportJob.objects.filter(
        state__in=NOT_STARTED, created_at__lt=timezone.now() - ABANDONED_AFTER
    )
    count = 0
    for job in old:
        job.file.delete(save=False)
        job.delete()
        count += 1
    return count
