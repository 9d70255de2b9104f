"""Removing a talent for good: erasure on request (Art. 17 GDPR) and anonymisation at the
end of its retention, with everything attached and nothing personal left behind.

Everything that hangs off a talent is deleted with it by the database's foreign keys
(CASCADE): notes, events, documents, pool and tag links, duplicate flags, merges, the
legal basis, consent requests and records, and outbound emails, so a queued email finds
no row to send. Talents merged into it are the same person and go too. The search index
goes with the row (an FTS5 trigger on SQLite, a generated column on PostgreSQL).
Files go only once the transaction has committed: a rollback must not leave rows that
point at deleted files.
"""

from collections import Counter
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db import router, transaction
from django.db.models import F, Q
from django.db.models.deletion import Collector
from django.utils import timezone

from ...accounts.models import User
from ...imports.models import RejectedRow
from ...outreach.models import OutboundEmail
from ...talents.models import Document, DuplicateFlag, Event, Merge, Note, PoolMembership, Talent
from ..models import (
    AnonymisedStub,
    AuditEntry,
    ConsentRecord,
    DataSubjectRequest,
    LegalBasis,
    Suppression,
)
from .basis import audit, suppress
from .dsr import close_request, open_request

# Model labels, as Django's deletion reports its counts.
DOCUMENTS = Document._meta.label
NOTES = Note._meta.label
EVENTS = Event._meta.label
CONSENTS = ConsentRecord._meta.label
EMAILS = OutboundEmail._meta.label
# Web forms build on this app, not the other way round: their model by its label.
SUBMISSIONS = "webforms.Submission"
# What an erased talent is called on the timelines of other talents that mention it
# (possible duplicate, undone merge): the name is personal data, a dash is not.
ERASED_NAME = "—"


@dataclass(frozen=True)
class Removal:
    """How many rows went with a talent, by model label; ids of the talents removed."""

    talent_ids: tuple[int, ...]
    counts: dict[str, int]

    def count(self, label: str) -> int:
        return self.counts.get(label, 0)

    def summary(self) -> dict[str, int]:
        """The counts an audit entry keeps: numbers only, never content."""
        return {
            "talents": len(self.talent_ids),
            "documents": self.count(DOCUMENTS),
            "notes": self.count(NOTES),
            "events": self.count(EVENTS),
            "consents": self.count(CONSENTS),
            "emails": self.count(EMAILS),
            "submissions": self.count(SUBMISSIONS),
        }


