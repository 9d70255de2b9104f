"""Deleting talents: rows, files on disk and everything attached."""

import logging

from django.core.files.storage import default_storage
from django.db import transaction

from ...accounts.models import User
from ..models import Document, Talent

logger = logging.getLogger(__name__)


@transaction.atomic
def delete_talents(talent_ids: list[int], *, actor: User) -> int:
    """Delete talents with their notes, events, documents (files too) and memberships.

    Talents merged into one of them go too: they are part of the same person.
    """
    ids = set(talent_ids)
    ids |= set(Talent.objects.filter(merged_into_id__in=ids).values_list("pk", flat=True))
    paths = list(Document.objects.filter(talent_id__in=ids).values_list("file", flat=True))
    Talent.objects.filter(pk__in=ids).delete()

    def remove_files() -> None:
        for path in paths:
            default_storage.delete(path)

    transaction.on_commit(remove_files)
    logger.info("talents_deleted count=%d actor=%s", len(ids), actor.pk)
    return len(talent_ids)


def delete_talent(talent: Talent, *, actor: User) -> None:
    delete_talents([talent.pk], actor=actor)
