"""Background work of the talents app."""

from crontask import cron
from django.tasks import task

from . import services


@task()
def extract_document_text(document_id: int) -> None:
    """Read a new document's text so that the talent is found by what the CV says."""
    services.extract_document_text(document_id)


@cron("*/10 * * * *")
@task()
def requeue_stalled_extractions() -> None:
    """Re-queue text extraction for documents still pending after a worker died mid-task.

    django-tasks-db has no retry or heartbeat; the document's own state is the lease.
    """
    for document_id in services.stalled_extractions():
        extract_document_text.enqueue(document_id)


@cron("50 3 * * *")
@task()
def sweep_orphan_document_files() -> None:
    """Delete document files left without their row (an upload rolled back), every night."""
    services.sweep_orphan_files()
