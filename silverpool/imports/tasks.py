"""Background work of imports: the check (preview), the run, and the reaper that resumes
runs whose worker died."""

from crontask import cron
from django.tasks import task

from .services import check, cleanup, run, undo


@task()
def check_import(job_id: int) -> None:
    check.check_file(job_id)


@task()
def run_import(job_id: int) -> None:
    """Run or resume an import; enqueued when it starts and again by the reaper. Claiming
    the job makes an extra enqueue harmless."""
    run.run_import(job_id)


@task()
def undo_import(job_id: int) -> None:
    """Undo an import in steps; enqueued by the undo button and again by the reaper."""
    undo.continue_undo(job_id)


@cron("* * * * *")
@task()
def resume_imports() -> None:
    """Re-enqueue checks, imports and undos whose worker died (lease ran out) or whose
    task was lost."""
    for job_id in run.due_jobs():
        run_import.enqueue(job_id)
    for job_id in check.due_checks():
        check_import.enqueue(job_id)
    for job_id in undo.due_undos():
        undo_import.enqueue(job_id)


@cron("40 3 * * *")
@task()
def clean_up_imports() -> None:
    """Nightly: uploads left at the mapping or preview for a week go, files included, and
    the rejected rows of imports finished a month ago."""
    cleanup.delete_abandoned_uploads()
    cleanup.delete_old_rejected_rows()
