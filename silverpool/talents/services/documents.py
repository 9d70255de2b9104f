"""Documents on a talent: upload (checked by content), text extraction, deletion."""

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from ...accounts.models import User
from .. import documents
from ..models import Document, Event, Talent
from .derived import refresh_search_text
from .events import record_event


@transaction.atomic
def add_document(
    talent: Talent, upload: UploadedFile[bytes], *, actor: User | None, actor_label: str = ""
) -> Document:
    """Store an uploaded CV or other document; raises ValidationError for bad files."""
    content_type = documents.detect_type(upload, upload.size or 0)
    name = get_valid_filename((upload.name or "document").rsplit("/", 1)[-1])[:200]
    document = Document(
        talent=talent,
        original_name=name,
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    document.file.save(name, upload, save=False)
    document.save()
    record_event(
        talent,
        Event.Kind.DOCUMENT_ADDED,
        actor=actor,
        actor_label=actor_label,
        document_id=document.pk,
        name=name,
    )
    from ..tasks import extract_document_text

    transaction.on_commit(lambda: extract_document_text.enqueue(document.pk))
    return document


def extract_document_text(document_id: int) -> None:
    """Fill in a document's text and make the talent searchable by it. Idempotent."""
    document = Document.objects.filter(pk=document_id).select_related("talent").first()
    if document is None or document.extraction != Document.Extraction.PENDING:
        return
    text = documents.extract_text(document.file.path, document.content_type)
    with transaction.atomic():
        document.text = text or ""
        document.extraction = (
            Document.Extraction.DONE if text is not None else Document.Extraction.FAILED
        )
        document.save(update_fields=["text", "extraction"])
        refresh_search_text(document.talent)


STALLED_AFTER = datetime.timedelta(minutes=10)


def stalled_extractions() -> list[int]:
    """Documents whose text extraction should have finished long ago."""
    cutoff = timezone.now() - STALLED_AFTER
    return list(
        Document.objects.filter(
            extraction=Document.Extraction.PENDING, created_at__lt=cutoff
        ).values_list("pk", flat=True)
    )


# A file younger than this may belong to an upload whose transaction has not committed yet.
ORPHAN_AFTER = datetime.timedelta(days=1)


def sweep_orphan_files() -> int:
    """Delete document files that no document row names: the file of an upload whose
    transaction rolled back after the file was written (a form refused later on, a crash).
    Personal data must not outlive its row. Returns how many files went."""
    storage = Document._meta.get_field("file").storage
    if not storage.exists("documents"):
        return 0
    known = set(Document.objects.values_list("file", flat=True))
    cutoff = timezone.now() - ORPHAN_AFTER
    removed = 0
    folders, _files = storage.listdir("documents")
    for folder in folders:
        _subfolders, names = storage.listdir(f"documents/{folder}")
        for name in names:
            path = f"documents/{folder}/{name}"
            if path not in known and storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
    return removed


@transaction.atomic
def delete_document(document: Document, *, actor: User) -> None:
    talent = document.talent
    record_event(
        talent,
        Event.Kind.DOCUMENT_DELETED,
        actor=actor,
        document_id=document.pk,
        name=document.original_name,
    )
    storage, path = document.file.storage, document.file.name or ""
    document.delete()
    refresh_search_text(talent)
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(path))
