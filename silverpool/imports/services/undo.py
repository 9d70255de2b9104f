"""Undoing an import: the talents it created go, unless someone changed them since; the
fields it overwrote get their old values back, unless someone changed them since; the
pools and tags it added are taken off again."""

from collections import Counter

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from ...accounts.models import User
from ...privacy import services as privacy
from ...talents.models import Event, Pool, Status, Tag, Talent
from ...talents.services import update_talent
from ...talents.services.events import jsonable
from ...talents.services.membership import remove_from_pool, remove_tag, set_owner, set_status
from ..models import ImportedTalent, ImportJob

UNDOABLE = {
    ImportJob.State.DONE,
    ImportJob.State.STOPPED,
    ImportJob.State.CANCELLED,
    ImportJob.State.FAILED,
}
# What an import's own aftermath puts on a timeline; none of it is someone changing the talent.
FOLLOW_UPS = {
    Event.Kind.CONSENT_REQUESTED,
    Event.Kind.PRIVACY_NOTICE_SENT,
    Event.Kind.EMAIL_SENT,
    Event.Kind.EMAIL_FAILED,
    Event.Kind.DUPLICATE_FLAGGED,
}


def can_undo(job: ImportJob) -> bool:
    return job.state in UNDOABLE and job.started_at is not None


def _changed_since(job: ImportJob) -> "Exists":
    assert job.finished_at is not None
    later = Event.objects.filter(talent=OuterRef("talent_id"), created_at__gt=job.finished_at)
    return Exists(later.exclude(kind__in=FOLLOW_UPS))


@transaction.atomic
def undo_import(job: ImportJob, *, actor: User) -> dict[str, int]:
    """Undo what `job` did; counts of removed, reverted and kept (changed since) talents."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if not can_undo(job):
        return {}
    counts: Counter[str] = Counter()
    records = (
        ImportedTalent.objects.filter(job=job)
        .annotate(changed_since=_changed_since(job))
        .select_related("talent")
    )
    remove = []
    for record in records.iterator(chunk_size=1000):
        if record.changed_since:
            counts["kept"] += 1
        elif record.created:
            remove.append(record.talent_id)
        else:
            _revert(record, actor)
            counts["reverted"] += 1
    for start in range(0, len(remove), 1000):
        privacy.delete_talents(*remove[start : start + 1000], actor=actor)
    counts["removed"] = len(remove)
    job.state = ImportJob.State.UNDONE
    job.undone_at = timezone.now()
    job.undone_by = actor
    job.undo_summary = dict(counts)
    job.save()
    return dict(counts)


def _revert(record: ImportedTalent, actor: User) -> None:
    talent: Talent = record.talent
    old_values = {}
    for name, (old, new) in record.changes.items():
        if name == "status":
            set_status(talent, Status.objects.get(pk=old), actor=actor)
        elif name == "owner":
            owner = User.objects.filter(pk=old).first()
            set_owner(talent, owner, actor=actor)
        elif jsonable(getattr(talent, name)) == new:
            old_values[name] = old
    if old_values:
        update_talent(talent, old_values, actor=actor)
    for pool in Pool.objects.filter(pk__in=record.added_pools):
        remove_from_pool(talent, pool, actor=actor)
    for tag in Tag.objects.filter(pk__in=record.added_tags):
        remove_tag(talent, tag, actor=actor)
