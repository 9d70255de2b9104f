"""Undoing an import: the talents it created go, and the talents it updated get back what
they had (fields, status, owner; the pools and tags it added are taken off) — each unless
something happened to the talent since the import, which then keeps what it has."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ...accounts.models import User
from ...privacy import services as privacy
from ...talents.models import Event, Note, Pool, Status, Tag, Talent
from ...talents.services import delete_tag, unused_tags, update_talents
from ...talents.services.bulk import (
    bulk_remove_from_pool,
    bulk_remove_tag,
    bulk_set_owner,
    bulk_set_status,
)
from ...talents.services.events import jsonable
from ...talents.services.notes import can_change_note, delete_notes
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


def keeps_recorded_consent(job: ImportJob) -> bool:
    """Whether the import recorded consent obtained elsewhere for talents that were already
    there (those it did not skip), which its undo leaves recorded: the legal basis before
    it is not kept per talent."""
    known = job.updated_count + job.unchanged_count
    recorded = job.consent == ImportJob.Consent.RECORDED
    return recorded and job.existing != ImportJob.Existing.SKIP and known > 0


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


def undo_import(job: ImportJob, *, actor: User) -> dict[str, Any]:
    """Undo what `job` did, or go on undoing it; the counts of removed, reverted and kept
    (changed since the import) talents, and the names of the tags it created that went
    with it ("deleted_tags", if any). Each step of UNDO_CHUNK talents is a transaction:
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
    is UNDONE). The records of reverted talents go, removed talents take theirs along, and
    those of kept talents are marked so, so the next step starts where this one ended."""
    # of=self: PostgreSQL cannot lock the nullable side of the join to the user.
    job = (
        ImportJob.objects.select_for_update(of=("self",)).select_related("undone_by").get(pk=job_id)
    )
    if job.state != ImportJob.State.UNDOING:
        return False
    actor = job.undone_by
    # The step's records first, in the order of the unique index (job, talent): in one
    # query with what they are joined to, PostgreSQL, whose statistics lag behind the
    # import, joined all of the job's records to their talents before taking the first
    # ones (a quarter of a second a step at 100,000 talents).
    step = ImportedTalent.objects.filter(job=job, kept=False).order_by("talent_id")[:UNDO_CHUNK]
    records = list(
        ImportedTalent.objects.filter(pk__in=list(step.values_list("pk", flat=True)))
        .annotate(changed_since=_changed_since(job))
        .select_related("talent")
        .order_by("talent_id")
    )
    counts: Counter[str] = Counter(job.undo_summary)
    if not records:
        # The actor may be gone meanwhile: no talent has these tags, so none is recorded.
        if deleted := delete_created_tags(job, actor):
            job.undo_summary = {**job.undo_summary, "deleted_tags": deleted}
        job.state = ImportJob.State.UNDONE
        job.undone_at = timezone.now()
        job.lease_until = None
        job.save(update_fields=["undo_summary", "state", "undone_at", "lease_until"])
        return False
    assert actor is not None
    remove, revert, kept = [], [], []
    for record in records:
        if record.changed_since:
            kept.append(record.pk)
        elif record.created:
            remove.append(record.talent_id)
        else:
            revert.append(record)
    reverted = _revert(revert, actor) if revert else set()
    kept += [record.pk for record in revert if record.pk not in reverted]
    counts["reverted"] += len(reverted)
    counts["kept"] += len(kept)
    if remove:
        privacy.delete_talents(*remove, actor=actor)
        counts["removed"] += len(remove)
    ImportedTalent.objects.filter(pk__in=reverted).delete()
    ImportedTalent.objects.filter(pk__in=kept).update(
        kept=True, changes={}, added_pools=[], added_tags=[], added_notes=[]
    )
    job.undo_summary = {key: counts[key] for key in ("removed", "reverted", "kept")}
    job.lease_until = timezone.now() + LEASE
    job.save(update_fields=["undo_summary", "lease_until"])
    return True


def delete_created_tags(job: ImportJob, actor: User | None) -> list[str]:
    """Delete the tags the import created that nothing has after its undo (a talent it
    kept still has them), or after it was cancelled before it started; their names."""
    unused = unused_tags(list(job.created_tags.all()), besides=job)
    for tag in unused:
        delete_tag(tag, actor=actor)
    return [tag.name for tag in unused]


def _revert(records: Sequence[ImportedTalent], actor: User) -> set[int]:
    """Give the talents of `records` back what the import changed, all of them at once,
    each change on its talent's timeline (one at a time a step took 5 ms a talent,
    docs/benchmarks.md); the ids of the records reverted. A talent whose old value is no longer
    valid, or whose old status was deleted since, keeps what it has, like one changed
    since."""
    statuses = Status.objects.in_bulk(
        {r.changes["status"][0] for r in records if "status" in r.changes}
    )
    owners = User.objects.in_bulk({r.changes["owner"][0] for r in records if "owner" in r.changes})
    records = [
        r for r in records if "status" not in r.changes or r.changes["status"][0] in statuses
    ]
    old_values = {record.talent_id: _old_values(record) for record in records}
    refused = update_talents(
        [
            (record.talent, old_values[record.talent_id])
            for record in records
            if old_values[record.talent_id]
        ],
        actor=actor,
    )
    reverting = [record for record in records if record.talent_id not in refused]
    by_status: dict[int, list[int]] = defaultdict(list)
    by_owner: dict[int | None, list[int]] = defaultdict(list)
    by_pool: dict[int, list[int]] = defaultdict(list)
    by_tag: dict[int, list[int]] = defaultdict(list)
    notes: dict[int, int] = {}
    for record in reverting:
        if "status" in record.changes:
            by_status[record.changes["status"][0]].append(record.talent_id)
        if "owner" in record.changes:
            by_owner[record.changes["owner"][0]].append(record.talent_id)
        for pool_id in record.added_pools:
            by_pool[pool_id].append(record.talent_id)
        for tag_id in record.added_tags:
            by_tag[tag_id].append(record.talent_id)
        notes.update(dict.fromkeys(record.added_notes, record.talent_id))
    for status_id, ids in by_status.items():
        bulk_set_status(Talent.objects.filter(pk__in=ids), statuses[status_id], actor=actor)
    for owner_id, ids in by_owner.items():
        # An owner deleted since: the talent is nobody's.
        owner = owners.get(owner_id) if owner_id is not None else None
        bulk_set_owner(Talent.objects.filter(pk__in=ids), owner, actor=actor)
    for pool in Pool.objects.filter(pk__in=by_pool):
        bulk_remove_from_pool(Talent.objects.filter(pk__in=by_pool[pool.pk]), pool, actor=actor)
    for tag in Tag.objects.filter(pk__in=by_tag):
        bulk_remove_tag(Talent.objects.filter(pk__in=by_tag[tag.pk]), tag, actor=actor)
    # The note column's text, as the import wrote it (an edited note is someone's now).
    added = Note.objects.filter(pk__in=notes).select_related("talent")
    delete_notes(
        [
            note
            for note in added
            if note.talent_id == notes[note.pk]
            and note.updated_at == note.created_at
            and can_change_note(actor, note)
        ],
        actor=actor,
    )
    return {record.pk for record in reverting}


def _old_values(record: ImportedTalent) -> dict[str, Any]:
    """The fields the import changed and nobody since, with the values they had before."""
    talent: Talent = record.talent
    return {
        name: old
        for name, (old, new) in record.changes.items()
        if name not in ("status", "owner") and jsonable(getattr(talent, name)) == new
    }