def same_person(*talent_ids: int) -> list[int]:
    """The talents and every talent merged into them, at any depth (A into B, B into C)."""
    ids = set(talent_ids)
    frontier = set(talent_ids)
    while frontier:
        frontier = (
            set(Talent.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
            - ids
        )
        ids |= frontier
    return sorted(ids)


def removal_preview(talent: Talent) -> Removal:
    """What erasing `talent` would delete, counted by Django's own deletion collector
    (as the admin's delete confirmation does), so the preview cannot drift from what
    `remove_talent` really does."""
    ids = same_person(talent.pk)
    talents = Talent.objects.filter(pk__in=ids)
    collector = Collector(using=router.db_for_write(Talent))
    collector.collect(talents)
    counts: Counter[str] = Counter()
    for model, instances in collector.data.items():
        counts[model._meta.label] += len(instances)
    for queryset in collector.fast_deletes:
        counts[queryset.model._meta.label] += queryset.count()
    return Removal(tuple(ids), dict(counts))


def remove_talent(talent: Talent) -> Removal:
    return remove_talents(talent.pk)


@transaction.atomic
def remove_talents(*talent_ids: int) -> Removal:
    """Delete the talents, the talents merged into them and everything attached; the
    files after commit. The one way talents are deleted, whoever deletes them. Writes no
    audit entry: the callers say why they went."""
    ids = same_person(*talent_ids)
    paths = list(Document.objects.filter(talent_id__in=ids).values_list("file", flat=True))
    # Requests about the talent stay traceable by id once the link is cut (SET_NULL).
    DataSubjectRequest.objects.filter(talent_id__in=ids, talent_ref__isnull=True).update(
        talent_ref=F("talent_id")
    )
    _forget_name_elsewhere(ids)
    # By id alone: nothing listens to a talent's deletion, so its rows need not be read
    # (wide ones, search words included; a fifth of an undo's deletes).
    _, counts = Talent.objects.filter(pk__in=ids).only("pk").delete()

    def remove_files() -> None:
        for path in paths:
            default_storage.delete(path)

    transaction.on_commit(remove_files)
    return Removal(tuple(ids), counts)


@transaction.atomic
def delete_talents(*talent_ids: int, actor: User) -> Removal:
    """A user deleted talents (the profile's or the list's delete, the API): removed as
    in an erasure, but the address is not suppressed (the person did not ask); one audit
    entry per talent, with the counts only."""
    removal = remove_talents(*talent_ids)
    summary = removal.summary()
    AuditEntry.objects.bulk_create(
        AuditEntry(actor=actor, talent_id=pk, action=AuditEntry.Action.DELETED, detail=summary)
        for pk in removal.talent_ids
    )
    return removal


def _forget_name_elsewhere(ids: list[int]) -> None:
    # Other talents' timelines name this person where a duplicate flag or a merge (since
    # undone) paired them; only those talents' events are read, by index.
    flags = DuplicateFlag.objects.filter(Q(talent_id__in=ids) | Q(other_id__in=ids))
    merges = Merge.objects.filter(Q(primary_id__in=ids) | Q(secondary_id__in=ids))
    partners = (
        {pk for pair in flags.values_list("talent_id", "other_id") for pk in pair}
        | {pk for pair in merges.values_list("primary_id", "secondary_id") for pk in pair}
    ) - set(ids)
    events = Event.objects.filter(talent_id__in=partners, data__other_id__in=ids)
    for event in events.only("pk", "data"):
        event.data = {**event.data, "other_name": ERASED_NAME}
        event.save(update_fields=["data"])


class LegalHoldActive(Exception):
    """The talent is on legal hold: it may not be erased before the hold ends or is lifted."""


@transaction.atomic
def erase_talent(talent: Talent, *, actor: User | None, actor_label: str = "", reason: str) -> None:
    """Erase a talent at once with everything attached (Art. 17 GDPR), put its addresses
    on the suppression list so that no import or sync brings the person back into
    campaigns, and keep an audit entry with ids, counts and `reason` (a code such as
    "request"). Does not check legal holds: callers that act on a request do."""
    emails = _emails_of(same_person(talent.pk))
    removal = remove_talent(talent)
    for email in emails:
        suppress(email, Suppression.Reason.ERASED)
        # An import's report of the rows it did not take may hold a row of the person (a
        # repeat, a row refused for a bad cell); it is not linked to the talent, so it is
        # found by the address. (Reports go after a month anyway; an erasure is at once.)
        RejectedRow.objects.filter(cells__icontains=email).delete()
    audit(
        actor=actor,
        actor_label=actor_label,
        talent_id=talent.pk,
        action=AuditEntry.Action.ERASED,
        reason=reason,
        talent_ids=list(removal.talent_ids),
        **removal.summary(),
    )


def _emails_of(ids: list[int]) -> set[str]:
    # A merge blanks the merged talent's address and keeps it only in the merge record,
    # which goes too. An undone merge gave the address back to a talent that stays.
    emails = set(Talent.objects.filter(pk__in=ids).values_list("email", flat=True))
    for snapshot in Merge.objects.filter(primary_id__in=ids, undone_at__isnull=True).values_list(
        "snapshot", flat=True
    ):
        emails.add(snapshot.get("secondary_email") or "")
    return {email for email in emails if email}


@transaction.atomic
def erase_on_request(
    talent: Talent, *, actor: User, channel: DataSubjectRequest.Channel
) -> DataSubjectRequest:
    """A recruiter erases a talent who asked for it: the request is recorded as received
    and done today, and stays on the request list by the talent's former id. A legal
    hold (Art. 17(3)(e)) refuses it with LegalHoldActive."""
    basis = LegalBasis.objects.select_for_update().filter(talent=talent).first()
    if basis is not None and basis.on_legal_hold():
        raise LegalHoldActive(f"talent {talent.pk} on legal hold until {basis.legal_hold_until}")
    request = open_request(
        kind=DataSubjectRequest.Kind.ERASURE,
        received_on=timezone.localdate(),
        channel=channel,
        talent=talent,
        actor=actor,
    )
    erase_talent(talent, actor=actor, reason="request")
    request.refresh_from_db()
    return close_request(request, status=DataSubjectRequest.Status.DONE, actor=actor)


@transaction.atomic
def anonymise_talent(
    talent: Talent, *, actor: User | None, actor_label: str = "", reason: str = ""
) -> AnonymisedStub:
    """Delete the talent as `erase_talent` does but keep a stub without personal data
    (R23): when it came and went, the kind of source, its status, pool ids and counts.
    `reason` defaults to the talent's legal-basis state (the deadline that passed)."""
    basis = LegalBasis.objects.filter(talent=talent).first()
    reason = reason or (basis.state if basis else "")
    created_at, source_kind, status_key = talent.created_at, talent.source_kind, talent.status.key
    memberships = PoolMembership.objects.filter(talent_id__in=same_person(talent.pk))
    pool_ids = sorted(set(memberships.values_list("pool_id", flat=True)))
    removal = remove_talent(talent)
    stub = AnonymisedStub.objects.create(
        former_talent_id=talent.pk,
        created_at=created_at,
        source_kind=source_kind,
        status_key=status_key,
        pool_ids=pool_ids,
        note_count=removal.count(NOTES),
        document_count=removal.count(DOCUMENTS),
        event_count=removal.count(EVENTS),
        consent_count=removal.count(CONSENTS),
        reason=reason,
    )
    audit(
        actor=actor,
        actor_label=actor_label,
        talent_id=talent.pk,
        action=AuditEntry.Action.ANONYMISED,
        stub_id=stub.pk,
        reason=reason,
        **removal.summary(),
    )
    return stub
