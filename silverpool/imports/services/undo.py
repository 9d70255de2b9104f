"""Undoing an import: the talents it created go, and the talents it updated get back what
they had (fields, status, owner; the pools and tags it added are taken off) — each unless
something happened to the talent since the import, which then keeps what it has."""

import datetime
from collections import Counter

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ...accounts.models import User
from ...privacy import services as privacy
from ...talents.models import Event, Note, Pool, Status, Tag, Talent
from ...talents.services import update_talent
from ...talents.services.events import jsonable
from ...talents.services.membership import remove_from_pool, remove_tag, set_owner, set_status
from ...talents.services.notes import delete_note
from ..models import ImportedTalent, ImportJob

UNDOABLE = {
    ImportJob.State.DONE,
    ImportJob.State.CANCELLED,
    ImportJob.State.FAILED,
}
# What Silverpool adds to a timeline by itself; none of it is someone acting on the talent.
FOLLOW_UPS = {Event.Kind.PRIVACY_NOTICE_SENT, Event.Kind.DUPLICATE_FLAGGED}
# An import that asks for consent right away causes these. Otherwise an email or a consent
# request means the talent was contacted: it stays.
ASKED_BY_THE_IMPORT = {
    Event.Kind.CONSENT_REQUESTED,
    Event.Kind.EMAIL_SENT,
    Event.Kind.EMAIL_FAILED,
}


# Records undone per transaction: a large import is undone in steps that each commit, so
# that it neither holds its locks for minutes nor starts over after a restart.
UNDO_CHUNK = 500
LEASE = datetime.timedelta(minutes=2)


def can_undo(job: ImportJob) -> bool:
    """An import that ran and created or updated talents (one that only found them as
    they were has nothing to undo)."""
    ran = job.state in UNDOABLE and job.started_at is not None
    return ran and bool(job.created_count or job.updated_count)


def _changed_since(job: ImportJob) -> "Exists":
    # Compared with when its batch wrote the talent: an edit while a long import was still
    # running counts too.
    later = Event.objects.filter(
        talent=OuterRef("talent_id"), created_at__gt=OuterRef("created_at")
    )
    ignored = set(FOLLOW_UPS)
    if job.consent == ImportJob.Consent.ASK_NOW:
        ignored |= ASKED_BY_THE_IMPORT
    return Exists(later.exclude(kind__in=ignored))


@transaction.atomic
def request_undo(job: ImportJob, *, actor: User) -> bool:
    """Undo the import in the background (a large one takes minutes); False if it cannot
    be undone (anymore)."""
    from ..tasks import undo_import as undo_task  # the tasks module imports these services

    changed_talents = Q(created_count__gt=0) | Q(updated_count__gt=0)
    started = ImportJob.objects.filter(
        changed_talents, pk=job.pk, state__in=UNDOABLE, started_at__isnull=False
    ).update(state=ImportJob.State.UNDOING, undone_by=actor, lease_until=timezone.now() + LEASE)
    if started:
        transaction.on_commit(lambda: undo_task.enqueue(job.pk))
    return bool(started)


def undo_import(job: ImportJob, *, actor: User) -> dict[str, int]:
    """Undo what `job` did, or go on undoing it; the counts of removed, reverted and kept
    (changed since the import) talents. Each step of UNDO_CHUNK talents is a transaction:
    an undo interrupted goes on where it stopped (see due_undos)."""
    if not _begin(job, actor):
        return {}
    while _undo_step(job.pk):
        pass
    job.refresh_from_db()
    return dict(job.undo_summary)


def _begin(job: ImportJob, actor: User) -> bool:
    """Mark the job as being undone unless it is already; False if it cannot be undone."""
    if ImportJob.objects.filter(pk=job.pk, state=ImportJob.State.UNDOING).exists():
        return True
    return bool(
        ImportJob.objects.filter(pk=job.pk, state__in=UNDOABLE, started_at__isnull=False).update(
            state=ImportJob.State.UNDOING, undone_by=actor
        )
    )


def continue_undo(job_id: int) -> None:
    """The background undo, also after a restart."""
    job = ImportJob.objects.select_related("undone_by").get(pk=job_id)
    if job.state == ImportJob.State.UNDOING and job.undone_by is not None:
        undo_import(job, actor=job.undone_by)


def due_undos() -> list[int]:
    """Undos whose worker is gone; their lease is renewed (see run.due_jobs)."""
    now = timezone.now()
    due = ImportJob.objects.filter(state=ImportJob.State.UNDOING, lease_until__lt=now)
    ids = list(due.values_list("pk", flat=True))
    ImportJob.objects.filter(pk__in=ids, lease_until__lt=now).update(lease_until=now + LEASE)
    return ids


@transaction.atomic
def _undo_step(job_id: int) -> bool:
    """Undo the next UNDO_CHUNK talents of the job; False once none is left (then the job
    is UNDONE). The records of reverted and kept talents go, removed talents take theirs
    along, so the next step starts where this one ended."""
    # of=self: PostgreSQL cannot lock the nullable side of the join to the user.
    job = (
        ImportJob.objects.select_for_update(of=("self",)).select_related("undone_by").get(pk=job_id)
    )
    if job.state != ImportJob.State.UNDOING:
        return False
    actor = job.undone_by
    records = list(
        ImportedTalent.objects.filter(job=job)
        .annotate(changed_since=_changed_since(job))
        .select_related("talent")
        .order_by("pk")[:UNDO_CHUNK]
    )
    counts: Counter[str] = Counter(job.undo_summary)
    if not records:
        job.state = ImportJob.State.UNDONE
        job.undone_at = timezone.now()
        job.lease_until = None
        job.save(update_fields=["state", "undone_at", "lease_until"])
        return False
    remove, done = [], []
    for record in records:
        if record.changed_since:
            counts["kept"] += 1
            done.append(record.pk)
        elif record.created:
            remove.append(record.talent_id)
        else:
            assert actor is not None
            try:
                with transaction.atomic():
                    _revert(record, actor)
            except (ValidationError, ObjectDoesNotExist):
                # A value no longer valid, a status or custom field deleted since: the
                # talent keeps what it has, like one changed since.
                counts["kept"] += 1
            else:
                counts["reverted"] += 1
            done.append(record.pk)
    if remove:
        assert actor is not None
        privacy.delete_talents(*remove, actor=actor)
        counts["removed"] += len(remove)
    ImportedTalent.objects.filter(pk__in=done).delete()
    job.undo_summary = {key: counts[key] for key in ("removed", "reverted", "kept")}
    job.lease_until = timezone.now() + LEASE
    job.save(update_fields=["undo_summary", "lease_until"])
    return True


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
    # The note column's text, as the import wrote it (an edited note is someone's now).
    for note in Note.objects.filter(pk__in=record.added_notes, talent=talent):
        if note.updated_at == note.created_at:
            delete_note(note, actor=actor)
